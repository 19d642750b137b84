import { ROLE, voucherHubAbi } from '@voucher/contracts';
import { chainCursor, chainEvents } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { createTestClient, createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventIndexer } from './indexer.ts';
import {
  type ChainFixture,
  createChainFixture,
  drainUntilSettled,
  enqueue,
  municipalRoleIntent,
  randomAccountId,
  registerAccountIntent,
  TEST_MUNICIPALITY_ID,
  testLogger,
} from './test-fixture.ts';

// anvil's second development account: a second enrolment officer that sends outside the outbox.
const SECOND_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

let fixture: ChainFixture;

beforeAll(async () => {
  fixture = await createChainFixture();
});

afterAll(async () => {
  await fixture?.close();
});

async function accountEvents() {
  const rows = await fixture.db
    .select()
    .from(chainEvents)
    .where(eq(chainEvents.eventName, 'AccountRegistered'));
  return rows.map((row) => (row.args as { account: string }).account);
}

async function storedCursor() {
  const [cursor] = await fixture.db.select().from(chainCursor).where(eq(chainCursor.name, 'voucher-events'));
  return cursor;
}

describe('event indexer', () => {
  it('indexes from the deployment and resumes from its cursor after a restart', async () => {
    const first = await fixture.gateway();
    const accounts = [randomAccountId(), randomAccountId(), randomAccountId()];
    for (const account of accounts) await enqueue(fixture.db, registerAccountIntent(account));
    await drainUntilSettled(first, fixture.db);

    const initial = await first.indexer.indexOnce();
    expect(initial.events).toBeGreaterThan(accounts.length); // role grants of the deployment too
    expect(await accountEvents()).toEqual(accounts);
    const cursor = await storedCursor();
    expect(cursor?.blockNumber).toBe(await first.publicClient.getBlockNumber());
    await first.close();

    const restarted = await fixture.gateway();
    const again = await restarted.indexer.indexOnce();
    expect(again).toMatchObject({ events: 0, cursorBlock: cursor?.blockNumber });
    expect(again.reorgAncestor).toBeUndefined();

    const later = randomAccountId();
    await enqueue(fixture.db, registerAccountIntent(later));
    await drainUntilSettled(restarted, fixture.db);
    expect(await restarted.indexer.indexOnce()).toMatchObject({ events: 1 });
    expect(await accountEvents()).toEqual([...accounts, later]);
  });

  it('stays the configured number of confirmations behind the head', async () => {
    const gateway = await fixture.gateway();
    const deep = new EventIndexer({
      db: fixture.db,
      publicClient: gateway.publicClient,
      chainId: gateway.chainId,
      addresses: gateway.addresses,
      deployedAtBlock: BigInt(gateway.deployment.deployedAtBlock),
      confirmations: 2,
      logger: testLogger,
      cursorName: 'two-confirmations',
      rangeSize: 3n,
    });
    const head = await gateway.publicClient.getBlockNumber();
    expect((await deep.indexOnce()).cursorBlock).toBe(head - 2n);
    await anvil().mine({ blocks: 2 });
    expect((await deep.indexOnce()).cursorBlock).toBe(head);
  });

  it('drops events of blocks a re-org removed and indexes the new branch', async () => {
    const gateway = await fixture.gateway();
    const second = privateKeyToAccount(SECOND_KEY);
    await enqueue(fixture.db, municipalRoleIntent(ROLE.enrolment, second.address));
    await drainUntilSettled(gateway, fixture.db);
    await gateway.indexer.indexOnce();
    const before = await accountEvents();

    const snapshot = await anvil().snapshot();
    const orphaned = randomAccountId();
    await registerDirectly(orphaned);
    await anvil().mine({ blocks: 1 });
    await gateway.indexer.indexOnce();
    expect(await accountEvents()).toEqual([...before, orphaned]);

    await anvil().revert({ id: snapshot });
    const replacement = randomAccountId();
    await registerDirectly(replacement);
    await anvil().mine({ blocks: 3 });
    const report = await gateway.indexer.indexOnce();

    expect(report.reorgAncestor).toBeDefined();
    expect(await accountEvents()).toEqual([...before, replacement]);
    const cursor = await storedCursor();
    const block = await gateway.publicClient.getBlock({ blockNumber: cursor?.blockNumber });
    expect(cursor?.blockHash).toBe(block.hash);
  });
});

function anvil() {
  return createTestClient({ mode: 'anvil', transport: http(fixture.anvil.rpcUrl) });
}

async function registerDirectly(account: Hex) {
  const gateway = await fixture.gateway();
  const wallet = createWalletClient({
    account: privateKeyToAccount(SECOND_KEY),
    chain: gateway.publicClient.chain,
    transport: http(fixture.anvil.rpcUrl),
  });
  const hash = await wallet.writeContract({
    address: gateway.addresses.hub,
    abi: voucherHubAbi,
    functionName: 'registerAccount',
    args: [TEST_MUNICIPALITY_ID, account],
  });
  await gateway.publicClient.waitForTransactionReceipt({ hash });
}
