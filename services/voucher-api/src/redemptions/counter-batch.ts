import {
  chainOutbox,
  type Database,
  executedRows,
  jsonRows,
  type Redemption,
  redemptions,
  type Transaction,
} from '@voucher/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import { AppError } from '../errors/app-error.ts';
import type { AccountVoucher, AssessedVoucher } from './account-vouchers.ts';
import { loadVouchersFor, voucherKey } from './counter-vouchers.ts';
import type { RedeemRequest } from './redeem.ts';
import { compactSignature } from './terminal-signature.ts';
import { assessVoucher, type ProviderFacts } from './voucher-rules.ts';

/**
 * A redemption that passed every check made before the account's lock: the request (its
 * terminal in lower case) with the scanned account, the provider and the payload's hash.
 */
export interface Candidate extends RedeemRequest {
  account: Hex;
  provider: ProviderFacts;
  payloadHash: Buffer;
}

/** Stored as pending with its outbox intent, with the voucher as it stands after it. */
export type Acceptance = { row: Redemption; voucher: AssessedVoucher } | { repeated: true };

interface Waiting {
  candidate: Candidate;
  now: () => Date;
  resolve(acceptance: Acceptance): void;
  reject(error: unknown): void;
}

// Distinguishes the per-account redemption lock from other users of pg_advisory_*.
const ACCOUNT_LOCK_NAMESPACE = 0x7ede;
/** Enough to carry a rush in a few transactions, small enough to keep each one short. */
const MAX_BATCH = 200;

/**
 * Group commit for the counter. Redemptions that arrive while a batch is being written wait
 * for the next one, and each batch is one transaction: lock the accounts, read their
 * vouchers, judge the requests in arrival order (a request sees the ones before it, also of
 * the same account), store the accepted ones with their outbox intents. A dozen round trips
 * per batch instead of per redemption is what lets one database serve a busy counter; a
 * lone request at a quiet counter goes at once, in a batch of one.
 */
class CounterBatcher {
  private queue: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Database) {}

  accept(candidate: Candidate, now: () => Date): Promise<Acceptance> {
    return new Promise((resolve, reject) => {
      this.queue.push({ candidate, now, resolve, reject });
      void this.writeNext();
    });
  }

  private async writeNext(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      // One clock for the batch: the service's own (tests set it), read as the batch starts.
      const now = (batch[0] as Waiting).now();
      const outcomes = await this.db.transaction((tx) => writeBatch(tx, batch, now));
      batch.forEach((waiting, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof AppError) waiting.reject(outcome);
        else if (outcome) waiting.resolve(outcome);
        else waiting.reject(new Error('redemption batch left a request without an answer'));
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.writing = false;
      void this.writeNext();
    }
  }
}

async function writeBatch(tx: Transaction, batch: Waiting[], now: Date): Promise<(Acceptance | AppError)[]> {
  const candidates = batch.map((waiting) => waiting.candidate);
  // Sent together and answered in order: the reads run once the locks are held. Every
  // round trip counts here, as each one wakes the database on the other core.
  const [, vouchers, reservedIds] = await Promise.all([
    lockAccounts(
      tx,
      candidates.map((candidate) => candidate.account),
    ),
    loadVouchersFor(
      tx,
      candidates.map(({ account, programId }) => ({ account, programId })),
      now,
    ),
    reserveOutboxIds(tx, candidates.length),
  ]);
  const decisions = decideInOrder(candidates, vouchers, now);
  const accepted = decisions.flatMap((decision, index) =>
    'voucher' in decision ? [{ candidate: candidates[index] as Candidate, voucher: decision.voucher }] : [],
  );
  const intents = accepted.map(({ candidate }, index) => ({
    candidate,
    outboxId: reservedIds[index] as bigint,
  }));
  const [outboxIds, stored] = await Promise.all([
    enqueueRedemptions(tx, intents),
    insertPending(tx, intents, now),
  ]);
  await relinkToEarlierIntents(tx, stored, outboxIds);
  return decisions.map((decision, index): Acceptance | AppError => {
    if (decision instanceof AppError) return decision;
    if ('repeated' in decision) return decision;
    const candidate = candidates[index] as Candidate;
    const row = stored.get(idOf(candidate));
    // Not stored: the same id was stored first by another request (a retry racing itself).
    return row ? { row, voucher: decision.voucher } : { repeated: true };
  });
}

