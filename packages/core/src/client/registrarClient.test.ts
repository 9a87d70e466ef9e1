import { inspect } from "node:util";
import type { Sandbox } from "@regdom/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, AuthError, UserError } from "../errors.js";
import { sandboxAndClient, TEST_EMAIL, TEST_TOKEN } from "../test-support/sandbox.js";
import { domainFieldProblems, readDomainFields } from "./domainFields.js";
import { RegistrarClient } from "./registrarClient.js";

let sandbox: Sandbox;
let client: RegistrarClient;
let close: () => Promise<void>;

const owner = {
  firstname: "Anna",
  lastname: "Berg",
  company: "Acme AB",
  address1: "Storgatan 1",
  city: "Göteborg",
  state: "Västra Götaland",
  postcode: "411 01",
  country: "SE",
  phone: "+46.701234567",
  email: "anna@acme.se",
};

beforeAll(async () => {
  ({ sandbox, client, close } = await sandboxAndClient({ transferDelayMs: 0 }));
  await client.registerDomain("räksmörgås.se", { years: 1, owner, nameservers: ["ns1.host.se", "ns2.host.se"] });
});
afterAll(() => close());

const last = () => sandbox.requests[sandbox.requests.length - 1]!;

describe("RegistrarClient against the sandbox", () => {
  it("RegisterDomain sends ACE, the owner, and + intact", () => {
    const reg = sandbox.requests.find((r) => r.action === "registerdomain")!;
    expect(reg.domain).toBe("xn--rksmrgs-5wao1o.se");
    expect(reg.params?.phonenumber).toBe("+46.701234567");
    expect(reg.params?.city).toBe("Göteborg");
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")?.registrant.Telephone).toBe("+46.701234567");
  });
  it("RegisterDomain of an existing domain is an ApiError", async () => {
    await expect(client.registerDomain("räksmörgås.se", { years: 1, owner })).rejects.toThrow(/already exists/);
  });
  it("GetNameservers / SaveNameservers (both field names sent)", async () => {
    expect(await client.getNameservers("räksmörgås.se")).toEqual(["ns1.host.se", "ns2.host.se"]);
    await client.saveNameservers("räksmörgås.se", ["ns1.ny.se", "ns2.ny.se", "ns3.ny.se"]);
    expect(last().params).toMatchObject({
      nameserver1: "ns1.ny.se",
      ns1: "ns1.ny.se",
      nameserver3: "ns3.ny.se",
      ns3: "ns3.ny.se",
    });
    expect(await client.getNameservers("räksmörgås.se")).toEqual(["ns1.ny.se", "ns2.ny.se", "ns3.ny.se"]);
  });
  it("DomainGetLockingStatus / DomainUpdateLockingStatus", async () => {
    await client.setLock("räksmörgås.se", true);
    // The reference's lockstatus and the modules' lockenabled, both.
    expect(last().params).toMatchObject({ lockstatus: "1", lockenabled: "locked" });
    expect(await client.getLock("räksmörgås.se")).toBe(true);
    await client.setLock("räksmörgås.se", false);
    expect(last().params).toMatchObject({ lockstatus: "", lockenabled: "unlocked" });
    expect(await client.getLock("räksmörgås.se")).toBe(false);
  });
  it("GetDNS / SaveDNS with priorities and IDN targets", async () => {
    const records = [
      { host: "@", type: "A" as const, address: "192.0.2.10", priority: null },
      { host: "@", type: "MX" as const, address: "mx1.host.se", priority: 10 },
      { host: "mail", type: "MXE" as const, address: "192.0.2.25", priority: 20 },
      { host: "www", type: "CNAME" as const, address: "xn--rksmrgs-5wao1o.se", priority: null },
      { host: "@", type: "TXT" as const, address: 'v=spf1 mx "-all" {åäö}', priority: null },
    ];
    await client.saveDns("räksmörgås.se", records);
    const stored = sandbox.state.get("xn--rksmrgs-5wao1o.se")!.dns;
    expect(stored[0]!.priority).toBeNull();
    expect(stored[1]!.priority).toBe("10");
    expect(await client.getDns("räksmörgås.se")).toEqual(records);
  });
  it("SaveDNS with an invalid record is refused", async () => {
    await expect(
      client.saveDns("räksmörgås.se", [{ host: "@", type: "A", address: "999.1.1.1", priority: null }]),
    ).rejects.toThrow(/Invalid IPv4/);
  });
  it("GetEmailForwarding / SaveEmailForwarding (keys from 1)", async () => {
    await client.saveEmailForwarding("räksmörgås.se", [
      { prefix: "info", to: "anna@acme.se" },
      { prefix: "faktura", to: "ekonomi@acme.se" },
    ]);
    expect(await client.getEmailForwarding("räksmörgås.se")).toEqual([
      { prefix: "info", to: "anna@acme.se" },
      { prefix: "faktura", to: "ekonomi@acme.se" },
    ]);
  });
  it("GetContactDetails / SaveContactDetails in bracket form", async () => {
    await client.saveContactDetails("räksmörgås.se", {
      name: "Örjan Åkesson",
      telephone: "+46.87654321",
      zip_code: "411 01",
    });
    expect(last().params?.contactdetails).toEqual({
      Registrant: { Name: "Örjan Åkesson", Zip_Code: "411 01", Telephone: "+46.87654321" },
    });
    const c = await client.getContactDetails("räksmörgås.se");
    expect(c).toMatchObject({ name: "Örjan Åkesson", telephone: "+46.87654321", zip_code: "411 01", city: "Göteborg" });
  });
  it("Sync and RenewDomain", async () => {
    const before = await client.sync("räksmörgås.se");
    expect(before.status).toBe("Active");
    expect(before.expiryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await client.renewDomain("räksmörgås.se", 2);
    const after = await client.sync("räksmörgås.se");
    expect(Number(after.expiryDate!.slice(0, 4)) - Number(before.expiryDate!.slice(0, 4))).toBe(2);
  });
  it("SetAutoRenew", async () => {
    await client.setAutoRenew("räksmörgås.se", true);
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.autorenew).toBe(true);
    await client.setAutoRenew("räksmörgås.se", false);
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.autorenew).toBe(false);
  });
  it("GetEPPCode", async () => {
    expect(await client.getEppCode("räksmörgås.se")).toBe(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.eppcode);
  });
  it("RegisterNameserver / ModifyNameserver / DeleteNameserver", async () => {
    await client.registerNameserver("räksmörgås.se", "ns1.räksmörgås.se", "192.0.2.1");
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.childNameservers).toEqual({
      "ns1.xn--rksmrgs-5wao1o.se": ["192.0.2.1"],
    });
    await client.modifyNameserver("räksmörgås.se", "ns1.räksmörgås.se", "192.0.2.1", "192.0.2.2");
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.childNameservers["ns1.xn--rksmrgs-5wao1o.se"]).toEqual([
      "192.0.2.2",
    ]);
    await client.deleteNameserver("räksmörgås.se", "ns1.räksmörgås.se");
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.childNameservers).toEqual({});
  });
  it("TransferDomain then TransferSync", async () => {
    await client.transferDomain("flyttas-hit.nu", { years: 1, owner, authcode: "gd23h231s21" });
    expect(sandbox.requests.find((r) => r.action === "transferdomain")?.params?.transfersecret).toBe("gd23h231s21");
    const t = await client.transferSync("flyttas-hit.nu");
    expect(t.completed).toBe(true);
  });
  it("DASSE, DASNU, DAS", async () => {
    expect(await client.dasse("räksmörgås.se")).toBe("occupied");
    expect(await client.dasse("ledig-namn.se")).toBe("free");
    expect(await client.dasnu("ledig.nu")).toBe("free");
    expect(await client.das("taken-example.com")).toBe("occupied");
    expect(await client.dasse("ledig.nu")).toBe("not_valid");
    expect(await client.checkAvailability("flyttas-hit.nu")).toBe("occupied");
  });
  it("ReleaseDomain and RequestDelete remove the domain", async () => {
    await client.releaseDomain("flyttas-hit.nu", "1AND1-TEST");
    expect(last().params).toMatchObject({ newtag: "1AND1-TEST", transfertag: "1AND1-TEST" });
    expect(sandbox.state.get("flyttas-hit.nu")).toBeUndefined();
    await client.registerDomain("kort.se", { years: 1, owner });
    await client.requestDelete("kort.se");
    expect(sandbox.state.get("kort.se")).toBeUndefined();
  });
  it("an unknown domain is a not-found ApiError", async () => {
    const e = await client.getDns("finns-inte.se").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).isNotFound).toBe(true);
  });
  it("call() sends any action by name", async () => {
    const a = await client.call("domaingetlockingstatus", { sld: "xn--rksmrgs-5wao1o", tld: "se" });
    expect(a.lockstatus).toBe("unlocked");
    expect(last().action).toBe("domaingetlockingstatus");
  });
  it("call() refuses parameters that would replace the action or the credentials; nothing is sent", async () => {
    const before = sandbox.requests.length;
    const expiry = sandbox.state.get("xn--rksmrgs-5wao1o.se")!.expiryDate;
    for (const key of ["action", "Action", "token", "authemail"]) {
      const e = await client
        .call("GetEPPCode", { sld: "xn--rksmrgs-5wao1o", tld: "se", [key]: "RenewDomain", regperiod: 1 })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toContain(key);
    }
    expect(sandbox.requests.length).toBe(before);
    expect(sandbox.state.get("xn--rksmrgs-5wao1o.se")!.expiryDate).toBe(expiry);
  });
});

