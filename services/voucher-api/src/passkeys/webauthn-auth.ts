import { createHash } from 'node:crypto';
import { bytesToHex, encodeAbiParameters, type Hex, hexToBytes, isHex } from 'viem';
import { AppError } from '../errors/app-error.ts';

/**
 * A WebAuthn assertion as the browser returns it (navigator.credentials.get, or
 * @simplewebauthn/browser's startAuthentication `response`): base64url strings.
 */
export interface WebAuthnAssertion {
  authenticatorData: string;
  clientDataJSON: string;
  /** The ECDSA signature, ASN.1 DER (WebAuthn's format for ES256). */
  signature: string;
}

/**
 * OpenZeppelin 5.7's `WebAuthn.WebAuthnAuth` (contracts/utils/cryptography/WebAuthn.sol), field
 * for field, in viem's types: what the contract verifies against the officer's P-256 key.
 */
export interface WebAuthnAuth {
  r: Hex;
  /** Always the low half (s ≤ n/2): OpenZeppelin's P256 refuses the other, equally valid, one. */
  s: Hex;
  /** Where `"challenge":"` starts in clientDataJSON (bytes; the JSON is ASCII). */
  challengeIndex: bigint;
  /** Where `"type":"webauthn.get"` starts in clientDataJSON. */
  typeIndex: bigint;
  authenticatorData: Hex;
  clientDataJSON: string;
}

export interface AssertionExpectations {
  /** What the contract will pass to WebAuthn.verify as the challenge: a 32-byte digest. */
  challenge: Hex | Uint8Array;
  /** Origins the ceremony may have run on (config.webauthn.origins), or a test of one. */
  origins: readonly string[] | ((origin: string) => boolean);
  /** When given, authenticatorData must be for this relying party (sha256 of it). */
  rpId?: string;
  /** The contract's WebAuthn.verify requires UV unless told otherwise; so do we by default. */
  requireUserVerification?: boolean;
}

/** Why an assertion was refused; a code for the error's details, never the assertion's content. */
export type AssertionProblem =
  | 'encoding'
  | 'client-data'
  | 'type'
  | 'challenge'
  | 'origin'
  | 'cross-origin'
  | 'authenticator-data'
  | 'rp-id'
  | 'user-presence'
  | 'user-verification'
  | 'backup-flags'
  | 'signature-encoding'
  | 'signature'
  | 'counter';

/** The order of P-256's base point, and the half of it below which s must lie on chain. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_N = P256_N >> 1n;

const TYPE_FIELD = '"type":"webauthn.get"';
const CHALLENGE_FIELD = '"challenge":"';
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The ABI of `WebAuthnAuth` as a tuple, for encodeAbiParameters and for contract ABIs. */
export const WEBAUTHN_AUTH_ABI_PARAMETER = {
  type: 'tuple',
  name: 'auth',
  components: [
    { name: 'r', type: 'bytes32' },
    { name: 's', type: 'bytes32' },
    { name: 'challengeIndex', type: 'uint256' },
    { name: 'typeIndex', type: 'uint256' },
    { name: 'authenticatorData', type: 'bytes' },
    { name: 'clientDataJSON', type: 'string' },
  ],
} as const;

/**
 * Checks a browser's assertion the way the contract will (type, challenge, UP/UV and backup
 * flags) plus what the contract leaves to the relying party (origin, rpIdHash), and turns it
 * into the contract's struct with s normalised to low-s. The signature itself is not checked
 * here: see verifyWebAuthnAuth. Throws PASSKEY_ASSERTION_INVALID with the problem's name.
 */
export function toWebAuthnAuth(assertion: WebAuthnAssertion, expected: AssertionExpectations): WebAuthnAuth {
  const authenticatorData = decodeBase64url(assertion.authenticatorData);
  const clientDataBytes = decodeBase64url(assertion.clientDataJSON);
  const der = decodeBase64url(assertion.signature);
  const clientDataJSON = clientDataBytes.toString('utf8');
  // Indices are byte offsets on chain; non-ASCII would make characters and bytes differ.
  if (!/^[\x20-\x7e]*$/.test(clientDataJSON)) refuseAssertion('client-data');
  const clientData = parseClientData(clientDataJSON);
  const challenge = toBytes(expected.challenge);
  if (clientData.type !== 'webauthn.get') refuseAssertion('type');
  if (clientData.challenge !== challenge.toString('base64url')) refuseAssertion('challenge');
  if (typeof clientData.origin !== 'string' || !originMatches(expected.origins, clientData.origin))
    refuseAssertion('origin');
  // An assertion made inside another site's frame is not the officer acting in the console.
  if (clientData.crossOrigin === true) refuseAssertion('cross-origin');
  const typeIndex = clientDataJSON.indexOf(TYPE_FIELD);
  const challengeField = `${CHALLENGE_FIELD}${clientData.challenge}"`;
  const challengeIndex = clientDataJSON.indexOf(CHALLENGE_FIELD);
  if (typeIndex < 0) refuseAssertion('type');
  // The first "challenge" key must be the real one, or the contract would read another.
  if (clientDataJSON.slice(challengeIndex, challengeIndex + challengeField.length) !== challengeField) {
    refuseAssertion('challenge');
  }
  checkAuthenticatorData(authenticatorData, expected);
  const { r, s } = parseDerSignature(der);
  return {
    r: toBytes32(r),
    s: toBytes32(lowS(s)),
    challengeIndex: BigInt(challengeIndex),
    typeIndex: BigInt(typeIndex),
    authenticatorData: bytesToHex(authenticatorData),
    clientDataJSON,
  };
}

