import { AppError } from '../errors/app-error.ts';

/**
 * The compact text a QR carries: `<PREFIX>.<payload base64url>.<signature base64url>`, like a
 * JWS without the JSON. The signature covers the ASCII of `<PREFIX>.<payload>`, so a payload
 * cannot be moved under another prefix (a printed pass read as a phone presentation).
 */
export interface SignedText {
  signedPart: Buffer;
  payload: Buffer;
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function joinSignedText(
  prefix: string,
  payload: Buffer,
  sign: (signedPart: Buffer) => Buffer,
): string {
  const signedPart = `${prefix}.${payload.toString('base64url')}`;
  return `${signedPart}.${sign(Buffer.from(signedPart, 'ascii')).toString('base64url')}`;
}

/** Splits without trusting anything; throws PASS_MALFORMED unless the shape is exact. */
export function splitSignedText(prefix: string, text: string): SignedText {
  if (typeof text !== 'string' || text.length > 1024) {
    throw new AppError('PASS_MALFORMED');
  }
  const parts = text.split('.');
  if (parts.length !== 3 || parts[0] !== prefix) {
    throw new AppError('PASS_MALFORMED');
  }
  const [, payloadText = '', signatureText = ''] = parts;
  return {
    signedPart: Buffer.from(`${prefix}.${payloadText}`, 'ascii'),
    payload: strictBase64url(payloadText),
    signature: strictBase64url(signatureText),
  };
}

/** Node's decoder skips junk characters; a pass must decode to exactly what was encoded. */
function strictBase64url(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (!BASE64URL.test(text) || bytes.toString('base64url') !== text) {
    throw new AppError('PASS_MALFORMED');
  }
  return bytes;
}
