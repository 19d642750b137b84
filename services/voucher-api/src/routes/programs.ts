import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { JsonObject } from '@voucher/db';
import { parseOre } from '../money/ore.ts';
import { createProgram } from '../programs/create-program.ts';
import { listPrograms } from '../programs/list-programs.ts';
import { fundingChallenge, fundProgramSigned, listFundings } from '../programs/program-funding.ts';
import { publishProgram } from '../programs/publish-program.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { oreFromEither } from './offers.ts';
import { ChallengeResponse, OfficerSignatureView, SignedBody } from './officer-signing-schemas.ts';
import { bearer, Categories, errors, INT4_MAX, IntegerIdParams, KronerString, OreString } from './schemas.ts';

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
      Type.Array(Type.Integer({ minimum: 1, maximum: INT4_MAX }), { maxItems: 1000, uniqueItems: true }),
    ),
    validFrom: Type.String({ format: 'date-time' }),
    validUntil: Type.String({ format: 'date-time' }),
    eligibilityRule: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

const fundFields = {
  amountOre: Type.Optional({ ...OreString, description: 'The amount in øre (or amountKroner)' }),
  amountKroner: Type.Optional({ ...KronerString, description: 'The amount in kroner (or amountOre)' }),
  requestId: Type.String({
    format: 'uuid',
    description:
      'Required, client-generated: the funding key on chain. The same request funds once, whatever the retries; a second officer signs the same one',
  }),
};
const FundBody = Type.Object(fundFields, { additionalProperties: false });
const SignedFundBody = SignedBody(fundFields);
const FundingChallengeResponse = ChallengeResponse(
  {
    programId: Type.String(),
    amountOre: Type.String({ description: 'øre' }),
    requestId: Type.String(),
    secondOfficer: Type.Boolean({ description: 'This signature is the second, approving one' }),
    needsSecondOfficer: Type.Boolean({
      description: 'The amount is above the single-officer limit: two different officers sign',
    }),
    limitOre: Type.String({ description: 'The municipality’s single-officer funding limit, øre' }),
  },
  'What the treasury officer signs to fund the program',
);
const FundingResponse = Type.Object({
  requestId: Type.String(),
  programId: Type.String(),
  amountOre: Type.String({ description: 'øre' }),
  status: Type.Union(
    [
      Type.Literal('awaiting-second-officer'),
      Type.Literal('pending'),
      Type.Literal('funded'),
      Type.Literal('rejected'),
    ],
    { description: 'funded once the hub minted; the budget grows only then' },
  ),
  proposedBy: Type.String({ description: 'Username of the officer who signed first' }),
  approvedBy: Type.Union([Type.String(), Type.Null()], {
    description: 'Username of the second officer, above the limit',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  fundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  signatures: Type.Array(OfficerSignatureView, { description: 'Who signed, with which passkey' }),
});

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

  const amountOf = (body: { amountOre?: string; amountKroner?: string }) =>
    oreFromEither(body.amountOre, body.amountKroner);

  app.post(
    '/programs/:id/funding/challenge',
    {
      preValidation: app.requireRole('finance'),
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        body: FundBody,
        description:
          'What the treasury officer signs to fund the program: the amount, the request, whether a second officer must sign (above the single-officer limit) or this is that second signature, a deadline and the digest. Changes nothing',
        response: { 200: FundingChallengeResponse, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      fundingChallenge(app.deps, {
        actor: request.user,
        programId: programId(request.params),
        amountOre: amountOf(request.body),
        requestId: request.body.requestId,
      }),
  );

  app.post(
    '/programs/:id/funding',
    {
      preValidation: app.requireRole('finance'),
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        body: SignedFundBody,
        description:
          'Relays the treasury officer’s passkey signature: the hub mints into the program’s escrow (200 funded), or, above the single-officer limit, records the first of two signatures (202 awaiting-second-officer); 202 pending while on its way',
        response: {
          200: FundingResponse,
          202: FundingResponse,
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { amountOre, amountKroner, ...signed } = request.body;
      const funding = await fundProgramSigned(app.deps, {
        actor: request.user,
        programId: programId(request.params),
        ...signed,
        amountOre: amountOf({ amountOre, amountKroner }),
      });
      return reply.code(funding.status === 'funded' ? 200 : 202).send(funding);
    },
  );

  app.get(
    '/programs/:id/fundings',
    {
      preValidation: app.requireRole('finance', 'admin', 'auditor'),
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        description: 'The program’s funding requests, oldest first, with who signed them',
        response: { 200: Type.Array(FundingResponse), ...errors(401, 403, 404, 503) },
      },
    },
    async (request) => listFundings(app.deps, { actor: request.user, programId: programId(request.params) }),
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
