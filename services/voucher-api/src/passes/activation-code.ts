import { createHmac, randomInt } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';

/**
 * The one-time code on the activation letter. Typed by hand from paper, so the alphabet has
 * no look-alikes (no 0/O, 1/I/L) and the code is grouped 4-4-2. 31 symbols ^ 10 ≈ 2^49.5
 * possibilities; with attempts limited that is far beyond guessing.
 *
 * Only an HMAC of the code is stored (keyed, because a plain hash of 2^50 values can be
 * brute-forced from a stolen database).
 */
export const ACTIVATION_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ACTIVATION_CODE_LENGTH = 10;
export const ACTIVATION_CODE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const ACTIVATION_CODE_MAX_ATTEMPTS = 5;
/**
 * The first symbols find the code's row even when the rest is mistyped, so a wrong try counts
 * against that code: 31^4 ≈ 920,000 selectors, the remaining 31^6 ≈ 890 million verifiers,
 * and 5 tries per code.
 */
export const ACTIVATION_CODE_SELECTOR_LENGTH = 4;

/** A fresh code in canonical form ("ABCDEFGHJK"); show it with `formatActivationCode`. */
export function generateActivationCode(): string {
  let code = '';
  for (let index = 0; index < ACTIVATION_CODE_LENGTH; index++) {
    // randomInt is uniform (no modulo bias) and uses the CSPRNG.
    code += ACTIVATION_CODE_ALPHABET[randomInt(ACTIVATION_CODE_ALPHABET.length)];
  }
  return code;
}

/** "ABCDEFGHJK" → "ABCD-EFGH-JK", as printed on the letter. */
export function formatActivationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * What the citizen typed → canonical code. Forgives case, spaces and dashes; rejects anything
 * outside the alphabet with ACTIVATION_CODE_INVALID.
 */
export function normaliseActivationCode(input: string): string {
  const code = typeof input === 'string' ? input.toUpperCase().replace(/[\s-]/g, '') : '';
  if (
    code.length !== ACTIVATION_CODE_LENGTH ||
    [...code].some((char) => !ACTIVATION_CODE_ALPHABET.includes(char))
  ) {
    throw new AppError('ACTIVATION_CODE_INVALID');
  }
  return code;
}

/** The stored form (`activation_codes.code_hash`). `key` comes from `deriveIndexKey(master, 'activation-code')`. */
export function hashActivationCode(key: Uint8Array, canonicalCode: string): Buffer {
  return createHmac('sha256', key).update(canonicalCode, 'ascii').digest();
}

/** The stored selector (`activation_codes.selector_hash`), keyed like the code itself. */
export function hashActivationSelector(key: Uint8Array, canonicalCode: string): Buffer {
  return createHmac('sha256', key)
    .update('selector:', 'ascii')
    .update(canonicalCode.slice(0, ACTIVATION_CODE_SELECTOR_LENGTH), 'ascii')
    .digest();
}

export function activationCodeExpiry(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + ACTIVATION_CODE_TTL_MS);
}
