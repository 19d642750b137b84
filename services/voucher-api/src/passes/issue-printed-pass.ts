import { passes, type Transaction } from '@voucher/db';
import { and, eq } from 'drizzle-orm';

export interface IssuedPass {
  serial: bigint;
  issuedAt: Date;
}

/**
 * Revokes every active printed pass of the account and issues a new serial, in the caller's
 * transaction. Revoking first means a lost card stops working the moment the new one exists.
 */
export async function issuePrintedPass(tx: Transaction, accountId: Buffer, now: Date): Promise<IssuedPass> {
  await tx
    .update(passes)
    .set({ status: 'revoked', revokedAt: now })
    .where(and(eq(passes.accountId, accountId), eq(passes.status, 'active')));
  const [issued] = await tx
    .insert(passes)
    .values({ accountId, issuedAt: now })
    .returning({ serial: passes.serial, issuedAt: passes.issuedAt });
  if (!issued) throw new Error('pass insert returned nothing');
  return issued;
}
