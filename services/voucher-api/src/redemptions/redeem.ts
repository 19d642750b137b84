import { createHash } from 'node:crypto';
import {
  accounts,
  type Database,
  passes,
  preparedOnce,
  providers,
  type Redemption,
  redemptionReversals,
  redemptions,
  scans,
  terminals,
} from '@voucher/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Hex } from 'viem';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import type { AssessedVoucher } from './account-vouchers.ts';
import { withCounterSlot } from './counter-admission.ts';
import { acceptRedemption } from './counter-batch.ts';
import { awaitOutcome } from './finalize.ts';
import { activeAdmissionsJson, admissionsFromJson } from './provider-admissions.ts';
import { recoverTerminal } from './terminal-signature.ts';

/** VoucherHub.MAX_DEADLINE_LEAD. */
export const MAX_DEADLINE_LEAD_SECONDS = 2 * 60 * 60;

export interface RedeemRequest {
  scanId: string;
  terminal: string;
  redemptionId: bigint;
  programId: bigint;
  amountOre: bigint;
  deadline: number;
  signature: Hex;
}

/** A redemption as it stands, and for a new one the voucher as it was left by it. */
export interface RedeemOutcome {
  row: Redemption;
  voucherAfter?: AssessedVoucher;
}

/**
 * Redeems a voucher with a terminal-signed request. Every rule the hub enforces is checked
 * first, so a refusal is a 4xx that changed nothing. An accepted request becomes a pending
 * row and an outbox intent in one transaction (so it is never lost), under a per-account
 * lock that makes two terminals racing for the last use see each other (counter-batch.ts).
 * Then it waits up to `redemptionWaitMs` for the chain, which stays the final judge.
 */
export async function redeem(
  deps: DomainDeps,
  actor: AccessClaims,
  request: RedeemRequest,
): Promise<RedeemOutcome> {
  const accepted = await accept(deps, actor, request);
  if ('repeated' in accepted) {
    return { row: await repeat(deps, actor, accepted.repeated, accepted.payloadHash) };
  }
  const row = await awaitOutcome(deps, accepted.row, deps.config.redemptionWaitMs);
  return { row, voucherAfter: accepted.voucher };
}

/** Checks a request and stores it as pending with its outbox intent, or finds the earlier one. */
async function accept(
  deps: DomainDeps,
  actor: AccessClaims,
  request: RedeemRequest,
): Promise<{ row: Redemption; voucher: AssessedVoucher } | { repeated: Redemption; payloadHash: Buffer }> {
  const chain = deps.chain;
  if (!chain) throw new AppError('CHAIN_UNAVAILABLE');
  const terminal = request.terminal.toLowerCase();
  const payloadHash = hashPayload({ ...request, terminal });
  const facts = await withCounterSlot(() => counterFacts(deps, actor, terminal, request));
  // Another provider's terminal is refused before its ids are looked at: a used id and an
  // unused one must answer alike, or staff could probe which ids another till has used.
  if (facts.terminal?.providerId !== facts.provider.id) throw new AppError('TERMINAL_UNKNOWN');
  if (facts.earlier) return { repeated: facts.earlier, payloadHash };
  if (facts.reversalWithId !== null) throw new AppError('REDEMPTION_ID_USED_ON_CHAIN');
  const { provider, scan } = checkCounterFacts(deps, facts);
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  if (request.deadline <= nowSeconds) throw new AppError('REDEMPTION_DEADLINE_PASSED');
  // The hub refuses a deadline further ahead (it bounds when a redemption can have happened).
  if (request.deadline > nowSeconds + MAX_DEADLINE_LEAD_SECONDS) {
    throw new AppError('REDEMPTION_DEADLINE_TOO_FAR');
  }
  const message = {
    id: request.redemptionId,
    account: scan.account as Hex,
    program: request.programId,
    provider: provider.id,
    amountOre: request.amountOre,
    deadline: request.deadline,
  };
  const signer = recoverTerminal(
    { chainId: chain.chainId, hub: chain.addresses.hub },
    message,
    request.signature,
  );
  if (signer !== terminal) throw new AppError('REDEMPTION_SIGNATURE_INVALID');

  const acceptance = await acceptRedemption(deps.db, deps.now, {
    terminal,
    redemptionId: request.redemptionId,
    programId: request.programId,
    amountOre: request.amountOre,
    deadline: request.deadline,
    signature: request.signature,
    account: scan.account as Hex,
    scanId: scan.id,
    provider,
    payloadHash,
  });
  if ('row' in acceptance) return acceptance;
  // The same id sent twice at once: the later one answers like a retry.
  const winner = await findRedemption(deps, terminal, request.redemptionId);
  if (!winner) throw new Error('a redemption stored first is gone');
  return { repeated: winner, payloadHash };
}

