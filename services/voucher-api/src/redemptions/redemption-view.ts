import type { Redemption } from '@voucher/db';
import type { VoucherView } from './voucher-view.ts';

export interface RedemptionView {
  status: Redemption['status'];
  redemptionId: string;
  terminal: string;
  providerId: number;
  programId: string;
  amountOre: string;
  txHash: string | null;
  periodId: string | null;
  rejectionCode: string | null;
  createdAt: string;
  confirmedAt: string | null;
  statusUrl: string;
  /** What is left of the voucher after this redemption (confirmed answers only). */
  voucher?: VoucherView;
}

export function statusUrlOf(row: Pick<Redemption, 'terminal' | 'redemptionId'>): string {
  return `/redemptions/status/${row.terminal}/${row.redemptionId}`;
}

/** A redemption as the scanner sees it: the account is left out, the scanner already has it. */
export function toRedemptionView(row: Redemption, voucher?: VoucherView): RedemptionView {
  const view: RedemptionView = {
    status: row.status,
    redemptionId: row.redemptionId.toString(),
    terminal: row.terminal,
    providerId: row.providerId,
    programId: row.programId.toString(),
    amountOre: row.amountOre.toString(),
    txHash: row.txHash,
    periodId: row.periodId?.toString() ?? null,
    rejectionCode: row.rejectionCode,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    statusUrl: statusUrlOf(row),
  };
  if (voucher) view.voucher = voucher;
  return view;
}
