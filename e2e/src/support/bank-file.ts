import assert from 'node:assert/strict';
import {
  painSchemaAvailable,
  validateAgainstPainSchema,
} from '../../../services/voucher-api/src/bank-file/xsd-validation.ts';

export interface BankFileTransfer {
  iban: string;
  /** Kroner with two decimals, as the file writes them ("150.00"). */
  amount: string;
}

/** The debtor's account and each credit transfer (creditor account, amount) of a pain.001 file. */
export function readBankFile(xml: string): { debtorIban: string; transfers: BankFileTransfer[] } {
  const debtorIban = /<DbtrAcct>\s*<Id>\s*<IBAN>([A-Z0-9]+)<\/IBAN>/.exec(xml)?.[1] ?? '';
  const transfers = [...xml.matchAll(/<CdtTrfTxInf>([\s\S]*?)<\/CdtTrfTxInf>/g)].map(([, block = '']) => ({
    iban: /<CdtrAcct>\s*<Id>\s*<IBAN>([A-Z0-9]+)<\/IBAN>/.exec(block)?.[1] ?? '',
    amount: /<InstdAmt Ccy="DKK">([0-9.]+)<\/InstdAmt>/.exec(block)?.[1] ?? '',
  }));
  return { debtorIban, transfers };
}

export function sortByIban<T extends { iban: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.iban.localeCompare(b.iban));
}

/** The file passes the pain.001.001.03 schema. Only a laptop without ../shared skips this, never CI. */
export async function assertBankFileIsValid(xml: string): Promise<void> {
  if (!painSchemaAvailable() && process.env.CI !== 'true') return;
  assert.ok(painSchemaAvailable(), 'the pain.001 XSD is missing');
  const validation = await validateAgainstPainSchema(xml);
  assert.ok(validation.valid, validation.errors.join('\n'));
}
