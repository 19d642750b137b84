import { createHash } from 'node:crypto';
import { REVERSAL_TYPES, redemptionDomain, voucherHubAbi } from '@voucher/contracts';
import {
  programs,
  type RedemptionReversal,
  type ReversalKind,
  type ReversalReason,
  redemptionReversals,
  redemptions,
} from '@voucher/db';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Hex, parseEventLogs } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import { expect } from 'vitest';
import { testConfig } from '../../../test/support/app.ts';
import { type OfficerSigning, officerSigning } from '../../../test/support/officer-signing.ts';
import { buildApp } from '../../app.ts';
import { enqueue } from '../../chain/test-fixture.ts';
import { markDisputeRefunded } from '../../disputes/mark-dispute-refunded.ts';
import { compactSignature } from '../../redemptions/terminal-signature.ts';
import {
  createRedemptionWorld,
  type RedemptionWorld,
  signRedemption,
  type WorldCitizen,
} from '../../redemptions/test-world.ts';
import { claimsOfUsername } from '../../staff/staff-claims.ts';

/**
 * Test-only: the redemption helper's world (demo municipality on a throwaway anvil and
 * database) plus a second app on the same database and chain configured for settlement
 * (small payout chunks, a debtor account). Redemptions go through the real HTTP routes.
 */
export interface SettlementWorld {
  world: RedemptionWorld;
  app: FastifyInstance;
  token(username: string): Promise<string>;
  /** Finance officers' virtual passkeys, enrolled on first use, and signed steps with them. */
  signing: OfficerSigning;
  /** signing.signedStep's relay answer: challenge, sign with the officer's passkey, relay. */
  signedStep: OfficerSigning['signedStep'];
  /** Closes, proposes and approves `periodId` (finance1 closes and proposes, finance2 approves). */
  closeProposeApprove(periodId: number): Promise<string>;
  redeem(args: {
    citizen: WorldCitizen;
    provider: string;
    terminal: PrivateKeyAccount;
    program: string;
    amountOre: bigint;
  }): Promise<void>;
  /**
   * A void or refund of a confirmed redemption, signed by `terminal` (a terminal of the same
   * provider) and sent straight to the hub through the outbox (the operator relays), then
   * recorded confirmed as the chain says it landed, the way the corrections path records it.
   */
  reverse(args: {
    terminal: PrivateKeyAccount;
    original: { terminal: string; redemptionId: bigint };
    amountOre: bigint;
    kind: ReversalKind;
    reason?: ReversalReason;
    disputeId?: string;
  }): Promise<RedemptionReversal>;
  /** The redemptions `redeem` made, newest last (terminal and id, to reverse them). */
  redeemed: { terminal: string; redemptionId: bigint; providerUsername: string; amountOre: bigint }[];
  close(): Promise<void>;
}

/** The test municipality's own account (src/chain/test-fixture.ts), never a provider's. */
export const DEBTOR = { iban: 'DK9520000123456789', bic: 'NDEADKKK' };

