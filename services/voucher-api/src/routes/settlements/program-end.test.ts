import { voucherHubAbi } from '@voucher/contracts';
import { auditLog } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessClaims } from '../../auth/claims.ts';
import { createProgram } from '../../programs/create-program.ts';
import { publishProgram } from '../../programs/publish-program.ts';
import { claimsOfUsername } from '../../staff/staff-claims.ts';
import { createSettlementWorld, type SettlementWorld } from './test-settlement-world.ts';

const PROGRAM = 'Sommerferiepas 2026';
const BUDGET = 500_000n;

describe('program end: unspent escrow goes back to the treasury', () => {
  let s: SettlementWorld;
  const clock = { now: new Date() };
  let programId: bigint;
  let finance: string;

  const reclaim = async (username: string) =>
    (
      await s.signedStep(
        username,
        `/programs/${programId}/reclaim/challenge`,
        `/programs/${programId}/reclaim`,
      )
    ).response;
  /** eKrone burned for Demo Kommune: what left the scheme for the municipality's own account. */
  const burned = async () =>
    (
      await s.world.gateway.publicClient.readContract({
        address: s.world.gateway.addresses.hub,
        abi: voucherHubAbi,
        functionName: 'ledgerOf',
        args: [101],
      })
    ).burnedOre;

  beforeAll(async () => {
    s = await createSettlementWorld({ now: () => clock.now });
    const deps = s.world.deps;
    const claims = (username: string): Promise<AccessClaims> => claimsOfUsername(deps.db, username);
    const start = new Date(Date.now() - 3_600_000);
    const created = await createProgram(deps, {
      actor: await claims('demo.admin'),
      name: PROGRAM,
      kind: 'credit',
      creditOre: 100_000n,
      maxPerUseOre: 50_000n,
      categories: ['sport'],
      validFrom: start,
      validUntil: new Date(Date.now() + 3_600_000),
    });
    programId = BigInt(created.id);
    const funded = await s.signedStep(
      'demo.finance1',
      `/programs/${programId}/funding/challenge`,
      `/programs/${programId}/funding`,
      { amountOre: BUDGET.toString(), requestId: crypto.randomUUID() },
    );
    expect(funded.response.statusCode, funded.response.body).toBe(200);
    await publishProgram(deps, { actor: await claims('demo.admin'), programId });
    await s.world.settle();
    await s.world.citizen([PROGRAM]);
    finance = await s.token('demo.finance1');
  }, 240_000);
  afterAll(() => s?.close());

  it('refuses while the program runs', async () => {
    const response = await reclaim('demo.finance1');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('PROGRAM_STILL_RUNNING');
    const caseworker = await s.token('demo.caseworker');
    expect((await s.signing.post(`/programs/${programId}/reclaim/challenge`, caseworker)).statusCode).toBe(
      403,
    );
  });

  it('after the end, returns the free budget and what outstanding grants still hold', async () => {
    // The API's clock and the chain's both move past validUntil.
    clock.now = new Date(Date.now() + 2 * 3_600_000);
    await fetch(s.world.gateway.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_increaseTime', params: [2 * 3600] }),
    });
    await fetch(s.world.gateway.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'evm_mine', params: [] }),
    });
    const before = await burned();
    const named = (await s.signing.post(`/programs/${programId}/reclaim/challenge`, finance)).json();
    expect(named).toMatchObject({
      programId: programId.toString(),
      escrowOre: BUDGET.toString(),
      accountCount: 1,
    });
    const response = await reclaim('demo.finance1');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'reclaimed', reclaimedOre: BUDGET.toString() });
    expect((await burned()) - before).toBe(BUDGET);
    const audited = await s.world.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'program.reclaim.signed'));
    expect(audited).toHaveLength(1);
  });
});
