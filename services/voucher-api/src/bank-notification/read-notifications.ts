import {
  type BankNotificationImport,
  type BankNotificationKind,
  type BankNotificationOutcome,
  bankNotificationEntries,
  bankNotificationImports,
  type Executor,
  providers,
  settlements,
} from '@voucher/db';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';

export interface BankNotificationSummary {
  id: string;
  kind: BankNotificationKind;
  messageId: string;
  /** The bank's creation time, as the bank wrote it. */
  messageCreatedAt: string;
  importedAt: string;
  importedBy: string;
  counts: {
    entries: number;
    confirmed: number;
    differs: number;
    unmatched: number;
    duplicate: number;
    pending: number;
    ignoredCredit: number;
  };
}

export interface BankNotificationEntryView {
  position: number;
  endToEndId: string | null;
  amountOre: string;
  creditorIban: string | null;
  bookingDate: string | null;
  bankStatus: string;
  outcome: BankNotificationOutcome;
  /** The payout it names, when it names one of this municipality's. */
  settlementId: string | null;
  periodId: number | null;
  providerId: number | null;
  providerName: string | null;
  /** What the payout said, beside what the bank booked. */
  expectedAmountOre: string | null;
  expectedIban: string | null;
}

export interface BankNotificationDetail extends BankNotificationSummary {
  entries: BankNotificationEntryView[];
}

/** Enough for years of daily statements; the list is for finance to find a recent file. */
const LIST_LIMIT = 500;

/** The municipality's imports, newest first. */
export async function listBankNotifications(
  deps: DomainDeps,
  actor: AccessClaims,
): Promise<BankNotificationSummary[]> {
  const rows = await deps.db
    .select()
    .from(bankNotificationImports)
    .where(eq(bankNotificationImports.municipalityId, actor.municipalityId))
    .orderBy(desc(bankNotificationImports.importedAt), desc(bankNotificationImports.id))
    .limit(LIST_LIMIT);
  return rows.map(toSummary);
}

/** One import with its entries; another municipality's answers 404 like a missing one. */
export async function getBankNotification(
  deps: DomainDeps,
  params: { actor: AccessClaims; id: string },
): Promise<BankNotificationDetail> {
  return readDetail(deps.db, params.actor, params.id);
}

export async function readDetail(
  db: Executor,
  actor: AccessClaims,
  id: string,
): Promise<BankNotificationDetail> {
  const [row] = await db
    .select()
    .from(bankNotificationImports)
    .where(
      and(
        eq(bankNotificationImports.id, id),
        eq(bankNotificationImports.municipalityId, actor.municipalityId),
      ),
    );
  if (!row) throw new AppError('NOT_FOUND');
  const entries = await db
    .select({
      entry: bankNotificationEntries,
      periodId: settlements.periodId,
      providerName: providers.name,
    })
    .from(bankNotificationEntries)
    .leftJoin(settlements, eq(settlements.id, bankNotificationEntries.settlementId))
    .leftJoin(providers, eq(providers.id, bankNotificationEntries.providerId))
    .where(eq(bankNotificationEntries.importId, row.id))
    .orderBy(asc(bankNotificationEntries.position));
  return {
    ...toSummary(row),
    entries: entries.map(({ entry, periodId, providerName }) => ({
      position: entry.position,
      endToEndId: entry.endToEndId,
      amountOre: entry.amountOre.toString(),
      creditorIban: entry.creditorIban,
      bookingDate: entry.bookingDate,
      bankStatus: entry.bankStatus,
      outcome: entry.outcome,
      settlementId: entry.settlementId?.toString() ?? null,
      periodId: periodId ?? null,
      providerId: entry.providerId,
      providerName: providerName ?? null,
      expectedAmountOre: entry.expectedAmountOre?.toString() ?? null,
      expectedIban: entry.expectedIban,
    })),
  };
}

function toSummary(row: BankNotificationImport): BankNotificationSummary {
  return {
    id: row.id,
    kind: row.kind,
    messageId: row.messageId,
    messageCreatedAt: row.messageCreatedAt,
    importedAt: row.importedAt.toISOString(),
    importedBy: row.importedBy,
    counts: {
      entries: row.entryCount,
      confirmed: row.confirmedCount,
      differs: row.differsCount,
      unmatched: row.unmatchedCount,
      duplicate: row.duplicateCount,
      pending: row.pendingCount,
      ignoredCredit: row.ignoredCreditCount,
    },
  };
}