describe("the modules dialect (as the public client modules speak it)", () => {
  it('reads "Unknown" as no lock offered, "empty" as success, and releases with transfertag', async () => {
    const m = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      await m.client.registerDomain("las.se", { years: 1, owner });
      await m.client.registerDomain("utan-las.eu", { years: 1, owner, domainfields: { citizenship: "SE" } });
      await m.client.setLock("las.se", true);
      expect(await m.client.getLock("las.se")).toBe(true);
      // Nothing to change: the server answers result "empty".
      await m.client.setLock("las.se", true);
      expect(m.sandbox.requests.at(-1)?.changed).toBe(false);
      expect(await m.client.getLock("utan-las.eu")).toBeNull();
      await m.client.setIdProtection("las.se", true);
      expect(m.sandbox.state.get("las.se")!.idprotection).toBe(true);
      await m.client.releaseDomain("las.se", "1AND1-TEST");
      expect(m.sandbox.state.get("las.se")).toBeUndefined();
    } finally {
      await m.close();
    }
  });
});

describe("beyond the reference: CreditAmount and GetPricing", () => {
  it("typed when offered; null when the endpoint answers an unknown action; a purchase past the balance refused", async () => {
    const prices = { se: { register: { "1": "99.00", "2": "-1" }, renew: { "1": "89.50" } } };
    const m = await sandboxAndClient({ dialect: "modules", balance: "150.50", prices }, { authField: "email" });
    try {
      expect(await m.client.creditAmount()).toEqual({ amount: 1_505_000 });
      expect(await m.client.getPricing()).toEqual({ se: { register: { 1: 990_000 }, renew: { 1: 895_000 } } });
      await m.client.registerDomain("forst.se", { years: 1, owner });
      expect(await m.client.creditAmount()).toEqual({ amount: 515_000 });
      const e = await m.client.registerDomain("andra.se", { years: 1, owner }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).registrarMessage).toBe(
        "Insufficient funds: the order costs 99.00 and the account balance is 51.50",
      );
      expect(m.sandbox.state.get("andra.se")).toBeUndefined();
    } finally {
      await m.close();
    }
    expect(await client.creditAmount()).toBeNull();
    expect(await client.getPricing()).toBeNull();
  });
});

