import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.ts';
import { errors } from './schemas.ts';

/**
 * What a scanner needs to sign redemptions: the EIP-712 domain is ("VoucherHub", "1",
 * chainId, hub). Public: these are the addresses anyone can read on the chain.
 */
const publicChainRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/public/chain',
    {
      schema: {
        tags: ['public'],
        response: {
          200: Type.Object({
            chainId: Type.Integer(),
            hub: Type.String(),
            ekrone: Type.String(),
            eip712: Type.Object({ name: Type.String(), version: Type.String() }),
          }),
          ...errors(503),
        },
      },
    },
    async () => {
      const chain = app.deps.chain;
      if (!chain) throw new AppError('CHAIN_UNAVAILABLE');
      return {
        chainId: chain.chainId,
        hub: chain.addresses.hub,
        ekrone: chain.addresses.ekrone,
        eip712: { name: 'VoucherHub', version: '1' },
      };
    },
  );
};

export default publicChainRoutes;
