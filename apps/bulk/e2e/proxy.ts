/** Hostile answers for e2e tests: a registrar, or a proxy before it, that answers as it likes. */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export type Answerer = (
  form: URLSearchParams,
  body: string,
) => { status: number; type: string; text: string } | undefined;

/** A proxy before the sandbox that answers some requests itself (hostile answers), and passes the rest on. */
export async function answeringProxy(
  target: string,
  answer: Answerer,
): Promise<{ url: string; close: () => Promise<void> }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const own = answer(new URLSearchParams(body), body);
      if (own) {
        res.writeHead(own.status, { "content-type": own.type });
        res.end(own.text);
        return;
      }
      const up = request(
        { host: to.hostname, port: to.port, path: to.pathname, method: "POST", headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${to.pathname}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
