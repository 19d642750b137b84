import type { Program } from '@voucher/db';
import type { ErrorCode } from '../errors/catalogue.ts';

/** What a grant allows, as the database recorded it (top-ups included). */
export interface GrantFacts {
  amountOre: bigint | null;
  uses: number | null;
}

/** Redemptions of one account in one program that count: pending and confirmed. */
export interface UsageFacts {
  spentOre: bigint;
  usesSpent: number;
  /** Creation times of the counted redemptions, to count the ones in the current window. */
  times: readonly Date[];
}

export interface ProviderFacts {
  id: number;
  status: string;
  /** Municipality id → categories it admitted the provider for (active admissions only). */
  admissions: ReadonlyMap<number, number>;
}

/** Why a voucher cannot be used now, with what the person at the counter needs to know. */
export interface Refusal {
  code: ErrorCode;
  nextPossibleAt?: Date;
  details?: Record<string, string | number | boolean | null>;
}

export interface VoucherStanding {
  remainingOre: bigint | null;
  remainingUses: number | null;
  usesLeftInWindow: number | null;
  /** The highest amount the voucher can pay right now (0 when it cannot be used). */
  maxAmountNowOre: bigint;
  /** When the current usage window ends, for programs with a per-window limit. */
  windowEndsAt: Date | null;
  refusal: Refusal | undefined;
}

/**
 * The same rules the hub enforces in `redeem`, in the same order, so a refusal here is the
 * refusal the chain would give, and the service can answer it without touching anything.
 * `allowList` is the program's provider allow-list (empty: every provider of a category).
 */
export function assessVoucher(input: {
  program: Program;
  allowList: readonly number[];
  grant: GrantFacts;
  usage: UsageFacts;
  provider: ProviderFacts | undefined;
  now: Date;
  amountOre?: bigint;
}): VoucherStanding {
  const { program, grant, usage, now } = input;
  const window = currentWindow(program, now);
  const usesInWindow = window ? usage.times.filter((time) => time >= window.startsAt).length : 0;
  const standing: VoucherStanding = {
    remainingOre: program.kind === 'credit' ? nonNegative((grant.amountOre ?? 0n) - usage.spentOre) : null,
    remainingUses: program.kind === 'uses' ? Math.max(0, (grant.uses ?? 0) - usage.usesSpent) : null,
    usesLeftInWindow:
      window && program.usesPerWindow !== null ? Math.max(0, program.usesPerWindow - usesInWindow) : null,
    maxAmountNowOre: 0n,
    windowEndsAt: window?.endsAt ?? null,
    refusal: undefined,
  };
  standing.refusal = firstRefusal(input, standing);
  if (!standing.refusal) {
    const cap = program.maxPerUseOre;
    standing.maxAmountNowOre =
      standing.remainingOre !== null && standing.remainingOre < cap ? standing.remainingOre : cap;
  }
  return standing;
}

function firstRefusal(
  input: Parameters<typeof assessVoucher>[0],
  standing: VoucherStanding,
): Refusal | undefined {
  const { program, provider, allowList, amountOre, now } = input;
  const programRefusal = programNotActive(program, now);
  if (programRefusal) return programRefusal;
  if (provider && provider.status !== 'active') return { code: 'PROVIDER_SUSPENDED' };
  // A redemption counts only where the program's municipality admitted the provider, and for
  // the categories it admitted it for (the hub checks the same admission).
  const admittedCategories = provider?.admissions.get(program.municipalityId);
  if (provider && admittedCategories === undefined) return { code: 'PROVIDER_NOT_ALLOWED' };
  if (provider && ((admittedCategories ?? 0) & program.categories) === 0) {
    return { code: 'CATEGORY_NOT_ALLOWED' };
  }
  if (provider && allowList.length > 0 && !allowList.includes(provider.id)) {
    return { code: 'PROVIDER_NOT_ALLOWED' };
  }
  if (amountOre !== undefined && amountOre > program.maxPerUseOre) {
    return { code: 'AMOUNT_OVER_CAP', details: { maxPerUseOre: program.maxPerUseOre.toString() } };
  }
  if (standing.remainingOre !== null) {
    const needed = amountOre ?? 1n;
    if (needed > standing.remainingOre) {
      return { code: 'CREDIT_INSUFFICIENT', details: { remainingOre: standing.remainingOre.toString() } };
    }
  }
  if (standing.remainingUses === 0) return { code: 'USES_EXHAUSTED' };
  if (standing.usesLeftInWindow === 0 && standing.windowEndsAt) {
    return {
      code: 'USES_EXHAUSTED_THIS_WINDOW',
      nextPossibleAt: standing.windowEndsAt,
      details: { nextPossibleAt: standing.windowEndsAt.toISOString() },
    };
  }
  return undefined;
}

function programNotActive(program: Program, now: Date): Refusal | undefined {
  if (program.status === 'suspended') return { code: 'PROGRAM_NOT_ACTIVE', details: { reason: 'suspended' } };
  if (program.status !== 'published')
    return { code: 'PROGRAM_NOT_ACTIVE', details: { reason: 'not-published' } };
  if (now < program.validFrom) {
    return {
      code: 'PROGRAM_NOT_ACTIVE',
      nextPossibleAt: program.validFrom,
      details: { reason: 'not-started', startsAt: program.validFrom.toISOString() },
    };
  }
  if (now >= program.validUntil) {
    return {
      code: 'PROGRAM_NOT_ACTIVE',
      details: { reason: 'ended', endedAt: program.validUntil.toISOString() },
    };
  }
  return undefined;
}

/**
 * Windows are counted from the program's first second, as UsageWindow.sol does: with 30
 * days, days 0-29 are window 0. Undefined without a per-window limit or before the start.
 */
export function currentWindow(program: Program, now: Date): { startsAt: Date; endsAt: Date } | undefined {
  if (program.usesPerWindow === null || program.windowDays === null) return undefined;
  // The chain counts in whole seconds from validFrom truncated to a second.
  const fromSeconds = Math.floor(program.validFrom.getTime() / 1000);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds < fromSeconds) return undefined;
  const windowSeconds = program.windowDays * 86_400;
  const index = Math.floor((nowSeconds - fromSeconds) / windowSeconds);
  return {
    startsAt: new Date((fromSeconds + index * windowSeconds) * 1000),
    endsAt: new Date((fromSeconds + (index + 1) * windowSeconds) * 1000),
  };
}

function nonNegative(value: bigint): bigint {
  return value < 0n ? 0n : value;
}
