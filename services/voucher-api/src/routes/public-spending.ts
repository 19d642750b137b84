import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { publicSpending } from '../periods/public-spending.ts';

const Totals = Type.Array(
  Type.Object({ key: Type.String(), redemptions: Type.Integer(), amountOre: Type.String() }),
);

const SpendingResponse = Type.Object({
  currency: Type.Literal('DKK'),
  rows: Type.Array(
    Type.Object({
      periodId: Type.Integer(),
      programId: Type.String(),
      programName: Type.String(),
      municipalityId: Type.Integer(),
      category: Type.String(),
      redemptions: Type.Integer(),
      amountOre: Type.String(),
    }),
  ),
  byProgram: Totals,
  byCategory: Totals,
  byPeriod: Totals,
  totalOre: Type.String(),
});

/** Public transparency data: aggregates of on-chain redemptions, no personal data, no login. */
const publicSpendingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/public/spending',
    { schema: { tags: ['public'], response: { 200: SpendingResponse } } },
    async () => publicSpending(app.deps),
  );
};

export default publicSpendingRoutes;
