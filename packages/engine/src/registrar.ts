/**
 * What the engine needs of a registrar. RegistrarClient (over HTTP) implements it; a test may
 * pass an in-memory one, so planning can be tested without a server.
 */
import type { RegistrarClient } from "@regdom/core";

export type Registrar = Pick<
  RegistrarClient,
  | "endpoint"
  | "fatal"
  | "call"
  | "sync"
  | "transferSync"
  | "getNameservers"
  | "saveNameservers"
  | "registerNameserver"
  | "modifyNameserver"
  | "deleteNameserver"
  | "getLock"
  | "setLock"
  | "setAutoRenew"
  | "setIdProtection"
  | "getContacts"
  | "getContactDetails"
  | "saveContacts"
  | "saveContactDetails"
  | "getDns"
  | "saveDns"
  | "getEmailForwarding"
  | "saveEmailForwarding"
  | "getEppCode"
  | "registerDomain"
  | "transferDomain"
  | "renewDomain"
  | "requestDelete"
  | "creditAmount"
  | "getPricing"
  | "getDomainFields"
>;
