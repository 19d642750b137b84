import { create } from 'xmlbuilder2';
import { copenhagenDate, copenhagenDateTime } from './copenhagen-time.ts';
import { formatKroner } from './kroner.ts';

export interface CreditTransfer {
  endToEndId: string;
  amountOre: bigint;
  creditorName: string;
  creditorIban: string;
  remittance: string;
}

export interface CreditTransferBatch {
  /** Unique per file, at most 35 characters. */
  messageId: string;
  createdAt: Date;
  executionDate: Date;
  debtor: { name: string; iban: string; bic: string };
  transfers: CreditTransfer[];
}

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

/**
 * An ISO 20022 pain.001.001.03 customer credit transfer initiation in DKK: one payment
 * information block debiting the municipality's account, one transaction per provider.
 * NbOfTxs and CtrlSum are computed here from the transfers, never passed in, so they
 * cannot disagree with the transactions the bank will execute.
 */
export function buildPain001(batch: CreditTransferBatch): string {
  const count = String(batch.transfers.length);
  const controlSum = formatKroner(batch.transfers.reduce((sum, t) => sum + t.amountOre, 0n));
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(NAMESPACE, 'Document');
  const initiation = root.ele('CstmrCdtTrfInitn');
  const header = initiation.ele('GrpHdr');
  header.ele('MsgId').txt(batch.messageId);
  header.ele('CreDtTm').txt(copenhagenDateTime(batch.createdAt));
  header.ele('NbOfTxs').txt(count);
  header.ele('CtrlSum').txt(controlSum);
  header.ele('InitgPty').ele('Nm').txt(clip(batch.debtor.name, 140));
  const payment = initiation.ele('PmtInf');
  payment.ele('PmtInfId').txt(batch.messageId);
  payment.ele('PmtMtd').txt('TRF');
  payment.ele('BtchBookg').txt('false');
  payment.ele('NbOfTxs').txt(count);
  payment.ele('CtrlSum').txt(controlSum);
  payment.ele('ReqdExctnDt').txt(copenhagenDate(batch.executionDate));
  payment.ele('Dbtr').ele('Nm').txt(clip(batch.debtor.name, 140));
  const debtorAccount = payment.ele('DbtrAcct');
  debtorAccount.ele('Id').ele('IBAN').txt(batch.debtor.iban);
  debtorAccount.ele('Ccy').txt('DKK');
  payment.ele('DbtrAgt').ele('FinInstnId').ele('BIC').txt(batch.debtor.bic);
  payment.ele('ChrgBr').txt('SHAR');
  for (const transfer of batch.transfers) addTransfer(payment, transfer);
  return root.end({ prettyPrint: true });
}

type Parent = ReturnType<ReturnType<typeof create>['ele']>;

function addTransfer(payment: Parent, transfer: CreditTransfer): void {
  const tx = payment.ele('CdtTrfTxInf');
  const ids = tx.ele('PmtId');
  ids.ele('InstrId').txt(transfer.endToEndId);
  ids.ele('EndToEndId').txt(transfer.endToEndId);
  tx.ele('Amt').ele('InstdAmt', { Ccy: 'DKK' }).txt(formatKroner(transfer.amountOre));
  tx.ele('Cdtr').ele('Nm').txt(clip(transfer.creditorName, 140));
  tx.ele('CdtrAcct').ele('Id').ele('IBAN').txt(transfer.creditorIban);
  tx.ele('RmtInf').ele('Ustrd').txt(clip(transfer.remittance, 140));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
