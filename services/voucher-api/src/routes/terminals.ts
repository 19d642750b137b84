import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { pairTerminal } from '../terminals/pair-terminal.ts';
import { revokeTerminal } from '../terminals/revoke-terminal.ts';
import { Address, bearer, errors } from './schemas.ts';

export const TerminalResponse = Type.Object({
  address: Type.String(),
  providerId: Type.Integer(),
  label: Type.String(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const PairBody = Type.Object(
  {
    pairingCode: Type.String({ minLength: 4, maxLength: 32 }),
    address: Address,
    label: Type.String({ minLength: 1, maxLength: 100 }),
    signature: Type.String({
      pattern: '^0x[0-9a-fA-F]{130}$',
      description: 'EIP-191 signature of "Pair voucher terminal with code <CODE>" by the terminal key',
    }),
  },
  { additionalProperties: false },
);

const terminalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/terminals',
    {
      // No login: the one-time pairing code is the scanner's credential. Tightly limited.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['terminals'],
        body: PairBody,
        response: { 201: TerminalResponse, ...errors(400, 401, 409, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await pairTerminal(app.deps, request.body)),
  );

  app.delete(
    '/terminals/:address',
    {
      preValidation: app.requireRole('provider_staff', 'admin'),
      schema: {
        tags: ['terminals'],
        security: bearer,
        params: Type.Object({ address: Address }),
        response: { 200: TerminalResponse, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => revokeTerminal(app.deps, { actor: request.user, address: request.params.address }),
  );
};

export default terminalRoutes;
