import { type Executor, grants, type Program, programProviders, programs, redemptions } from '@voucher/db';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Hex, hexToBytes } from 'viem';
import { assessVoucher, type ProviderFacts, type UsageFacts, type VoucherStanding } from './voucher-rules.ts';

/** One of an account's vouchers: the program, its grant and what is used of it. */
export interface AccountVoucher {
  program: Program;
  allowList: number[];
  grant: { amountOre: bigint | null; uses: number | null };
  usage: UsageFacts;
}

export interface AssessedVoucher extends AccountVoucher {
  standing: VoucherStanding;
}

/**
 * Everything needed to judge an account's vouchers, in three queries. Pending redemptions
 * count as spent: a redemption on its way to the chain must not be spendable twice.
 */
export async function loadAccountVouchers(
  db: Executor,
  account: Hex,
  onlyProgram?: bigint,
): Promise<AccountVoucher[]> {
  const accountBytes = Buffer.from(hexToBytes(account));
  const rows = await db
    .select({ program: programs, amountOre: grants.amountOre, uses: grants.uses })
    .from(grants)
    .innerJoin(programs, eq(programs.id, grants.programId))
    .where(
      and(
        eq(grants.accountId, accountBytes),
        isNull(grants.revokedAt),
        onlyProgram === undefined ? undefined : eq(grants.programId, onlyProgram),
      ),
    )
    .orderBy(programs.id);
  if (rows.length === 0) return [];
  const programIds = rows.map((row) => row.program.id);
  const [allowRows, usageRows] = await Promise.all([
    db
      .select({ programId: programProviders.programId, providerId: programProviders.providerId })
      .from(programProviders)
      .where(inArray(programProviders.programId, programIds)),
    db
      .select({
        programId: redemptions.programId,
        amountOre: redemptions.amountOre,
        createdAt: redemptions.createdAt,
      })
      .from(redemptions)
      .where(
        and(
          eq(redemptions.account, account),
          inArray(redemptions.programId, programIds),
          inArray(redemptions.status, ['pending', 'confirmed']),
        ),
      ),
  ]);
  return rows.map((row) => {
    const used = usageRows.filter((usage) => usage.programId === row.program.id);
    return {
      program: row.program,
      allowList: allowRows
        .filter((allow) => allow.programId === row.program.id)
        .map((allow) => allow.providerId),
      grant: { amountOre: row.amountOre, uses: row.uses },
      usage: {
        spentOre: used.reduce((sum, usage) => sum + usage.amountOre, 0n),
        usesSpent: used.length,
        times: used.map((usage) => usage.createdAt),
      },
    };
  });
}

export function assessAll(
  vouchers: AccountVoucher[],
  provider: ProviderFacts | undefined,
  now: Date,
): AssessedVoucher[] {
  return vouchers.map((voucher) => ({ ...voucher, standing: assessVoucher({ ...voucher, provider, now }) }));
}
