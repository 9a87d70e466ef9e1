/**
 * The two YAML libraries. The yaml package is loaded with the YAML reader; js-yaml, which only
 * large manifests use, only when one comes (its code is a fifth of what a one-domain `validate`
 * would otherwise load at start).
 */
import { createRequire } from "node:module";
import * as lib from "yaml";

/** The yaml package: every node keeps its position, at the cost of a heavy tree. */
export function yamlLib(): typeof lib {
  return lib;
}

type FastYaml = typeof import("js-yaml");
let fast: FastYaml | undefined;

/** Loads js-yaml ahead of reading a large manifest (how the bundled bins get it; see fastYaml). */
export async function loadFastYaml(): Promise<void> {
  fast ??= await import("js-yaml");
}

/**
 * js-yaml: some ten times faster than the yaml package and light on memory, but it keeps no
 * positions. Large manifests are read with it first (see yamlRead.ts). Loaded on first use where
 * Node can find it; in a bundle only after loadFastYaml, and undefined before (the reader then
 * reads with the yaml package, only slower).
 */
export function fastYaml(): FastYaml | undefined {
  try {
    fast ??= createRequire(import.meta.url)("js-yaml") as FastYaml;
  } catch {
    /* a bundled bin: see loadFastYaml */
  }
  return fast;
}
