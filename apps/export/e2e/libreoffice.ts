/**
 * LibreOffice Calc, headless, as the real spreadsheet program the XLSX and CSV tests go through.
 * Without `soffice` the tests skip, unless REQUIRE_LIBREOFFICE=1 (CI), where a missing program is
 * a failure. Each conversion runs with a profile folder of its own, so runs never share state.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const CANDIDATES = [
  process.env.SOFFICE_PATH,
  "/usr/bin/soffice",
  "/usr/bin/libreoffice",
  "/usr/lib/libreoffice/program/soffice",
].filter((p): p is string => Boolean(p));
const sofficePath = CANDIDATES.find((p) => existsSync(p));
const officeRequired = process.env.REQUIRE_LIBREOFFICE === "1";
/** Run the LibreOffice tests: when it is installed, or when CI requires it (then a missing one fails). */
export const officeTests = Boolean(sofficePath) || officeRequired;

export interface ConvertOptions {
  /** `--convert-to` target, with filter and options: `xlsx`, `csv:Text - txt - csv (StarCalc):59,34,1,1`. */
  to: string;
  /** `--infilter` for the inputs, e.g. how to read a CSV: `CSV:44,34,76,1`. */
  infilter?: string;
}

/**
 * Opens each file in LibreOffice and saves it in `outDir` as `to` says: what a user does with
 * File → Open and File → Save As. Returns the paths written, one per input.
 */
export async function convert(inputs: string[], outDir: string, o: ConvertOptions): Promise<string[]> {
  if (!sofficePath)
    throw new Error("LibreOffice is not installed (apt-get install libreoffice-calc-nogui), and REQUIRE_LIBREOFFICE=1");
  const profile = await mkdtemp(join(tmpdir(), "regdom-lo-profile-"));
  const args = [
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    "--headless",
    "--norestore",
    ...(o.infilter ? [`--infilter=${o.infilter}`] : []),
    "--convert-to",
    o.to,
    "--outdir",
    outDir,
    ...inputs,
  ];
  const out = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(sofficePath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (b: Buffer) => {
      text += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      text += b.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, text }));
  });
  const ext = o.to.split(":")[0]!;
  const written = inputs.map((i) => join(outDir, `${basename(i).replace(/\.[^.]+$/, "")}.${ext}`));
  const present = new Set(await readdir(outDir));
  const missing = written.filter((w) => !present.has(basename(w)));
  if (out.code !== 0 || missing.length > 0)
    throw new Error(`soffice exited ${out.code}; missing ${missing.join(", ") || "nothing"}:\n${out.text}`);
  return written;
}
