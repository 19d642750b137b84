import { timingSafeEqual } from 'node:crypto';
import { accounts, activationCodes } from '@voucher/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import {
  ACTIVATION_CODE_MAX_ATTEMPTS,
  hashActivationCode,
  hashActivationSelector,
  normaliseActivationCode,
} from './activation-code.ts';
import { activationCodeKey } from './issue-activation-code.ts';

export interface ActivatedAccount {
  accountId: Buffer;
  municipalityId: number;
}

type Outcome = { ok: true; account: ActivatedAccount } | { ok: false; code: ErrorCode };

/**
 * Exchanges the letter's one-time code for the account it activates. The selector (the first
 * symbols) finds the letter's unused code, and every try at it counts, right or wrong; the
 * count is committed even when the try fails (so the error is thrown only after the
 * transaction). Tries whose selector matches no letter are limited per client by the route's
 * rate limit.
 */
export async function activateAccount(deps: DomainDeps, codeText: string): Promise<ActivatedAccount> {
  const key = activationCodeKey(deps.config);
  const canonical = normaliseActivationCode(codeText);
  const codeHash = hashActivationCode(key, canonical);
  const selectorHash = hashActivationSelector(key, canonical);
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
      .where(and(eq(activationCodes.selectorHash, selectorHash), isNull(activationCodes.usedAt)))
      .for('update', { of: activationCodes });
    if (!row) return { ok: false, code: 'ACTIVATION_CODE_INVALID' };
    const refusal = refusalFor(
      row.code,
      timingSafeEqual(row.code.codeHash, codeHash),
      row.accountStatus,
      now,
    );
    await tx
      .update(activationCodes)
      .set({ attempts: sql`${activationCodes.attempts} + 1`, ...(refusal ? {} : { usedAt: now }) })
      .where(eq(activationCodes.codeHash, row.code.codeHash));
    if (refusal) return { ok: false, code: refusal };
    return { ok: true, account: { accountId: row.code.accountId, municipalityId: row.municipalityId } };
  });
  if (!outcome.ok) throw new AppError(outcome.code);
  return outcome.account;
}

function refusalFor(
  code: { attempts: number; expiresAt: Date },
  codeMatches: boolean,
  accountStatus: string,
  now: Date,
): ErrorCode | undefined {
  // The lock comes first: after the last allowed try even the right code is refused, and with
  // the answer an unknown code gets, so nobody learns from it that a letter with this code exists.
  if (code.attempts >= ACTIVATION_CODE_MAX_ATTEMPTS) return 'ACTIVATION_CODE_INVALID';
  if (!codeMatches || accountStatus !== 'active') return 'ACTIVATION_CODE_INVALID';
  if (code.expiresAt.getTime() <= now.getTime()) return 'ACTIVATION_CODE_EXPIRED';
  return undefined;
}
