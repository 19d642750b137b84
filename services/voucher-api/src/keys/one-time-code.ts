import { createHmac, randomInt } from 'node:crypto';

// No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed from paper survives.
const ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/** A random code like "K7QD-3MXA-RT" (10 symbols, about 46 bits), grouped for reading. */
export function generateOneTimeCode(length = 10): string {
  let code = '';
  for (let index = 0; index < length; index++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

/** Uppercase, dashes and spaces dropped: "k7qd 3mxa-rt" is the same code. */
export function normalizeOneTimeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * What is stored instead of the code: a keyed hash, so neither a database dump nor a
 * brute force over the small code space without the master key yields a working code.
 */
export function hashOneTimeCode(masterKey: Buffer, purpose: string, code: string): Buffer {
  return createHmac('sha256', masterKey)
    .update(`${purpose}:${normalizeOneTimeCode(code)}`)
    .digest();
}
