import { type TSchema, Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const BankNotificationOutcome = Type.Union(
  [
    Type.Literal('confirmed'),
    Type.Literal('differs'),
    Type.Literal('unmatched'),
    Type.Literal('duplicate'),
    Type.Literal('pending'),
  ],
  {
    description:
      'confirmed: booked with the payout’s amount to its account; differs: a known payout, but amount or account differ; unmatched: no payout of this municipality has the end-to-end id; duplicate: the payout was already confirmed; pending: not yet booked (PDNG/INFO)',
  },
);

export const BankNotificationSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('camt.054.001.02'), Type.Literal('camt.053.001.02')]),
  messageId: Type.String({ description: 'The bank’s GrpHdr/MsgId' }),
  messageCreatedAt: Type.String({ description: 'The bank’s GrpHdr/CreDtTm, as written' }),
  importedAt: Type.String({ format: 'date-time' }),
  importedBy: Type.String({ description: 'The finance officer’s staff id' }),
  counts: Type.Object({
    entries: Type.Integer({ description: 'Debit transactions in the file' }),
    confirmed: Type.Integer(),
    differs: Type.Integer(),
    unmatched: Type.Integer(),
    duplicate: Type.Integer(),
    pending: Type.Integer(),
    ignoredCredit: Type.Integer({ description: 'Credit entries: money in, never a payout' }),
  }),
});

export const BankNotificationEntry = Type.Object({
  position: Type.Integer({ description: 'Order among the file’s debit transactions, from 0' }),
  endToEndId: Nullable(Type.String()),
  amountOre: Type.String({ description: 'Booked by the bank, øre' }),
  creditorIban: Nullable(Type.String()),
  bookingDate: Nullable(Type.String({ format: 'date' })),
  bankStatus: Type.String({ description: 'BOOK, PDNG or INFO' }),
  outcome: BankNotificationOutcome,
  settlementId: Nullable(Type.String()),
  periodId: Nullable(Type.Integer()),
  providerId: Nullable(Type.Integer()),
  providerName: Nullable(Type.String()),
  expectedAmountOre: Nullable(Type.String({ description: 'The payout’s amount, øre' })),
  expectedIban: Nullable(Type.String({ description: 'The payout’s account' })),
});

export const BankNotificationDetail = Type.Object({
  ...BankNotificationSummary.properties,
  entries: Type.Array(BankNotificationEntry),
});
