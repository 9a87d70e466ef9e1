/**
 * The yaml package, loaded on first use: its many CommonJS files are about a tenth of a second of
 * start-up that commands reading only CSV manifests (or none) never need. It is CommonJS, so a
 * synchronous require serves the synchronous reader and writer.
 */
import { createRequire } from "node:module";
import type * as Yaml from "yaml";

const require = createRequire(import.meta.url);
let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  return (lib ??= require("yaml") as typeof Yaml);
}

type FastYaml = typeof import("js-yaml");
let fast: FastYaml | undefined;

/**
 * js-yaml, loaded on first use: some ten times faster than the yaml package and light on memory,
 * but it keeps no positions. Large manifests are read with it first (see yamlRead.ts).
 */
export function fastYaml(): FastYaml {
  return (fast ??= require("js-yaml") as FastYaml);
}
