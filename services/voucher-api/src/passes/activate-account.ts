import { accounts, activationCodes } from '@voucher/db';
import { eq, sql } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import {
  ACTIVATION_CODE_MAX_ATTEMPTS,
  hashActivationCode,
  normaliseActivationCode,
} from './activation-code.ts';
import { activationCodeKey } from './issue-activation-code.ts';

export interface ActivatedAccount {
  accountId: Buffer;
  municipalityId: number;
}

type Outcome = { ok: true; account: ActivatedAccount } | { ok: false; code: ErrorCode };

/**
 * Exchanges the letter's one-time code for the account it activates. Every try at a known
 * code counts, and the count is committed even when the try fails (so the error is thrown
 * only after the transaction). Unknown codes are limited per client by the route's rate limit.
 */
export async function activateAccount(deps: DomainDeps, codeText: string): Promise<ActivatedAccount> {
  const codeHash = hashActivationCode(activationCodeKey(deps.config), normaliseActivationCode(codeText));
  const now = deps.now();
  const outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx
      .select({
        code: activationCodes,
        accountStatus: accounts.status,
        municipalityId: accounts.municipalityId,
      })
      .from(activationCodes)
      .innerJoin(accounts, eq(accounts.accountId, activationCodes.accountId))
      .where(eq(activationCodes.codeHash, codeHash))
      .for('update', { of: activationCodes });
    if (!row) return { ok: false, code: 'ACTIVATION_CODE_INVALID' };
    const refusal = refusalFor(row.code, row.accountStatus, now);
    await tx
      .update(activationCodes)
      .set({ attempts: sql`${activationCodes.attempts} + 1`, ...(refusal ? {} : { usedAt: now }) })
      .where(eq(activationCodes.codeHash, codeHash));
    if (refusal) return { ok: false, code: refusal };
    return { ok: true, account: { accountId: row.code.accountId, municipalityId: row.municipalityId } };
  });
  if (!outcome.ok) throw new AppError(outcome.code);
  return outcome.account;
}

function refusalFor(
  code: { attempts: number; usedAt: Date | null; expiresAt: Date },
  accountStatus: string,
  now: Date,
): ErrorCode | undefined {
  if (code.attempts >= ACTIVATION_CODE_MAX_ATTEMPTS) return 'ACTIVATION_CODE_LOCKED';
  if (code.usedAt || accountStatus !== 'active') return 'ACTIVATION_CODE_INVALID';
  if (code.expiresAt.getTime() <= now.getTime()) return 'ACTIVATION_CODE_EXPIRED';
  return undefined;
}
