import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.ts';
import { parseKroner, parseOre } from '../money/ore.ts';
import { listOffers } from '../offers/list-offers.ts';
import { CategoryName, errors } from './schemas.ts';

export const OfferResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  providerId: Type.Integer(),
  providerName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  priceOre: Type.String(),
  category: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Exactly one of an øre string or a kroner string; never both, never neither. */
export function oreFromEither(ore: string | undefined, kroner: string | undefined): bigint {
  if ((ore === undefined) === (kroner === undefined)) throw new AppError('AMOUNT_INVALID');
  return ore !== undefined ? parseOre(ore) : parseKroner(kroner as string);
}

/** The public offers catalogue the citizen app shows; no login needed. */
const offerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/offers',
    {
      schema: {
        tags: ['offers'],
        querystring: Type.Object({ category: Type.Optional(CategoryName) }, { additionalProperties: false }),
        response: { 200: Type.Array(OfferResponse), ...errors(400) },
      },
    },
    async (request) => listOffers(app.deps, { category: request.query.category }),
  );
};

export default offerRoutes;
