import { Type } from '@fastify/type-provider-typebox';

const Details = Type.Object({}, { additionalProperties: true });

export const VoucherResponse = Type.Object({
  programId: Type.String(),
  programName: Type.String(),
  municipalityId: Type.Integer({ description: "The program's municipality (kommunekode)" }),
  municipalityName: Type.String({ description: "The program's municipality, as its staff name it" }),
  kind: Type.Union([Type.Literal('credit'), Type.Literal('uses')]),
  categories: Type.Array(Type.String()),
  remainingOre: Type.Optional(Type.String({ description: 'Credit programs: øre left' })),
  remainingUses: Type.Optional(Type.Integer({ description: 'Uses programs: uses left in the grant' })),
  maxPerUseOre: Type.String(),
  maxAmountNowOre: Type.String({
    description: 'The highest amount redeemable right now; 0 if not redeemable',
  }),
  usesPerWindow: Type.Optional(Type.Integer()),
  windowDays: Type.Optional(Type.Integer()),
  usesLeftInWindow: Type.Optional(Type.Integer()),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
  redeemable: Type.Boolean(),
  reason: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), details: Details })),
  nextPossibleAt: Type.Optional(Type.String({ format: 'date-time' })),
});

export const ScanBody = Type.Object(
  {
    pass: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'QR text: printed pass (VP1.) or phone presentation (VR1.)',
    }),
  },
  { additionalProperties: false },
);

export const ScanResponse = Type.Object({
  scanId: Type.String({ format: 'uuid' }),
  account: Type.String({ pattern: '^0x[0-9a-f]{64}$' }),
  passKind: Type.Union([Type.Literal('static'), Type.Literal('rotating')]),
  expiresAt: Type.String({ format: 'date-time' }),
  vouchers: Type.Array(VoucherResponse),
});

export const RedeemBody = Type.Object(
  {
    scanId: Type.String({ format: 'uuid' }),
    terminal: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }),
    redemptionId: Type.String({
      pattern: '^[0-9]{1,18}$',
      description: 'Chosen by the terminal, unique per terminal (count up from 1); at most 18 digits',
    }),
    programId: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }),
    amountOre: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Øre, decimal string' }),
    deadline: Type.Integer({ minimum: 1, maximum: 1_099_511_627_775, description: 'Unix seconds (uint40)' }),
    signature: Type.String({
      pattern: '^0x[0-9a-fA-F]{130}$',
      description: "The terminal key's EIP-712 signature of the hub's Redemption struct",
    }),
  },
  { additionalProperties: false },
);

export const RedemptionResponse = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected')]),
  redemptionId: Type.String(),
  terminal: Type.String(),
  providerId: Type.Integer(),
  programId: Type.String(),
  amountOre: Type.String(),
  txHash: Type.Union([Type.String(), Type.Null()]),
  periodId: Type.Union([Type.String(), Type.Null()]),
  rejectionCode: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  statusUrl: Type.String(),
  voucher: Type.Optional(VoucherResponse),
});

export const ProviderRedemptionResponse = Type.Object({
  redemptionId: Type.String(),
  terminal: Type.String(),
  programId: Type.String(),
  programName: Type.String(),
  municipalityId: Type.Integer({ description: "The program's municipality (kommunekode)" }),
  amountOre: Type.String(),
  status: Type.String(),
  periodId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  reversedOre: Type.String({ description: 'Voided or refunded of it so far (confirmed), øre' }),
  reversibleOre: Type.String({ description: 'What a refund may still give back, øre (0 unless confirmed)' }),
  voidable: Type.Boolean({
    description: "Confirmed, in the municipality's open period and nothing given back yet: a void lands",
  }),
  signed: Type.Object(
    {
      id: Type.String(),
      account: Type.String(),
      program: Type.String(),
      provider: Type.Integer(),
      amountOre: Type.String(),
      deadline: Type.Integer(),
    },
    {
      description:
        "The redemption as its terminal signed it: the `redemption` inside a reversal's EIP-712 message",
    },
  ),
});
