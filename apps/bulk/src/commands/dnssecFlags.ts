/** `--resolver` for the commands that run the DNSSEC guard or read live glue (plan, apply, rollback, doctor); they load the engine anyway. */
import { text } from "@regdom/cli/program";
import { chosenResolver, type DnssecOptions } from "@regdom/engine";

export const RESOLVER = text(
  "--resolver <host[:port]>",
  "DNS resolver for the DNSSEC guard's lookups and the live glue read (env REGDOM_RESOLVER; default the system's)",
);

/** The DNSSEC guard's settings: --resolver, else REGDOM_RESOLVER, else /etc/resolv.conf's first nameserver. */
export function dnssecOptions(resolver: string | undefined, env: Record<string, string | undefined>): DnssecOptions {
  return { resolver: chosenResolver(resolver, env) };
}
