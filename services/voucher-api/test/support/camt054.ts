import { create } from 'xmlbuilder2';
import { formatKroner } from '../../src/bank-file/kroner.ts';
import { childElements, descendant, parseXmlDocument, textOf } from '../../src/bank-notification/xml-tree.ts';

/**
 * Test-only: plays the bank. Reads the transfers of a pain.001.001.03 the API produced and
 * answers with the camt.054.001.02 debit notification a Danish bank sends once it has
 * executed them: one booked entry per transfer (the bank file asks for no batch booking),
 * each carrying back the end-to-end id, the instructed amount and the creditor's account.
 */

export interface BankTransfer {
  endToEndId: string;
  amountOre: bigint;
  creditorIban: string;
  creditorName: string;
}

export interface NotifiedEntry extends BankTransfer {
  /** BOOK unless said otherwise; a PDNG entry has no booking date. */
  status?: 'BOOK' | 'PDNG';
  bookingDate?: string;
}

export interface Camt054 {
  messageId: string;
  createdAt: Date;
  /** The municipality's own account, the pain.001's debtor. */
  account: { iban: string; bic: string; ownerName: string };
  entries: NotifiedEntry[];
  /** Money coming in on the same account (funding from the treasury, say): never a payout. */
  credits?: { amountOre: bigint; reference: string }[];
}

const PAIN_001 = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';
const CAMT_054 = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02';

/** The transfers of a pain.001.001.03 bank file, in its order. */
export function transfersOfPain001(xml: string): BankTransfer[] {
  const root = parseXmlDocument(xml);
  const initiation = childElements(root, PAIN_001, 'CstmrCdtTrfInitn')[0];
  if (!initiation) throw new Error('not a pain.001.001.03');
  return childElements(initiation, PAIN_001, 'PmtInf').flatMap((payment) =>
    childElements(payment, PAIN_001, 'CdtTrfTxInf').map((transfer) => {
      const amount = textOf(descendant(transfer, PAIN_001, 'Amt/InstdAmt')) as string;
      const [kroner = '', ore = ''] = amount.split('.');
      return {
        endToEndId: textOf(descendant(transfer, PAIN_001, 'PmtId/EndToEndId')) as string,
        amountOre: BigInt(kroner) * 100n + BigInt(ore.padEnd(2, '0')),
        creditorIban: textOf(descendant(transfer, PAIN_001, 'CdtrAcct/Id/IBAN')) as string,
        creditorName: textOf(descendant(transfer, PAIN_001, 'Cdtr/Nm')) as string,
      };
    }),
  );
}

export function buildCamt054(notification: Camt054): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(CAMT_054, 'Document');
  const ele = (parent: Element, name: string) => parent.ele(name);
  const message = ele(root, 'BkToCstmrDbtCdtNtfctn');
  const header = ele(message, 'GrpHdr');
  ele(header, 'MsgId').txt(notification.messageId);
  ele(header, 'CreDtTm').txt(notification.createdAt.toISOString().slice(0, 19));
  const report = ele(message, 'Ntfctn');
  ele(report, 'Id').txt(`${notification.messageId}-1`);
  ele(report, 'CreDtTm').txt(notification.createdAt.toISOString().slice(0, 19));
  const account = ele(report, 'Acct');
  ele(ele(account, 'Id'), 'IBAN').txt(notification.account.iban);
  ele(account, 'Ccy').txt('DKK');
  ele(ele(ele(account, 'Svcr'), 'FinInstnId'), 'BIC').txt(notification.account.bic);

  const bookingDate = notification.createdAt.toISOString().slice(0, 10);
  notification.entries.forEach((entry, index) => {
    const ntry = ele(report, 'Ntry');
    ele(ntry, 'NtryRef').txt(String(index + 1));
    ele(ntry, 'Amt').att('Ccy', 'DKK').txt(formatKroner(entry.amountOre));
    ele(ntry, 'CdtDbtInd').txt('DBIT');
    ele(ntry, 'Sts').txt(entry.status ?? 'BOOK');
    if ((entry.status ?? 'BOOK') === 'BOOK')
      ele(ele(ntry, 'BookgDt'), 'Dt').txt(entry.bookingDate ?? bookingDate);
    ele(ele(ntry, 'ValDt'), 'Dt').txt(entry.bookingDate ?? bookingDate);
    ele(ntry, 'AcctSvcrRef').txt(`BANKREF-${index + 1}`);
    domesticTransferCode(ele, ntry);
    const tx = ele(ele(ntry, 'NtryDtls'), 'TxDtls');
    const refs = ele(tx, 'Refs');
    ele(refs, 'EndToEndId').txt(entry.endToEndId);
    const amounts = ele(tx, 'AmtDtls');
    ele(ele(amounts, 'InstdAmt'), 'Amt').att('Ccy', 'DKK').txt(formatKroner(entry.amountOre));
    ele(ele(amounts, 'TxAmt'), 'Amt').att('Ccy', 'DKK').txt(formatKroner(entry.amountOre));
    const parties = ele(tx, 'RltdPties');
    ele(ele(parties, 'Dbtr'), 'Nm').txt(notification.account.ownerName);
    ele(ele(ele(parties, 'DbtrAcct'), 'Id'), 'IBAN').txt(notification.account.iban);
    ele(ele(parties, 'Cdtr'), 'Nm').txt(entry.creditorName);
    ele(ele(ele(parties, 'CdtrAcct'), 'Id'), 'IBAN').txt(entry.creditorIban);
  });
  for (const credit of notification.credits ?? []) {
    const ntry = ele(report, 'Ntry');
    ele(ntry, 'Amt').att('Ccy', 'DKK').txt(formatKroner(credit.amountOre));
    ele(ntry, 'CdtDbtInd').txt('CRDT');
    ele(ntry, 'Sts').txt('BOOK');
    ele(ele(ntry, 'BookgDt'), 'Dt').txt(bookingDate);
    domesticTransferCode(ele, ntry, 'RCDT');
    ele(ele(ele(ele(ntry, 'NtryDtls'), 'TxDtls'), 'Refs'), 'EndToEndId').txt(credit.reference);
  }
  return doc.end({ prettyPrint: true });
}

type Element = ReturnType<ReturnType<typeof create>['ele']>;

/** ISO bank transaction code: payments / issued (or received) credit transfer / domestic. */
function domesticTransferCode(
  ele: (parent: Element, name: string) => Element,
  entry: Element,
  family: 'ICDT' | 'RCDT' = 'ICDT',
): void {
  const domain = ele(ele(entry, 'BkTxCd'), 'Domn');
  ele(domain, 'Cd').txt('PMNT');
  const fmly = ele(domain, 'Fmly');
  ele(fmly, 'Cd').txt(family);
  ele(fmly, 'SubFmlyCd').txt('DMCT');
}
