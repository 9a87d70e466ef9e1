/**
 * Everything RegisterDomain and TransferDomain accept, as a PHP server reads it: the admin fields,
 * the numeric flags, and domainfields as base64 PHP `serialize` that `unserialize(base64_decode())`
 * turns back into the array (real PHP; skipped without php unless REQUIRE_PHP=1).
 */
import { describe, expect, it } from "vitest";
import { phpAvailable, phpRequired, runPhp } from "../test-support/php.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { buildQuery } from "../wire/formEncode.js";
import { encodePhpBase64 } from "../wire/phpSerialize.js";

const owner = {
  firstname: "Anna",
  lastname: "Berg",
  company: "Acme AB",
  address1: "Storgatan 1",
  city: "Umeå",
  postcode: "903 25",
  country: "SE",
  phone: "+46.701234567",
  email: "anna@acme.se",
};
const admin = {
  firstname: "Bo",
  lastname: "Admin",
  company: "Ignored AB",
  address1: "Gatan 2",
  city: "Luleå",
  postcode: "971 85",
  country: "SE",
  phone: "+46.702222222",
  email: "bo@acme.se",
};
const domainfields = { "Identification Number": "556677-8899", orgnr: "5566778899", Ägare: "Räksmörgås AB" };

describe("purchases send everything the reference accepts", () => {
  it("admin fields, flags and domainfields reach the registrar, which reads them back", async () => {
    const { sandbox, client, close } = await sandboxAndClient();
    try {
      await client.registerDomain("köp.se", {
        years: 2,
        owner,
        admin,
        domainfields,
        idprotection: true,
        dnsmanagement: false,
        emailforwarding: true,
      });
      const req = sandbox.requests.find((r) => r.action === "registerdomain")!;
      expect(req.params).toMatchObject({
        adminfirstname: "Bo",
        adminlastname: "Admin",
        admincity: "Luleå",
        adminemail: "bo@acme.se",
        adminphonenumber: "+46.702222222",
        idprotection: "1",
        dnsmanagement: "0",
        emailforwarding: "1",
      });
      expect(req.params?.admincompanyname).toBeUndefined();
      // The sandbox decodes domainfields with its own PHP-compatible reader.
      expect(sandbox.state.get("xn--kp-fka.se")!.purchase?.domainfields).toEqual(domainfields);
    } finally {
      await close();
    }
  });

  it.skipIf(!phpAvailable && !phpRequired)("PHP's $_POST and unserialize(base64_decode()) give back the array", () => {
    const body = buildQuery({
      action: "RegisterDomain",
      domainfields: encodePhpBase64(domainfields),
      adminfirstname: "Bo",
    });
    const out = JSON.parse(
      runPhp(
        `parse_str(file_get_contents("php://stdin"), $p); echo json_encode(["admin" => $p["adminfirstname"], "fields" => unserialize(base64_decode($p["domainfields"]))], JSON_UNESCAPED_UNICODE);`,
        body,
      ),
    );
    expect(out).toEqual({ admin: "Bo", fields: domainfields });
  });
});
