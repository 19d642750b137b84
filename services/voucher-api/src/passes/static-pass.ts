import { type KeyObject, sign, verify } from 'node:crypto';
import { AppError } from '../errors/app-error.ts';
import { joinSignedText, splitSignedText } from './signed-text.ts';

/**
 * The printed pass (card or letter): a QR with the pseudonymous account, a serial and the
 * service's Ed25519 signature. Nothing personal is in it. It never expires by itself; a lost
 * card is stopped by revoking its serial, which the caller checks against the database.
 *
 * Payload (binary, 49 bytes): format(1) | account id(32) | serial(uint64 BE) | issued-at(uint64 BE, unix s)
 */
export const STATIC_PASS_PREFIX = 'VP1';

export interface StaticPass {
  accountId: Buffer;
  serial: bigint;
  issuedAt: Date;
}

const FORMAT_V1 = 1;
const PAYLOAD_BYTES = 1 + 32 + 8 + 8;

export function signStaticPass(privateKey: KeyObject, pass: StaticPass): string {
  if (pass.accountId.length !== 32 || pass.serial < 1n) {
    throw new Error('Static pass: needs a 32-byte account id and a positive serial');
  }
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(FORMAT_V1, 0);
  pass.accountId.copy(payload, 1);
  payload.writeBigUInt64BE(pass.serial, 33);
  payload.writeBigUInt64BE(BigInt(Math.floor(pass.issuedAt.getTime() / 1000)), 41);
  return joinSignedText(STATIC_PASS_PREFIX, payload, (signedPart) => sign(null, signedPart, privateKey));
}

/**
 * Checks the signature against any of the given public keys (current and still-valid old
 * ones) and returns the pass. Does NOT check revocation: that needs the database.
 */
export function verifyStaticPass(publicKeys: KeyObject | readonly KeyObject[], text: string): StaticPass {
  const { signedPart, payload, signature } = splitSignedText(STATIC_PASS_PREFIX, text);
  if (payload.length !== PAYLOAD_BYTES || payload[0] !== FORMAT_V1 || signature.length !== 64) {
    throw new AppError('PASS_MALFORMED');
  }
  const keys = Array.isArray(publicKeys) ? publicKeys : [publicKeys as KeyObject];
  if (!keys.some((publicKey) => verify(null, signedPart, publicKey, signature))) {
    throw new AppError('PASS_FORGED');
  }
  return {
    accountId: Buffer.from(payload.subarray(1, 33)),
    serial: payload.readBigUInt64BE(33),
    issuedAt: new Date(Number(payload.readBigUInt64BE(41)) * 1000),
  };
}
