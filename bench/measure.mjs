// Runs a CLI bin in this process and, at exit, writes its CPU time and peak memory to the file
// named by REGDOM_BENCH_OUT: the CLI's own cost, apart from the sandbox that serves it.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bin, ...args] = process.argv.slice(2);
const out = process.env.REGDOM_BENCH_OUT;
const t0 = performance.now();
process.argv = [process.argv[0], bin, ...args];
process.on("exit", (code) => {
  const cpu = process.cpuUsage();
  const ru = process.resourceUsage();
  if (out)
    writeFileSync(
      out,
      JSON.stringify({
        code,
        wallMs: performance.now() - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxRssMb: ru.maxRSS / 1024,
      }),
    );
});
await import(pathToFileURL(bin).href);
