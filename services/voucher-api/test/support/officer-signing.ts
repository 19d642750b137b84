import { chainOutbox, type Database } from '@voucher/db';
import { like } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Hex } from 'viem';
import { expect } from 'vitest';
import type { ChainGateway } from '../../src/chain/gateway.ts';
import { type OfficerActionName, officerActionDigest } from '../../src/officer-signing/officer-signing.ts';
import { abiEncodeWebAuthnAuth, toWebAuthnAuth } from '../../src/passkeys/webauthn-auth.ts';
import { type VirtualAssertion, VirtualPasskey } from './virtual-passkey.ts';

/** A finance officer with a virtual passkey enrolled through the API and its roles granted on chain. */
export interface TestOfficer {
  username: string;
  token: string;
  passkey: VirtualPasskey;
  passkeyId: string;
  credentialId: string;
  address: Hex;
}

export interface SignedStepResult {
  /** The challenge's answer (its JSON when 200). */
  challenge: LightMyRequestResponse;
  /** The relay's answer; the challenge's own when it was refused (nothing relayed). */
  response: LightMyRequestResponse;
}

export interface OfficerSigning {
  officer(username: string): Promise<TestOfficer>;
  /** The officer's passkey over `digest`, as the console's signChallenge hands it over. */
  assertion(officer: TestOfficer, digest: Hex): VirtualAssertion;
  /**
   * One signed step as the console does it: the challenge with `body`, the officer's passkey
   * over its digest, then the relay with `body`, `deadline`, `assertion` and `relayExtra`.
   */
  signedStep(
    username: string,
    challengeUrl: string,
    relayUrl: string,
    body?: Record<string, unknown>,
    relayExtra?: Record<string, unknown> | ((challenge: Record<string, unknown>) => Record<string, unknown>),
  ): Promise<SignedStepResult>;
  post(url: string, token: string, payload?: object): Promise<LightMyRequestResponse>;
  /**
   * The hub's OfficerSignature argument made by `officer` over an action named by hand, for
   * sending to the hub past the API (what a compromised service could try): the digest is the
   * hub's own officerActionDigest.
   */
  onChainSignature(
    officer: TestOfficer,
    action: { action: string; municipalityId: number; programId?: bigint; subject: Hex; amountOre: bigint },
  ): Promise<{ signer: Hex; deadline: string; auth: Hex }>;
}

/** Test-only: enrols officers' virtual passkeys and signs steps with them against `app`. */
export function officerSigning(world: {
  app: FastifyInstance;
  db: Database;
  gateway: ChainGateway;
  token(username: string): Promise<string>;
}): OfficerSigning {
  const officers = new Map<string, Promise<TestOfficer>>();
  const post = (url: string, token: string, payload?: object) =>
    world.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
      ...(payload ? { payload } : {}),
    });

  async function enrol(username: string): Promise<TestOfficer> {
    const token = await world.token(username);
    const { rpId, origins } = world.app.deps.config.webauthn;
    const passkey = new VirtualPasskey({ rpId, origin: origins[0] as string });
    const options = (await post('/staff/me/passkeys/registration-options', token, {})).json();
    const enrolled = await post('/staff/me/passkeys', token, {
      deviceName: `${username}s nøgle`,
      response: passkey.register(options.options.challenge),
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const address = (enrolled.json().address as string).toLowerCase() as Hex;
    const rows = await world.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(like(chainOutbox.idempotencyKey, `passkey:${address}:%`));
    world.gateway.outbox.wake();
    for (const row of rows) {
      const outcome = await world.gateway.outbox.waitFor(row.id, 30_000);
      expect(outcome.status, outcome.error ?? '').toBe('confirmed');
    }
    return {
      username,
      token,
      passkey,
      passkeyId: enrolled.json().id,
      credentialId: enrolled.json().credentialId,
      address,
    };
  }

  const signing: OfficerSigning = {
    officer(username) {
      let officer = officers.get(username);
      if (!officer) {
        officer = enrol(username);
        officers.set(username, officer);
      }
      return officer;
    },
    assertion(officer, digest) {
      return { ...officer.passkey.sign(digest), credentialId: officer.credentialId };
    },
    async signedStep(username, challengeUrl, relayUrl, body = {}, relayExtra = {}) {
      const officer = await signing.officer(username);
      const challenge = await post(challengeUrl, officer.token, body);
      if (challenge.statusCode !== 200) return { challenge, response: challenge };
      const named = challenge.json() as Record<string, unknown> & { digest: Hex; deadline: number };
      const extra = typeof relayExtra === 'function' ? relayExtra(named) : relayExtra;
      const response = await post(relayUrl, officer.token, {
        ...body,
        deadline: named.deadline,
        assertion: signing.assertion(officer, named.digest),
        ...extra,
      });
      return { challenge, response };
    },
    post,
    async onChainSignature(officer, action) {
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const digest = await officerActionDigest(
        world.gateway,
        { ...action, action: action.action as OfficerActionName },
        deadline,
      );
      const { rpId, origins } = world.app.deps.config.webauthn;
      const auth = toWebAuthnAuth(signing.assertion(officer, digest), {
        challenge: digest,
        origins: (origin) => origins.includes(origin),
        rpId,
      });
      return { signer: officer.address, deadline: String(deadline), auth: abiEncodeWebAuthnAuth(auth) };
    },
  };
  return signing;
}
