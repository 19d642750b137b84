import { voucherHubAbi } from '@voucher/contracts';
import { chainOutbox, chainTransactions } from '@voucher/db';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Hex } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueChainWrite } from '../outbox/enqueue.ts';
import { rejectionCodeFor } from '../redemptions/chain-rejection.ts';
import { compactSignature } from '../redemptions/terminal-signature.ts';
import { createRedemptionWorld, type RedemptionWorld, signRedemption } from '../redemptions/test-world.ts';
import { batchGasLimit } from './redeem-batch.ts';
import { drainUntilSettled } from './test-fixture.ts';

class SimulatedCrash extends Error {}

const BORNEPAKKE = 'Børnepakke';

describe('redemptions sent as one batch', () => {
  let world: RedemptionWorld;
  let till: PrivateKeyAccount;
  let club: number;
  let bornepakke: bigint;
  let nextId = 1n;

  beforeAll(async () => {
    world = await createRedemptionWorld();
    till = await world.terminal('demo.sport');
    club = await world.providerId('demo.sport');
    bornepakke = await world.programId(BORNEPAKKE);
  }, 180_000);
  afterAll(() => world?.close());

  interface Redemption {
    account: Hex;
    amountOre: bigint;
    signer?: PrivateKeyAccount;
    /** The signer's provider, when it is not the club's till. */
    provider?: number;
  }

  /**
   * Queues redemption intents the way the counter does, in one transaction, so that any
   * drain (also one an earlier request woke) sees all of them or none.
   */
  async function queueRedemptions(redemptions: Redemption[]): Promise<bigint[]> {
    const intents = await Promise.all(redemptions.map(intentFor));
    return world.deps.db.transaction(async (tx) => {
      const ids: bigint[] = [];
      for (const intent of intents) ids.push(await enqueueChainWrite(tx, intent));
      return ids;
    });
  }

  async function intentFor({ account, amountOre, signer = till, provider = club }: Redemption) {
    const id = nextId++;
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const message = { id, account, program: bornepakke, provider, amountOre, deadline };
    const signature = await signRedemption(
      signer,
      { chainId: world.gateway.chainId, hub: world.gateway.addresses.hub },
      message,
    );
    const { r, vs } = compactSignature(signature);
    return {
      kind: 'redemption.redeem',
      contract: 'hub' as const,
      functionName: 'redeem',
      args: [
        {
          id: id.toString(),
          account,
          program: bornepakke.toString(),
          provider: String(provider),
          amountOre: amountOre.toString(),
          deadline: String(deadline),
        },
        r,
        vs,
      ],
      idempotencyKey: `batch-test:${till.address}:${id}`,
    };
  }

  async function rows(ids: bigint[]) {
    return world.deps.db
      .select()
      .from(chainOutbox)
      .where(inArray(chainOutbox.id, ids))
      .orderBy(asc(chainOutbox.id));
  }

  async function creditLeft(account: Hex) {
    const grant = await world.gateway.publicClient.readContract({
      address: world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'grantOf',
      args: [account, bornepakke],
    });
    return grant.remaining;
  }

  it('sends a run of redemptions as one transaction; a refused one fails with the hub reason, the rest count', async () => {
    const citizen = await world.citizen([BORNEPAKKE]);
    const before = await creditLeft(citizen.accountId);
    const forger = privateKeyToAccount(generatePrivateKey());
    const ids = await queueRedemptions([
      { account: citizen.accountId, amountOre: 10_000n },
      { account: citizen.accountId, amountOre: 20_000n, signer: forger },
      { account: citizen.accountId, amountOre: 30_000n },
    ]);

    await world.gateway.outbox.drainOnce();

    const [first, forged, third] = await rows(ids);
    expect(first?.status).toBe('confirmed');
    expect(third?.status).toBe('confirmed');
    expect(third?.txHash, 'one transaction carried the run').toBe(first?.txHash);
    expect(forged?.txHash).toBe(first?.txHash);
    expect(forged?.status).toBe('failed');
    expect(forged?.lastError).toMatch(/^TerminalNotRegistered\(.*\) \(refused on chain in block \d+\)$/);
    expect(rejectionCodeFor(forged?.lastError ?? null)).toBe('TERMINAL_REVOKED');
    expect(await creditLeft(citizen.accountId), 'only the genuine redemptions took credit').toBe(
      before - 40_000n,
    );
  });

  it('resumes a batch signed before a crash: broadcast once, each redemption counted once', async () => {
    const citizen = await world.citizen([BORNEPAKKE]);
    const before = await creditLeft(citizen.accountId);
    const ids = await queueRedemptions([
      { account: citizen.accountId, amountOre: 5_000n },
      { account: citizen.accountId, amountOre: 6_000n },
    ]);
    const crashing = await world.fixture.gateway({
      afterSigned() {
        throw new SimulatedCrash('power cut after the batch was stored');
      },
    });
    const nonceBefore = await operatorNonce();

    await expect(crashing.outbox.drainOnce()).rejects.toBeInstanceOf(SimulatedCrash);
    const signed = await rows(ids);
    expect(signed.map((row) => row.status)).toEqual(['signed', 'signed']);
    expect(signed[1]?.txHash, 'both rows are in the same signed batch').toBe(signed[0]?.txHash);
    const stored = await world.deps.db
      .select()
      .from(chainTransactions)
      .where(eq(chainTransactions.hash, signed[0]?.txHash ?? ''));
    expect(stored, 'its bytes are stored once, before any broadcast').toHaveLength(1);

    await world.settle();

    const settled = await rows(ids);
    expect(settled.map((row) => row.status)).toEqual(['confirmed', 'confirmed']);
    expect(settled[0]?.txHash).toBe(signed[0]?.txHash);
    expect(await operatorNonce(), 'one transaction for the two').toBe(nonceBefore + 1);
    expect(await creditLeft(citizen.accountId)).toBe(before - 11_000n);
  });

  /**
   * The hub reverts a batch as a whole only when gas runs out (RedemptionBatchOutOfGas), so that
   * a low gas limit never refuses a valid redemption. Here the batch's gas fits its usual
   * redemptions but not one costly one: a new till's first redemption for a provider new to the
   * period (fresh storage slots). The rows go again in halves, down to single calls.
   */
  it('splits a batch that reverted as a whole: the valid redemptions land, a refused one fails with its reason', async () => {
    const citizen = await world.citizen([BORNEPAKKE]);
    const before = await creditLeft(citizen.accountId);
    const forger = privateKeyToAccount(generatePrivateKey());
    const books = {
      signer: await world.terminal('demo.books'),
      provider: await world.providerId('demo.books'),
    };
    const account = citizen.accountId;
    const usual: Redemption[] = [
      { account, amountOre: 1_000n },
      { account, amountOre: 2_000n, signer: forger },
      { account, amountOre: 3_000n },
      { account, amountOre: 4_000n },
    ];
    const costly: Redemption = { account, amountOre: 5_000n, ...books };
    const all = [usual[0], usual[1], usual[2], costly, usual[3]] as Redemption[];
    // A gas limit between what the batch needs without the costly row and with it.
    const [withoutCostly, withCostly] = await Promise.all([
      gasOfBatch(usual.map((each) => ({ ...each }))),
      gasOfBatch(all.map((each) => ({ ...each }))),
    ]);
    expect(withCostly - withoutCostly, 'the costly row needs much more gas').toBeGreaterThan(20_000n);
    const gasLimit = (withoutCostly + withCostly) / 2n;
    const tight = await world.fixture.gateway({ gasPerRedemption: (gasLimit - batchGasLimit(0)) / 5n });
    const ids = await queueRedemptions(all);
    const nonceBefore = await operatorNonce();

    await tight.outbox.drainOnce();

    const sentBack = await rows(ids);
    const batchHash = sentBack[0]?.txHash as Hex;
    const receipt = await world.gateway.publicClient.getTransactionReceipt({ hash: batchHash });
    expect(receipt.status, 'the batch reverted as a whole').toBe('reverted');
    expect(await operatorNonce()).toBe(nonceBefore + 1);
    for (const row of sentBack) {
      expect(row.status, 'every row is queued again, none failed').toBe('queued');
      expect(row.txHash, 'naming the reverted batch').toBe(batchHash);
      expect(row.lastError).toMatch(
        /^RedemptionBatchReverted\(5\): the batch reverted as a whole in block \d+/,
      );
    }

    await drainUntilSettled(tight, world.deps.db);

    const [first, forged, third, costlyRow, fifth] = await rows(ids);
    for (const row of [first, third, costlyRow, fifth])
      expect(row?.status, `row ${row?.id}`).toBe('confirmed');
    expect(forged?.status).toBe('failed');
    expect(forged?.lastError).toMatch(/^TerminalNotRegistered\(/);
    expect(rejectionCodeFor(forged?.lastError ?? null)).toBe('TERMINAL_REVOKED');
    expect(await creditLeft(citizen.accountId), 'each valid redemption took credit once').toBe(
      before - 1_000n - 3_000n - 4_000n - 5_000n,
    );
  });

  /** The least gas `redeemBatch` needs for these redemptions, sent by the operator. */
  async function gasOfBatch(redemptions: Redemption[]): Promise<bigint> {
    const intents = await Promise.all(redemptions.map(intentFor));
    const batch = intents.map(({ args }) => {
      const [r, sigR, sigVs] = args as [Record<string, string>, Hex, Hex];
      return {
        redemption: {
          id: BigInt(r.id as string),
          account: r.account as Hex,
          program: BigInt(r.program as string),
          provider: Number(r.provider),
          amountOre: BigInt(r.amountOre as string),
          deadline: Number(r.deadline),
        },
        sigR,
        sigVs,
      };
    });
    return world.gateway.publicClient.estimateContractGas({
      address: world.gateway.addresses.hub,
      abi: voucherHubAbi,
      functionName: 'redeemBatch',
      args: [batch],
      account: world.gateway.operatorAddress,
    });
  }

  async function operatorNonce() {
    return world.gateway.publicClient.getTransactionCount({ address: world.gateway.operatorAddress });
  }
});
