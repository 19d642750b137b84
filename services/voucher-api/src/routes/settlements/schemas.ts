import { Type } from '@fastify/type-provider-typebox';
import { ChallengeResponse, OfficerSignatureView, SignedBody } from '../officer-signing-schemas.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReconciliationReportSchema = Type.Object({
  municipalityId: Type.Integer(),
  periodId: Type.Integer(),
  clean: Type.Boolean(),
  closed: Type.Boolean(),
  chain: Type.Object({
    redemptions: Type.Integer(),
    grossOre: Type.String(),
    reversals: Type.Integer(),
    reversedOre: Type.String(),
    totalOre: Type.String({ description: 'Net: gross less what reversals took off claims' }),
    accruedOre: Type.String(),
    paidOre: Type.String({ description: "The contract's paid total: transferred plus set off" }),
    offsetOre: Type.String(),
  }),
  database: Type.Object({
    redemptions: Type.Integer(),
    grossOre: Type.String(),
    reversals: Type.Integer(),
    totalOre: Type.String(),
  }),
  providers: Type.Array(
    Type.Object({
      providerId: Type.Integer(),
      chainRedemptions: Type.Integer(),
      chainOre: Type.String(),
      chainReversals: Type.Integer(),
      chainReversedOre: Type.String(),
      chainFromClaimOre: Type.String(),
      chainClaimOre: Type.String(),
      databaseRedemptions: Type.Integer(),
      databaseOre: Type.String(),
      databaseReversals: Type.Integer(),
      databaseFromClaimOre: Type.String(),
      databaseClaimOre: Type.String(),
      paidOre: Type.String(),
      offsetOre: Type.String(),
    }),
  ),
  receivables: Type.Array(
    Type.Object({
      providerId: Type.Integer(),
      chainOre: Type.String(),
      eventsOre: Type.String(),
      databaseOre: Type.String(),
    }),
  ),
  differences: Type.Array(
    Type.Object({
      kind: Type.String(),
      periodId: Type.Integer(),
      providerId: Type.Optional(Type.Integer()),
      terminal: Type.Optional(Type.String()),
      redemptionId: Type.Optional(Type.String()),
      reversalId: Type.Optional(Type.String()),
      database: Type.Optional(Type.String()),
      chain: Type.Optional(Type.String()),
    }),
  ),
});

export const SettlementResponse = Type.Object({
  id: Type.String(),
  periodId: Type.Integer(),
  status: Type.Union([
    Type.Literal('proposing'),
    Type.Literal('proposed'),
    Type.Literal('approving'),
    Type.Literal('approved'),
    Type.Literal('executing'),
    Type.Literal('paid'),
    Type.Literal('rejected'),
  ]),
  totalOre: Type.String(),
  paidOre: Type.String(),
  offsetOre: Type.String(),
  providerCount: Type.Integer(),
  paidProviderCount: Type.Integer(),
  proposedBy: Type.String(),
  proposedAt: Type.String({ format: 'date-time' }),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String({ format: 'date-time' })),
  executedBy: Nullable(Type.String()),
  paidAt: Nullable(Type.String({ format: 'date-time' })),
  chainError: Nullable(Type.String()),
  bankStatus: Type.Union(
    [
      Type.Literal('not_sent'),
      Type.Literal('awaiting_bank'),
      Type.Literal('paid_in_bank'),
      Type.Literal('nothing_to_pay'),
    ],
    {
      description:
        'paid_in_bank once every payout with an amount is confirmed by an imported bank notification (POST /bank-notifications)',
    },
  ),
  bankPayoutCount: Type.Integer({ description: 'Payouts with an amount: the bank file’s transactions' }),
  bankConfirmedCount: Type.Integer(),
  bankPaidAt: Nullable(Type.String({ format: 'date-time' })),
  signatures: Type.Array(OfficerSignatureView, {
    description: 'Which officer signed which step (close, propose, approve, bank confirmation), oldest first',
  }),
  payouts: Type.Array(
    Type.Object({
      providerId: Type.Integer(),
      providerName: Type.String(),
      claimOre: Type.String(),
      offsetOre: Type.String(),
      amountOre: Type.String(),
      redemptionCount: Type.Integer(),
      endToEndId: Type.String(),
      status: Type.Union([Type.Literal('pending'), Type.Literal('paid')]),
      paidTxHash: Nullable(Type.String()),
      bankConfirmedAt: Nullable(Type.String({ format: 'date-time' })),
      bankImportId: Nullable(Type.String({ description: 'The bank notification import that confirmed it' })),
    }),
  ),
});

/** The 409 of a blocked proposal: the usual error envelope with the report in its details. */
export const ReconciliationMismatchResponse = Type.Object({
  error: Type.Object({
    code: Type.Literal('SETTLEMENT_RECONCILIATION_MISMATCH'),
    message: Type.String(),
    messageDa: Type.String(),
    details: Type.Object({
      periodId: Type.Integer(),
      differences: Type.Integer(),
      report: ReconciliationReportSchema,
    }),
  }),
});

export const BankConfirmationChallengeResponse = ChallengeResponse(
  {
    settlementId: Type.String(),
    periodId: Type.Integer(),
    providerIds: Type.Array(Type.Integer()),
    totalOre: Type.String({ description: 'øre' }),
  },
  'What the officer signs to burn the bank-confirmed payouts’ eKrone',
);

export const BankConfirmationBody = SignedBody({
  providerIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }),
});

export const BankConfirmationResponse = Type.Object({
  status: Type.Union([Type.Literal('burned'), Type.Literal('pending')]),
  providerIds: Type.Array(Type.Integer()),
  burnedOre: Type.String({ description: 'øre' }),
  txHash: Type.Union([Type.String(), Type.Null()]),
});