describe("beyond the reference: GetDomainFields", () => {
  it("typed when offered (provisional shape, read strictly); null when the endpoint answers an unknown action", async () => {
    const m = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      expect(await m.client.getDomainFields("eu")).toEqual([
        { name: "citizenship", type: "dropdown", options: ["SE", "FI", "DK", "NO"], required: true },
      ]);
      expect(await m.client.getDomainFields(".SE")).toEqual([
        { name: "orgno", type: "text", options: [], required: false },
      ]);
      expect(await m.client.getDomainFields("com")).toEqual([]);
      // The modules dialect refuses what the definitions refuse.
      const e = await m.client.registerDomain("utan-falt.eu", { years: 1, owner }).catch((x: unknown) => x);
      expect((e as ApiError).registrarMessage).toBe("Missing required domain field: citizenship");
    } finally {
      await m.close();
    }
    const ref = await sandboxAndClient();
    try {
      expect(await ref.client.getDomainFields("eu")).toBeNull();
    } finally {
      await ref.close();
    }
  });

  it("reads the definitions strictly: no fields list or a field without name, type or required is an error", () => {
    expect(readDomainFields({ fields: [{ name: "x", type: "text", options: "a|A, b", required: "1" }] }, "se")).toEqual(
      [{ name: "x", type: "text", options: ["a", "b"], required: true }],
    );
    for (const bad of [
      {},
      { fields: {} },
      { fields: ["x"] },
      { fields: [{ type: "text", required: true }] },
      { fields: [{ name: "x", required: true }] },
      { fields: [{ name: "x", type: "text" }] },
      { fields: [{ name: "x", type: "text", required: "maybe" }] },
      { fields: [{ name: "x", type: "text", required: true, options: 5 }] },
    ])
      expect(() => readDomainFields(bad, "se")).toThrow(/the domain fields of \.se cannot be read/);
    const defs = readDomainFields(
      { fields: [{ name: "c", type: "dropdown", options: "SE,FI", required: true }] },
      "eu",
    );
    expect(domainFieldProblems(defs, {})).toEqual(["domainfields c is required by the registrar and missing"]);
    expect(domainFieldProblems(defs, { c: "XX" })).toEqual(['domainfields c "XX" is not one of SE, FI']);
    expect(domainFieldProblems(defs, { c: "FI", other: "kept" })).toEqual([]);
  });
});

