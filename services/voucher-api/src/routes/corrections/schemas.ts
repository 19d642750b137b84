import { Type } from '@fastify/type-provider-typebox';
import { reversalKinds, reversalReasons } from '@voucher/db';
import { Address } from '../schemas.ts';

const OreText = Type.String({ pattern: '^[0-9]{1,20}$', description: 'Øre as a decimal string' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReversalKind = Type.Union([Type.Literal(reversalKinds[0]), Type.Literal(reversalKinds[1])], {
  description:
    'void: the whole payment, in the period it landed in, while that period is open (a mistake at the counter). refund: any part, later, in whichever period is open.',
});
export const ReversalReason = Type.Union(
  [
    Type.Literal(reversalReasons[0]),
    Type.Literal(reversalReasons[1]),
    Type.Literal(reversalReasons[2]),
    Type.Literal(reversalReasons[3]),
    Type.Literal(reversalReasons[4]),
  ],
  { description: 'Why the money goes back; a code, never free text' },
);

export const RedemptionKeyParams = Type.Object({
  terminal: Address,
  redemptionId: Type.String({ pattern: '^[0-9]{1,18}$' }),
});

export const ReverseBody = Type.Object(
  {
    terminal: {
      ...Address,
      description: "The provider's terminal that signed the reversal (any active terminal of the provider)",
    },
    reversalId: Type.String({
      pattern: '^[0-9]{1,18}$',
      description:
        "A fresh id from the signing terminal's redemption counter (reversals and redemptions share it)",
    }),
    kind: ReversalKind,
    reason: ReversalReason,
    amountOre: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Øre, decimal string' }),
    period: Type.Integer({
      minimum: 0,
      maximum: 4_294_967_295,
      description: "A void: the payment's period (periodId of the line). A refund: 0.",
    }),
    deadline: Type.Integer({ minimum: 1, maximum: 1_099_511_627_775, description: 'Unix seconds (uint40)' }),
    signature: Type.String({
      pattern: '^0x[0-9a-fA-F]{130}$',
      description:
        "The terminal key's EIP-712 signature of the hub's Reversal struct { id, redemption, amountOre, period, deadline }, where redemption is the line's `signed` message",
    }),
    disputeId: Type.Optional(Type.String({ format: 'uuid', description: 'The dispute this refund settles' })),
  },
  { additionalProperties: false },
);

export const ReversalResponse = Type.Object({
  terminal: Type.String({ description: 'The terminal that signed the reversal' }),
  reversalId: Type.String(),
  originalTerminal: Type.String(),
  originalRedemptionId: Type.String(),
  kind: ReversalKind,
  reason: ReversalReason,
  amountOre: OreText,
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected')]),
  periodId: Nullable(Type.String({ description: 'The period it landed in (confirmed only)' })),
  fromClaimOre: Nullable(OreText),
  receivableOre: Nullable({
    ...OreText,
    description: "Not covered by the provider's claim: owed by the provider",
  }),
  creditRestored: Type.Union([Type.Boolean(), Type.Null()]),
  rejectionCode: Nullable(Type.String()),
  txHash: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  confirmedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ReverseResponse = Type.Object({
  reversal: ReversalResponse,
  reversedOre: { ...OreText, description: 'Given back of the payment so far (confirmed)' },
  reversibleOre: { ...OreText, description: 'What may still be given back' },
});

export const ReversalListResponse = Type.Object({
  reversals: Type.Array(ReversalResponse),
  reversedOre: OreText,
  reversibleOre: OreText,
});
