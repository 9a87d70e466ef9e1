/** What the client reports while it works: no secrets, only actions, domains and timings. */
export type ClientEvent =
  | { type: "request-start"; action: string; domain?: string | undefined; attempt: number }
  | {
      type: "request-end";
      action: string;
      domain?: string | undefined;
      attempt: number;
      ms: number;
      ok: boolean;
      error?: string;
    }
  | { type: "retry"; action: string; domain?: string | undefined; attempt: number; reason: string }
  | { type: "rate"; rate: number; reason: "backoff" | "recover"; retryAfterMs?: number | undefined };

export type ClientEventListener = (event: ClientEvent) => void;

export class EventHub {
  #listeners = new Set<ClientEventListener>();
  on(listener: ClientEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(event: ClientEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
