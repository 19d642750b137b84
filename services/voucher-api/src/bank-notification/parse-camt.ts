import type { BankNotificationKind } from '@voucher/db';
import { AppError } from '../errors/app-error.ts';
import { camtAmountToOre } from './camt-amount.ts';
import { childElements, descendant, invalid, parseXmlDocument, textOf, type XmlElement } from './xml-tree.ts';

/** BOOK: booked on the account. PDNG: not yet booked. INFO: for information, never booked. */
export const bankEntryStatuses = ['BOOK', 'PDNG', 'INFO'] as const;
export type BankEntryStatus = (typeof bankEntryStatuses)[number];

/** One outgoing transaction the bank reports: a debit on the municipality's account. */
export interface BankTransaction {
  /** The pain.001 end-to-end id the bank carried through; null when it has none. */
  endToEndId: string | null;
  amountOre: bigint;
  /** Spaces removed, upper case: the form payouts and providers store. */
  creditorIban: string | null;
  /** YYYY-MM-DD, as the bank booked it; null while the entry is not booked. */
  bookingDate: string | null;
  status: BankEntryStatus;
}

export interface BankNotification {
  kind: BankNotificationKind;
  messageId: string;
  /** The bank's creation time, as the bank wrote it. */
  createdAt: string;
  /** Debits only, in the file's order. */
  transactions: BankTransaction[];
  /** Credit entries in the file: money coming in is never a payout, so they are only counted. */
  ignoredCreditCount: number;
}

/**
 * The two messages that report what happened to a pain.001.001.03: the debit/credit
 * notification camt.054.001.02 and the statement camt.053.001.02. Both list entries (Ntry) in
 * reports (Ntfctn or Stmt) of the same shape.
 */
const MESSAGES: Record<string, { kind: BankNotificationKind; message: string; report: string }> = {
  'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02': {
    kind: 'camt.054.001.02',
    message: 'BkToCstmrDbtCdtNtfctn',
    report: 'Ntfctn',
  },
  'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02': {
    kind: 'camt.053.001.02',
    message: 'BkToCstmrStmt',
    report: 'Stmt',
  },
};

const IBAN_PATTERN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}/;
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
/** What ISO 20022 writes when the sender gave no end-to-end id. */
const NOT_PROVIDED = 'NOTPROVIDED';

/**
 * Reads a camt.054.001.02 or camt.053.001.02 document. Throws BANK_NOTIFICATION_INVALID for
 * anything else (not XML, cut off, another message or version, a required element missing,
 * an amount that is not whole øre) and BANK_NOTIFICATION_CURRENCY for a debit in another
 * currency than DKK: a file is taken whole or not at all, never half-read.
 */
export function parseBankNotification(text: string): BankNotification {
  const root = parseXmlDocument(text);
  const spec = root.localName === 'Document' ? MESSAGES[root.namespaceURI ?? ''] : undefined;
  if (!spec) throw invalid('not_camt');
  const ns = root.namespaceURI as string;
  const message = childElements(root, ns, spec.message)[0];
  if (!message) throw invalid('not_camt', { element: spec.message });
  const messageId = required(message, ns, 'GrpHdr/MsgId');
  if (messageId.length > 35) throw invalid('too_long', { element: 'GrpHdr/MsgId' });
  const createdAt = required(message, ns, 'GrpHdr/CreDtTm');
  if (!DATE_TIME_PATTERN.test(createdAt)) throw invalid('date', { element: 'GrpHdr/CreDtTm' });
  const reports = childElements(message, ns, spec.report);
  if (reports.length === 0) throw invalid('missing', { element: spec.report });

  const transactions: BankTransaction[] = [];
  let ignoredCreditCount = 0;
  let entryNumber = 0;
  for (const report of reports) {
    for (const entry of childElements(report, ns, 'Ntry')) {
      entryNumber++;
      const read = readEntry(entry, ns, entryNumber);
      if (read === 'credit') ignoredCreditCount++;
      else transactions.push(...read);
    }
  }
  return { kind: spec.kind, messageId, createdAt, transactions, ignoredCreditCount };
}

/**
 * One entry: a debit becomes its transactions, a credit is only counted. An entry may carry
 * several transactions (a batch booking of the whole pain.001), each with its own amount in
 * AmtDtls; an entry with one transaction may leave the amount to the entry itself.
 */
