import { activationCodes, type Transaction } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { deriveIndexKey } from '../privacy/blind-index.ts';
import { vaultKeyring } from '../privacy/citizen-record.ts';
import {
  activationCodeExpiry,
  generateActivationCode,
  hashActivationCode,
  hashActivationSelector,
} from './activation-code.ts';

export interface IssuedActivationCode {
  /** Canonical form; shown once (letter, enrolment answer) and never stored. */
  code: string;
  expiresAt: Date;
}

/**
 * A fresh one-time code for the account, replacing any unused one: only the code on the most
 * recently printed letter works.
 */
export async function issueActivationCode(
  tx: Transaction,
  config: Pick<Config, 'masterKey'>,
  accountId: Buffer,
  now: Date,
): Promise<IssuedActivationCode> {
  await tx
    .delete(activationCodes)
    .where(and(eq(activationCodes.accountId, accountId), isNull(activationCodes.usedAt)));
  const key = activationCodeKey(config);
  const code = await unusedSelectorCode(tx, key);
  const expiresAt = activationCodeExpiry(now);
  await tx.insert(activationCodes).values({
    codeHash: hashActivationCode(key, code),
    selectorHash: hashActivationSelector(key, code),
    accountId,
    expiresAt,
  });
  return { code, expiresAt };
}

/**
 * A code whose selector no other unused code has, so a mistyped try is counted against exactly
 * one letter. With thousands of letters out a clash is rare; a few draws always find a free one.
 */
async function unusedSelectorCode(tx: Transaction, key: Buffer): Promise<string> {
  for (;;) {
    const code = generateActivationCode();
    const [clash] = await tx
      .select({ accountId: activationCodes.accountId })
      .from(activationCodes)
      .where(
        and(
          eq(activationCodes.selectorHash, hashActivationSelector(key, code)),
          isNull(activationCodes.usedAt),
        ),
      )
      .limit(1);
    if (!clash) return code;
  }
}

export function activationCodeKey(config: Pick<Config, 'masterKey'>): Buffer {
  return deriveIndexKey(vaultKeyring(config).current, 'activation-code');
}
