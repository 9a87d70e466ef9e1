/**
 * A typed method for every action of the Domains Reseller API. Methods take and return domain
 * types; the wire forms (bracket forms, base64 PHP serialize, numeric-keyed lists, ACE names) are
 * made and read here and nowhere else.
 */
import { ApiError, InternalError, type RegdomError, UserError } from "../errors.js";
import { type Answer, excerptOf, parseAnswer, writePriority } from "../wire/answer.js";
import { buildQuery, type FormInput } from "../wire/formEncode.js";
import { splitDomain, toAce } from "../wire/idn.js";
import { encodePhpBase64 } from "../wire/phpSerialize.js";
import { redactor } from "../wire/redact.js";
import { accountKeyOf } from "./accountKey.js";
import {
  boolish,
  readContacts,
  readDns,
  readEmailForwarding,
  readEppCode,
  readLockStatus,
  readNameservers,
  readSync,
  registrantKey,
  str,
} from "./answerReaders.js";
import { AUTH_FIELDS, type AuthField } from "./authField.js";
import type { AutoRateOptions } from "./autoRate.js";
import { type DomainField, readDomainFields } from "./domainFields.js";
import { checkEndpoint, DEFAULT_ENDPOINT } from "./endpoint.js";
import { EventHub } from "./events.js";
import { type Balance, PRICED_OPERATIONS, type PricedOperation, type PriceList, parseAmount } from "./money.js";
import { type ActionKind, Scheduler } from "./scheduler.js";
import { Transport } from "./transport.js";
import {
  type Availability,
  type ContactSet,
  type DnsRecord,
  type Forwarding,
  isKnownDnsType,
  isMxLike,
  type Owner,
  type RegisterOptions,
  type Registrant,
  type SyncInfo,
  type TransferOptions,
  type TransferSyncInfo,
} from "./types.js";

export { AUTH_FIELDS, type AuthField, accountKeyOf };

export interface ClientOptions {
  endpoint?: string;
  token: string;
  authEmail: string;
  /** Default `authemail`. */
  authField?: AuthField;
  /** Per request, ms. Default 30 s. */
  timeoutMs?: number;
  /** Largest answer body accepted. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Shared by every client of a run; made from rate/concurrency when not given. */
  scheduler?: Scheduler;
  /** Requests per second (default 5), or `{ max, start }` to find the rate the registrar accepts. */
  rate?: number | AutoRateOptions;
  concurrency?: number;
  retries?: number;
  minBackoffMs?: number;
}

const WIRE_REGISTRANT: Record<string, keyof Registrant> = {
  Name: "name",
  Company: "company",
  Address: "address",
  City: "city",
  Country: "country",
  Zip_Code: "zip_code",
  Email: "email",
  Telephone: "telephone",
};

/** Known actions and how they may be repeated. Names are matched case-insensitively by the server. */
export const ACTIONS: Record<string, ActionKind> = {
  RegisterDomain: "money",
  TransferDomain: "money",
  RenewDomain: "money",
  GetNameservers: "read",
  SaveNameservers: "idempotent",
  ReleaseDomain: "once",
  RequestDelete: "once",
  GetEPPCode: "read",
  GetContactDetails: "read",
  SaveContactDetails: "idempotent",
  DomainGetLockingStatus: "read",
  DomainUpdateLockingStatus: "idempotent",
  GetDNS: "read",
  SaveDNS: "idempotent",
  RegisterNameserver: "once",
  ModifyNameserver: "once",
  DeleteNameserver: "once",
  GetEmailForwarding: "read",
  SaveEmailForwarding: "idempotent",
  Sync: "read",
  TransferSync: "read",
  DASSE: "read",
  DASNU: "read",
  DAS: "read",
  SetAutoRenew: "idempotent",
  // Beyond the reference: actions the public client modules of the same product use.
  CreditAmount: "read",
  GetPricing: "read",
  GetDomainFields: "read",
  IDProtectToggle: "idempotent",
};

/** Form fields the client sets on every request; `call()` refuses parameters of these names (any case). */
export const CLIENT_FIELDS = ["token", "authemail", "action"] as const;

/** The registrar's words for an action it does not have: the optional action is not offered. */
export function isUnknownActionMessage(msg: string): boolean {
  return /\b(unknown|invalid|unsupported|undefined|no such) (api )?(action|command|function)\b|\baction\b.*\bnot (found|supported|available|exist)/i.test(
    msg,
  );
}

