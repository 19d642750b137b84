import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { camtAmountToOre } from './camt-amount.ts';
import { parseBankNotification } from './parse-camt.ts';

/**
 * Fixtures written out by hand, the way banks send them, rather than made by the test
 * builder the API test uses: the parser and the builder must not share a misreading.
 */
const CAMT_054 = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.02';
const CAMT_053 = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.02';

interface Tx {
  e2e?: string;
  amount?: string;
  ccy?: string;
  iban?: string;
}
interface Entry {
  amount: string;
  ccy?: string;
  ind?: 'DBIT' | 'CRDT' | string;
  sts?: string;
  booked?: string | null;
  txs?: Tx[];
}

function tx({ e2e, amount, ccy = 'DKK', iban }: Tx): string {
  return `
          <TxDtls>
            <Refs>
              <MsgId>VOUCHER-S1-P1</MsgId>
              ${e2e ? `<EndToEndId>${e2e}</EndToEndId>` : ''}
            </Refs>
            ${amount ? `<AmtDtls><TxAmt><Amt Ccy="${ccy}">${amount}</Amt></TxAmt></AmtDtls>` : ''}
            <RltdPties>
              <Cdtr><Nm>Demo Idrætsforening</Nm></Cdtr>
              ${iban ? `<CdtrAcct><Id><IBAN>${iban}</IBAN></Id></CdtrAcct>` : ''}
            </RltdPties>
          </TxDtls>`;
}

function entry({ amount, ccy = 'DKK', ind = 'DBIT', sts = 'BOOK', booked = '2027-02-02', txs = [] }: Entry) {
  return `
      <Ntry>
        <Amt Ccy="${ccy}">${amount}</Amt>
        <CdtDbtInd>${ind}</CdtDbtInd>
        <Sts>${sts}</Sts>
        ${booked ? `<BookgDt><Dt>${booked}</Dt></BookgDt>` : ''}
        <ValDt><Dt>2027-02-02</Dt></ValDt>
        <BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd>
        ${txs.length ? `<NtryDtls>${txs.map(tx).join('')}</NtryDtls>` : ''}
      </Ntry>`;
}

function camt054(entries: Entry[], { prefix = '' }: { prefix?: string } = {}): string {
  const p = prefix ? `${prefix}:` : '';
  const body = `
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>BANK-054-0001</MsgId><CreDtTm>2027-02-02T06:15:00+01:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id>
      <CreDtTm>2027-02-02T06:15:00+01:00</CreDtTm>
      <Acct><Id><IBAN>DK9520000123456789</IBAN></Id></Acct>
      ${entries.map(entry).join('')}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>`;
  // A prefixed document names every element with the prefix: the parser goes by namespace.
  const named = prefix ? body.replace(/<(\/?)([A-Z][A-Za-z]*)/g, `<$1${p}$2`) : body;
  return `<?xml version="1.0" encoding="UTF-8"?>
<${p}Document xmlns${prefix ? `:${prefix}` : ''}="${CAMT_054}">${named}
</${p}Document>`;
}

