import { accounts, citizens, executedRows, grants, passes, programs, providers } from '@voucher/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessClaims } from '../src/auth/claims.ts';
import type { DomainDeps } from '../src/deps.ts';
import { createRedemptionWorld, type RedemptionWorld } from '../src/redemptions/test-world.ts';
import { DEMO_MUNICIPALITY, NEIGHBOUR_MUNICIPALITY } from '../src/seed/demo.ts';
import { claimsOfUsername } from '../src/staff/staff-claims.ts';
import { withTenant } from '../src/tenancy/with-tenant.ts';

/**
 * The second wall (migration 0009): reads made for a municipality's staff run behind
 * PostgreSQL row-level security, so a query with no municipality filter at all still sees
 * only the caller's municipality. Run on PGlite and on PostgreSQL, like every API test.
 */
/** Drizzle wraps the database's error; the reason is in its cause. */
const failedWith = (reason: RegExp) => (error: unknown) =>
  reason.test(String((error as { cause?: { message?: string } }).cause?.message));

describe('row-level security between municipalities', () => {
  let w: RedemptionWorld;
  let demo: AccessClaims;
  let nabo: AccessClaims;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    await w.citizen(['Fritidspas 2027']);
    await w.citizen(['Fritidspas Nabo 2027'], { caseworker: 'nabo.caseworker' });
    demo = await claimsOfUsername(w.deps.db, 'demo.caseworker');
    nabo = await claimsOfUsername(w.deps.db, 'nabo.caseworker');
  }, 180_000);
  afterAll(() => w?.close());

  const municipalitiesSeen = (
    actor: AccessClaims,
    table: typeof citizens | typeof accounts | typeof grants | typeof programs,
  ) =>
    withTenant(w.deps, actor, async (deps: DomainDeps) =>
      [
        ...new Set((await deps.db.select({ m: table.municipalityId }).from(table)).map((row) => row.m)),
      ].sort(),
    );

  it('an unfiltered query sees only the caller’s municipality’s citizens, accounts, grants and programs', async () => {
    for (const table of [citizens, accounts, grants, programs]) {
      expect(await municipalitiesSeen(demo, table)).toEqual([DEMO_MUNICIPALITY.id]);
      expect(await municipalitiesSeen(nabo, table)).toEqual([NEIGHBOUR_MUNICIPALITY.id]);
    }
    // The owner, as the outbox and the indexer run, sees both.
    const all = await w.deps.db.select({ m: citizens.municipalityId }).from(citizens);
    expect(new Set(all.map((row) => row.m))).toEqual(
      new Set([DEMO_MUNICIPALITY.id, NEIGHBOUR_MUNICIPALITY.id]),
    );
  });

  it('passes follow their account: none of another municipality’s passes is visible', async () => {
    const seen = await withTenant(w.deps, nabo, async (deps) =>
      deps.db.execute(sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE a.municipality_id <> ${NEIGHBOUR_MUNICIPALITY.id})::int AS foreign
        FROM ${passes} p JOIN ${accounts} a ON a.account_id = p.account_id`),
    );
    const [row] = executedRows<{ n: number; foreign: number }>(seen);
    expect(row?.n).toBeGreaterThan(0);
    expect(row?.foreign).toBe(0);
    const naboPasses = await withTenant(w.deps, nabo, (deps) => deps.db.select().from(passes));
    const allPasses = await w.deps.db.select().from(passes);
    expect(naboPasses.length).toBeLessThan(allPasses.length);
  });

  it('a provider is seen where it is at home and where it is admitted, nowhere else', async () => {
    const names = async (actor: AccessClaims) =>
      (await withTenant(w.deps, actor, (deps) => deps.db.select({ cvr: providers.cvr }).from(providers))).map(
        (row) => row.cvr,
      );
    const sharedCvr = '29000018';
    const naboSees = await names(nabo);
    expect(naboSees).toContain(sharedCvr);
    expect(naboSees).toHaveLength(2);
    const demoSees = await names(demo);
    expect(demoSees).toContain(sharedCvr);
    expect(demoSees.length).toBeGreaterThan(2);
    expect(demoSees.filter((cvr) => naboSees.includes(cvr))).toEqual([sharedCvr]);
  });

  it('a write for another municipality is refused inside the wall', async () => {
    await expect(
      withTenant(w.deps, demo, (deps) =>
        deps.db
          .update(citizens)
          .set({ movedOutAt: new Date() })
          .where(sql`${citizens.municipalityId} = ${NEIGHBOUR_MUNICIPALITY.id}`)
          .returning(),
      ),
    ).resolves.toEqual([]);
    await expect(
      withTenant(w.deps, demo, (deps) =>
        deps.db.update(programs).set({ municipalityId: NEIGHBOUR_MUNICIPALITY.id }).returning(),
      ),
    ).rejects.toSatisfy(failedWith(/row-level security/));
  });

  it('fails closed: as the tenant role without a municipality, a query is an error, not everything', async () => {
    await expect(
      w.deps.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL ROLE voucher_tenant`);
        return tx.select().from(citizens);
      }),
    ).rejects.toSatisfy(failedWith(/voucher\.municipality_id/));
  });

  it('provider staff and the platform run outside it (they work across municipalities)', async () => {
    const sport = await claimsOfUsername(w.deps.db, 'demo.sport');
    const seen = await withTenant(w.deps, sport, (deps) =>
      deps.db.select({ m: programs.municipalityId }).from(programs),
    );
    expect(new Set(seen.map((row) => row.m)).size).toBe(2);
  });
});
