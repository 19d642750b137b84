import { passes } from '@voucher/db';
import { and, desc, eq } from 'drizzle-orm';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { passSigningKeyFromConfig } from './pass-signing-key.ts';
import { signStaticPass } from './static-pass.ts';

/** The signed QR text of the account's active printed pass (Ed25519 is deterministic: same text each time). */
export async function currentPassText(
  deps: DomainDeps,
  accountId: Buffer,
): Promise<{ text: string; serial: bigint }> {
  const [pass] = await deps.db
    .select({ serial: passes.serial, issuedAt: passes.issuedAt })
    .from(passes)
    .where(and(eq(passes.accountId, accountId), eq(passes.status, 'active')))
    .orderBy(desc(passes.serial))
    .limit(1);
  if (!pass) throw new AppError('NOT_FOUND');
  const { privateKey } = passSigningKeyFromConfig(deps.config);
  return { text: signStaticPass(privateKey, { accountId, ...pass }), serial: pass.serial };
}
