import type { RegistrarClient } from "@regdom/core";
import type { Io } from "./io.js";

/**
 * `--verbose`: every request, retry and rate change on stderr. Events carry no secrets of ours;
 * the registrar's words in them pass through the client's redaction once more all the same.
 */
export function logRequests(client: RegistrarClient, io: Io): void {
  client.events.on((e) => {
    if (e.type === "request-end")
      io.stderr.write(
        `[regdom] ${e.action} ${e.domain ?? ""} #${e.attempt} ${e.ok ? "ok" : `failed: ${client.redact(e.error ?? "")}`} ${e.ms.toFixed(0)}ms\n`,
      );
    else if (e.type === "retry")
      io.stderr.write(
        `[regdom] retry ${e.action} ${e.domain ?? ""} after attempt ${e.attempt}: ${client.redact(e.reason)}\n`,
      );
    else if (e.type === "rate") io.stderr.write(`[regdom] rate ${e.reason}: now ${e.rate.toFixed(2)}/s\n`);
  });
}
