import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROLE, voucherHubAbi } from '@voucher/contracts';
import { chainEvents, chainOutbox, chainTransactions } from '@voucher/db';
import { asc, eq, inArray } from 'drizzle-orm';
import { type Address, createTestClient, encodeFunctionData, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainPublicClient, describeChain } from './clients.ts';
import { DEVELOPMENT_ADMIN_SIGNER } from './signers.ts';
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

class SimulatedCrash extends Error {}

// anvil's second development account: an enrolment office outside this service.
const SECOND_ANVIL_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

let fixture: ChainFixture;

beforeAll(async () => {
  fixture = await createChainFixture();
});

afterAll(async () => {
  await fixture?.close();
});

async function outboxRow(id: bigint) {
  const [row] = await fixture.db.select().from(chainOutbox).where(eq(chainOutbox.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

async function storedBytes(hash: string | null): Promise<Hex> {
  const [stored] = await fixture.db
    .select()
    .from(chainTransactions)
    .where(eq(chainTransactions.hash, hash ?? ''));
  if (!stored) throw new Error(`no stored transaction ${hash}`);
  return stored.rawTx as Hex;
}

async function operatorNonce(address: Address) {
  const chain = await describeChain(fixture.anvil.rpcUrl);
  return createChainPublicClient(chain, fixture.anvil.rpcUrl).getTransactionCount({ address });
}

describe('outbox sender', () => {
  it('confirms registerAccount and registerProvider, and indexes their events', async () => {
    const gateway = await fixture.gateway();
    const account = randomAccountId();
    const accountRow = await enqueue(fixture.db, registerAccountIntent(account));
    const providerRow = await enqueue(fixture.db, {
      kind: 'provider.register',
      contract: 'hub',
      functionName: 'registerProvider',
      args: [String(TEST_MUNICIPALITY_ID), '7', '0x00000000000000000000000000000000000000a7', '3'],
    });

    await drainUntilSettled(gateway, fixture.db);

    for (const id of [accountRow, providerRow]) {
      const row = await outboxRow(id);
      expect(row.status, `row ${id}`).toBe('confirmed');
      expect(row.confirmedBlock).toBeGreaterThan(0n);
    }
    await gateway.indexer.indexOnce();
    const events = await fixture.db
      .select()
      .from(chainEvents)
      .where(inArray(chainEvents.eventName, ['AccountRegistered', 'ProviderRegistered']))
      .orderBy(asc(chainEvents.id));
    expect(events.map((event) => [event.eventName, event.args])).toEqual([
      ['AccountRegistered', { municipality: TEST_MUNICIPALITY_ID, account }],
      [
        'ProviderRegistered',
        {
          municipality: TEST_MUNICIPALITY_ID,
          provider: 7,
          payout: '0x00000000000000000000000000000000000000A7',
          categories: 3,
        },
      ],
    ]);
    expect(events[0]?.txHash).toBe((await outboxRow(accountRow)).txHash);
  });

  it('creates and funds a program through placeholders and a struct argument', async () => {
    const gateway = await fixture.gateway();
    const now = Math.floor(Date.now() / 1000);
    // The service's key holds no treasury role (the API refuses to start with one); this test
    // of the outbox's argument handling gives it the roles for the role-based calls below.
    const roles = [
      await enqueue(fixture.db, municipalRoleIntent(ROLE.treasury, '@operator')),
      await enqueue(fixture.db, {
        kind: 'test.ekrone-role',
        contract: 'ekrone',
        signer: DEVELOPMENT_ADMIN_SIGNER,
        functionName: 'grantRole',
        args: [ROLE.treasury, '@operator'],
      }),
      await enqueue(fixture.db, {
        kind: 'test.ekrone-participant',
        contract: 'ekrone',
        signer: DEVELOPMENT_ADMIN_SIGNER,
        functionName: 'setParticipant',
        args: ['@operator', true],
      }),
    ];
    const ids = [
      await enqueue(fixture.db, {
        kind: 'program.create',
        contract: 'hub',
        functionName: 'createProgram',
        args: [
          '42',
          {
            municipality: String(TEST_MUNICIPALITY_ID),
            kind: '0',
            maxPerUseOre: '15000',
            usesPerWindow: '0',
            windowSeconds: '0',
            categories: '1',
            restrictedToProviders: false,
            validFrom: String(now - 60),
            validUntil: String(now + 365 * 86_400),
          },
        ],
      }),
      await enqueue(fixture.db, {
        kind: 'fund.mint',
        contract: 'ekrone',
        functionName: 'mint',
        args: ['@operator', '500000'],
      }),
      await enqueue(fixture.db, {
        kind: 'fund.approve',
        contract: 'ekrone',
        functionName: 'approve',
        args: ['@contract:hub', '500000'],
      }),
      await enqueue(fixture.db, {
        kind: 'fund',
        contract: 'hub',
        functionName: 'fundProgram',
        args: ['42', '500000'],
      }),
    ];

    await drainUntilSettled(gateway, fixture.db);

    const rows = await Promise.all([...roles, ...ids].map(outboxRow));
    expect(rows.map((row) => [row.kind, row.status, row.lastError])).toEqual(
      rows.map((row) => [row.kind, 'confirmed', null]),
    );
    await gateway.indexer.indexOnce();
    const [funded] = await fixture.db
      .select()
      .from(chainEvents)
      .where(eq(chainEvents.eventName, 'ProgramFunded'));
    expect(funded?.args).toEqual({ program: '42', amountOre: '500000', freeOre: '500000' });
  });

  it('marks a reverting intent failed with the custom error name and arguments, without retrying', async () => {
    const gateway = await fixture.gateway();
    const account = randomAccountId();
    await enqueue(fixture.db, registerAccountIntent(account));
    const duplicate = await enqueue(fixture.db, registerAccountIntent(account));

    await drainUntilSettled(gateway, fixture.db);
    const failed = await outboxRow(duplicate);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toBe(`AccountAlreadyRegistered("${account}")`);
    expect(failed.nonce).toBeNull();

    await gateway.outbox.drainOnce();
    expect((await outboxRow(duplicate)).lastError).toBe(failed.lastError);
  });

  it('marks a transaction that reverts on chain failed, naming the error', async () => {
    const gateway = await fixture.gateway();
    const rival = privateKeyToAccount(SECOND_ANVIL_KEY);
    await enqueue(fixture.db, municipalRoleIntent(ROLE.enrolment, rival.address));
    await drainUntilSettled(gateway, fixture.db);
    const account = randomAccountId();
    await withoutAutomine(async (mineBlock) => {
      const id = await enqueue(fixture.db, registerAccountIntent(account));
      expect(await gateway.outbox.drainOnce()).toMatchObject({ signed: 1 });
      // Another enrolment office registers the same account with a tip, so it is mined first.
      const rivalTx = await rival.signTransaction({
        chainId: gateway.chainId,
        nonce: await gateway.publicClient.getTransactionCount({ address: rival.address }),
        to: gateway.addresses.hub,
        data: encodeFunctionData({
          abi: voucherHubAbi,
          functionName: 'registerAccount',
          args: [TEST_MUNICIPALITY_ID, account],
        }),
        gas: 200_000n,
        maxFeePerGas: 2_000_000_000n,
        maxPriorityFeePerGas: 2_000_000_000n,
      });
      await gateway.publicClient.sendRawTransaction({ serializedTransaction: rivalTx });
      await mineBlock();
      await drainUntilSettled(gateway, fixture.db);

      const reverted = await outboxRow(id);
      expect(reverted.status).toBe('failed');
      expect(reverted.lastError).toMatch(
        /^AccountAlreadyRegistered\(.*\) \(reverted on chain in block \d+\)$/,
      );
      expect(reverted.confirmedBlock).toBeGreaterThan(0n);
    });
  });

  it('fails intents that could carry anything but ids, addresses and amounts', async () => {
    const gateway = await fixture.gateway();
    const freeText = await enqueue(fixture.db, registerAccountIntent('Jens Hansen, Nørregade 1' as Hex));
    const decimalAsNumber = await enqueue(fixture.db, {
      kind: 'bad',
      contract: 'hub',
      functionName: 'grant',
      args: [randomAccountId(), '42', 'one hundred'],
    });

    await drainUntilSettled(gateway, fixture.db);

    for (const id of [freeText, decimalAsNumber]) {
      const row = await outboxRow(id);
      expect(row.status).toBe('failed');
      expect(row.lastError).toMatch(/^IntentInvalidError: /);
      // The rejection names the argument, never echoes its value.
      expect(row.lastError).not.toContain('Jens');
    }
  });

  it('sends the transaction exactly once when the process dies between signing and broadcasting', async () => {
    const crashing = await fixture.gateway({
      afterSigned: () => {
        throw new SimulatedCrash('power cut after the signed row was stored');
      },
    });
    const account = randomAccountId();
    const id = await enqueue(fixture.db, registerAccountIntent(account));
    const nonceBefore = await operatorNonce(crashing.operatorAddress);

    await expect(crashing.outbox.drainOnce()).rejects.toBeInstanceOf(SimulatedCrash);
    const signed = await outboxRow(id);
    expect(signed.status).toBe('signed');
    expect(await operatorNonce(crashing.operatorAddress)).toBe(nonceBefore);

    const restarted = await fixture.gateway();
    await drainUntilSettled(restarted, fixture.db);

    const confirmed = await outboxRow(id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.txHash).toBe(signed.txHash);
    expect(await storedBytes(confirmed.txHash), 'the bytes stored before the crash were sent').toBe(
      await storedBytes(signed.txHash),
    );
    expect(await operatorNonce(crashing.operatorAddress)).toBe(nonceBefore + 1);
    const calldata = encodeFunctionData({
      abi: voucherHubAbi,
      functionName: 'registerAccount',
      args: [TEST_MUNICIPALITY_ID, account],
    });
    expect(await countTransactionsWithInput(calldata)).toBe(1);
  });

  it('resolves "already known" and "nonce too low" answers by the stored hash after a crash after broadcast', async () => {
    const crashing = await fixture.gateway({
      afterSigned: async (row) => {
        await crashing.publicClient.sendRawTransaction({
          serializedTransaction: await storedBytes(row.txHash),
        });
        throw new SimulatedCrash('died before recording the broadcast');
      },
    });
    const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));
    await expect(crashing.outbox.drainOnce()).rejects.toBeInstanceOf(SimulatedCrash);

    const restarted = await fixture.gateway();
    await drainUntilSettled(restarted, fixture.db);

    const row = await outboxRow(id);
    expect(row.status).toBe('confirmed');
    expect(row.lastError).toBeNull();
  });

  it('never reuses a nonce when two gateways drain at once', async () => {
    const [first, second] = [await fixture.gateway(), await fixture.gateway()];
    const nonceBefore = await operatorNonce(first.operatorAddress);
    const ids: bigint[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(await enqueue(fixture.db, registerAccountIntent(randomAccountId())));

    await Promise.all([drainUntilSettled(first, fixture.db), drainUntilSettled(second, fixture.db)]);

    const rows = await fixture.db.select().from(chainOutbox).where(inArray(chainOutbox.id, ids));
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => 'confirmed'));
    const nonces = rows.map((row) => Number(row.nonce)).sort((a, b) => a - b);
    expect(nonces).toEqual(ids.map((_, index) => nonceBefore + index));
    expect(await operatorNonce(first.operatorAddress)).toBe(nonceBefore + 20);
  });

  it('refuses a row naming any signer but the operator: the service holds no officer key', async () => {
    const gateway = await fixture.gateway();
    const close = await enqueue(fixture.db, {
      kind: 'period.close',
      contract: 'hub',
      functionName: 'closePeriod',
      args: [String(TEST_MUNICIPALITY_ID)],
      signer: crypto.randomUUID(),
    });

    await drainUntilSettled(gateway, fixture.db);

    const refused = await outboxRow(close);
    expect(refused.status).toBe('failed');
    expect(refused.txHash).toBeNull();
  });

  it('settles a row in the round that sent it when the node mines a moment after the broadcast', async () => {
    const node = await nodeMiningAfterBroadcast(10);
    try {
      const gateway = await fixture.gateway({ rpcUrl: node.url });
      await withoutAutomine(async () => {
        const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));

        // Without asking again, the receipt would wait for a next round that, at a quiet
        // counter, nothing starts before the loop's interval.
        const report = await gateway.outbox.drainOnce();

        expect(report).toEqual({ signed: 1, confirmed: 1, failed: 0 });
        expect((await outboxRow(id)).status).toBe('confirmed');
      });
    } finally {
      await node.close();
    }
  });

  it('lets a route wait for the chain to accept a row while the loop runs', async () => {
    const gateway = await fixture.gateway({ pollIntervalMs: 5_000 });
    gateway.outbox.start();
    const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));

    const outcome = await gateway.outbox.waitFor(id, 10_000);

    expect(outcome).toMatchObject({ id, status: 'confirmed', error: null });
    await gateway.outbox.stop();
  });

  it('drains for a waiting caller without a loop, and answers pending at the timeout', async () => {
    const gateway = await fixture.gateway();
    await withoutAutomine(async (mineBlock) => {
      const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));
      expect(await gateway.outbox.waitFor(id, 300)).toMatchObject({ status: 'pending', error: null });
      await mineBlock();
      expect(await gateway.outbox.waitFor(id, 10_000)).toMatchObject({ status: 'confirmed' });
    });
  });

  it('answers a waiter without a loop once a block is mined while it waits', async () => {
    const gateway = await fixture.gateway();
    await withoutAutomine(async (mineBlock) => {
      const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));
      const waiting = gateway.outbox.waitFor(id, 10_000);
      await until(async () => (await outboxRow(id))?.status === 'sent');
      // The waiter's first drain found no receipt; only a drain after this block can.
      await mineBlock();
      expect(await waiting).toMatchObject({ status: 'confirmed', error: null });
    });
  });

  it('keeps a row queued and records the error when the RPC node is unreachable', async () => {
    const gateway = await fixture.gateway();
    const { OutboxSender } = await import('./outbox-sender.ts');
    const { OutboxSigners } = await import('./signers.ts');
    const chain = await describeChain(fixture.anvil.rpcUrl);
    const lost = new OutboxSender({
      db: fixture.db,
      publicClient: createChainPublicClient(chain, 'http://127.0.0.1:9'),
      chain,
      addresses: gateway.addresses,
      signers: new OutboxSigners(fixture.config.operatorPrivateKey as Hex),
      confirmations: 0,
      logger: testLogger,
    });
    await drainUntilSettled(gateway, fixture.db);
    const id = await enqueue(fixture.db, registerAccountIntent(randomAccountId()));

    await expect(lost.drainOnce()).rejects.toThrow();

    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row.lastError).toBeTruthy();
    await drainUntilSettled(gateway, fixture.db);
    expect((await outboxRow(id)).status).toBe('confirmed');
  });

  it('stores only ids, addresses, amounts and flags as outbox arguments', async () => {
    const rows = await fixture.db
      .select({ args: chainOutbox.args, status: chainOutbox.status })
      .from(chainOutbox);
    const leaves = rows.filter((row) => row.status !== 'failed').flatMap((row) => jsonLeaves(row.args));
    expect(leaves.length).toBeGreaterThan(0);
    for (const leaf of leaves) {
      expect(
        typeof leaf === 'boolean' ||
          /^(\d+|0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{64}|@operator|@development-admin|@contract:\w+)$/.test(
            String(leaf),
          ),
        `outbox argument ${String(leaf)}`,
      ).toBe(true);
    }
  });
});

