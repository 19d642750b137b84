import { createHash, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import { joinSignedText, splitSignedText } from './signed-text.ts';

/**
 * The rotating QR a phone shows: account, device, time and a random nonce, signed by the key
 * the phone registered at activation (ECDSA P-256, IEEE P1363 r||s as WebCrypto produces).
 * A screenshot is useless after 60 s, and the caller stores `presentationHash` in
 * `presentation_replays` so even a fresh one is accepted only once.
 *
 * Payload (binary, 73 bytes): format(1) | account id(32) | device id(16, UUID) | issued-at(uint64 BE, unix ms) | nonce(16)
 */
export const PRESENTATION_PREFIX = 'VR1';
export const PRESENTATION_MAX_AGE_MS = 60_000;
/** Phones' clocks drift; a little future is tolerated, a lot means a forged or broken clock. */
export const PRESENTATION_MAX_FUTURE_MS = 5_000;

export interface Presentation {
  accountId: Buffer;
  deviceId: string;
  issuedAt: Date;
  nonce: Buffer;
}

export interface VerifiedPresentation extends Presentation {
  /** SHA-256 of the payload: the replay key. Not of the signature, which ECDSA lets anyone re-shape. */
  presentationHash: Buffer;
  /** After this, the presentation is refused by age anyway, so its replay row may be deleted. */
  replayGuardUntil: Date;
}

const FORMAT_V1 = 1;
const PAYLOAD_BYTES = 1 + 32 + 16 + 8 + 16;
const P1363_SIGNATURE_BYTES = 64;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the phone app does with WebCrypto; here for tests, tools and the reference. */
export function signPresentation(
  devicePrivateKey: KeyObject,
  presentation: Omit<Presentation, 'nonce'> & { nonce?: Buffer },
): string {
  if (presentation.accountId.length !== 32 || !UUID_PATTERN.test(presentation.deviceId)) {
    throw new Error('Presentation: needs a 32-byte account id and a UUID device id');
  }
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(FORMAT_V1, 0);
  presentation.accountId.copy(payload, 1);
  Buffer.from(presentation.deviceId.replace(/-/g, ''), 'hex').copy(payload, 33);
  payload.writeBigUInt64BE(BigInt(presentation.issuedAt.getTime()), 49);
  (presentation.nonce ?? randomBytes(16)).copy(payload, 57);
  return joinSignedText(PRESENTATION_PREFIX, payload, (signedPart) =>
    sign('sha256', signedPart, { key: devicePrivateKey, dsaEncoding: 'ieee-p1363' }),
  );
}

/** Reads the claims without trusting them, so the caller can look up the device's key. */
export function readPresentation(text: string): Presentation {
  return decode(text).presentation;
}

/** Signature, then age. Replay is the caller's (one insert into `presentation_replays`). */
export function verifyPresentation(
  devicePublicKey: KeyObject,
  text: string,
  now: Date,
): VerifiedPresentation {
  const { presentation, payload, signedPart, signature } = decode(text);
  const signatureValid = verify(
    'sha256',
    signedPart,
    { key: devicePublicKey, dsaEncoding: 'ieee-p1363' },
    signature,
  );
  if (!signatureValid) {
    throw new AppError('PASS_FORGED');
  }
  const ageMs = now.getTime() - presentation.issuedAt.getTime();
  if (ageMs >= PRESENTATION_MAX_AGE_MS || ageMs < -PRESENTATION_MAX_FUTURE_MS) {
    throw new AppError('PRESENTATION_EXPIRED');
  }
  return {
    ...presentation,
    presentationHash: createHash('sha256').update(payload).digest(),
    replayGuardUntil: new Date(presentation.issuedAt.getTime() + PRESENTATION_MAX_AGE_MS),
  };
}

function decode(text: string) {
  const { signedPart, payload, signature } = splitSignedText(PRESENTATION_PREFIX, text);
  if (
    payload.length !== PAYLOAD_BYTES ||
    payload[0] !== FORMAT_V1 ||
    signature.length !== P1363_SIGNATURE_BYTES
  ) {
    throw new AppError('PASS_MALFORMED');
  }
  const presentation: Presentation = {
    accountId: Buffer.from(payload.subarray(1, 33)),
    deviceId: uuidFromBytes(payload.subarray(33, 49)),
    issuedAt: new Date(Number(payload.readBigUInt64BE(49))),
    nonce: Buffer.from(payload.subarray(57, 73)),
  };
  return { presentation, payload, signedPart, signature };
}

function uuidFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