describe("the email auth dialect", () => {
  it("sends the login e-mail as email, never authemail beside it, and leaves a purchase's owner e-mail out", async () => {
    const { recordingProxy } = await import("@regdom/sandbox/testing");
    const m = await sandboxAndClient({ authField: "email" });
    const proxy = await recordingProxy(m.sandbox.url);
    const client = new RegistrarClient({
      endpoint: proxy.url,
      token: TEST_TOKEN,
      authEmail: TEST_EMAIL,
      authField: "email",
      rate: 1000,
    });
    try {
      await client.registerDomain("epost.se", { years: 1, owner });
      expect(await client.getLock("epost.se")).toBe(false);
      // A raw call cannot name the login's field: it would be dropped, not sent.
      await expect(client.call("RegisterDomain", { sld: "x", tld: "se", email: "a@b.se" })).rejects.toThrow(
        /parameter "email" is set by the client itself.*\(--auth-field email\)/,
      );
      const bodies = proxy.sent().map((b) => b.toString("utf8"));
      const forms = bodies.flatMap((b) => b.split("\r\n\r\n").slice(1)).filter((f) => f.includes("action="));
      expect(forms).toHaveLength(2);
      for (const f of forms) {
        const q = new URLSearchParams(f);
        expect(q.getAll("email")).toEqual([TEST_EMAIL]);
        expect(q.has("authemail")).toBe(false);
      }
    } finally {
      await client.close();
      await proxy.close();
      await m.close();
    }
  });
});

describe("secrets", () => {
  it("never shows the token or auth e-mail in inspect, JSON or errors", async () => {
    const text = `${inspect(client, { depth: 5, showHidden: true })} ${JSON.stringify(client)}`;
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain(TEST_EMAIL);
    const bad = new RegistrarClient({ endpoint: sandbox.url, token: `${TEST_TOKEN}x`, authEmail: TEST_EMAIL });
    const e = (await bad.getDns("räksmörgås.se").catch((x: unknown) => x)) as Error;
    await bad.close();
    expect(e).toBeInstanceOf(AuthError);
    expect(`${e.message} ${e.stack} ${JSON.stringify(e)} ${inspect(e)}`).not.toContain(TEST_TOKEN);
    expect(sandbox.requests.some((r) => JSON.stringify(r).includes(TEST_TOKEN))).toBe(false);
  });
  it("refuses http:// to a non-loopback host before connecting", () => {
    expect(
      () => new RegistrarClient({ endpoint: "http://example.com/api.php", token: "t", authEmail: "e@x.se" }),
    ).toThrow(UserError);
    expect(() => new RegistrarClient({ endpoint: "http://10.0.0.1/api.php", token: "t", authEmail: "e@x.se" })).toThrow(
      /clear text/,
    );
  });
  it("requires token and auth e-mail", () => {
    expect(() => new RegistrarClient({ endpoint: sandbox.url, token: "", authEmail: "e@x.se" })).toThrow(
      /no API token/,
    );
  });
});