/** Runs `body` with anvil mining only when asked, as a slow chain would. */
async function withoutAutomine(body: (mineBlock: () => Promise<void>) => Promise<void>): Promise<void> {
  const chainControl = createTestClient({ mode: 'anvil', transport: http(fixture.anvil.rpcUrl) });
  await chainControl.setAutomine(false);
  try {
    await body(async () => {
      await chainControl.mine({ blocks: 1 });
    });
  } finally {
    await chainControl.setAutomine(true);
  }
}

/**
 * The fixture's anvil behind a proxy that mines a block `delayMs` after it has answered a
 * broadcast, like a node that mines on arrival but takes a moment to do it (automine off).
 */
async function nodeMiningAfterBroadcast(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const anvilUrl = fixture.anvil.rpcUrl;
  const mine = () =>
    fetch(anvilUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }),
    }).catch(() => undefined);
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const answer = await fetch(anvilUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(await answer.text());
    if (body.includes('"eth_sendRawTransaction"')) setTimeout(mine, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries++) {
    if (tries > 400) throw new Error('condition never became true');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function jsonLeaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(jsonLeaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(jsonLeaves);
  return [value];
}

async function countTransactionsWithInput(input: Hex): Promise<number> {
  const chain = await describeChain(fixture.anvil.rpcUrl);
  const client = createChainPublicClient(chain, fixture.anvil.rpcUrl);
  const head = await client.getBlockNumber();
  let count = 0;
  for (let number = 0n; number <= head; number++) {
    const block = await client.getBlock({ blockNumber: number, includeTransactions: true });
    count += block.transactions.filter((tx) => tx.input === input).length;
  }
  return count;
}
