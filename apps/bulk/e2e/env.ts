import type { Sandbox } from "@regdom/sandbox";
import { E2E_EMAIL, E2E_TOKEN, e2eKit } from "@regdom/sandbox/testing";

export const TOKEN = E2E_TOKEN;
export const EMAIL = E2E_EMAIL;
export const FIXTURES = new URL("../../../test-fixtures/", import.meta.url).pathname;
export const { BULK, sandbox, tempDir, bulk, exporter } = e2eKit(import.meta.url);

const WRITE_ACTIONS = new Set([
  "registerdomain",
  "transferdomain",
  "renewdomain",
  "savenameservers",
  "releasedomain",
  "requestdelete",
  "savecontactdetails",
  "domainupdatelockingstatus",
  "savedns",
  "registernameserver",
  "modifynameserver",
  "deletenameserver",
  "saveemailforwarding",
  "setautorenew",
  "idprotecttoggle",
]);

export const writesIn = (sb: Sandbox) => sb.requests.filter((r) => WRITE_ACTIONS.has(r.action));
