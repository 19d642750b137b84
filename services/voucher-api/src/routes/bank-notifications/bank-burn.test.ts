import { ekroneAbi, ROLE, voucherHubAbi } from '@voucher/contracts';
import { chainOutbox } from '@voucher/db';
import { eq } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BankTransfer, buildCamt054, transfersOfPain001 } from '../../../test/support/camt054.ts';
import { VirtualPasskey } from '../../../test/support/virtual-passkey.ts';
import { createSettlementWorld, DEBTOR, type SettlementWorld } from '../settlements/test-settlement-world.ts';

const DEMO = 101;

/**
 * eKrone is kroner in the bank: a paid settlement's eKrone waits in transit on chain until the
 * bank's camt.054 confirms the transfers, and a finance officer's own passkey signs that it may
 * be burned. The service relays the signature; it cannot make one.
 */
describe('the bank-confirmed payouts are burned on the officer’s passkey signature', () => {
  let s: SettlementWorld;
  let finance1: string;
  let finance2: string;
  let settlementId: string;
  let transfers: BankTransfer[];
  let passkey: VirtualPasskey;
  let credentialId: string;

  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
  const post = (url: string, token: string, payload?: object) =>
    s.app.inject({ method: 'POST', url, headers: headers(token), ...(payload ? { payload } : {}) });
  const hubRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    s.world.gateway.publicClient.readContract({
      address: s.world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName,
      args,
    } as never) as Promise<T>;
  const supply = () =>
    s.world.gateway.publicClient.readContract({
      address: s.world.gateway.addresses.ekrone,
      abi: ekroneAbi,
      functionName: 'totalSupply',
    });
  const ledger = () =>
    hubRead<{ mintedOre: bigint; burnedOre: bigint; inTransitOre: bigint }>('ledgerOf', [DEMO]);

  async function enrolPasskey() {
    const { rpId, origins } = s.world.deps.config.webauthn;
    passkey = new VirtualPasskey({ rpId, origin: origins[0] as string });
    const options = (await post('/staff/me/passkeys/registration-options', finance1, {})).json();
    const enrolled = await post('/staff/me/passkeys', finance1, {
      deviceName: 'Kontorets nøgle',
      response: passkey.register(options.options.challenge),
    });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    credentialId = enrolled.json().credentialId;
    const address = (enrolled.json().address as string).toLowerCase();
    const [grant] = await s.world.deps.db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(eq(chainOutbox.idempotencyKey, `passkey:${address}:grant:${ROLE.financeOfficer}`));
    s.world.gateway.outbox.wake();
    expect((await s.world.gateway.outbox.waitFor(grant?.id as bigint, 30_000)).status).toBe('confirmed');
  }

  function sign(challenge: { digest: Hex; providerIds: number[]; deadline: number }, id = credentialId) {
    const { authenticatorData, clientDataJSON, signature } = passkey.sign(challenge.digest);
    return {
      providerIds: challenge.providerIds,
      deadline: challenge.deadline,
      assertion: { credentialId: id, authenticatorData, clientDataJSON, signature },
    };
  }

  beforeAll(async () => {
    s = await createSettlementWorld({ chunkSize: 2 });
    const { world } = s;
    finance1 = await s.token('demo.finance1');
    finance2 = await s.token('demo.finance2');
    const citizen = await world.citizen(['Børnepakke']);
    for (const [provider, amountOre] of [
      ['demo.sport', 15_000n],
      ['demo.clothing', 25_050n],
    ] as const) {
      await s.redeem({
        citizen,
        provider,
        terminal: (await world.terminal(provider)) as PrivateKeyAccount,
        program: 'Børnepakke',
        amountOre,
      });
    }
    settlementId = await s.closeProposeApprove(1);
    expect((await post(`/settlements/${settlementId}/execute`, finance2)).json()).toMatchObject({
      status: 'paid',
    });
    const file = await s.app.inject({
      method: 'GET',
      url: `/settlements/${settlementId}/bank-file`,
      headers: headers(finance1),
    });
    transfers = transfersOfPain001(file.body);
    await enrolPasskey();
  }, 240_000);
  afterAll(() => s?.close());

  it('holds the paid eKrone in transit and has nothing to burn before the bank confirms', async () => {
    expect((await ledger()).inTransitOre).toBe(40_050n);
    const early = await post(`/settlements/${settlementId}/bank-confirmation/challenge`, finance1);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('BANK_CONFIRMATION_NOTHING_TO_BURN');
  });

  it('burns exactly the bank-confirmed payouts once the officer signs, and the supply matches the bank', async () => {
    const xml = buildCamt054({
      messageId: 'DANSKE-054-1',
      createdAt: new Date('2027-02-01T06:00:00Z'),
      account: { ...DEBTOR, ownerName: 'Demo Kommune' },
      entries: transfers,
      credits: [],
    });
    const imported = await s.app.inject({
      method: 'POST',
      url: '/bank-notifications',
      headers: { ...headers(finance1), 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const before = { supply: await supply(), ledger: await ledger() };
    const challenge = (
      await post(`/settlements/${settlementId}/bank-confirmation/challenge`, finance1)
    ).json();
    expect(challenge).toMatchObject({ periodId: 1, totalOre: '40050' });
    expect(challenge.providerIds).toHaveLength(2);

    // Another officer cannot pass off this officer's assertion as their own.
    const borrowed = await post(`/settlements/${settlementId}/bank-confirmation`, finance2, sign(challenge));
    expect(borrowed.json().error.code).toBe('PASSKEY_NOT_ENROLLED');
    // A signature over another deadline does not match what the service recomputes.
    const moved = await post(`/settlements/${settlementId}/bank-confirmation`, finance1, {
      ...sign(challenge),
      deadline: challenge.deadline + 60,
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.code).toBe('PASSKEY_ASSERTION_INVALID');

    const burned = await post(`/settlements/${settlementId}/bank-confirmation`, finance1, sign(challenge));
    expect(burned.statusCode, burned.body).toBe(200);
    expect(burned.json()).toMatchObject({ status: 'burned', burnedOre: '40050' });
    const after = await ledger();
    expect(after.burnedOre - before.ledger.burnedOre).toBe(40_050n);
    expect(after.inTransitOre).toBe(0n);
    expect(before.supply - (await supply())).toBe(40_050n);
    // Per municipality: eKrone minted less burned is what the hub holds for it.
    const { escrowOre } = await hubRead<{ escrowOre: bigint }>('municipalityOf', [DEMO]);
    expect(after.mintedOre - after.burnedOre).toBe(escrowOre);

    const again = await post(`/settlements/${settlementId}/bank-confirmation/challenge`, finance1);
    expect(again.json().error.code).toBe('BANK_CONFIRMATION_NOTHING_TO_BURN');
  });
});
