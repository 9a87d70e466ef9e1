/**
 * The domains an export has read, kept on disk rather than in memory: one JSON line each, in the
 * order they came, read back one at a time in the order they are written (by ACE name). The file
 * is removed as soon as it is opened, so it never outlives the process, even a killed one; it is
 * mode 0600, as it may hold EPP codes.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addToLayout,
  compareDomains,
  type DesiredDomain,
  emptyManifest,
  type Manifest,
  sortedDomain,
  type TableLayout,
} from "@regdom/manifest";

export class DomainSpool {
  readonly #fd: number;
  #end = 0;
  /** Where each domain's line is: its name (to sort by), offset and length. */
  readonly #index: { name: string; at: number; length: number }[] = [];
  /** The optional table columns some domain needs (see tableLayout), found as domains come. */
  readonly layout: TableLayout = { withInfo: false, withEpp: false };

  constructor(dir = tmpdir()) {
    const folder = mkdtempSync(join(dir, "regdom-export-"));
    try {
      const file = join(folder, "domains.jsonl");
      this.#fd = openSync(file, "wx+", 0o600);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  get size(): number {
    return this.#index.length;
  }

  add(d: DesiredDomain): void {
    const line = Buffer.from(`${JSON.stringify(d)}\n`);
    for (let done = 0; done < line.length; )
      done += writeSync(this.#fd, line, done, line.length - done, this.#end + done);
    this.#index.push({ name: d.name, at: this.#end, length: line.length });
    this.#end += line.length;
    addToLayout(this.layout, d);
  }

  /** Every domain, in written order, with its records sorted (see sortedDomains). */
  *domains(): Generator<DesiredDomain> {
    const order = [...this.#index].sort(compareDomains);
    for (const e of order) {
      const buf = Buffer.allocUnsafe(e.length);
      for (let done = 0; done < e.length; ) {
        const n = readSync(this.#fd, buf, done, e.length - done, e.at + done);
        if (n === 0) throw new Error(`export spool ended early at ${e.at + done}`);
        done += n;
      }
      yield sortedDomain(JSON.parse(buf.toString("utf8")) as DesiredDomain);
    }
  }

  /** The whole portfolio in memory, for what needs it at once (a workbook, the HTML report). */
  manifest(): Manifest {
    const m = emptyManifest();
    for (const d of this.domains()) m.domains.set(d.name, d);
    return m;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
