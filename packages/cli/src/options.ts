/**
 * Options are declared as data: flags, help, default, and a parser that turns the raw value into
 * a typed one (or throws a UserError naming the flag). A command's handler receives the parsed
 * options typed from the declarations: no `opts() as`, and validation stays apart from the handler.
 */
import { UserError } from "@regdom/core/errors";

export interface OptionDecl<T> {
  /** commander's flag syntax, e.g. "--rate <n>" or "--yes". */
  flags: string;
  description: string;
  /** Shown in help and used when the flag is absent. */
  defaultValue?: string;
  parse(raw: string | boolean | undefined, flag: string): T;
}

export type OptionDecls = Record<string, OptionDecl<unknown>>;
export type OptionsOf<D extends OptionDecls> = { [K in keyof D]: ReturnType<D[K]["parse"]> };

/** A switch: true when given. */
export function flag(flags: string, description: string): OptionDecl<boolean> {
  return { flags, description, parse: (raw) => raw === true };
}

/** A text value, undefined when absent (unless it has a default). */
export function text(flags: string, description: string): OptionDecl<string | undefined>;
export function text(flags: string, description: string, defaultValue: string): OptionDecl<string>;
export function text(flags: string, description: string, defaultValue?: string): OptionDecl<string | undefined> {
  return {
    flags,
    description,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    parse: (raw) => (typeof raw === "string" ? raw : defaultValue),
  };
}

/** One of a fixed set of words. */
export function choice<const C extends string>(
  flags: string,
  description: string,
  values: readonly C[],
  defaultValue: C,
): OptionDecl<C> {
  return {
    flags,
    description: `${description} (${values.join(", ")})`,
    defaultValue,
    parse(raw, name) {
      const v = typeof raw === "string" ? raw : defaultValue;
      if (!(values as readonly string[]).includes(v))
        throw new UserError(`${name} must be ${values.join(", ")}, got "${v}"`);
      return v as C;
    },
  };
}

/** A number within bounds. */
export function number(
  flags: string,
  description: string,
  o: { defaultValue?: string; min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): OptionDecl<number | undefined> {
  return {
    flags,
    description,
    ...(o.defaultValue !== undefined ? { defaultValue: o.defaultValue } : {}),
    parse(raw, name) {
      const s = typeof raw === "string" ? raw : o.defaultValue;
      if (s === undefined) return undefined;
      const n = Number(s);
      const bad =
        s.trim() === "" ||
        !Number.isFinite(n) ||
        (o.integer && !Number.isInteger(n)) ||
        (o.positive && n <= 0) ||
        (o.min !== undefined && n < o.min) ||
        (o.max !== undefined && n > o.max);
      if (bad) {
        const range =
          o.min !== undefined && o.max !== undefined ? `from ${o.min} to ${o.max}` : o.positive ? "above 0" : "";
        throw new UserError(
          `${name} must be a ${o.integer ? "whole " : ""}number ${range}, got "${s}"`.replace("  ", " "),
        );
      }
      return n;
    },
  };
}

/** A number that always has a value (its default). */
export function numberWithDefault(
  flags: string,
  description: string,
  defaultValue: string,
  o: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {},
): OptionDecl<number> {
  const d = number(flags, description, { ...o, defaultValue });
  return { ...d, parse: (raw, name) => d.parse(raw, name) as number };
}
