import { activationCodes, type Transaction } from '@voucher/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { deriveIndexKey } from '../privacy/blind-index.ts';
import { vaultKeyring } from '../privacy/citizen-record.ts';
import { activationCodeExpiry, generateActivationCode, hashActivationCode } from './activation-code.ts';

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
  const code = generateActivationCode();
  const expiresAt = activationCodeExpiry(now);
  await tx.insert(activationCodes).values({
    codeHash: hashActivationCode(activationCodeKey(config), code),
    accountId,
    expiresAt,
  });
  return { code, expiresAt };
}

export function activationCodeKey(config: Pick<Config, 'masterKey'>): Buffer {
  return deriveIndexKey(vaultKeyring(config).current, 'activation-code');
}
