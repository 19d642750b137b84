import { createECDH, createHash, createPrivateKey, hkdfSync, type KeyObject } from 'node:crypto';
import { staffPasskeys } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import { type Hex, hexToBytes } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { Config } from '../config.ts';
import type { DomainDeps } from '../deps.ts';
import { enrolPasskey } from '../passkeys/enrol-passkey.ts';
import { createRegistrationOptions } from '../passkeys/registration-options.ts';
import { softwareAssertion } from '../passkeys/software-assertion.ts';
import type { StaffAssertion } from '../passkeys/verify-staff-assertion.ts';
import type { WebAuthnAssertion } from '../passkeys/webauthn-auth.ts';
import { withTenant } from '../tenancy/with-tenant.ts';

/**
 * A demo treasury officer's signing key, held by the seed: enrolled through the API's own
 * enrolment (so its account gets the officer's roles on chain from the municipal admin, like
 * anyone's), then signing the funding challenges exactly as a browser would.
 */
export interface DemoSigningKey {
  /** Enrols the key for `officer` unless it is already enrolled. */
  ensureEnrolled(deps: DomainDeps, officer: AccessClaims): Promise<void>;
  /** navigator.credentials.get's answer over `digest`, with the key's credential id. */
  sign(digest: Hex): StaffAssertion;
}

/** One key per demo treasury officer (by username). */
export type DemoTreasuryKeys = (username: string) => DemoSigningKey;

/** Thrown when the demo cannot be funded here: a clear reason, not a stack trace. */
export class DemoSeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoSeedRefusedError';
  }
}

export const DEMO_TREASURY_DEVICE_NAME = 'Demo-nøgle (seed, udviklingsnøgle)';

/**
 * The demo's development keys: a P-256 key per officer derived from the deployment's master
 * key (so a restart signs with the same, already enrolled key, and no two installations share
 * one), enrolled as a development key. Development keys are refused wherever the deployment
 * refuses them (a production database), and so is this: the API then answers
 * PASSKEY_DEVELOPMENT_KEY_REFUSED, and the seed refuses before it gets that far.
 */
export function developmentTreasuryKeys(config: Config): DemoTreasuryKeys {
  const keys = new Map<string, DemoSigningKey>();
  return (username) => {
    let key = keys.get(username);
    if (!key) {
      key = developmentKey(config, username);
      keys.set(username, key);
    }
    return key;
  };
}

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function developmentKey(config: Config, username: string): DemoSigningKey {
  const { privateKey, x, y } = derivedP256Key(config.masterKey, `voucher demo treasury officer\0${username}`);
  const credentialId = createHash('sha256')
    .update('voucher development key\0')
    .update(x)
    .update(y)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
  const origin = config.webauthn.origins[0] ?? config.publicUrl;
  const assert = (challenge: Uint8Array): WebAuthnAssertion =>
    softwareAssertion({ privateKey, rpId: config.webauthn.rpId, origin, challenge });
  return {
    async ensureEnrolled(deps, officer) {
      const [enrolled] = await withTenant(deps, officer, ({ db }) =>
        db
          .select({ id: staffPasskeys.id })
          .from(staffPasskeys)
          .where(and(eq(staffPasskeys.credentialId, credentialId), isNull(staffPasskeys.revokedAt))),
      );
      if (enrolled) return;
      const { options } = await createRegistrationOptions(deps, officer);
      await enrolPasskey(deps, {
        actor: officer,
        deviceName: DEMO_TREASURY_DEVICE_NAME,
        credential: {
          kind: 'development',
          publicKey: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') },
          assertion: assert(Buffer.from(options.challenge, 'base64url')),
        },
      });
    },
    sign(digest) {
      return { ...assert(hexToBytes(digest)), credentialId };
    },
  };
}

/** A P-256 key from 32 bytes of HKDF over the master key (the next counter if out of range). */
function derivedP256Key(masterKey: Buffer, info: string): { privateKey: KeyObject; x: Buffer; y: Buffer } {
  for (let counter = 0; ; counter++) {
    const d = Buffer.from(hkdfSync('sha256', masterKey, 'voucher demo seed', `${info}\0${counter}`, 32));
    const scalar = BigInt(`0x${d.toString('hex')}`);
    if (scalar === 0n || scalar >= P256_N) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    const publicKey = ecdh.getPublicKey();
    const x = publicKey.subarray(1, 33);
    const y = publicKey.subarray(33, 65);
    const privateKey = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: x.toString('base64url'),
        y: y.toString('base64url'),
      },
      format: 'jwk',
    });
    return { privateKey, x: Buffer.from(x), y: Buffer.from(y) };
  }
}
