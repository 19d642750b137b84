import { type StaffPasskey, staffPasskeys } from '@voucher/db';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { getAddress, type Hex, hexToBytes } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { originAllowed } from './origins.ts';
import { verifyWebAuthnAuth } from './p256-key.ts';
import {
  abiEncodeWebAuthnAuth,
  refuseAssertion,
  toWebAuthnAuth,
  type WebAuthnAssertion,
  type WebAuthnAuth,
} from './webauthn-auth.ts';

/** What the console's signChallenge returns: the assertion plus which of the person's keys made it. */
export interface StaffAssertion extends WebAuthnAssertion {
  credentialId: string;
}

export interface VerifiedStaffAssertion {
  passkeyId: string;
  /** The signer's address on chain: the account the contract checks the officer's role for. */
  address: Hex;
  /** The P-256 key, as the contract's WebAuthn.verify takes it. */
  qx: Hex;
  qy: Hex;
  auth: WebAuthnAuth;
  /** `auth` ABI-encoded as one WebAuthnAuth argument. */
  encoded: Hex;
}

const CREDENTIAL_ID = /^[A-Za-z0-9_-]{16,1364}$/;

/**
 * Checks, before anything is relayed, that the signed-in staff member signed `digest` (the
 * 32 bytes the contract will verify) with one of their own, unrevoked keys: the assertion's
 * form as the contract reads it, its origin and relying party, and the P-256 signature. Marks
 * the key used and keeps its counter; a counter that went backwards (a cloned authenticator,
 * or a replayed assertion) is refused. Returns what goes on chain.
 */
export async function verifyStaffAssertion(
  deps: DomainDeps,
  params: { actor: AccessClaims; digest: Hex; assertion: StaffAssertion },
): Promise<VerifiedStaffAssertion> {
  const { actor, digest, assertion } = params;
  if (!CREDENTIAL_ID.test(assertion.credentialId)) throw new AppError('PASSKEY_NOT_ENROLLED');
  const { webauthn } = deps.config;
  return withTenant(deps, actor, async ({ db }) => {
    const [passkey] = await db
      .select()
      .from(staffPasskeys)
      .where(
        and(
          eq(staffPasskeys.credentialId, assertion.credentialId),
          eq(staffPasskeys.staffUserId, actor.sub),
          isNull(staffPasskeys.revokedAt),
        ),
      );
    if (!passkey) throw new AppError('PASSKEY_NOT_ENROLLED');
    // A development key enrolled in a demo stays unusable if the database is later served in
    // production mode.
    if (passkey.kind === 'development' && !webauthn.allowDevelopmentKeys) {
      throw new AppError('PASSKEY_DEVELOPMENT_KEY_REFUSED');
    }
    const auth = toWebAuthnAuth(assertion, {
      challenge: digest,
      origins: (origin) => originAllowed(webauthn, origin),
      rpId: webauthn.rpId,
    });
    const key = { x: passkey.publicKeyX, y: passkey.publicKeyY };
    if (!verifyWebAuthnAuth(auth, key)) refuseAssertion('signature');
    await recordUse(db, passkey, signCountOf(auth), deps.now());
    return {
      passkeyId: passkey.id,
      address: getAddress(passkey.chainAddress),
      qx: `0x${passkey.publicKeyX.toString('hex')}`,
      qy: `0x${passkey.publicKeyY.toString('hex')}`,
      auth,
      encoded: abiEncodeWebAuthnAuth(auth),
    };
  });
}

function signCountOf(auth: WebAuthnAuth): number {
  return Buffer.from(hexToBytes(auth.authenticatorData)).readUInt32BE(33);
}

/**
 * WebAuthn §7.2 step 21: a counter that does not grow, where the authenticator keeps one at
 * all (synced passkeys report 0 throughout), is refused. One conditional update, so two
 * requests racing with the same assertion cannot both pass.
 */
async function recordUse(
  db: DomainDeps['db'],
  passkey: StaffPasskey,
  signCount: number,
  now: Date,
): Promise<void> {
  const [used] = await db
    .update(staffPasskeys)
    .set({ signCount, lastUsedAt: now })
    .where(
      and(
        eq(staffPasskeys.id, passkey.id),
        signCount === 0 ? eq(staffPasskeys.signCount, 0) : lt(staffPasskeys.signCount, signCount),
      ),
    )
    .returning({ id: staffPasskeys.id });
  if (!used) refuseAssertion('counter');
}
