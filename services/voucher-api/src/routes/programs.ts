import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { JsonObject } from '@voucher/db';
import { parseOre } from '../money/ore.ts';
import { createProgram } from '../programs/create-program.ts';
import { fundProgram } from '../programs/fund-program.ts';
import { listPrograms } from '../programs/list-programs.ts';
import { publishProgram } from '../programs/publish-program.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { oreFromEither } from './offers.ts';
import { bearer, Categories, errors, IntegerIdParams, KronerString, OreString } from './schemas.ts';

const ProgramResponse = Type.Object({
  id: Type.String(),
  municipalityId: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  creditOre: Type.Union([Type.String(), Type.Null()]),
  usesPerGrant: Type.Union([Type.Integer(), Type.Null()]),
  maxPerUseOre: Type.String(),
  usesPerWindow: Type.Union([Type.Integer(), Type.Null()]),
  windowDays: Type.Union([Type.Integer(), Type.Null()]),
  categories: Type.Array(Type.String()),
  categoriesMask: Type.Integer(),
  providerIds: Type.Array(Type.Integer()),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
  budgetOre: Type.String(),
  status: Type.String(),
  eligibilityRule: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const CreateProgramBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    kind: Type.Union([Type.Literal('credit'), Type.Literal('uses')]),
    creditOre: Type.Optional(OreString),
    usesPerGrant: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    maxPerUseOre: Type.Optional(OreString),
    usesPerWindow: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
    windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
    categories: Categories,
    providerIds: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000, uniqueItems: true }),
    ),
    validFrom: Type.String({ format: 'date-time' }),
    validUntil: Type.String({ format: 'date-time' }),
    eligibilityRule: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

const FundBody = Type.Object(
  {
    amountOre: Type.Optional(OreString),
    amountKroner: Type.Optional(KronerString),
    requestId: Type.String({
      format: 'uuid',
      description:
        'Required idempotency key, client-generated: the same key funds once, whatever the retries',
    }),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('suspended')]),
    ),
  },
  { additionalProperties: false },
);

const programRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['programs'];
  const programId = (params: { id: string }) => BigInt(params.id);

  app.post(
    '/programs',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        body: CreateProgramBody,
        response: { 201: ProgramResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { creditOre, maxPerUseOre, validFrom, validUntil, eligibilityRule, ...rules } = request.body;
      const created = await createProgram(app.deps, {
        actor: request.user,
        ...rules,
        creditOre: creditOre === undefined ? undefined : parseOre(creditOre),
        maxPerUseOre: maxPerUseOre === undefined ? undefined : parseOre(maxPerUseOre),
        validFrom: new Date(validFrom),
        validUntil: new Date(validUntil),
        eligibilityRule: eligibilityRule as JsonObject | undefined,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/programs',
    {
      preValidation: app.authenticate,
      schema: {
        tags,
        security: bearer,
        querystring: ListQuery,
        response: { 200: Type.Array(ProgramResponse), ...errors(400, 401) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) =>
        listPrograms(deps, { actor: request.user, status: request.query.status }),
      ),
  );

  app.post(
    '/programs/:id/fund',
    {
      preValidation: app.requireRole('finance'),
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        body: FundBody,
        response: { 200: ProgramResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      fundProgram(app.deps, {
        actor: request.user,
        programId: programId(request.params),
        amountOre: oreFromEither(request.body.amountOre, request.body.amountKroner),
        requestId: request.body.requestId,
      }),
  );

  app.post(
    '/programs/:id/publish',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        response: { 200: ProgramResponse, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) =>
      publishProgram(app.deps, { actor: request.user, programId: programId(request.params) }),
  );
};

export default programRoutes;
