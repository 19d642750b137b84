import { appendAudit, municipalities, providers } from '@voucher/db';
import { eq } from 'drizzle-orm';
import { auditActor } from '../audit/actor.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { DomainDeps } from '../deps.ts';
import { AppError } from '../errors/app-error.ts';
import { parseDebtorAccount } from './debtor-account.ts';

export interface BankAccountView {
  municipalityId: number;
  name: string;
  debtorIban: string | null;
  debtorBic: string | null;
}

/**
 * The account the municipality's bank files pay providers from. Checked like a provider's
 * IBAN (Danish, checksum) and never one of the providers' own accounts: a bank file that
 * debits the creditor would look paid and move nothing.
 */
export async function setBankAccount(
  deps: DomainDeps,
  params: { actor: AccessClaims; iban: string; bic: string },
): Promise<BankAccountView> {
  const { iban, bic } = parseDebtorAccount(params);
  const [creditor] = await deps.db
    .select({ id: providers.id })
    .from(providers)
    .where(eq(providers.iban, iban))
    .limit(1);
  if (creditor) throw new AppError('DEBTOR_IBAN_IS_CREDITOR');
  const { municipalityId } = params.actor;
  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(municipalities)
      .set({ debtorIban: iban, debtorBic: bic })
      .where(eq(municipalities.id, municipalityId))
      .returning();
    if (!updated) throw new AppError('NOT_FOUND');
    await appendAudit(tx, {
      ...auditActor(params.actor),
      municipalityId,
      action: 'municipality.bank_account.set',
      subjectType: 'municipality',
      subjectId: String(municipalityId),
      details: { debtorIban: iban, debtorBic: bic },
    });
    return toBankAccountView(updated);
  });
}

export async function getBankAccount(deps: DomainDeps, actor: AccessClaims): Promise<BankAccountView> {
  const [row] = await deps.db
    .select()
    .from(municipalities)
    .where(eq(municipalities.id, actor.municipalityId));
  if (!row) throw new AppError('NOT_FOUND');
  return toBankAccountView(row);
}

function toBankAccountView(row: typeof municipalities.$inferSelect): BankAccountView {
  return { municipalityId: row.id, name: row.name, debtorIban: row.debtorIban, debtorBic: row.debtorBic };
}
