import { ROLE, voucherHubAbi } from '@voucher/contracts';
import { chainOutbox } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { createWalletClient, type Hex, http, pad, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualPasskey } from '../../test/support/virtual-passkey.ts';
import { createSettlementWorld, type SettlementWorld } from '../routes/settlements/test-settlement-world.ts';
import { abiEncodeWebAuthnAuth, toWebAuthnAuth } from './webauthn-auth.ts';

const DEMO = 101;

/**
 * A finance officer's passkey, enrolled through the API, acts on chain: the enrolment publishes
 * the key and gives its account the officer's roles, and an assertion the officer's device makes
 * over the hub's digest, encoded by the service, is accepted by the contract's WebAuthn check
 * when anyone relays it. Revoking the passkey takes the roles back.
 */
describe('a passkey on chain', () => {
  let s: SettlementWorld;
  let token: string;
  let passkey: VirtualPasskey;
  let passkeyId: string;
  let address: Hex;

  const hub = () => ({ address: s.world.gateway.addresses.hub, abi: voucherHubAbi }) as const;
  function read<T>(functionName: string, args: readonly unknown[] = []): Promise<T> {
    return s.world.gateway.publicClient.readContract({ ...hub(), functionName, args } as never) as Promise<T>;
  }

  async function settleOutbox(idempotencyKey: string) {
    const [row] = await s.world.deps.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(eq(chainOutbox.idempotencyKey, idempotencyKey));
    expect(row, idempotencyKey).toBeDefined();
    s.world.gateway.outbox.wake();
    const outcome = await s.world.gateway.outbox.waitFor(row?.id as bigint, 30_000);
    expect(outcome.status, idempotencyKey).toBe('confirmed');
  }

  /** Someone with no role at all: relaying an officer's signature needs none. */
  async function stranger() {
    const account = privateKeyToAccount(generatePrivateKey());
    await fetch(s.world.gateway.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'anvil_setBalance',
        params: [account.address, `0x${parseEther('1').toString(16)}`],
      }),
    });
    return createWalletClient({ account, transport: http(s.world.gateway.rpcUrl) });
  }

  beforeAll(async () => {
    s = await createSettlementWorld();
    token = await s.token('demo.finance1');
    const { rpId, origins } = s.world.deps.config.webauthn;
    passkey = new VirtualPasskey({ rpId, origin: origins[0] as string });
    const headers = { authorization: `Bearer ${token}` };
    const options = await s.app.inject({
      method: 'POST',
      url: '/staff/me/passkeys/registration-options',
      headers,
      payload: {},
    });
    expect(options.statusCode, options.body).toBe(200);
    const enrolled = await s.app.inject({
      method: 'POST',
      url: '/staff/me/passkeys',
      headers,
      payload: {
        deviceName: 'Kontorets nøgle',
        response: passkey.register(options.json().options.challenge),
      },
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    passkeyId = enrolled.json().id;
    address = enrolled.json().address;
  }, 240_000);
  afterAll(() => s?.close());

  it('publishes the key and gives its account the finance officer and treasury roles', async () => {
    for (const role of [ROLE.financeOfficer, ROLE.treasury]) {
      await settleOutbox(`passkey:${address.toLowerCase()}:grant:${role}`);
      expect(await read<boolean>('hasMunicipalRole', [DEMO, role, address]), role).toBe(true);
    }
    const key = await read<{ qx: Hex; qy: Hex }>('passkeyOf', [address]);
    expect(key.qx).toBe(pad(`0x${passkey.x.toString('hex')}`, { size: 32 }));
    expect(key.qy).toBe(pad(`0x${passkey.y.toString('hex')}`, { size: 32 }));
  });

  it('closes the period on the officer’s signature relayed by a stranger, once, and only that period', async () => {
    const [open] = await read<[number, number, bigint]>('openPeriod', [DEMO]);
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const action = await read<Hex>('CLOSE_PERIOD');
    const digest = await read<Hex>('officerActionDigest', [
      action,
      DEMO,
      0n,
      pad(`0x${open.toString(16)}`),
      0n,
      deadline,
    ]);
    const { rpId, origins } = s.world.deps.config.webauthn;
    const auth = toWebAuthnAuth(passkey.sign(digest), { challenge: digest, origins, rpId });
    const sig = { signer: address, deadline, auth: abiEncodeWebAuthnAuth(auth) };
    const relayer = await stranger();
    const hash = await relayer.writeContract({
      ...hub(),
      chain: null,
      functionName: 'closePeriodSigned',
      args: [DEMO, open, sig],
    });
    const receipt = await s.world.gateway.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    const [now] = await read<[number, number, bigint]>('openPeriod', [DEMO]);
    expect(now).toBe(open + 1);
    const relay = (period: number) =>
      s.world.gateway.publicClient.simulateContract({
        ...hub(),
        account: relayer.account,
        functionName: 'closePeriodSigned',
        args: [DEMO, period, sig],
      });
    // The same signature again is spent; named for the next period it no longer verifies.
    await expect(relay(open)).rejects.toThrow(/OfficerSignatureUsed/);
    await expect(relay(open + 1)).rejects.toThrow(/OfficerSignatureInvalid/);
  });

  it('takes the roles back on chain when the officer revokes the passkey', async () => {
    const revoked = await s.app.inject({
      method: 'DELETE',
      url: `/staff/me/passkeys/${passkeyId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    for (const role of [ROLE.financeOfficer, ROLE.treasury]) {
      await settleOutbox(`passkey:${address.toLowerCase()}:revoke:${role}`);
      expect(await read<boolean>('hasMunicipalRole', [DEMO, role, address]), role).toBe(false);
    }
  });
});