/** Same id and same payload: the first result (waiting again if still pending). Else 422. */
async function repeat(deps: DomainDeps, actor: AccessClaims, row: Redemption, payloadHash: Buffer) {
  if (row.providerId !== actor.providerId || !row.payloadHash.equals(payloadHash)) {
    throw new AppError('REDEMPTION_ID_REUSED');
  }
  return awaitOutcome(deps, row, deps.config.redemptionWaitMs);
}

export async function findRedemption(
  deps: DomainDeps,
  terminal: string,
  redemptionId: bigint,
): Promise<Redemption | undefined> {
  const [row] = await deps.db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.terminal, terminal), eq(redemptions.redemptionId, redemptionId)));
  return row;
}

/**
 * Everything the counter checks before taking the lock, read in one query (one round trip
 * instead of six): an earlier request with this id, the provider, the terminal, the scan, the
 * printed pass and the account. Nothing is cached, so a revocation counts from the next request.
 */
async function counterFacts(deps: DomainDeps, actor: AccessClaims, terminal: string, request: RedeemRequest) {
  if (actor.providerId === undefined) throw new AppError('FORBIDDEN');
  const [row] = await preparedOnce(deps.db, 'counter-facts', buildCounterFactsQuery).execute({
    providerId: actor.providerId,
    terminal,
    redemptionId: request.redemptionId.toString(),
    scanId: request.scanId,
  });
  if (!row) throw new AppError('FORBIDDEN');
  return row;
}

// Built once per database (every request runs it; see preparedOnce).
function buildCounterFactsQuery(db: Database) {
  return db
    .select({
      earlier: redemptions,
      // The terminal's ids are one counter for redemptions and reversals (the hub's replay protection).
      reversalWithId: redemptionReversals.reversalId,
      provider: {
        id: providers.id,
        status: providers.status,
        municipalityId: providers.municipalityId,
        name: providers.name,
      },
      admissions: activeAdmissionsJson,
      terminal: { providerId: terminals.providerId, status: terminals.status },
      scan: scans,
      passStatus: passes.status,
      accountStatus: accounts.status,
    })
    .from(providers)
    .leftJoin(
      redemptions,
      and(
        eq(redemptions.terminal, sql.placeholder('terminal')),
        eq(redemptions.redemptionId, sql.placeholder('redemptionId')),
      ),
    )
    .leftJoin(
      redemptionReversals,
      and(
        eq(redemptionReversals.terminal, sql.placeholder('terminal')),
        eq(redemptionReversals.reversalId, sql.placeholder('redemptionId')),
      ),
    )
    .leftJoin(terminals, eq(terminals.address, sql.placeholder('terminal')))
    .leftJoin(scans, eq(scans.id, sql.placeholder('scanId')))
    .leftJoin(passes, eq(passes.serial, scans.passSerial))
    .leftJoin(accounts, eq(accounts.accountId, sql`decode(substring(${scans.account} from 3), 'hex')`))
    .where(eq(providers.id, sql.placeholder('providerId')))
    .prepare('counter_facts');
}

type CounterFacts = Awaited<ReturnType<typeof counterFacts>>;

/**
 * The rules in the order a refusal is reported: a suspended provider, a terminal of another
 * provider or revoked, someone else's or an expired scan, a revoked printed pass (revoked
 * since the scan), an account no longer active.
 */
function checkCounterFacts(deps: DomainDeps, facts: CounterFacts) {
  const { provider, terminal, scan } = facts;
  if (provider.status !== 'active') throw new AppError('PROVIDER_SUSPENDED');
  if (!terminal || terminal.providerId !== provider.id) throw new AppError('TERMINAL_UNKNOWN');
  if (terminal.status !== 'active') throw new AppError('TERMINAL_REVOKED');
  if (!scan || scan.providerId !== provider.id) throw new AppError('SCAN_NOT_FOUND');
  if (scan.expiresAt <= deps.now()) throw new AppError('SCAN_EXPIRED');
  if (scan.passSerial !== null && facts.passStatus !== 'active') throw new AppError('PASS_REVOKED');
  if (facts.accountStatus !== 'active') throw new AppError('ACCOUNT_NOT_ACTIVE');
  return { provider: { ...provider, admissions: admissionsFromJson(facts.admissions) }, scan };
}

/** What makes two requests "the same payment"; the signature is left out (it only proves it). */
function hashPayload(request: RedeemRequest & { terminal: string }): Buffer {
  const canonical = [
    request.scanId.toLowerCase(),
    request.terminal,
    request.redemptionId.toString(),
    request.programId.toString(),
    request.amountOre.toString(),
    String(request.deadline),
  ].join('|');
  return createHash('sha256').update(canonical).digest();
}
