import { chainOutbox, type Database } from '@voucher/db';
import { inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { ChainGateway } from '../src/chain/gateway.ts';
import { type ChainFixture, createChainFixture } from '../src/chain/test-fixture.ts';
import { KAREN } from '../src/routes/citizens/test-helpers.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { bearer, testConfig } from './support/app.ts';
import { virtualTreasuryKeys } from './support/demo-treasury-key.ts';

/**
 * The erasure proof on a real chain: a citizen is enrolled, granted a voucher and erased
 * through the API while the outbox writes to anvil; afterwards every transaction's calldata
 * and every log the chain holds is searched for the person.
 */
describe('erasure leaves nothing on chain that ties back to the person', () => {
  let fixture: ChainFixture;
  let gateway: ChainGateway;
  let app: FastifyInstance;
  let caseworker: string;
  beforeAll(async () => {
    fixture = await createChainFixture();
    gateway = await fixture.gateway();
    const config = testConfig({ MASTER_KEY: fixture.config.masterKey.toString('hex') });
    app = await buildApp({ config, db: fixture.db, chain: gateway, chainHealth: gateway.chainHealth });
    await app.ready();
    const logins = await seedDemo(app.deps, {
      enrolDemoCitizens: async () => {},
      treasuryKeys: virtualTreasuryKeys(config),
    });
    gateway.outbox.start();
    await outboxSettled(fixture.db);
    const password = logins.find((login) => login.username === 'demo.caseworker')?.password;
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'demo.caseworker', password },
    });
    caseworker = login.json().accessToken;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  const call = (url: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers: bearer(caseworker), ...(payload ? { payload } : {}) });

  it('puts only the pseudonymous account on chain, before and after erasure', async () => {
    const enrolled = await call('/citizens', KAREN);
    expect(enrolled.statusCode).toBe(201);
    const { citizenId, accountId } = enrolled.json();
    const granted = await call(`/citizens/${citizenId}/grants`, { programId: '1' });
    expect(granted.statusCode).toBe(201);
    // The outbox runs, so the caseworker hears that the grant is on chain and usable.
    expect(granted.json().chainStatus).toBe('confirmed');
    expect((await call(`/citizens/${citizenId}/letter`)).statusCode).toBe(200);
    await outboxSettled(fixture.db);
    expect(await chainRecords(gateway)).toContain(accountId.slice(2));

    expect((await call(`/citizens/${citizenId}/erase`)).statusCode).toBe(204);
    await outboxSettled(fixture.db);

    const onChain = await chainRecords(gateway);
    // The account was registered, granted and closed: the search did see it.
    expect(onChain).toContain(accountId.slice(2));
    for (const trace of personTraces()) expect(onChain).not.toContain(trace);
  }, 120_000);
});

/** Every transaction's calldata and every log (topics and data) from genesis, as one hex string. */
async function chainRecords(gateway: ChainGateway): Promise<string> {
  const client = gateway.publicClient;
  const head = await client.getBlockNumber();
  const parts: string[] = [];
  for (let number = 0n; number <= head; number++) {
    const block = await client.getBlock({ blockNumber: number, includeTransactions: true });
    for (const transaction of block.transactions) parts.push(transaction.input);
  }
  for (const log of await client.getLogs({ fromBlock: 0n, toBlock: head })) {
    parts.push(log.data, ...log.topics);
  }
  return parts.join('\n').toLowerCase();
}

/** The person as text would appear in calldata: UTF-8 bytes in hex, and digits as plain hex too. */
function personTraces(): string[] {
  const texts = [KAREN.name, 'Karen', KAREN.cpr, KAREN.cpr.replace('-', ''), KAREN.address.street];
  const cprAsNumber = BigInt(KAREN.cpr.replace('-', '')).toString(16);
  return [...texts.map((text) => Buffer.from(text, 'utf8').toString('hex')), cprAsNumber];
}

async function outboxSettled(db: Database): Promise<void> {
  for (let round = 0; round < 600; round++) {
    const open = await db
      .select({ id: chainOutbox.id })
      .from(chainOutbox)
      .where(inArray(chainOutbox.status, ['queued', 'signed', 'sent']))
      .limit(1);
    if (open.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('outbox did not settle');
}
