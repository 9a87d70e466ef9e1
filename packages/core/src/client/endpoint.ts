import { UserError } from "../errors.js";

export const DEFAULT_ENDPOINT = "https://konto.registrera-doman.se/domainsResellerAPI/api.php";

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Plain `http://` would send the token in clear text, so it is allowed only to this machine. */
export function checkEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UserError(`endpoint is not a URL: ${endpoint}`);
  }
  if (url.username || url.password) throw new UserError("endpoint must not carry credentials in the URL");
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === "http:")
    throw new UserError(
      `refusing http:// endpoint ${url.host}: the token would travel in clear text (use https, or a loopback host)`,
    );
  throw new UserError(`endpoint must be https:// (or http:// on loopback), got ${url.protocol}`);
}

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443" };

/**
 * One spelling of an endpoint, for keys kept per endpoint (the account lock, the remembered rate):
 * scheme and host in lower case, every loopback name folded into `localhost`, the port always
 * written, the path without empty segments, no query and no fragment. `127.0.0.1`, `[::1]`,
 * `LOCALHOST` and `localhost//api.php?` are one endpoint.
 */
export function normalizeEndpoint(endpoint: string | URL): string {
  const url = new URL(endpoint);
  const host = isLoopbackHost(url.hostname) ? "localhost" : url.hostname.toLowerCase();
  const port = url.port || DEFAULT_PORTS[url.protocol] || "";
  const path = url.pathname.split("/").filter(Boolean).join("/");
  return `${url.protocol}//${host}${port ? `:${port}` : ""}/${path}`;
}