function readEntry(entry: XmlElement, ns: string, entryNumber: number): BankTransaction[] | 'credit' {
  const where = (element: string) => ({ element: `Ntry/${element}`, entry: entryNumber });
  const indicator = required(entry, ns, 'CdtDbtInd', entryNumber);
  if (indicator === 'CRDT') return 'credit';
  if (indicator !== 'DBIT') throw invalid('code', where('CdtDbtInd'));
  const status = required(entry, ns, 'Sts', entryNumber) as BankEntryStatus;
  if (!bankEntryStatuses.includes(status)) throw invalid('code', where('Sts'));
  const bookingDate = readBookingDate(entry, ns, entryNumber);
  const entryAmount = descendant(entry, ns, 'Amt');
  if (!entryAmount) throw invalid('missing', where('Amt'));
  // Read even when the transactions carry their own amounts: a file with one bad amount is refused whole.
  const entryOre = readAmount(entryAmount, where('Amt'));
  const details = childElements(entry, ns, 'NtryDtls').flatMap((d) => childElements(d, ns, 'TxDtls'));
  if (details.length === 0) {
    // A debit the bank reports without details cannot be matched, but finance must still see it.
    return [{ endToEndId: null, amountOre: entryOre, creditorIban: null, bookingDate, status }];
  }
  return details.map((transaction, index) => {
    const own =
      descendant(transaction, ns, 'AmtDtls/TxAmt/Amt') ?? descendant(transaction, ns, 'AmtDtls/InstdAmt/Amt');
    if (!own && details.length > 1) throw invalid('missing', where(`NtryDtls/TxDtls[${index + 1}]/AmtDtls`));
    const amountOre = own ? readAmount(own, where(`NtryDtls/TxDtls[${index + 1}]/AmtDtls`)) : entryOre;
    return {
      endToEndId: readEndToEndId(transaction, ns, where),
      amountOre,
      creditorIban: readIban(transaction, ns, where),
      bookingDate,
      status,
    };
  });
}

function readEndToEndId(
  transaction: XmlElement,
  ns: string,
  where: (element: string) => { element: string; entry: number },
): string | null {
  const id = textOf(descendant(transaction, ns, 'Refs/EndToEndId'));
  if (id === undefined || id === NOT_PROVIDED) return null;
  if (id.length > 35) throw invalid('too_long', where('NtryDtls/TxDtls/Refs/EndToEndId'));
  return id;
}

function readIban(
  transaction: XmlElement,
  ns: string,
  where: (element: string) => { element: string; entry: number },
): string | null {
  const text = textOf(descendant(transaction, ns, 'RltdPties/CdtrAcct/Id/IBAN'));
  if (text === undefined) return null;
  const iban = text.replace(/\s+/g, '').toUpperCase();
  if (!IBAN_PATTERN.test(iban)) throw invalid('iban', where('NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/IBAN'));
  return iban;
}

/** BookgDt is a date or a date and time; the date is what finance reads. */
function readBookingDate(entry: XmlElement, ns: string, entryNumber: number): string | null {
  const text = textOf(descendant(entry, ns, 'BookgDt/Dt')) ?? textOf(descendant(entry, ns, 'BookgDt/DtTm'));
  if (text === undefined) return null;
  if (!DATE_PATTERN.test(text)) throw invalid('date', { element: 'Ntry/BookgDt', entry: entryNumber });
  return text.slice(0, 10);
}

function readAmount(amount: XmlElement, where: { element: string; entry: number }): bigint {
  const currency = amount.getAttribute('Ccy');
  if (!currency) throw invalid('missing', { ...where, element: `${where.element}/@Ccy` });
  if (currency !== 'DKK') {
    // The code is an ISO 4217 currency: safe to name, and what finance needs to see.
    throw new AppError('BANK_NOTIFICATION_CURRENCY', {
      currency: currency.replace(/[^A-Z]/g, '').slice(0, 3),
      entry: where.entry,
    });
  }
  const ore = camtAmountToOre(textOf(amount) ?? '');
  if (ore === undefined || ore === 0n) throw invalid('amount', where);
  return ore;
}

function required(parent: XmlElement, ns: string, path: string, entry?: number): string {
  const text = textOf(descendant(parent, ns, path));
  if (text === undefined) {
    throw invalid('missing', entry === undefined ? { element: path } : { element: `Ntry/${path}`, entry });
  }
  return text;
}
