import { accounts, activationCodes, appendAudit, citizens, passes, type Transaction } from '@voucher/db';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { toHex } from 'viem';
import { SYSTEM_ACTOR } from '../audit/actor.ts';
import { enqueueAccountClose } from './close-account-on-chain.ts';

/**
 * A person enrolled by a new municipality has moved: the old municipality's record is marked
 * moved out, its accounts are closed (on chain too, which ends every grant there) and its
 * passes and activation codes stop working. Neither side learns more than the move: the new
 * municipality is told nothing about the old record, and the old municipality's audit entry
 * does not say where the person went.
 */
export async function moveOutOfOtherMunicipalities(
  tx: Transaction,
  params: { blindIndex: Buffer; into: number; now: Date },
): Promise<void> {
  const previous = await tx
    .select({ id: citizens.id, municipalityId: citizens.municipalityId })
    .from(citizens)
    .where(
      and(
        eq(citizens.cprBlindIndex, params.blindIndex),
        ne(citizens.municipalityId, params.into),
        isNull(citizens.movedOutAt),
        isNull(citizens.erasedAt),
      ),
    );
  for (const citizen of previous) await moveOut(tx, citizen, params.now);
}

async function moveOut(tx: Transaction, citizen: { id: string; municipalityId: number }, now: Date) {
  await tx.update(citizens).set({ movedOutAt: now }).where(eq(citizens.id, citizen.id));
  const owned = await tx
    .select({ accountId: accounts.accountId })
    .from(accounts)
    .where(and(eq(accounts.citizenId, citizen.id), ne(accounts.status, 'closed')));
  const accountIds = owned.map((row) => row.accountId);
  if (accountIds.length > 0) {
    await tx.update(accounts).set({ status: 'closed' }).where(inArray(accounts.accountId, accountIds));
    await tx
      .update(passes)
      .set({ status: 'revoked', revokedAt: now })
      .where(and(inArray(passes.accountId, accountIds), eq(passes.status, 'active')));
    await tx.delete(activationCodes).where(inArray(activationCodes.accountId, accountIds));
  }
  for (const accountId of accountIds) {
    const accountHex = toHex(accountId);
    await enqueueAccountClose(tx, accountHex);
  }
  await appendAudit(tx, {
    ...SYSTEM_ACTOR,
    municipalityId: citizen.municipalityId,
    action: 'citizen.moved_out',
    subjectType: 'citizen',
    subjectId: citizen.id,
    details: { accountsClosed: accountIds.length },
  });
}
