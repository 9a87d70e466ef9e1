import { describe, expect, it } from "vitest";
import { normalizeEndpoint } from "./endpoint.js";
import { accountKeyOf } from "./registrarClient.js";

describe("normalizeEndpoint: one account, one spelling", () => {
  it("folds the spellings of one endpoint together", () => {
    const one = "http://localhost:8080/domainsResellerAPI/api.php";
    for (const s of [
      "http://127.0.0.1:8080/domainsResellerAPI/api.php",
      "http://localhost:8080/domainsResellerAPI/api.php?",
      "http://LocalHost:8080//domainsResellerAPI//api.php",
      "HTTP://[::1]:8080/domainsResellerAPI/api.php#frag",
      "http://127.0.0.1:8080/domainsResellerAPI/api.php?x=1",
    ])
      expect(normalizeEndpoint(s), s).toBe(one);
  });
  it("makes the default port explicit and keeps what names another endpoint apart", () => {
    expect(normalizeEndpoint("https://Konto.Registrera-Doman.se/domainsResellerAPI/api.php")).toBe(
      "https://konto.registrera-doman.se:443/domainsResellerAPI/api.php",
    );
    expect(normalizeEndpoint("https://konto.registrera-doman.se:443/domainsResellerAPI/api.php")).toBe(
      normalizeEndpoint("https://konto.registrera-doman.se/domainsResellerAPI/api.php"),
    );
    expect(normalizeEndpoint("http://localhost/api.php")).toBe("http://localhost:80/api.php");
    expect(normalizeEndpoint("http://localhost:8081/api.php")).not.toBe(
      normalizeEndpoint("http://localhost:8080/api.php"),
    );
    expect(normalizeEndpoint("https://a.se/x/api.php")).not.toBe(normalizeEndpoint("https://a.se/api.php"));
    expect(normalizeEndpoint("https://a.se/api.php")).not.toBe(normalizeEndpoint("http://localhost:443/api.php"));
  });
  it("keys an account by the normalised endpoint and the e-mail in any case", () => {
    const key = accountKeyOf("http://127.0.0.1:9/api.php", "ops@example.se");
    expect(accountKeyOf("http://localhost:9//api.php?", "OPS@example.se")).toBe(key);
    expect(accountKeyOf("http://localhost:9/api.php", "other@example.se")).not.toBe(key);
  });
});
