import { maskToCategories } from '../categories.ts';
import { errorCatalogue } from '../errors/catalogue.ts';
import type { Language } from '../http/language.ts';
import type { AssessedVoucher } from './account-vouchers.ts';

/** A voucher as the scanner and the citizen see it: øre as decimal strings, times ISO 8601. */
export interface VoucherView {
  programId: string;
  programName: string;
  /** Whose voucher it is: a provider admitted by several municipalities redeems for each. */
  municipalityId: number;
  municipalityName: string;
  kind: 'credit' | 'uses';
  categories: string[];
  remainingOre?: string;
  remainingUses?: number;
  maxPerUseOre: string;
  maxAmountNowOre: string;
  usesPerWindow?: number;
  windowDays?: number;
  usesLeftInWindow?: number;
  validFrom: string;
  validUntil: string;
  redeemable: boolean;
  reason?: { code: string; message: string; details: Record<string, string | number | boolean | null> };
  nextPossibleAt?: string;
}

export function toVoucherView(voucher: AssessedVoucher, language: Language): VoucherView {
  const { program, standing } = voucher;
  const view: VoucherView = {
    programId: program.id.toString(),
    programName: program.name,
    municipalityId: program.municipalityId,
    municipalityName: voucher.municipalityName,
    kind: program.kind,
    categories: maskToCategories(program.categories),
    maxPerUseOre: program.maxPerUseOre.toString(),
    maxAmountNowOre: standing.maxAmountNowOre.toString(),
    validFrom: program.validFrom.toISOString(),
    validUntil: program.validUntil.toISOString(),
    redeemable: standing.refusal === undefined,
  };
  if (standing.remainingOre !== null) view.remainingOre = standing.remainingOre.toString();
  if (standing.remainingUses !== null) view.remainingUses = standing.remainingUses;
  if (program.usesPerWindow !== null) view.usesPerWindow = program.usesPerWindow;
  if (program.windowDays !== null) view.windowDays = program.windowDays;
  if (standing.usesLeftInWindow !== null) view.usesLeftInWindow = standing.usesLeftInWindow;
  if (standing.refusal) {
    const { code, nextPossibleAt, details } = standing.refusal;
    view.reason = { code, message: errorCatalogue[code][language], details: details ?? {} };
    if (nextPossibleAt) view.nextPossibleAt = nextPossibleAt.toISOString();
  }
  return view;
}
