import type { DesiredDomain } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { deferredSections } from "./model.js";

describe("deferredSections", () => {
  const desired = {
    name: "flytt.se",
    display: "flytt.se",
    transfer: { years: 1, owner: "acme" },
    nameservers: ["ns1.example.net"],
    lock: false,
    registrant: { name: "Anna" },
    dns: [],
    forwarding: [],
    autorenew: false,
    idprotection: false,
    expiresNotBefore: "2030-01-01",
  } as unknown as DesiredDomain;

  it("names what waits for a pending transfer by manifest key, registry order, expires_not_before last", () => {
    expect(deferredSections({ waitingForTransfer: true, desired })).toEqual([
      "nameservers",
      "lock",
      "registrant",
      "dns",
      "forwarding",
      "autorenew",
      "idprotection",
      "expires_not_before",
    ]);
  });

  it("is empty for a domain that waits for nothing, or manages nothing else", () => {
    expect(deferredSections({ waitingForTransfer: false, desired })).toEqual([]);
    const bare = { name: "flytt.se", display: "flytt.se", transfer: { years: 1, owner: "acme" } } as DesiredDomain;
    expect(deferredSections({ waitingForTransfer: true, desired: bare })).toEqual([]);
  });
});