function camt053(entries: Entry[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${CAMT_053}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>BANK-053-0007</MsgId><CreDtTm>2027-02-03T00:30:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-7</Id>
      <CreDtTm>2027-02-03T00:30:00</CreDtTm>
      <Acct><Id><IBAN>DK9520000123456789</IBAN></Id></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="DKK">100000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2027-02-02</Dt></Dt>
      </Bal>
      ${entries.map(entry).join('')}
    </Stmt>
  </BkToCstmrStmt>
</Document>`;
}

function refusal(xml: string): { code: string; details: unknown } {
  try {
    parseBankNotification(xml);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('camt amounts as øre, exactly', () => {
  it.each([
    ['1500.50', 150_050n],
    ['99.5', 9_950n],
    ['0.01', 1n],
    ['1500', 150_000n],
    ['250.00', 25_000n],
    ['12.34000', 1_234n],
    ['0', 0n],
    ['9999999999999999.99', 999_999_999_999_999_999n],
  ])('%s → %s øre', (text, ore) => {
    expect(camtAmountToOre(text)).toBe(ore);
  });

  it.each([
    ['12.345', 'a fraction of an øre'],
    ['1,50', 'a comma'],
    ['-10.00', 'a sign'],
    ['1e3', 'an exponent'],
    ['.50', 'no whole part'],
    ['10.', 'a point without decimals'],
    ['12.123456', 'six decimals'],
    ['1234567890123456789', 'nineteen digits'],
    ['', 'nothing'],
  ])('refuses %s (%s)', (text) => {
    expect(camtAmountToOre(text)).toBeUndefined();
  });
});

describe('reading camt.054.001.02 and camt.053.001.02', () => {
  it('reads each debit transaction of a notification with its id, øre, account, date and status', () => {
    const parsed = parseBankNotification(
      camt054([
        { amount: '1500.50', txs: [{ e2e: 'VOUCHER-M101-P3-PRV7', iban: 'DK38 5295 0001 2345 67' }] },
        {
          amount: '99.5',
          sts: 'PDNG',
          booked: null,
          txs: [{ e2e: 'VOUCHER-M101-P3-PRV8', iban: 'dk8030000012345678' }],
        },
        { amount: '0.01', txs: [{ e2e: 'VOUCHER-M101-P3-PRV9' }] },
      ]),
    );
    expect(parsed).toEqual({
      kind: 'camt.054.001.02',
      messageId: 'BANK-054-0001',
      createdAt: '2027-02-02T06:15:00+01:00',
      ignoredCreditCount: 0,
      transactions: [
        {
          endToEndId: 'VOUCHER-M101-P3-PRV7',
          amountOre: 150_050n,
          creditorIban: 'DK3852950001234567',
          bookingDate: '2027-02-02',
          status: 'BOOK',
        },
        {
          endToEndId: 'VOUCHER-M101-P3-PRV8',
          amountOre: 9_950n,
          creditorIban: 'DK8030000012345678',
          bookingDate: null,
          status: 'PDNG',
        },
        {
          endToEndId: 'VOUCHER-M101-P3-PRV9',
          amountOre: 1n,
          creditorIban: null,
          bookingDate: '2027-02-02',
          status: 'BOOK',
        },
      ],
    });
  });

  it('reads a statement (camt.053) the same way, skipping its balances', () => {
    const parsed = parseBankNotification(
      camt053([{ amount: '250.00', txs: [{ e2e: 'VOUCHER-M101-P1-PRV2', iban: 'DK3852950001234567' }] }]),
    );
    expect(parsed.kind).toBe('camt.053.001.02');
    expect(parsed.messageId).toBe('BANK-053-0007');
    expect(parsed.transactions).toEqual([
      expect.objectContaining({ endToEndId: 'VOUCHER-M101-P1-PRV2', amountOre: 25_000n, status: 'BOOK' }),
    ]);
  });

  it('counts credit entries and leaves them out: money coming in is never a payout', () => {
    const parsed = parseBankNotification(
      camt053([
        { amount: '5000.00', ind: 'CRDT', ccy: 'EUR', txs: [{ e2e: 'FUNDING-1' }] },
        { amount: '99.95', txs: [{ e2e: 'VOUCHER-M101-P1-PRV3', iban: 'DK5912340009876543' }] },
        { amount: '10.00', ind: 'CRDT' },
      ]),
    );
    expect(parsed.ignoredCreditCount).toBe(2);
    expect(parsed.transactions.map((t) => t.endToEndId)).toEqual(['VOUCHER-M101-P1-PRV3']);
  });

  it('splits a batch booking into its transactions, each with its own amount', () => {
    const parsed = parseBankNotification(
      camt054([
        {
          amount: '350.50',
          txs: [
            { e2e: 'VOUCHER-M101-P1-PRV1', amount: '250.00', iban: 'DK8030000012345678' },
            { e2e: 'VOUCHER-M101-P1-PRV2', amount: '100.50', iban: 'DK3852950001234567' },
          ],
        },
      ]),
    );
    expect(parsed.transactions.map((t) => [t.endToEndId, t.amountOre])).toEqual([
      ['VOUCHER-M101-P1-PRV1', 25_000n],
      ['VOUCHER-M101-P1-PRV2', 10_050n],
    ]);
  });

  it('keeps a debit without details or end-to-end id, so finance sees it unexplained', () => {
    const parsed = parseBankNotification(
      camt054([{ amount: '42.00' }, { amount: '1.00', txs: [{ e2e: 'NOTPROVIDED' }] }]),
    );
    expect(parsed.transactions.map((t) => [t.endToEndId, t.amountOre])).toEqual([
      [null, 4_200n],
      [null, 100n],
    ]);
  });

  it('goes by namespace, not prefix', () => {
    const parsed = parseBankNotification(
      camt054([{ amount: '1.00', txs: [{ e2e: 'VOUCHER-M101-P1-PRV1' }] }], { prefix: 'ns2' }),
    );
    expect(parsed.transactions).toHaveLength(1);
  });

  it.each([
    ['not XML at all', 'this is a CSV, not a bank file', 'BANK_NOTIFICATION_INVALID', 'not_well_formed'],
    [
      'a camt look-alike without the namespace',
      '<Document><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>X</MsgId></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>',
      'BANK_NOTIFICATION_INVALID',
      'not_camt',
    ],
    ['empty', '', 'BANK_NOTIFICATION_INVALID', 'not_well_formed'],
    [
      'cut off in transfer',
      camt054([
        { amount: '1.00', txs: [{ e2e: 'A' }] },
        { amount: '2.00', txs: [{ e2e: 'B' }] },
      ]).slice(0, -400),
      'BANK_NOTIFICATION_INVALID',
      'not_well_formed',
    ],
    [
      'a broken tag',
      camt054([{ amount: '1.00' }]).replace('<Sts>', '<Sts a=>'),
      'BANK_NOTIFICATION_INVALID',
      'not_well_formed',
    ],
    [
      'an element left open',
      camt054([{ amount: '1.00' }]).replace('</CdtDbtInd>', ''),
      'BANK_NOTIFICATION_INVALID',
      'not_well_formed',
    ],
    [
      'the bank file we sent (pain.001)',
      '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>',
      'BANK_NOTIFICATION_INVALID',
      'not_camt',
    ],
    [
      'a later camt.054 version',
      camt054([{ amount: '1.00' }]).replace('camt.054.001.02', 'camt.054.001.08'),
      'BANK_NOTIFICATION_INVALID',
      'not_camt',
    ],
    [
      'a DOCTYPE with entities',
      camt054([{ amount: '1.00' }]).replace('<Document', '<!DOCTYPE Document [<!ENTITY x "y">]><Document'),
      'BANK_NOTIFICATION_INVALID',
      'doctype',
    ],
    [
      'no message id',
      camt054([{ amount: '1.00' }]).replace('<MsgId>BANK-054-0001</MsgId>', ''),
      'BANK_NOTIFICATION_INVALID',
      'missing',
    ],
    ['a fraction of an øre', camt054([{ amount: '1.005' }]), 'BANK_NOTIFICATION_INVALID', 'amount'],
    ['a zero debit', camt054([{ amount: '0.00' }]), 'BANK_NOTIFICATION_INVALID', 'amount'],
    ['an unknown status', camt054([{ amount: '1.00', sts: 'DONE' }]), 'BANK_NOTIFICATION_INVALID', 'code'],
    [
      'a batch entry without per-transaction amounts',
      camt054([{ amount: '3.00', txs: [{ e2e: 'A' }, { e2e: 'B' }] }]),
      'BANK_NOTIFICATION_INVALID',
      'missing',
    ],
  ])('refuses %s', (_name, xml, code, reason) => {
    const refused = refusal(xml);
    expect(refused.code).toBe(code);
    expect(refused.details).toMatchObject({ reason });
  });

  it('refuses a debit in another currency than DKK, naming the currency and entry only', () => {
    const refused = refusal(
      camt054([
        { amount: '1.00', txs: [{ e2e: 'VOUCHER-M101-P1-PRV1' }] },
        { amount: '15.00', ccy: 'EUR', txs: [{ e2e: 'VOUCHER-M101-P1-PRV2' }] },
      ]),
    );
    expect(refused).toEqual({ code: 'BANK_NOTIFICATION_CURRENCY', details: { currency: 'EUR', entry: 2 } });
    const inDetails = refusal(
      camt054([{ amount: '15.00', txs: [{ e2e: 'VOUCHER-M101-P1-PRV2', amount: '15.00', ccy: 'SEK' }] }]),
    );
    expect(inDetails.details).toEqual({ currency: 'SEK', entry: 1 });
  });

  it('names where a document failed by element, never by the value it held', () => {
    const refused = refusal(camt054([{ amount: '12.345', txs: [{ e2e: 'VOUCHER-M101-P1-PRV1' }] }]));
    expect(refused.details).toEqual({ reason: 'amount', element: 'Ntry/Amt', entry: 1 });
    expect(JSON.stringify(refused.details)).not.toContain('12.345');
  });
});
