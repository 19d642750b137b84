import { stringify } from 'csv-stringify/sync';
import { formatKroner } from './kroner.ts';

export interface StatementCsvRow {
  periodId: number;
  providerId: number;
  providerName: string;
  iban: string;
  redemptionCount: number;
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
  'amount_ore',
  'amount_dkk',
  'end_to_end_id',
  'status',
  'chain_tx',
];

/**
 * The settlement as a spreadsheet: one line per provider and a total line. Amounts in
 * øre (exact) and in kroner with a point, so both machines and people read them right.
 */
export function buildStatementCsv(rows: StatementCsvRow[]): string {
  const total = rows.reduce((sum, row) => sum + row.amountOre, 0n);
  const records = rows.map((row) => [
    row.periodId,
    row.providerId,
    row.providerName,
    row.iban,
    row.redemptionCount,
    row.amountOre.toString(),
    formatKroner(row.amountOre),
    row.endToEndId,
    row.status,
    row.paidTxHash ?? '',
  ]);
  const totals = [
    'total',
    '',
    '',
    '',
    rows.reduce((sum, row) => sum + row.redemptionCount, 0),
    total.toString(),
    formatKroner(total),
    '',
    '',
    '',
  ];
  return stringify([...records, totals], { header: true, columns: COLUMNS });
}
