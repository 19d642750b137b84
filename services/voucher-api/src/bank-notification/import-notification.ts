import { createHash } from 'node:crypto';
import {
  appendAudit,
  bankNotificationEntries,
  bankNotificationImports,
  type Executor,
  settlementPayouts,
  settlements,
  type Transaction,
} from '@voucher/db';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { DomainDeps } from '../deps.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { type KnownPayout, type MatchedTransaction, matchTransactions } from './match-transactions.ts';
import { type BankNotification, parseBankNotification } from './parse-camt.ts';
import { type BankNotificationDetail, readDetail } from './read-notifications.ts';

export interface ImportOutcome {
  /** False when this municipality had imported the very same file before: nothing changed. */
  created: boolean;
  notification: BankNotificationDetail;
}

/** Rows per INSERT: well below PostgreSQL's 65,535 parameters at 14 columns a row. */
const INSERT_CHUNK = 1_000;

/**
 * Finance imports the bank's camt.054 (or camt.053) answer: each debit is matched to the
 * payout with its end-to-end id in the caller's municipality, and every exact match marks
 * that payout bank-confirmed, all in one transaction behind row-level security, so another
 * municipality's payouts can neither be seen nor confirmed. The file is read whole before
 * anything is written; a file imported before (same sha256) answers with that import and
 * changes nothing, and a payout already confirmed is never confirmed again.
 */
export async function importBankNotification(
  deps: DomainDeps,
  params: { actor: AccessClaims; xml: string },
): Promise<ImportOutcome> {
  const parsed = parseBankNotification(params.xml);
  const fileSha256 = createHash('sha256').update(params.xml, 'utf8').digest();
  const run = () =>
    withTenant(deps, params.actor, (scoped) =>
      scoped.db.transaction((tx) => importParsed(tx, deps.now(), params.actor, parsed, fileSha256)),
    );
  try {
    return await run();
  } catch (error) {
    // The same file uploaded twice at the same instant: the other upload won; answer with it.
    if (!isUniqueViolation(error, 'bank_notification_imports_file_unique')) throw error;
    return run();
  }
}

async function importParsed(
  tx: Transaction,
  now: Date,
  actor: AccessClaims,
  parsed: BankNotification,
  fileSha256: Buffer,
): Promise<ImportOutcome> {
  const [earlier] = await tx
    .select({ id: bankNotificationImports.id })
    .from(bankNotificationImports)
    .where(
      and(
        eq(bankNotificationImports.municipalityId, actor.municipalityId),
        eq(bankNotificationImports.fileSha256, fileSha256),
      ),
    );
  if (earlier) return { created: false, notification: await readDetail(tx, actor, earlier.id) };

  const payouts = await lockPayouts(tx, actor.municipalityId, parsed);
  const matched = matchTransactions(parsed.transactions, payouts);
  const counts = countOutcomes(matched);
  const [created] = await tx
    .insert(bankNotificationImports)
    .values({
      municipalityId: actor.municipalityId,
      kind: parsed.kind,
      messageId: parsed.messageId,
      messageCreatedAt: parsed.createdAt,
      fileSha256,
      importedBy: actor.sub,
      importedAt: now,
      entryCount: matched.length,
      ...counts,
      ignoredCreditCount: parsed.ignoredCreditCount,
    })
    .returning({ id: bankNotificationImports.id });
  const importId = (created as { id: string }).id;
  await insertEntries(tx, importId, actor.municipalityId, matched);
  const confirmed = await confirmPayouts(tx, importId, now);
  await appendAudit(tx, {
    ...auditActor(actor),
    municipalityId: actor.municipalityId,
    action: 'bank_notification.imported',
    subjectType: 'bank_notification',
    subjectId: importId,
    // Ids, counts and the file's hash: no amounts per provider, no accounts, no names.
    details: {
      kind: parsed.kind,
      fileSha256: fileSha256.toString('hex'),
      entries: matched.length,
      confirmed: counts.confirmedCount,
      differs: counts.differsCount,
      unmatched: counts.unmatchedCount,
      duplicate: counts.duplicateCount,
      pending: counts.pendingCount,
      ignoredCredit: parsed.ignoredCreditCount,
      confirmedPayouts: confirmed.map((p) => `${p.settlementId}:${p.providerId}`),
    },
  });
  return { created: true, notification: await readDetail(tx, actor, importId) };
}

