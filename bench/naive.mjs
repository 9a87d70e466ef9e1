// The baseline: the same plan reads written the way a hand-written script does them, one request
// at a time and a new connection for each (no keep-alive), parsing JSON the plain way.
import http from "node:http";

function post(url, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", connection: "close" },
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (data += c));
        res.on("end", () => resolve(JSON.parse(data)));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** reads: [domain, action][] */
export async function naivePlan(url, token, email, reads) {
  let calls = 0;
  for (const [domain, action] of reads) {
    const dot = domain.indexOf(".");
    const body = new URLSearchParams({
      token,
      authemail: email,
      action,
      sld: domain.slice(0, dot),
      tld: domain.slice(dot + 1),
    }).toString();
    const answer = await post(url, body);
    if (answer.result !== "success") throw new Error(`${action} ${domain}: ${answer.msg}`);
    calls++;
  }
  return calls;
}
