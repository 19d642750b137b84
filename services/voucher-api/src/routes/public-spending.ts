import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { publicMunicipalities, publicSpending } from '../periods/public-spending.ts';
import { errors, MunicipalityCodeQuery } from './schemas.ts';

const Totals = Type.Array(
  Type.Object({ key: Type.String(), redemptions: Type.Integer(), amountOre: Type.String() }),
);

const SpendingResponse = Type.Object({
  currency: Type.Literal('DKK'),
  municipalityId: Type.Integer(),
  municipalityName: Type.String(),
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

const SpendingQuery = Type.Object(
  { municipality: MunicipalityCodeQuery('Kommunekode, e.g. 101') },
  { additionalProperties: false },
);

/** Public transparency data: aggregates of on-chain redemptions, no personal data, no login. */
const publicSpendingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/public/municipalities',
    {
      schema: {
        tags: ['public'],
        description: 'The municipalities on this service, for choosing whose dashboard to show.',
        response: { 200: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) },
      },
    },
    async () => publicMunicipalities(app.deps),
  );

  app.get(
    '/public/spending',
    {
      schema: {
        tags: ['public'],
        description: "One municipality's spending, from the chain's redemption events.",
        querystring: SpendingQuery,
        response: { 200: SpendingResponse, ...errors(400, 404) },
      },
    },
    async (request) => publicSpending(app.deps, Number(request.query.municipality)),
  );
};

export default publicSpendingRoutes;
