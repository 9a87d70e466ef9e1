/**
 * Reads the live state of a domain: only the sections its manifest manages, plus Sync where a
 * lifecycle rule needs it. Reads run in parallel through the client's shared scheduler.
 */

import { ApiError } from "@regdom/core";
import type { DesiredDomain } from "@regdom/manifest";
import type { Registrar } from "../registrar.js";
import { LIVE_SECTIONS, type ReadContext } from "../sections/index.js";
import { settleAll } from "../settleAll.js";
import type { ChangeSection, LiveState } from "./model.js";

/** Sync, or a section that has a getter (see the registry's `live`). */
export type ReadKind = ChangeSection | "sync";

/** The reads a desired domain needs, and no more. */
export function readsFor(d: DesiredDomain): ReadKind[] {
  const out: ReadKind[] = [];
  if (d.register || d.transfer || d.state === "deleted" || d.expiresNotBefore) out.push("sync");
  if (d.state === "deleted") return out;
  for (const s of LIVE_SECTIONS) if (s.live!.managed(d)) out.push(s.name as ReadKind);
  return out;
}

function notFound(e: unknown): boolean {
  return e instanceof ApiError && e.isNotFound;
}

/** `ctx`: what reads beyond the registrar need (the resolver glue is read through). */
export async function readLive(client: Registrar, d: DesiredDomain, ctx: ReadContext = {}): Promise<LiveState> {
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
  const round = (kinds: ReadKind[]) =>
    settleAll(
      kinds.map(async (kind) => {
        try {
          if (kind === "sync") live.sync = await client.sync(d.name);
          else await LIVE_SECTIONS.find((s) => s.name === kind)!.live!.read(client, d.name, live, ctx);
        } catch (e) {
          if (notFound(e)) missing = true;
          else throw e;
        }
      }),
    );
  await round(reads);
  if (missing) return { exists: false };
  // Sections not managed that what was read asks for (glue, to check a nameserver change).
  if (d.state !== "deleted")
    await round(
      LIVE_SECTIONS.filter((s) => !reads.includes(s.name as ReadKind) && s.live!.neededBy?.(d, live)).map(
        (s) => s.name as ReadKind,
      ),
    );
  return missing ? { exists: false } : live;
}
