import { isValidBIC } from 'ibantools';
import { AppError } from '../errors/app-error.ts';
import { parseDanishIban } from '../providers/validation.ts';

export interface DebtorAccount {
  /** Electronic format, as pain.001's DbtrAcct needs it. */
  iban: string;
  bic: string;
}

/**
 * The account a municipality pays providers from, checked like a provider's (Danish IBAN with
 * a valid checksum, ibantools) wherever it is set, so a typo is refused when it is typed and
 * not by the bank a month later. A wrong IBAN answers DEBTOR_IBAN_INVALID, naming whose
 * account it is, rather than the providers' IBAN_INVALID.
 */
export function parseDebtorAccount(params: { iban: string; bic: string }): DebtorAccount {
  let iban: string;
  try {
    iban = parseDanishIban(params.iban).electronic;
  } catch (error) {
    if (error instanceof AppError && error.code === 'IBAN_INVALID') throw new AppError('DEBTOR_IBAN_INVALID');
    throw error;
  }
  const bic = typeof params.bic === 'string' ? params.bic.trim().toUpperCase() : '';
  if (!isValidBIC(bic)) throw new AppError('BIC_INVALID');
  return { iban, bic };
}
