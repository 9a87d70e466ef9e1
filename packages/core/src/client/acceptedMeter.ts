/** Start times of the requests a registrar accepted over the last two seconds: what it let through. */
export class AcceptedMeter {
  #stamps: number[] = [];
  #head = 0;

  add(now: number): void {
    this.#stamps.push(now);
  }

  /** How many were accepted in the last `ms` milliseconds (at most 2000). */
  count(now: number, ms: number): number {
    while (this.#head < this.#stamps.length && this.#stamps[this.#head]! <= now - 2000) this.#head++;
    if (this.#head > 4096) {
      this.#stamps = this.#stamps.slice(this.#head);
      this.#head = 0;
    }
    let n = 0;
    for (let i = this.#stamps.length - 1; i >= this.#head && this.#stamps[i]! > now - ms; i--) n++;
    return n;
  }
}
