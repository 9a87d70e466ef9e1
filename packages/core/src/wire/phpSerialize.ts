/**
 * PHP `serialize` payloads as the API carries them: `base64(serialize(array))` for `dnsrecords`,
 * `prefix`/`forwardto` and `domainfields`. php-serialize counts string lengths in UTF-8 bytes, as
 * PHP does; objects (`O:`/`C:`) are refused because no class scope is ever given.
 */
import { serialize, unserialize } from "php-serialize";

export type PhpValue = string | number | boolean | null | PhpValue[] | { [k: string]: PhpValue };

export class PhpSerializeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PhpSerializeError";
  }
}

/** php-serialize writes any object whose prototype is not Object's as a PHP class instance. */
function plain(value: PhpValue): PhpValue {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const out: { [k: string]: PhpValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

export function phpSerialize(value: PhpValue): string {
  return serialize(plain(value));
}

export function phpUnserialize(text: string): PhpValue {
  try {
    return unserialize(text, {}, { strict: true }) as PhpValue;
  } catch (e) {
    throw new PhpSerializeError(`not a PHP serialized value: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function encodePhpBase64(value: PhpValue): string {
  return Buffer.from(phpSerialize(value), "utf8").toString("base64");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodePhpBase64(b64: string): PhpValue {
  const clean = b64.replace(/\s+/g, "");
  if (!BASE64.test(clean) || clean.length % 4 === 1) throw new PhpSerializeError("not valid base64");
  return phpUnserialize(Buffer.from(clean, "base64").toString("utf8"));
}
