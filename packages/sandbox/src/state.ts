/** The registrar's books: every domain in the account, kept in memory and saved atomically. */
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "@regdom/files";
import * as v from "valibot";

export interface SandboxDnsRecord {
  hostname: string;
  type: string;
  address: string;
  /** As the registrar stores it: null for non-MX, a string for MX/MXE. */
  priority: string | null;
}

export interface SandboxDomain {
  /** ACE */
  name: string;
  status: "Active" | "Pending Transfer" | "Transfer Failed";
  expiryDate: string;
  nameservers: string[];
  locked: boolean;
  autorenew: boolean;
  /** Set by IDProtectToggle (modules dialect). */
  idprotection?: boolean;
  registrant: Record<string, string>;
  /**
   * Contact types beside the registrant (Admin, Tech, Billing), as a reseller panel keeps them.
   * SaveContactDetails replaces every type: a type not sent is removed, as real registrars do.
   */
  otherContacts?: Record<string, Record<string, string>>;
  dns: SandboxDnsRecord[];
  forwarding: { prefix: string; forwardto: string }[];
  eppcode: string;
  /**
   * Child nameservers (glue): host under the domain → its addresses (canonical text, in the order
   * registered). See RegisterNameserver/ModifyNameserver/DeleteNameserver in actions.ts.
   */
  childNameservers: Record<string, string[]>;
  /** ms since epoch when a pending transfer completes (or fails, with transferFailReason) */
  transferCompletesAt?: number;
  /** Set when the pending transfer will fail, with the losing registrar's reason. */
  transferFailReason?: string;
  /** What RegisterDomain or TransferDomain was sent beside the owner, as the registrar read it. */
  purchase?: {
    domainfields?: unknown;
    idprotection?: string;
    dnsmanagement?: string;
    emailforwarding?: string;
    admin?: Record<string, string>;
  };
}

export interface StateFile {
  version: 1;
  domains: Record<string, SandboxDomain>;
}

export class SandboxState {
  domains = new Map<string, SandboxDomain>();

  toJSON(): StateFile {
    return { version: 1, domains: Object.fromEntries([...this.domains].sort(([a], [b]) => (a < b ? -1 : 1))) };
  }

  static fromJSON(file: StateFile): SandboxState {
    const s = new SandboxState();
    for (const [k, v] of Object.entries(file.domains ?? {})) s.domains.set(k, v);
    return s;
  }

  get(name: string): SandboxDomain | undefined {
    return this.domains.get(name.toLowerCase());
  }
}

export async function loadState(path: string): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not a sandbox state file (${e instanceof Error ? e.message : String(e)})`);
  }
  return SandboxState.fromJSON(decodeState(raw, path));
}

/**
 * Saves after changes without writing once per request: one write at a time, and a change made
 * while a write is under way schedules exactly one more. Temp file + rename, so a crash mid-save
 * leaves the previous file whole.
 */
export class StateSaver {
  #dirty = false;
  #running: Promise<void> | undefined;
  #counter = 0;
  constructor(
    private readonly path: string,
    private readonly state: SandboxState,
  ) {}

  markDirty(): void {
    this.#dirty = true;
    if (!this.#running) this.#running = this.#loop();
  }

  async #loop(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        await saveStateAtomically(this.path, this.state, ++this.#counter);
      }
    } finally {
      this.#running = undefined;
    }
  }

  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#dirty) {
      this.#dirty = false;
      await saveStateAtomically(this.path, this.state, ++this.#counter);
    }
  }
}

async function saveStateAtomically(path: string, state: SandboxState, _n = 0): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(state.toJSON()), 0o600);
}

const text = v.string();
const stateSchema = v.strictObject({
  version: v.literal(1),
  domains: v.record(
    text,
    v.strictObject({
      name: text,
      status: v.picklist(["Active", "Pending Transfer", "Transfer Failed"]),
      expiryDate: text,
      nameservers: v.array(text),
      locked: v.boolean(),
      autorenew: v.boolean(),
      idprotection: v.optional(v.boolean()),
      registrant: v.record(text, text),
      otherContacts: v.optional(v.record(text, v.record(text, text))),
      dns: v.array(v.strictObject({ hostname: text, type: text, address: text, priority: v.nullable(text) })),
      forwarding: v.array(v.strictObject({ prefix: text, forwardto: text })),
      eppcode: text,
      // A file from before hosts held several addresses has one address per host.
      childNameservers: v.record(
        text,
        v.pipe(
          v.union([text, v.array(text)]),
          v.transform((a) => (typeof a === "string" ? [a] : a)),
        ),
      ),
      transferCompletesAt: v.optional(v.number()),
      transferFailReason: v.optional(text),
      purchase: v.optional(
        v.strictObject({
          domainfields: v.optional(v.unknown()),
          idprotection: v.optional(text),
          dnsmanagement: v.optional(text),
          emailforwarding: v.optional(text),
          admin: v.optional(v.record(text, text)),
        }),
      ),
    }),
  ),
});

/** Decodes a state file with its schema; a file that does not match is refused, naming the file and field. */
function decodeState(raw: unknown, path: string): StateFile {
  const r = v.safeParse(stateSchema, raw);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const where = (issue.path ?? []).map((p) => String(p.key)).join(".");
  throw new Error(`${path}: not a sandbox state file${where ? ` at ${where}` : ""}: ${issue.message}`);
}