/** The struct ABI-encoded as one `WebAuthnAuth` argument (what a contract decodes with abi.decode). */
export function abiEncodeWebAuthnAuth(auth: WebAuthnAuth): Hex {
  // The fields as one flat tuple, without the leading offset word abi.encode(struct) would
  // write: OpenZeppelin's WebAuthn.tryDecodeAuth (in the on-chain verifier) reads it so.
  return encodeAbiParameters(WEBAUTHN_AUTH_ABI_PARAMETER.components, [
    auth.r,
    auth.s,
    auth.challengeIndex,
    auth.typeIndex,
    auth.authenticatorData,
    auth.clientDataJSON,
  ]);
}

/** s or n − s, whichever is in the lower half: the same signature, in the form P256.sol takes. */
export function lowS(s: bigint): bigint {
  return s > P256_HALF_N ? P256_N - s : s;
}

/**
 * The message an authenticator signs: authenticatorData ‖ sha256(clientDataJSON). ECDSA-P256
 * with SHA-256 over it is what WebAuthn.verify checks (it hashes this once more itself).
 */
export function signedMessage(auth: Pick<WebAuthnAuth, 'authenticatorData' | 'clientDataJSON'>): Buffer {
  const clientDataHash = createHash('sha256').update(auth.clientDataJSON, 'utf8').digest();
  return Buffer.concat([hexToBytes(auth.authenticatorData), clientDataHash]);
}

/**
 * ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, strictly DER: one short-form length
 * (the whole thing is at most 72 bytes), minimal positive integers, nothing after. Anything
 * looser is refused rather than guessed at, since the contract receives r and s as read here.
 */
export function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint } {
  if (der.length < 8 || der.length > 72 || der[0] !== 0x30 || der[1] !== der.length - 2) {
    refuseAssertion('signature-encoding');
  }
  const r = readDerInteger(der, 2);
  const s = readDerInteger(der, r.next);
  if (s.next !== der.length) refuseAssertion('signature-encoding');
  if (r.value <= 0n || r.value >= P256_N || s.value <= 0n || s.value >= P256_N)
    refuseAssertion('signature-encoding');
  return { r: r.value, s: s.value };
}

function readDerInteger(der: Uint8Array, at: number): { value: bigint; next: number } {
  const length = der[at + 1] ?? 0;
  const start = at + 2;
  const end = start + length;
  if (der[at] !== 0x02 || length < 1 || length > 33 || end > der.length)
    refuseAssertion('signature-encoding');
  const first = der[start] ?? 0;
  // Negative, or a leading zero byte that was not needed to keep the number positive.
  if (first & 0x80 || (first === 0 && length > 1 && ((der[start + 1] ?? 0) & 0x80) === 0)) {
    refuseAssertion('signature-encoding');
  }
  return { value: BigInt(bytesToHex(der.subarray(start, end))), next: end };
}

function checkAuthenticatorData(data: Buffer, expected: AssertionExpectations): void {
  // rpIdHash (32) ‖ flags (1) ‖ signCount (4), then optional extensions.
  if (data.length < 37) refuseAssertion('authenticator-data');
  if (expected.rpId !== undefined) {
    const rpIdHash = createHash('sha256').update(expected.rpId, 'utf8').digest();
    if (!rpIdHash.equals(data.subarray(0, 32))) refuseAssertion('rp-id');
  }
  const flags = data[32] ?? 0;
  if ((flags & FLAG_UP) === 0) refuseAssertion('user-presence');
  if ((expected.requireUserVerification ?? true) && (flags & FLAG_UV) === 0)
    refuseAssertion('user-verification');
  if ((flags & FLAG_BS) !== 0 && (flags & FLAG_BE) === 0) refuseAssertion('backup-flags');
}

function originMatches(allowed: AssertionExpectations['origins'], origin: string): boolean {
  return typeof allowed === 'function' ? allowed(origin) : allowed.includes(origin);
}

interface ClientData {
  type?: unknown;
  challenge?: unknown;
  origin?: unknown;
  crossOrigin?: unknown;
}

function parseClientData(json: string): ClientData {
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ClientData;
  } catch {
    // refused below
  }
  return refuseAssertion('client-data');
}

function decodeBase64url(text: string): Buffer {
  if (typeof text !== 'string' || !BASE64URL.test(text)) refuseAssertion('encoding');
  return Buffer.from(text, 'base64url');
}

function toBytes(value: Hex | Uint8Array): Buffer {
  if (typeof value === 'string') {
    if (!isHex(value) || value.length !== 66) throw new TypeError('challenge must be 32 bytes of hex');
    return Buffer.from(hexToBytes(value));
  }
  if (value.length !== 32) throw new TypeError('challenge must be 32 bytes');
  return Buffer.from(value);
}

function toBytes32(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, '0')}`;
}

/** Throws the one error an unusable assertion gets, naming what was wrong (never its content). */
export function refuseAssertion(problem: AssertionProblem): never {
  throw new AppError('PASSKEY_ASSERTION_INVALID', { problem });
}
