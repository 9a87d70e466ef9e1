/**
 * Reads the live state of a domain: only the sections its manifest manages, plus Sync where a
 * lifecycle rule needs it. Reads run in parallel through the client's shared scheduler.
 */

import { ApiError, registrantOf } from "@regdom/core";
import type { DesiredDomain } from "@regdom/manifest";
import type { Registrar } from "../registrar.js";
import { settleAll } from "../settleAll.js";
import type { LiveState } from "./model.js";

export type ReadKind = "nameservers" | "lock" | "registrant" | "dns" | "forwarding" | "sync";

/** The reads a desired domain needs, and no more. */
export function readsFor(d: DesiredDomain): ReadKind[] {
  const out: ReadKind[] = [];
  if (d.register || d.transfer || d.state === "deleted" || d.expiresNotBefore) out.push("sync");
  if (d.state === "deleted") return out;
  if (d.nameservers) out.push("nameservers");
  if (d.lock !== undefined) out.push("lock");
  if (d.registrant) out.push("registrant");
  if (d.dns) out.push("dns");
  if (d.forwarding) out.push("forwarding");
  return out;
}

function notFound(e: unknown): boolean {
  return e instanceof ApiError && e.isNotFound;
}

export async function readLive(client: Registrar, d: DesiredDomain): Promise<LiveState> {
  const reads = readsFor(d);
  const live: LiveState = { exists: true };
  // Purchases ask Sync first: a domain not yet in the account answers "not found" to every read.
  if (reads[0] === "sync" && (d.register || d.transfer)) {
    try {
      live.sync = await client.sync(d.name);
    } catch (e) {
      if (notFound(e)) return { exists: false };
      throw e;
    }
    reads.shift();
  }
  let missing = false;
  await settleAll(
    reads.map(async (kind) => {
      try {
        switch (kind) {
          case "sync":
            live.sync = await client.sync(d.name);
            break;
          case "nameservers":
            live.nameservers = await client.getNameservers(d.name);
            break;
          case "lock":
            live.lock = await client.getLock(d.name);
            break;
          case "registrant":
            live.contacts = await client.getContacts(d.name);
            live.registrant = registrantOf(live.contacts);
            break;
          case "dns":
            live.dns = await client.getDns(d.name);
            break;
          case "forwarding":
            live.forwarding = await client.getEmailForwarding(d.name);
            break;
        }
      } catch (e) {
        if (notFound(e)) missing = true;
        else throw e;
      }
    }),
  );
  return missing ? { exists: false } : live;
}
