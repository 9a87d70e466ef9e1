#!/usr/bin/env node
// Bundles a CLI's bin (run from the app's folder after tsc): dist/bin.js becomes one file with the
// code every command needs at start, and dist/chunks/ holds what each command (and each manifest
// format, and the HTTP stack) loads when it runs. Node then reads a handful of files at start-up
// instead of some two hundred. tsc's own dist/bin.js works the same way, only slower to start.
import { rmSync } from "node:fs";
import { build } from "esbuild";

/**
 * commander loads node:child_process (and with it net and dgram) at start, for subcommands that are
 * separate executables, which these CLIs do not have: it gets the module when it first uses it.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes("/commander/") ? { path: "child_process", namespace: "lazy" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy" }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });',
      loader: "js",
    }));
  },
};

rmSync("dist/chunks", { recursive: true, force: true });
await build({
  entryPoints: { bin: "src/bin.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // CommonJS libraries inside an ES module bundle still call require for Node's own modules. Every
  // file gets these lines; a file makes its require once, when first called (each costs a millisecond).
  banner: {
    js: 'import { createRequire as __cr } from "node:module";\nlet __rq;\nconst require = (id) => (__rq ??= __cr(import.meta.url))(id);',
  },
  plugins: [lazyChildProcess],
  logLevel: "warning",
});