export function canonicalAction(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(ACTIONS).find((a) => a.toLowerCase() === lower);
}

export function domainParams(domain: string): { ace: string; sld: string; tld: string } {
  const ace = toAce(domain);
  const { sld, tld } = splitDomain(ace);
  if (!ace || !tld) throw new UserError(`not a domain name: ${JSON.stringify(domain)}`);
  return { ace, sld, tld };
}

function ownerParams(owner: Owner): FormInput {
  return {
    firstname: owner.firstname,
    lastname: owner.lastname,
    companyname: owner.company,
    address1: owner.address1,
    address2: owner.address2,
    city: owner.city,
    state: owner.state,
    postcode: owner.postcode,
    country: owner.country,
    phonenumber: owner.phone,
    email: owner.email,
  };
}

function nameserverParams(ns: string[] | undefined, both: boolean): FormInput {
  const out: FormInput = {};
  (ns ?? []).slice(0, 5).forEach((n, i) => {
    out[`nameserver${i + 1}`] = toAce(n);
    // The reference's table says nameserverN, its example sends nsN: send both.
    if (both) out[`ns${i + 1}`] = toAce(n);
  });
  return out;
}

/** The registrant of a contact set, in regdom's field names. */
export function registrantOf(set: ContactSet): Registrant {
  const key = registrantKey(set);
  const reg = key ? set[key]! : {};
  const out: Registrant = {};
  for (const [wire, field] of Object.entries(WIRE_REGISTRANT)) {
    const v = reg[wire] ?? reg[wire.replace("_", " ")];
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/** A contact set with the registrant's given fields replaced; every other type and field as it was. */
export function withRegistrant(set: ContactSet, registrant: Registrant): ContactSet {
  const key = registrantKey(set) ?? "Registrant";
  const fields: Record<string, string> = { ...(set[key] ?? {}) };
  for (const [wire, field] of Object.entries(WIRE_REGISTRANT)) {
    const v = registrant[field];
    if (v === undefined) continue;
    // A field the registrar spelled with a space keeps its spelling.
    const spelled = wire in fields ? wire : wire.replace("_", " ") in fields ? wire.replace("_", " ") : wire;
    fields[spelled] = v;
  }
  return { ...set, [key]: fields };
}

/**
 * The client. Every method that sends a request can throw, and these are not repeated on each:
 * - `AuthError` when the registrar refuses the credentials (every later request then fails with it);
 * - `ApiError` when the registrar refuses or its answer cannot be read (`registrarMessage`: its words);
 * - `RateLimitedError` when the registrar keeps pushing back past the retries;
 * - `TransportError` when no answer comes (refused, reset, timeout, TLS);
 * - `EndpointUnreachableError` when the endpoint could not be reached several times in a row;
 * - `UserError` when a `domain` argument is not a domain name.
 *
 * A method's own `@throws` names only what it throws beyond these, or when.
 */
export class RegistrarClient {
  readonly endpoint: string;
  readonly scheduler: Scheduler;
  readonly #token: string;
  readonly #authEmail: string;
  readonly authField: AuthField;
  readonly #transport: Transport;
  readonly #redact: (text: string) => string;
  #closed = false;

  constructor(opts: ClientOptions) {
    const url = checkEndpoint(opts.endpoint ?? DEFAULT_ENDPOINT);
    if (!opts.token) throw new UserError("no API token given");
    if (!opts.authEmail) throw new UserError("no auth e-mail given");
    this.endpoint = url.href;
    this.#token = opts.token;
    this.#authEmail = opts.authEmail;
    this.#redact = redactor(opts.token);
    this.authField = opts.authField ?? "authemail";
    this.scheduler =
      opts.scheduler ??
      new Scheduler({
        rate: opts.rate ?? 5,
        concurrency: opts.concurrency ?? 4,
        retries: opts.retries,
        minBackoffMs: opts.minBackoffMs,
        events: new EventHub(),
        endpoint: url.origin,
      });
    this.#transport = new Transport(url, {
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxBodyBytes: opts.maxBodyBytes ?? 8 * 1024 * 1024,
      connections: Math.max(1, opts.concurrency ?? 4),
      redact: this.#redact,
    });
  }

  /**
   * Names the account (endpoint and auth e-mail) without showing either secret: a digest, for
   * locks and state kept per account.
   */
  get accountKey(): string {
    return accountKeyOf(this.endpoint, this.#authEmail);
  }

  /**
   * The error that stopped this client's run (credentials refused, endpoint unreachable), if any:
   * once set, every request fails with it at once, without being sent.
   */
  get fatal(): RegdomError | undefined {
    return this.scheduler.fatal;
  }

  get events(): EventHub {
    return this.scheduler.events;
  }

  /**
   * The text with the token's value replaced, in every form an echo may give it (raw,
   * form-encoded, JSON- or HTML-escaped). Every answer is passed through it before it is read, so
   * what the client returns or throws never holds the token; callers that show other outside
   * text (a log line) may use it too.
   */
  redact(text: string): string {
    return this.#redact(text);
  }

  /** Keeps secrets out of `console.log(client)` and JSON dumps. */
  toJSON(): object {
    return { endpoint: this.endpoint };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `RegistrarClient { endpoint: '${this.endpoint}' }`;
  }

  /**
   * Sends any action with raw parameters (for `regdom-bulk run`). Answers the parsed JSON.
   * @throws UserError when a parameter names a field the client sets (CLIENT_FIELDS)
   */
  async call(action: string, params: FormInput, domain?: string): Promise<Answer> {
    // The action sent is the action named (and retried as its kind allows); the credentials are the client's.
    // Under the email auth dialect, `email` is the login: a parameter of that name would be dropped.
    const fields: readonly string[] = this.authField === "email" ? [...CLIENT_FIELDS, "email"] : CLIENT_FIELDS;
    const clash = Object.keys(params).find((k) => fields.includes(k.toLowerCase()));
    if (clash !== undefined)
      throw new UserError(
        `parameter "${clash}" is set by the client itself: ${fields.join(", ")} are never parameters${this.authField === "email" ? " (--auth-field email)" : ""}`,
      );
    const canonical = canonicalAction(action) ?? action;
    const kind = ACTIONS[canonical] ?? "once";
    return this.#send(canonical, params, kind, domain);
  }

  async #send(action: string, params: FormInput, kind: ActionKind, domain?: string): Promise<Answer> {
    const ctx = { action, domain, kind };
    return this.scheduler.run(ctx, async () => {
      // Not a network fault, so never retried: a request left behind after close is a bug of
      // the caller's, and must not knock on a destroyed pool until its retries run out.
      if (this.#closed)
        throw new InternalError(`${action}${domain ? ` ${domain}` : ""} was asked after the client closed`);
      // Under the `email` dialect that name is the login: a purchase's owner e-mail cannot be sent
      // beside it (the registrant's e-mail is written by SaveContactDetails where the manifest has one).
      const sent =
        this.authField === "email" ? Object.fromEntries(Object.entries(params).filter(([k]) => k !== "email")) : params;
      const body = buildQuery({ token: this.#token, [this.authField]: this.#authEmail, action, ...sent });
      const raw = await this.#transport.post(body, ctx);
      // A registrar or proxy may echo the request back (an HTML 500 page, a msg, a 403 body):
      // the token goes before anything reads the answer, so no error, excerpt, log line,
      // journal, report or value read from it can hold it.
      return parseAnswer(this.#redact(raw.body), { action, domain, status: raw.status });
    });
  }

  async #domainCall(action: string, domain: string, extra: FormInput = {}): Promise<Answer> {
    const { ace, sld, tld } = domainParams(domain);
    return this.#send(action, { sld, tld, ...extra }, ACTIONS[action] ?? "once", ace);
  }

  // ---- money ----

  /**
   * Registers a domain (money). Sent once: never retried once it may have reached the registrar.
   * @throws OutcomeUnknownError when it may have reached the registrar but no answer came: read Sync, never resend
   */
  async registerDomain(domain: string, o: RegisterOptions): Promise<void> {
    await this.#domainCall("RegisterDomain", domain, this.#purchaseParams(o));
  }

  /**
   * Transfers a domain in (money), with its auth code. Sent once, like registerDomain.
   * @throws OutcomeUnknownError when it may have reached the registrar but no answer came: read Sync, never resend
   */
  async transferDomain(domain: string, o: TransferOptions): Promise<void> {
    await this.#domainCall("TransferDomain", domain, { transfersecret: o.authcode, ...this.#purchaseParams(o) });
  }

  /**
   * Renews a domain for `years` (money). Sent once, like registerDomain.
   * @throws OutcomeUnknownError when it may have reached the registrar but no answer came: read Sync, never resend
   */
  async renewDomain(domain: string, years: number): Promise<void> {
    await this.#domainCall("RenewDomain", domain, { regperiod: years });
  }

  #purchaseParams(o: RegisterOptions): FormInput {
    const flag = (b: boolean | undefined) => (b === undefined ? undefined : b ? "1" : "0");
    const admin: FormInput = {};
    // The reference's admin fields are the owner's but company: adminfirstname … adminemail.
    if (o.admin)
      for (const [k, v] of Object.entries(ownerParams(o.admin))) if (k !== "companyname") admin[`admin${k}`] = v;
    return {
      regperiod: o.years,
      ...nameserverParams(o.nameservers, false),
      ...ownerParams(o.owner),
      ...admin,
      idprotection: flag(o.idprotection),
      dnsmanagement: flag(o.dnsmanagement),
      emailforwarding: flag(o.emailforwarding),
      domainfields: o.domainfields ? encodePhpBase64(o.domainfields) : undefined,
    };
  }

  // ---- nameservers ----

  /**
   * The nameservers, in the registrar's order (up to five).
   */
  async getNameservers(domain: string): Promise<string[]> {
    return readNameservers(await this.#domainCall("GetNameservers", domain), domain);
  }

  /**
   * Replaces the nameservers (sends both `nameserverN` and `nsN`).
   */
  async saveNameservers(domain: string, nameservers: string[]): Promise<void> {
    await this.#domainCall("SaveNameservers", domain, nameserverParams(nameservers, true));
  }

  /**
   * Registers a child nameserver (glue) under the domain.
   */
  async registerNameserver(domain: string, nameserver: string, ip: string): Promise<void> {
    await this.#domainCall("RegisterNameserver", domain, { nameserver: toAce(nameserver), ipaddress: ip });
  }

  /**
   * Changes a child nameserver's address.
   */
  async modifyNameserver(domain: string, nameserver: string, currentIp: string, newIp: string): Promise<void> {
    await this.#domainCall("ModifyNameserver", domain, {
      nameserver: toAce(nameserver),
      currentipaddress: currentIp,
      newipaddress: newIp,
    });
  }

  /**
   * Deletes a child nameserver.
   */
  async deleteNameserver(domain: string, nameserver: string): Promise<void> {
    await this.#domainCall("DeleteNameserver", domain, { nameserver: toAce(nameserver) });
  }

  // ---- lifecycle ----

  /**
   * Releases the domain to another tag (once: not retried after it may have arrived).
   */
  async releaseDomain(domain: string, newTag: string): Promise<void> {
    // The reference names it newtag; the public client modules send transfertag: send both.
    await this.#domainCall("ReleaseDomain", domain, { newtag: newTag, transfertag: newTag });
  }

  /**
   * Asks the registrar to delete the domain (once: not retried after it may have arrived).
   */
  async requestDelete(domain: string): Promise<void> {
    await this.#domainCall("RequestDelete", domain);
  }

  /**
   * The EPP code, or null when the registrar e-mailed it instead.
   */
  async getEppCode(domain: string): Promise<string | null> {
    return readEppCode(await this.#domainCall("GetEPPCode", domain), domain);
  }

  /**
   * Status and expiry date (WHMCS Sync).
   */
  async sync(domain: string): Promise<SyncInfo> {
    return readSync(await this.#domainCall("Sync", domain), domain);
  }

  /**
   * Where a transfer stands: completed, failed (with the reason), the new expiry.
   */
  async transferSync(domain: string, years = 1): Promise<TransferSyncInfo> {
    const { ace } = domainParams(domain);
    const a = await this.#domainCall("TransferSync", domain, { domain: ace, regperiod: years });
    const out: TransferSyncInfo = { completed: boolish(a.completed) ?? false, failed: boolish(a.failed) ?? false };
    if (a.reason !== undefined) out.reason = str(a.reason);
    const exp = str(a.expirydate);
    if (exp) out.expiryDate = exp.slice(0, 10);
    return out;
  }

  /**
   * Turns autorenew on or off (the API has no getter).
   */
  async setAutoRenew(domain: string, on: boolean): Promise<void> {
    await this.#domainCall("SetAutoRenew", domain, { autorenew: on ? "1" : "0" });
  }

  // ---- contacts ----

  /**
   * Every contact type the registrar holds (Registrant, Admin, Tech, Billing, …), as read.
   * @throws ApiError when the answer holds no Registrant object
   */
  async getContacts(domain: string): Promise<ContactSet> {
    return readContacts(await this.#domainCall("GetContactDetails", domain), domain);
  }

  /**
   * The registrant, in regdom's field names.
   * @throws ApiError as getContacts does
   */
  async getContactDetails(domain: string): Promise<Registrant> {
    return registrantOf(await this.getContacts(domain));
  }

  /**
   * Saves a whole contact set as given (every type in it, each field as given).
   */
  async saveContacts(domain: string, contacts: ContactSet): Promise<void> {
    await this.#domainCall("SaveContactDetails", domain, { contactdetails: contacts });
  }

  /**
   * Saves the registrant. Pass the set read by getContacts as `current`, so the other contact
   * types (Admin, Tech, Billing) and the registrant's other fields are sent back as read: the
   * registrar replaces what it is sent.
   */
  async saveContactDetails(domain: string, registrant: Registrant, current: ContactSet = {}): Promise<void> {
    await this.saveContacts(domain, withRegistrant(current, registrant));
  }

  // ---- lock ----

  /**
   * Whether the domain is locked against transfers; `null` when the registrar offers no lock for
   * it (it answers `lockstatus: "Unknown"`, a TLD without registrar lock).
   */
  async getLock(domain: string): Promise<boolean | null> {
    return readLockStatus(await this.#domainCall("DomainGetLockingStatus", domain), domain);
  }

  /**
   * Locks or unlocks the domain.
   */
  async setLock(domain: string, locked: boolean): Promise<void> {
    // The reference locks on lockstatus "1" and unlocks on an empty value; the public client
    // modules send lockenabled "locked"/"unlocked" (WHMCS's values). Both, so either server takes
    // it; an answer `result: "empty"` (nothing to change) is a success.
    await this.#domainCall("DomainUpdateLockingStatus", domain, {
      lockstatus: locked ? "1" : "",
      lockenabled: locked ? "locked" : "unlocked",
    });
  }

  // ---- DNS ----

  /**
   * The whole zone. Records of types regdom does not check are returned verbatim (see DnsRecord).
   * @throws ApiError when an element of the answer cannot be read
   *   (not an object, no type): a zone that cannot be read whole is never read as shorter.
   */
  async getDns(domain: string): Promise<DnsRecord[]> {
    return readDns(await this.#domainCall("GetDNS", domain), domain);
  }

  /**
   * Replaces the whole zone: records of unknown types are sent as given.
   */
  async saveDns(domain: string, records: DnsRecord[]): Promise<void> {
    const wire = records.map((r) => ({
      hostname: r.host,
      type: r.type,
      address: r.address,
      priority: writePriority(
        isMxLike(r.type.toUpperCase()) || !isKnownDnsType(r.type.toUpperCase()) ? r.priority : null,
      ),
      recid: "",
    }));
    await this.#domainCall("SaveDNS", domain, { dnsrecords: encodePhpBase64(wire) });
  }

  // ---- e-mail forwarding ----

  /**
   * The e-mail forwardings.
   */
  async getEmailForwarding(domain: string): Promise<Forwarding[]> {
    return readEmailForwarding(await this.#domainCall("GetEmailForwarding", domain), domain);
  }

  /**
   * Replaces the whole list: two parallel serialized arrays.
   */
  async saveEmailForwarding(domain: string, list: Forwarding[]): Promise<void> {
    await this.#domainCall("SaveEmailForwarding", domain, {
      prefix: encodePhpBase64(list.map((f) => f.prefix)),
      forwardto: encodePhpBase64(list.map((f) => f.to)),
    });
  }

  // ---- availability ----

  /**
   * Availability of a .se name (DASSE).
   */
  async dasse(domain: string): Promise<Availability> {
    return this.#das("DASSE", domain);
  }
  /**
   * Availability of a .nu name (DASNU).
   */
  async dasnu(domain: string): Promise<Availability> {
    return this.#das("DASNU", domain);
  }
  /**
   * Availability of a name (DAS).
   */
  async das(domain: string): Promise<Availability> {
    return this.#das("DAS", domain);
  }

  /**
   * DASSE for .se, DASNU for .nu, DAS otherwise.
   */
  async checkAvailability(domain: string): Promise<Availability> {
    const { tld } = domainParams(domain);
    return this.#das(tld === "se" ? "DASSE" : tld === "nu" ? "DASNU" : "DAS", domain);
  }

  async #das(action: string, domain: string): Promise<Availability> {
    const a = await this.#domainCall(action, domain);
    const status = str(a.das).trim().split(/\s+/)[0]?.toLowerCase();
    if (status === "free" || status === "occupied" || status === "not_valid") return status;
    throw new ApiError(`unknown availability answer ${JSON.stringify(str(a.das))}`, { action, domain });
  }

  // ---- beyond the reference ----

  async #optional(action: string, params: FormInput = {}): Promise<Answer | null> {
    try {
      return await this.#send(action, params, ACTIONS[action] ?? "read");
    } catch (e) {
      if (e instanceof ApiError && isUnknownActionMessage(e.registrarMessage)) return null;
      throw e;
    }
  }

  /**
   * The account balance (CreditAmount, beyond the reference: answers `{"value": "150.50"}`), or
   * `null` when the endpoint does not offer the action. A value that is not an amount is an error.
   * @throws ApiError when the answer cannot be read
   */
  async creditAmount(): Promise<Balance | null> {
    const a = await this.#optional("CreditAmount");
    if (a === null) return null;
    const amount = parseAmount(a.value);
    if (amount === undefined) {
      const excerpt = excerptOf(JSON.stringify(a));
      throw new ApiError(`the balance cannot be read (no amount in "value"): ${excerpt}`, {
        action: "CreditAmount",
        excerpt,
      });
    }
    return { amount };
  }

  /**
   * The price list (GetPricing, beyond the reference: `{"pricing": {"se": {"register": {"1":
   * "99.00"}, "renew": {…}, "transfer": {…}}}}`), or `null` when the endpoint does not offer it.
   * A price of -1 (how WHMCS marks a period not sold) is left out; anything else that is not an
   * amount, or a shape other than that, is an error.
   * @throws ApiError when the answer cannot be read
   */
  async getPricing(): Promise<PriceList | null> {
    const a = await this.#optional("GetPricing");
    if (a === null) return null;
    const bad = (what: string, v: unknown): never => {
      const excerpt = excerptOf(JSON.stringify(v) ?? String(v));
      throw new ApiError(`the price list cannot be read (${what}): ${excerpt}`, { action: "GetPricing", excerpt });
    };
    const isObject = (v: unknown): v is Record<string, unknown> =>
      v !== null && typeof v === "object" && !Array.isArray(v);
    if (!isObject(a.pricing)) return bad("no pricing object", a);
    const out: PriceList = {};
    for (const [tld, ops] of Object.entries(a.pricing)) {
      if (!isObject(ops)) return bad(`.${tld} is not an object`, ops);
      const entry: PriceList[string] = {};
      for (const [op, byYears] of Object.entries(ops)) {
        if (!(PRICED_OPERATIONS as readonly string[]).includes(op)) continue;
        if (!isObject(byYears)) return bad(`.${tld} ${op} is not an object`, byYears);
        const prices: Record<number, number> = {};
        for (const [y, v] of Object.entries(byYears)) {
          const years = Number(y);
          if (!/^\d{1,2}$/.test(y) || years < 1) return bad(`.${tld} ${op}: "${y}" is not a number of years`, byYears);
          const amount = parseAmount(v);
          if (amount === undefined) return bad(`.${tld} ${op} ${y}: not an amount`, v);
          if (amount >= 0) prices[years] = amount;
        }
        entry[op as PricedOperation] = prices;
      }
      out[tld.toLowerCase()] = entry;
    }
    return out;
  }

  /**
   * The fields the TLD's registry asks for at register and transfer (GetDomainFields, beyond the
   * reference; provisional shape, see domainFields.ts), or `null` when the endpoint does not offer
   * the action. An empty list: the TLD asks for none.
   * @throws ApiError when the answer cannot be read
   */
  async getDomainFields(tld: string): Promise<DomainField[] | null> {
    const ace = toAce(tld.replace(/^\./, "")).toLowerCase();
    const a = await this.#optional("GetDomainFields", { tld: ace });
    return a === null ? null : readDomainFields(a, ace);
  }

  /**
   * Turns ID protection on or off for a domain already held (IDProtectToggle, beyond the
   * reference: `protectenable` 1/0; there is no getter).
   * @throws ApiError when the endpoint does not offer the action (it answers it as unknown)
   */
  async setIdProtection(domain: string, on: boolean): Promise<void> {
    await this.#domainCall("IDProtectToggle", domain, { protectenable: on ? "1" : "0" });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#transport.close();
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
