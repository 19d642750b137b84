import { randomBytes } from 'node:crypto';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
} from '@simplewebauthn/server';
import { cose } from '@simplewebauthn/server/helpers';
import { staffPasskeyChallenges, staffPasskeys, staffUsers } from '@voucher/db';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';

export interface RegistrationOptions {
  /** For navigator.credentials.create (through @simplewebauthn/browser's startRegistration). */
  options: PublicKeyCredentialCreationOptionsJSON;
  /** Whether this deployment accepts a development key instead (the demo only). */
  allowDevelopmentKeys: boolean;
}

/**
 * Starts a passkey enrolment for the signed-in staff member: a fresh 32-byte challenge kept
 * in the database until it is used or expires, and WebAuthn options that ask for what the
 * contract can verify: ES256 (P-256) only, with user verification (PIN or biometrics), since
 * the contract's WebAuthn.verify requires the UV flag. Keys the person already has are
 * excluded, so the same authenticator is not enrolled twice.
 */
export async function createRegistrationOptions(
  deps: DomainDeps,
  actor: AccessClaims,
): Promise<RegistrationOptions> {
  const { webauthn } = deps.config;
  const challenge = randomBytes(32);
  const now = deps.now();
  return withTenant(deps, actor, async ({ db }) => {
    const [staff] = await db
      .select({ id: staffUsers.id, username: staffUsers.username, municipalityId: staffUsers.municipalityId })
      .from(staffUsers)
      .where(eq(staffUsers.id, actor.sub));
    if (!staff || staff.municipalityId !== actor.municipalityId) throw new AppError('NOT_FOUND');
    const existing = await db
      .select({ credentialId: staffPasskeys.credentialId, transports: staffPasskeys.transports })
      .from(staffPasskeys)
      .where(
        and(
          eq(staffPasskeys.staffUserId, staff.id),
          eq(staffPasskeys.kind, 'passkey'),
          isNull(staffPasskeys.revokedAt),
        ),
      );
    // Expired challenges of the municipality are of no use to anyone; tidy them on the way.
    await db.delete(staffPasskeyChallenges).where(lt(staffPasskeyChallenges.expiresAt, now));
    await db.insert(staffPasskeyChallenges).values({
      challenge: challenge.toString('base64url'),
      staffUserId: staff.id,
      municipalityId: actor.municipalityId,
      expiresAt: new Date(now.getTime() + webauthn.challengeTtlSeconds * 1000),
    });
    const options = await generateRegistrationOptions({
      rpName: webauthn.rpName,
      rpID: webauthn.rpId,
      // The user handle is the staff id's bytes: stable, so re-enrolling replaces the old entry
      // on the device, and no name goes into it.
      userID: new Uint8Array(Buffer.from(staff.id.replaceAll('-', ''), 'hex')),
      userName: staff.username,
      userDisplayName: staff.username,
      challenge: new Uint8Array(challenge),
      timeout: webauthn.challengeTtlSeconds * 1000,
      attestationType: 'none',
      excludeCredentials: existing.map((key) => ({ id: key.credentialId, transports: key.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      supportedAlgorithmIDs: [cose.COSEALG.ES256],
    });
    return { options, allowDevelopmentKeys: webauthn.allowDevelopmentKeys };
  });
}