/** In a stable order, so two batches sharing accounts cannot deadlock. */
async function lockAccounts(tx: Transaction, accounts: Hex[]): Promise<void> {
  const sorted = [...new Set(accounts)].sort();
  await tx.execute(sql`
    SELECT count(pg_advisory_xact_lock(${ACCOUNT_LOCK_NAMESPACE}, hashtext(account)))
    FROM (SELECT unnest(string_to_array(${sorted.join(',')}, ',')) AS account ORDER BY 1) AS accounts`);
}

type Decision = AppError | { voucher: AssessedVoucher } | { repeated: true };

/**
 * Judges each request against its voucher as the requests before it in the batch left it:
 * an accepted one counts as spent (pending) for the next, exactly as if each had been
 * committed on its own.
 */
function decideInOrder(
  candidates: Candidate[],
  vouchers: Map<string, AccountVoucher>,
  now: Date,
): Decision[] {
  const seen = new Set<string>();
  return candidates.map((candidate) => {
    // The same id twice in one batch: the second answers like a retry of the first.
    if (seen.has(idOf(candidate))) return { repeated: true };
    const voucher = vouchers.get(voucherKey(candidate));
    if (!voucher) return new AppError('VOUCHER_NOT_GRANTED');
    const standing = assessVoucher({
      ...voucher,
      provider: candidate.provider,
      now,
      amountOre: candidate.amountOre,
    });
    if (standing.refusal) return new AppError(standing.refusal.code, standing.refusal.details);
    seen.add(idOf(candidate));
    voucher.usage = {
      spentOre: voucher.usage.spentOre + candidate.amountOre,
      usesSpent: voucher.usage.usesSpent + 1,
      times: [...voucher.usage.times, now],
    };
    const after = assessVoucher({ ...voucher, provider: candidate.provider, now });
    return { voucher: { ...voucher, standing: after } };
  });
}

function idOf(candidate: { terminal: string; redemptionId: bigint }): string {
  return `${candidate.terminal}:${candidate.redemptionId}`;
}

function idempotencyKeyOf(candidate: Candidate): string {
  return `redemption:${candidate.terminal}:${candidate.redemptionId}`;
}

interface Intent {
  candidate: Candidate;
  outboxId: bigint;
}

/** Outbox ids taken ahead, so a redemption and its intent can be inserted together. */
async function reserveOutboxIds(tx: Transaction, count: number): Promise<bigint[]> {
  const reserved = await tx.execute(sql`
    SELECT nextval(pg_get_serial_sequence('chain_outbox', 'id'))::text AS id FROM generate_series(1, ${count}::int)`);
  return executedRows<{ id: string }>(reserved).map((row) => BigInt(row.id));
}

/** The chain intents, one per redemption, in one statement; an existing intent is reused. */
async function enqueueRedemptions(tx: Transaction, intents: Intent[]): Promise<Map<string, bigint>> {
  const ids = new Map<string, bigint>();
  if (intents.length === 0) return ids;
  const inserted = await tx.execute(sql`
    INSERT INTO ${chainOutbox} (id, kind, contract, function_name, args, signer, idempotency_key)
    SELECT id, kind, contract, function_name, args, signer, idempotency_key
    FROM jsonb_to_recordset(${jsonRows(intents.map(redeemIntent))})
      AS intent(id bigint, kind text, contract text, function_name text, args jsonb, signer text, idempotency_key text)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id::text AS id, idempotency_key AS key`);
  for (const row of executedRows<{ id: string; key: string }>(inserted)) ids.set(row.key, BigInt(row.id));
  const missing = intents.map(({ candidate }) => idempotencyKeyOf(candidate)).filter((key) => !ids.has(key));
  if (missing.length > 0) {
    const existing = await tx
      .select({ id: chainOutbox.id, key: chainOutbox.idempotencyKey })
      .from(chainOutbox)
      .where(inArray(chainOutbox.idempotencyKey, missing));
    for (const row of existing) ids.set(row.key, row.id);
  }
  return ids;
}