export async function createSettlementWorld(
  options: { chunkSize?: number; now?: () => Date } = {},
): Promise<SettlementWorld> {
  const world = await createRedemptionWorld();
  const config = testConfig({
    MASTER_KEY: world.fixture.config.masterKey.toString('hex'),
    SETTLEMENT_CHUNK_SIZE: String(options.chunkSize ?? 2),
    SETTLEMENT_WAIT_MS: '30000',
  });
  const app = await buildApp({ config, db: world.fixture.db, chain: world.gateway, now: options.now });
  await app.ready();
  let nextId = 1n;
  const worldToken = (username: string) => world.staffToken(username);
  const redeemed: SettlementWorld['redeemed'] = [];
  const token = async (username: string) => app.jwt.sign(await claimsOfUsername(world.deps.db, username));
  const signing = officerSigning({ app, db: world.fixture.db, gateway: world.gateway, token });
  return {
    world,
    app,
    redeemed,
    token,
    signing,
    signedStep: signing.signedStep,
    async closeProposeApprove(periodId) {
      const closed = await signing.signedStep('demo.finance1', '/periods/close/challenge', '/periods/close', {
        periodId,
      });
      expect(closed.response.statusCode, closed.response.body).toBe(200);
      const proposed = await signing.signedStep(
        'demo.finance1',
        '/settlements/challenge',
        '/settlements',
        { periodId },
        (challenge) => ({ totalOre: challenge.totalOre }),
      );
      expect(proposed.response.statusCode, proposed.response.body).toBe(201);
      const id = proposed.response.json().id as string;
      const approved = await signing.signedStep(
        'demo.finance2',
        `/settlements/${id}/approve/challenge`,
        `/settlements/${id}/approve`,
      );
      expect(approved.response.statusCode, approved.response.body).toBe(200);
      return id;
    },
    async redeem({ citizen, provider, terminal, program, amountOre }) {
      const token = await worldToken(provider);
      const headers = { authorization: `Bearer ${token}` };
      const scan = await world.app.inject({
        method: 'POST',
        url: '/scans',
        headers,
        payload: { pass: citizen.staticPass },
      });
      expect(scan.statusCode, scan.body).toBe(200);
      const id = nextId++;
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const programId = await world.programId(program);
      const providerId = await world.providerId(provider);
      const signature = await signRedemption(
        terminal,
        { chainId: world.gateway.chainId, hub: world.gateway.addresses.hub },
        { id, account: citizen.accountId, program: programId, provider: providerId, amountOre, deadline },
      );
      const response = await world.app.inject({
        method: 'POST',
        url: '/redemptions',
        headers,
        payload: {
          scanId: scan.json().scanId,
          terminal: terminal.address,
          redemptionId: id.toString(),
          programId: programId.toString(),
          amountOre: amountOre.toString(),
          deadline,
          signature,
        },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().status).toBe('confirmed');
      redeemed.push({
        terminal: terminal.address.toLowerCase(),
        redemptionId: id,
        providerUsername: provider,
        amountOre,
      });
    },
    async reverse({ terminal, original, amountOre, kind, reason, disputeId }) {
      const db = world.deps.db;
      const [row] = await db
        .select({ redemption: redemptions, municipalityId: programs.municipalityId })
        .from(redemptions)
        .innerJoin(programs, eq(programs.id, redemptions.programId))
        .where(
          and(
            eq(redemptions.terminal, original.terminal.toLowerCase()),
            eq(redemptions.redemptionId, original.redemptionId),
          ),
        );
      if (!row) throw new Error('no such redemption to reverse');
      const { redemption, municipalityId } = row;
      const id = nextId++;
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const period = kind === 'void' ? Number(redemption.periodId) : 0;
      const signed = {
        id: redemption.redemptionId,
        account: redemption.account as Hex,
        program: redemption.programId,
        provider: redemption.providerId,
        amountOre: redemption.amountOre,
        deadline: Number(redemption.deadline),
      };
      const signature = await terminal.signTypedData({
        domain: redemptionDomain(world.gateway.chainId, world.gateway.addresses.hub),
        types: REVERSAL_TYPES,
        primaryType: 'Reversal',
        message: { id, redemption: signed, amountOre, period, deadline },
      });
      const key = {
        terminal: terminal.address.toLowerCase(),
        reversalId: id,
      };
      await db.insert(redemptionReversals).values({
        ...key,
        originalTerminal: redemption.terminal,
        originalRedemptionId: redemption.redemptionId,
        municipalityId,
        providerId: redemption.providerId,
        programId: redemption.programId,
        account: redemption.account,
        kind,
        reason: reason ?? (kind === 'void' ? 'mistyped' : 'returned'),
        amountOre,
        requiredPeriodId: kind === 'void' ? redemption.periodId : null,
        deadline: BigInt(deadline),
        signature,
        payloadHash: createHash('sha256').update(signature).digest(),
        disputeId: disputeId ?? null,
      });
      const original_ = compactSignature(redemption.signature as Hex);
      const reversal = compactSignature(signature);
      const outboxId = await enqueue(db, {
        kind: 'test.reverse',
        contract: 'hub',
        functionName: 'reverse',
        args: [
          {
            redemption: {
              id: signed.id.toString(),
              account: signed.account,
              program: signed.program.toString(),
              provider: String(signed.provider),
              amountOre: signed.amountOre.toString(),
              deadline: String(signed.deadline),
            },
            sigR: original_.r,
            sigVs: original_.vs,
          },
          {
            id: id.toString(),
            amountOre: amountOre.toString(),
            period: String(period),
            deadline: String(deadline),
          },
          reversal.r,
          reversal.vs,
        ],
      });
      const outcome = await world.gateway.outbox.waitFor(outboxId, 20_000);
      expect(outcome.status, outcome.error ?? '').toBe('confirmed');
      const receipt = await world.gateway.publicClient.getTransactionReceipt({ hash: outcome.txHash as Hex });
      const [landed] = parseEventLogs({
        abi: voucherHubAbi,
        eventName: 'RedemptionReversed',
        logs: receipt.logs,
      });
      if (!landed) throw new Error('no RedemptionReversed in the receipt');
      return db.transaction(async (tx) => {
        const [confirmed] = await tx
          .update(redemptionReversals)
          .set({
            status: 'confirmed',
            txHash: (outcome.txHash as string).toLowerCase(),
            periodId: BigInt(landed.args.period),
            fromClaimOre: landed.args.fromClaimOre,
            creditRestored: landed.args.creditRestored,
            confirmedAt: new Date(),
          })
          .where(
            and(
              eq(redemptionReversals.terminal, key.terminal),
              eq(redemptionReversals.reversalId, key.reversalId),
            ),
          )
          .returning();
        if (!confirmed) throw new Error('reversal row vanished');
        if (disputeId) await markDisputeRefunded(tx, disputeId);
        return confirmed;
      });
    },
    async close() {
      await app.close();
      await world.close();
    },
  };
}
