import { ROLE } from '@voucher/contracts';
import { chainOutbox } from '@voucher/db';
import { asc, like } from 'drizzle-orm';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ADMIN_SIGNER } from '../../chain/signers.ts';
import { enqueue } from '../../chain/test-fixture.ts';
import { DEMO_MUNICIPALITY } from '../../seed/demo.ts';
import { createSettlementWorld, type SettlementWorld } from '../settlements/test-settlement-world.ts';

/**
 * A close the chain refused (here: the officer's role was taken back on chain after the service
 * checked the signature) can be asked for again once the cause is gone, and then closes. The
 * service's clock stands still, so the challenge asked again names the same deadline and so the
 * same digest as the refused one: the retry must not be mistaken for a double click.
 */
describe('retrying a refused period close', () => {
  let s: SettlementWorld;
  const now = new Date();

  beforeAll(async () => {
    s = await createSettlementWorld({ now: () => now });
  }, 180_000);
  afterAll(() => s?.close());

  const closeStep = () =>
    s.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', { periodId: 1 });

  async function financeRole(change: 'grantMunicipalRole' | 'revokeMunicipalRole', address: Hex) {
    await enqueue(s.world.fixture.db, {
      kind: 'test.role',
      contract: 'hub',
      functionName: change,
      args: [String(DEMO_MUNICIPALITY.id), ROLE.financeOfficer, address],
      signer: DEVELOPMENT_ADMIN_SIGNER,
    });
    await s.world.settle();
  }

  const closeRows = () =>
    s.world.fixture.db
      .select()
      .from(chainOutbox)
      .where(like(chainOutbox.idempotencyKey, 'municipality:101:period:1:close:%'))
      .orderBy(asc(chainOutbox.id));

  it('relays the close again after the chain refused it, and the retry closes the period', async () => {
    const officer = await s.signing.officer('demo.finance1');
    await financeRole('revokeMunicipalRole', officer.address);

    const refused = await closeStep();
    expect(refused.response.statusCode, refused.response.body).toBe(409);
    expect(refused.response.json().error.code).toBe('PERIOD_CLOSE_FAILED');
    const [failed] = await closeRows();
    expect(failed?.status).toBe('failed');

    await financeRole('grantMunicipalRole', officer.address);
    const retried = await closeStep();
    expect(retried.challenge.json().digest, 'the same digest as the refused close').toBe(
      refused.challenge.json().digest,
    );
    expect(retried.response.statusCode, retried.response.body).toBe(200);
    expect(retried.response.json()).toMatchObject({ status: 'closed', periodId: 1 });

    const rows = await closeRows();
    expect(rows.map((row) => row.status)).toEqual(['failed', 'confirmed']);
    expect(rows[1]?.idempotencyKey).toMatch(/:close:0x[0-9a-f]{64}:retry-1:0x[0-9a-f]{40}$/);

    // The landed close's signature sent again (a double click) waits for it: nothing more is relayed.
    const twice = await closeStep();
    expect(twice.response.statusCode).toBe(409);
    expect(twice.response.json().error.code).toBe('PERIOD_NOT_OPEN');
    expect(await closeRows()).toHaveLength(2);
  });
});