/**
 * The payouts the file names, in live settlements of the municipality, locked until the
 * import commits: a second file confirming the same payout at the same time waits here and
 * then finds it confirmed. A settlement the chain refused keeps its lines for the record,
 * with the same end-to-end ids as the live one that replaced it, so it is left out.
 */
async function lockPayouts(
  tx: Executor,
  municipalityId: number,
  parsed: BankNotification,
): Promise<Map<string, KnownPayout>> {
  const ids = [...new Set(parsed.transactions.flatMap((t) => (t.endToEndId === null ? [] : [t.endToEndId])))];
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({
      settlementId: settlementPayouts.settlementId,
      providerId: settlementPayouts.providerId,
      endToEndId: settlementPayouts.endToEndId,
      amountOre: settlementPayouts.amountOre,
      iban: settlementPayouts.iban,
      bankConfirmedAt: settlementPayouts.bankConfirmedAt,
    })
    .from(settlementPayouts)
    .innerJoin(settlements, eq(settlements.id, settlementPayouts.settlementId))
    .where(
      and(
        eq(settlements.municipalityId, municipalityId),
        ne(settlements.status, 'rejected'),
        inArray(settlementPayouts.endToEndId, ids),
      ),
    )
    .for('update', { of: settlementPayouts });
  return new Map(
    rows.map((row) => [
      row.endToEndId,
      {
        settlementId: row.settlementId,
        providerId: row.providerId,
        endToEndId: row.endToEndId,
        amountOre: row.amountOre,
        iban: row.iban,
        bankConfirmed: row.bankConfirmedAt !== null,
      },
    ]),
  );
}

async function insertEntries(
  tx: Executor,
  importId: string,
  municipalityId: number,
  matched: MatchedTransaction[],
): Promise<void> {
  for (let start = 0; start < matched.length; start += INSERT_CHUNK) {
    await tx.insert(bankNotificationEntries).values(
      matched.slice(start, start + INSERT_CHUNK).map((entry) => ({
        importId,
        municipalityId,
        position: entry.position,
        endToEndId: entry.endToEndId,
        amountOre: entry.amountOre,
        creditorIban: entry.creditorIban,
        bookingDate: entry.bookingDate,
        bankStatus: entry.status,
        settlementId: entry.payout?.settlementId ?? null,
        providerId: entry.payout?.providerId ?? null,
        expectedAmountOre: entry.payout?.amountOre ?? null,
        expectedIban: entry.payout?.iban ?? null,
        outcome: entry.outcome,
      })),
    );
  }
}

/**
 * Marks each payout a confirmed entry names, with that entry, in one statement. The payouts
 * are locked and were unconfirmed when matched; `bank_confirmed_at IS NULL` keeps even a
 * mistake here from moving a confirmation, and the database allows one confirming entry per
 * payout.
 */
async function confirmPayouts(tx: Executor, importId: string, now: Date) {
  return tx
    .update(settlementPayouts)
    .set({ bankConfirmedAt: now, bankConfirmedEntryId: bankNotificationEntries.id })
    .from(bankNotificationEntries)
    .where(
      and(
        eq(bankNotificationEntries.importId, importId),
        eq(bankNotificationEntries.outcome, 'confirmed'),
        eq(settlementPayouts.settlementId, bankNotificationEntries.settlementId),
        eq(settlementPayouts.providerId, bankNotificationEntries.providerId),
        isNull(settlementPayouts.bankConfirmedAt),
      ),
    )
    .returning({ settlementId: settlementPayouts.settlementId, providerId: settlementPayouts.providerId });
}

function countOutcomes(matched: MatchedTransaction[]) {
  const count = (outcome: MatchedTransaction['outcome']) =>
    matched.filter((m) => m.outcome === outcome).length;
  return {
    confirmedCount: count('confirmed'),
    differsCount: count('differs'),
    unmatchedCount: count('unmatched'),
    duplicateCount: count('duplicate'),
    pendingCount: count('pending'),
  };
}