function redeemIntent({ candidate, outboxId }: Intent) {
  const { r, vs } = compactSignature(candidate.signature);
  return {
    id: outboxId,
    kind: 'redemption.redeem',
    contract: 'hub',
    function_name: 'redeem',
    args: [
      {
        id: candidate.redemptionId.toString(),
        account: candidate.account,
        program: candidate.programId.toString(),
        provider: String(candidate.provider.id),
        amountOre: candidate.amountOre.toString(),
        deadline: String(candidate.deadline),
      },
      r,
      vs,
    ],
    signer: 'operator',
    idempotency_key: idempotencyKeyOf(candidate),
  };
}

/** The pending rows, in one statement; an id stored before (a racing retry) is left alone. */
async function insertPending(
  tx: Transaction,
  intents: Intent[],
  now: Date,
): Promise<Map<string, Redemption>> {
  const stored = new Map<string, Redemption>();
  if (intents.length === 0) return stored;
  const rows = intents.map((intent) => pendingRow(intent, now));
  const inserted = await tx.execute(sql`
    INSERT INTO ${redemptions} (terminal, redemption_id, provider_id, program_id, account, amount_ore,
      deadline, signature, scan_id, payload_hash, outbox_id, created_at)
    SELECT terminal, redemption_id, provider_id, program_id, account, amount_ore,
      deadline, signature, scan_id, decode(payload_hash, 'hex'), outbox_id, created_at
    FROM jsonb_to_recordset(${jsonRows(rows.map(asRecord))})
      AS pending(terminal text, redemption_id bigint, provider_id integer, program_id bigint, account text,
        amount_ore bigint, deadline bigint, signature text, scan_id uuid, payload_hash text, outbox_id bigint,
        created_at timestamptz)
    ON CONFLICT DO NOTHING
    RETURNING terminal, redemption_id::text AS redemption_id`);
  const kept = new Set(
    executedRows<{ terminal: string; redemption_id: string }>(inserted).map(
      (row) => `${row.terminal}:${row.redemption_id}`,
    ),
  );
  for (const row of rows) if (kept.has(idOf(row))) stored.set(idOf(row), row);
  return stored;
}

/**
 * A stored redemption whose intent already existed (only a request replayed after a crash
 * between the two could do that) points at that intent instead of the unused reserved id.
 */
async function relinkToEarlierIntents(
  tx: Transaction,
  stored: Map<string, Redemption>,
  outboxIds: Map<string, bigint>,
): Promise<void> {
  for (const row of stored.values()) {
    const intentId = outboxIds.get(`redemption:${row.terminal}:${row.redemptionId}`);
    if (intentId === undefined || intentId === row.outboxId) continue;
    await tx
      .update(redemptions)
      .set({ outboxId: intentId })
      .where(and(eq(redemptions.terminal, row.terminal), eq(redemptions.redemptionId, row.redemptionId)));
    row.outboxId = intentId;
  }
}

/** A new redemption row exactly as the insert stores it. */
function pendingRow({ candidate, outboxId }: Intent, now: Date): Redemption {
  return {
    terminal: candidate.terminal,
    redemptionId: candidate.redemptionId,
    providerId: candidate.provider.id,
    programId: candidate.programId,
    account: candidate.account,
    amountOre: candidate.amountOre,
    deadline: BigInt(candidate.deadline),
    signature: candidate.signature.toLowerCase(),
    scanId: candidate.scanId,
    payloadHash: candidate.payloadHash,
    status: 'pending',
    rejectionCode: null,
    outboxId,
    txHash: null,
    periodId: null,
    createdAt: now,
    confirmedAt: null,
  };
}

function asRecord(row: Redemption) {
  return {
    terminal: row.terminal,
    redemption_id: row.redemptionId,
    provider_id: row.providerId,
    program_id: row.programId,
    account: row.account,
    amount_ore: row.amountOre,
    deadline: row.deadline,
    signature: row.signature,
    scan_id: row.scanId,
    payload_hash: row.payloadHash.toString('hex'),
    outbox_id: row.outboxId,
    created_at: row.createdAt.toISOString(),
  };
}

const batchers = new WeakMap<Database, CounterBatcher>();

/** Checks a redemption against its voucher under the account's lock and stores it as pending. */
export function acceptRedemption(db: Database, now: () => Date, candidate: Candidate): Promise<Acceptance> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new CounterBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher.accept(candidate, now);
}
