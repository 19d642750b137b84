import { createHash } from 'node:crypto';
import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import { cose, decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { appendAudit, type StaffPasskeyKind, staffPasskeyChallenges, staffPasskeys } from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { adminsOnChainFor } from '../chain/config.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { originAllowed } from './origins.ts';
import {
  coordinatesFromCose,
  coordinatesFromJwk,
  type P256Coordinates,
  type P256Jwk,
  passkeyChainAddress,
  verifyWebAuthnAuth,
} from './p256-key.ts';
import { enqueuePasskeyOnChain } from './passkey-on-chain.ts';
import { type PasskeyView, passkeyView } from './passkey-view.ts';
import { refuseAssertion, toWebAuthnAuth, type WebAuthnAssertion } from './webauthn-auth.ts';

/** What the console sends: a real passkey's registration, or (demo only) a development key. */
export type EnrolmentCredential =
  | { kind: 'passkey'; response: RegistrationResponseJSON }
  | {
      kind: 'development';
      /** The WebCrypto key's public half. */
      publicKey: P256Jwk;
      /** Proof of the private half: a webauthn.get-format assertion over the server's challenge. */
      assertion: WebAuthnAssertion;
    };

export interface EnrolPasskeyParams {
  actor: AccessClaims;
  deviceName: string;
  credential: EnrolmentCredential;
}

interface VerifiedKey {
  kind: StaffPasskeyKind;
  credentialId: string;
  key: P256Coordinates;
  transports: string[];
  signCount: number;
}

const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Enrols a key for the signed-in staff member. The enrolment challenge is used up first, in
 * its own transaction, so a response is good for one try even when it fails. A passkey's
 * registration is verified by @simplewebauthn (origin, rp id, UP and UV, ES256); a
 * development key proves its private half with an assertion in the very format the contract
 * checks, and is refused outright unless the deployment allows development keys.
 */
export async function enrolPasskey(deps: DomainDeps, params: EnrolPasskeyParams): Promise<PasskeyView> {
  const { credential, actor } = params;
  if (credential.kind === 'development' && !deps.config.webauthn.allowDevelopmentKeys) {
    throw new AppError('PASSKEY_DEVELOPMENT_KEY_REFUSED');
  }
  const challenge = challengeOf(credential);
  await consumeChallenge(deps, actor, challenge);
  const verified =
    credential.kind === 'passkey'
      ? await verifyPasskey(deps, credential.response, challenge)
      : verifyDevelopmentKey(deps, credential, challenge);
  return store(deps, params, verified);
}

function challengeOf(credential: EnrolmentCredential): string {
  const clientDataJSON =
    credential.kind === 'passkey'
      ? credential.response.response.clientDataJSON
      : credential.assertion.clientDataJSON;
  let challenge: unknown;
  try {
    challenge = decodeClientDataJSON(clientDataJSON).challenge;
  } catch {
    throw new AppError('PASSKEY_REGISTRATION_INVALID');
  }
  if (typeof challenge !== 'string' || !CHALLENGE_PATTERN.test(challenge)) {
    throw new AppError('PASSKEY_CHALLENGE_INVALID');
  }
  return challenge;
}

async function consumeChallenge(deps: DomainDeps, actor: AccessClaims, challenge: string): Promise<void> {
  const [used] = await withTenant(deps, actor, ({ db }) =>
    db
      .delete(staffPasskeyChallenges)
      .where(
        and(
          eq(staffPasskeyChallenges.challenge, challenge),
          eq(staffPasskeyChallenges.staffUserId, actor.sub),
        ),
      )
      .returning({ expiresAt: staffPasskeyChallenges.expiresAt }),
  );
  if (!used || used.expiresAt <= deps.now()) throw new AppError('PASSKEY_CHALLENGE_INVALID');
}

async function verifyPasskey(
  deps: DomainDeps,
  response: RegistrationResponseJSON,
  challenge: string,
): Promise<VerifiedKey> {
  const { webauthn } = deps.config;
  const { origin } = decodeClientDataJSON(response.response.clientDataJSON);
  if (!originAllowed(webauthn, origin)) throw new AppError('PASSKEY_REGISTRATION_INVALID');
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: webauthn.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: [cose.COSEALG.ES256],
    });
  } catch {
    // The library's message names the origin and challenge it saw; the caller gets the code only.
    throw new AppError('PASSKEY_REGISTRATION_INVALID');
  }
  if (!verification.verified) throw new AppError('PASSKEY_REGISTRATION_INVALID');
  const { credential } = verification.registrationInfo;
  return {
    kind: 'passkey',
    credentialId: credential.id,
    key: coordinatesFromCose(credential.publicKey),
    transports: (credential.transports ?? []).filter((transport) => /^[a-z-]{1,32}$/.test(transport)),
    signCount: credential.counter,
  };
}

function verifyDevelopmentKey(
  deps: DomainDeps,
  credential: Extract<EnrolmentCredential, { kind: 'development' }>,
  challenge: string,
): VerifiedKey {
  const { webauthn } = deps.config;
  const key = coordinatesFromJwk(credential.publicKey);
  const auth = toWebAuthnAuth(credential.assertion, {
    challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
    origins: (origin) => originAllowed(webauthn, origin),
    rpId: webauthn.rpId,
  });
  if (!verifyWebAuthnAuth(auth, key)) refuseAssertion('signature');
  return {
    kind: 'development',
    // A development key has no authenticator to name it; its id is derived from the key, so
    // the same key cannot be enrolled twice.
    credentialId: createHash('sha256')
      .update('voucher development key\0')
      .update(key.x)
      .update(key.y)
      .digest()
      .subarray(0, 16)
      .toString('base64url'),
    key,
    transports: [],
    signCount: Buffer.from(auth.authenticatorData.slice(2), 'hex').readUInt32BE(33),
  };
}

async function store(
  deps: DomainDeps,
  params: EnrolPasskeyParams,
  verified: VerifiedKey,
): Promise<PasskeyView> {
  const chainAddress = passkeyChainAddress(verified.key).toLowerCase();
  try {
    // withTenant's transaction is typed as a database; audit appends want the transaction
    // itself, which a nested transaction (a savepoint) gives.
    return await withTenant(deps, params.actor, ({ db }) =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .insert(staffPasskeys)
          .values({
            staffUserId: params.actor.sub,
            municipalityId: params.actor.municipalityId,
            credentialId: verified.credentialId,
            publicKeyX: verified.key.x,
            publicKeyY: verified.key.y,
            chainAddress,
            deviceName: params.deviceName,
            kind: verified.kind,
            transports: verified.transports,
            signCount: verified.signCount,
          })
          .returning();
        if (!row) throw new Error('passkey insert returned nothing');
        await enqueuePasskeyOnChain(
          tx,
          { ...row, staffRole: params.actor.role },
          adminsOnChainFor(deps.config),
        );
        // The device name is the person's own words and stays out of the audit log.
        await appendAudit(tx, {
          ...auditActor(params.actor),
          municipalityId: params.actor.municipalityId,
          action: 'staff.passkey.enrolled',
          subjectType: 'staff_passkey',
          subjectId: row.id,
          details: { staffUserId: row.staffUserId, kind: row.kind, chainAddress },
        });
        return passkeyView(row);
      }),
    );
  } catch (error) {
    if (
      isUniqueViolation(error, 'staff_passkeys_credential_id_unique') ||
      isUniqueViolation(error, 'staff_passkeys_chain_address_unique')
    ) {
      throw new AppError('PASSKEY_ALREADY_ENROLLED');
    }
    throw error;
  }
}
