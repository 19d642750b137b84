import { stringify } from 'csv-stringify/sync';
import { formatKroner } from './kroner.ts';

/**
 * One provider in a settled period. claim = redeemed − voided − refunded + receivable (what
 * the claim could not cover became the provider's receivable); paid = claim − set off.
 */
export interface StatementCsvRow {
  periodId: number;
  providerId: number;
  providerName: string;
  iban: string;
  redemptionCount: number;
  redeemedOre: bigint;
  voidedOre: bigint;
  refundedOre: bigint;
  /** Given back beyond the claim in this period: owed by the provider, set off later. */
  receivableOre: bigint;
  claimOre: bigint;
  /** Kept of the claim to pay off what the provider owed from earlier refunds. */
  offsetOre: bigint;
  /** Transferred: claim − offset. */
  amountOre: bigint;
  endToEndId: string;
  status: string;
  paidTxHash: string | null;
}

const COLUMNS = [
  'period',
  'provider_id',
  'provider_name',
  'iban',
  'redemptions',
  'redeemed_ore',
  'voided_ore',
  'refunded_ore',
  'to_receivable_ore',
  'claim_ore',
  'set_off_ore',
  'amount_ore',
  'amount_dkk',
  'end_to_end_id',
  'status',
  'chain_tx',
];

type Amounts = Pick<
  StatementCsvRow,
  'redeemedOre' | 'voidedOre' | 'refundedOre' | 'receivableOre' | 'claimOre' | 'offsetOre' | 'amountOre'
>;

const amountColumns = (row: Amounts) => [
  row.redeemedOre.toString(),
  row.voidedOre.toString(),
  row.refundedOre.toString(),
  row.receivableOre.toString(),
  row.claimOre.toString(),
  row.offsetOre.toString(),
  row.amountOre.toString(),
  formatKroner(row.amountOre),
];

/**
 * The settlement as a spreadsheet: one line per provider and a total line. Amounts in
 * øre (exact), and what is paid also in kroner with a point, so both machines and people
 * read them right. Only a line with an amount has an end-to-end id: it is a bank payment.
 */
export function buildStatementCsv(rows: StatementCsvRow[]): string {
  const records = rows.map((row) => [
    row.periodId,
    row.providerId,
    row.providerName,
    row.iban,
    row.redemptionCount,
    ...amountColumns(row),
    row.endToEndId,
    row.status,
    row.paidTxHash ?? '',
  ]);
  const total = (pick: (row: StatementCsvRow) => bigint) => rows.reduce((sum, row) => sum + pick(row), 0n);
  const totals = [
    'total',
    '',
    '',
    '',
    rows.reduce((sum, row) => sum + row.redemptionCount, 0),
    ...amountColumns({
      redeemedOre: total((row) => row.redeemedOre),
      voidedOre: total((row) => row.voidedOre),
      refundedOre: total((row) => row.refundedOre),
      receivableOre: total((row) => row.receivableOre),
      claimOre: total((row) => row.claimOre),
      offsetOre: total((row) => row.offsetOre),
      amountOre: total((row) => row.amountOre),
    }),
    '',
    '',
    '',
  ];
  return stringify([...records, totals], { header: true, columns: COLUMNS });
}
