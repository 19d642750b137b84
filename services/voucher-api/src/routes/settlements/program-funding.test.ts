import { voucherHubAbi } from '@voucher/contracts';
import { programs } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSettlementWorld, type SettlementWorld } from './test-settlement-world.ts';

const DEMO = 101;
const LIMIT = 50_000_000n;

/**
 * Funding a program mints eKrone: a treasury officer's own passkey signs it, and above the
 * municipality's single-officer limit a second, different officer must sign too. The service
 * relays; the budget grows only once the chain minted.
 */
describe('program funding signed by treasury officers’ passkeys', () => {
  let s: SettlementWorld;
  let programId: string;

  const minted = async () =>
    (
      await s.world.gateway.publicClient.readContract({
        address: s.world.gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'ledgerOf',
        args: [DEMO],
      })
    ).mintedOre;
  const budget = async () =>
    (await s.world.deps.db.query.programs.findFirst({ where: eq(programs.id, BigInt(programId)) }))
      ?.budgetOre as bigint;
  const fund = (username: string, body: Record<string, unknown>) =>
    s.signedStep(
      username,
      `/programs/${programId}/funding/challenge`,
      `/programs/${programId}/funding`,
      body,
    );

  beforeAll(async () => {
    s = await createSettlementWorld();
    programId = (await s.world.programId('Børnepakke')).toString();
  }, 240_000);
  afterAll(() => s?.close());

  it('mints on one officer’s signature up to the limit, once per request id', async () => {
    const before = { minted: await minted(), budget: await budget() };
    const requestId = crypto.randomUUID();
    const { challenge, response } = await fund('demo.finance1', { amountKroner: '1500.00', requestId });
    expect(challenge.json()).toMatchObject({
      programId,
      amountOre: '150000',
      requestId,
      secondOfficer: false,
      needsSecondOfficer: false,
      limitOre: LIMIT.toString(),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'funded',
      proposedBy: 'demo.finance1',
      approvedBy: null,
    });
    expect(response.json().signatures).toEqual([
      expect.objectContaining({ step: 'fund', username: 'demo.finance1' }),
    ]);
    expect((await minted()) - before.minted).toBe(150_000n);
    expect((await budget()) - before.budget).toBe(150_000n);

    // The same request again: nothing more to sign, and a relayed retry mints nothing.
    const again = await s.signing.post(
      `/programs/${programId}/funding/challenge`,
      (await s.signing.officer('demo.finance2')).token,
      {
        amountOre: '150000',
        requestId,
      },
    );
    expect(again.json().error.code).toBe('FUNDING_ALREADY_FUNDED');
    const officer = await s.signing.officer('demo.finance1');
    const retried = await s.signing.post(`/programs/${programId}/funding`, officer.token, {
      amountOre: '150000',
      requestId,
      deadline: challenge.json().deadline,
      assertion: s.signing.assertion(officer, challenge.json().digest),
    });
    expect(retried.statusCode).toBe(200);
    expect((await minted()) - before.minted).toBe(150_000n);
    expect((await budget()) - before.budget).toBe(150_000n);
    // Another amount under the same request id is refused.
    const conflict = await fund('demo.finance1', { amountOre: '150001', requestId });
    expect(conflict.response.json().error.code).toBe('FUNDING_KEY_CONFLICT');
  });

  it('takes two different officers above the limit: the first signature mints nothing', async () => {
    const amountOre = (LIMIT + 1n).toString();
    const requestId = crypto.randomUUID();
    const before = { minted: await minted(), budget: await budget() };
    const first = await fund('demo.finance1', { amountOre, requestId });
    expect(first.challenge.json()).toMatchObject({ needsSecondOfficer: true, secondOfficer: false });
    expect(first.response.statusCode, first.response.body).toBe(202);
    expect(first.response.json()).toMatchObject({ status: 'awaiting-second-officer' });
    expect(await minted()).toBe(before.minted);
    expect(await budget()).toBe(before.budget);

    // The proposer cannot approve their own request, in the API.
    const self = await fund('demo.finance1', { amountOre, requestId });
    expect(self.response.statusCode).toBe(403);
    expect(self.response.json().error.code).toBe('FUNDING_SELF_APPROVAL');
    // Another officer signing another amount under the same request is refused.
    const other = await fund('demo.finance2', { amountOre: LIMIT.toString(), requestId });
    expect(other.response.json().error.code).toBe('FUNDING_KEY_CONFLICT');

    const second = await fund('demo.finance2', { amountOre, requestId });
    expect(second.challenge.json()).toMatchObject({ secondOfficer: true, needsSecondOfficer: true });
    expect(second.response.statusCode, second.response.body).toBe(200);
    expect(second.response.json()).toMatchObject({
      status: 'funded',
      proposedBy: 'demo.finance1',
      approvedBy: 'demo.finance2',
    });
    expect((await minted()) - before.minted).toBe(LIMIT + 1n);
    expect((await budget()) - before.budget).toBe(LIMIT + 1n);

    const listed = await s.app.inject({
      method: 'GET',
      url: `/programs/${programId}/fundings`,
      headers: { authorization: `Bearer ${await s.token('demo.finance1')}` },
    });
    expect(listed.statusCode).toBe(200);
    const request = listed.json().find((f: { requestId: string }) => f.requestId === requestId);
    expect(request.signatures.map((sig: { username: string }) => sig.username)).toEqual([
      'demo.finance1',
      'demo.finance2',
    ]);
  });

  it('refuses a signature over another amount and one whose deadline passed', async () => {
    const officer = await s.signing.officer('demo.finance1');
    const requestId = crypto.randomUUID();
    const named = (
      await s.signing.post(`/programs/${programId}/funding/challenge`, officer.token, {
        amountOre: '100',
        requestId,
      })
    ).json();
    const more = await s.signing.post(`/programs/${programId}/funding`, officer.token, {
      amountOre: '1000000',
      requestId,
      deadline: named.deadline,
      assertion: s.signing.assertion(officer, named.digest),
    });
    expect(more.json().error.code).toBe('PASSKEY_ASSERTION_INVALID');
    const expired = await s.signing.post(`/programs/${programId}/funding`, officer.token, {
      amountOre: '100',
      requestId,
      deadline: Math.floor(Date.now() / 1000) - 1,
      assertion: s.signing.assertion(officer, named.digest),
    });
    expect(expired.json().error.code).toBe('OFFICER_SIGNATURE_EXPIRED');
  });

  it('no longer funds on the service’s own treasury role', async () => {
    const token = await s.token('demo.finance1');
    const old = await s.signing.post(`/programs/${programId}/fund`, token, {
      amountOre: '100',
      requestId: crypto.randomUUID(),
    });
    expect(old.statusCode).toBe(404);
  });

  it('refuses a revoked passkey', async () => {
    const officer = await s.signing.officer('demo.finance2');
    const revoked = await s.app.inject({
      method: 'DELETE',
      url: `/staff/me/passkeys/${officer.passkeyId}`,
      headers: { authorization: `Bearer ${officer.token}` },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    const before = await minted();
    const { response } = await fund('demo.finance2', { amountOre: '100', requestId: crypto.randomUUID() });
    expect(response.json().error.code).toBe('PASSKEY_NOT_ENROLLED');
    expect(await minted()).toBe(before);
  });
});
