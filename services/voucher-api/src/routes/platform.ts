import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.ts';
import { operationalHealth } from '../platform/operational-health.ts';
import { createFirstAdmin } from '../staff/create-first-admin.ts';
import { bearer, errors, Password, Username } from './schemas.ts';

const Count = Type.Integer({ minimum: 0 });

const HealthResponse = Type.Object({
  checkedAt: Type.String({ format: 'date-time' }),
  database: Type.Literal('ok'),
  chain: Type.Object({
    status: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('not configured')]),
    headBlock: Type.Union([Type.String(), Type.Null()]),
  }),
  outbox: Type.Object({
    byStatus: Type.Record(Type.String(), Count),
    oldestWaitingSeconds: Type.Union([Count, Type.Null()]),
  }),
  indexers: Type.Array(
    Type.Object({
      name: Type.String(),
      blockNumber: Type.String(),
      lagBlocks: Type.Union([Type.String(), Type.Null()]),
      updatedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  redemptionsPending: Count,
  municipalities: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
});

const NewMunicipalityBody = Type.Object(
  {
    municipalityId: Type.Integer({ minimum: 1, maximum: 999, description: 'Kommunekode, e.g. 751' }),
    name: Type.String({ minLength: 2, maxLength: 100 }),
    adminUsername: Username,
    adminPassword: Password,
  },
  { additionalProperties: false },
);

const NewMunicipalityResponse = Type.Object({
  municipalityId: Type.Integer(),
  adminId: Type.String({ format: 'uuid' }),
  adminUsername: Type.String(),
});

/**
 * The platform operator's routes: the service's health and new municipalities. No route here
 * names a person or a municipality's money, and no municipal route lets an operator in.
 */
const platformRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['platform'];
  const operator = app.requireRole('operator');

  app.get(
    '/platform/health',
    {
      preValidation: operator,
      schema: { tags, security: bearer, response: { 200: HealthResponse, ...errors(401, 403, 503) } },
    },
    async (request, reply) => {
      try {
        return reply.header('cache-control', 'no-store').send(await operationalHealth(app.deps));
      } catch (error) {
        request.log.warn({ err: error }, 'platform health: database not reachable');
        throw new AppError('NOT_READY', { component: 'database' });
      }
    },
  );

  app.post(
    '/platform/municipalities',
    {
      preValidation: operator,
      schema: {
        tags,
        security: bearer,
        description:
          'A new municipality (its row, its scope on chain) and its first admin, who creates everyone else.',
        body: NewMunicipalityBody,
        response: { 201: NewMunicipalityResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { municipalityId, name, adminUsername, adminPassword } = request.body;
      const admin = await createFirstAdmin(app.deps, {
        municipalityId,
        municipalityName: name,
        username: adminUsername,
        password: adminPassword,
        actor: request.user,
      });
      return reply.code(201).send({ municipalityId, adminId: admin.id, adminUsername: admin.username });
    },
  );
};

export default platformRoutes;
