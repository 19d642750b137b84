import { type FastifyPluginAsyncTypebox, type TSchema, Type } from '@fastify/type-provider-typebox';
import type { AccessClaims } from '../../auth/claims.ts';
import type { DomainDeps } from '../../deps.ts';
import { catchUpIndex, requireChain } from '../../periods/chain-access.ts';
import { closePeriod, closePeriodChallenge } from '../../periods/close-period.ts';
import { periodCorrections } from '../../periods/corrections-report.ts';
import { listPeriods } from '../../periods/list-periods.ts';
import { periodStatements, providerStatement, providerStatements } from '../../periods/statements.ts';
import { reconcilePeriod } from '../../reconciliation/reconcile-period.ts';
import { listReceivables } from '../../settlement/receivables.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { ChallengeResponse, SignedBody } from '../officer-signing-schemas.ts';
import { bearer, errors, IntegerIdParams, MunicipalityCodeQuery } from '../schemas.ts';
import { ReconciliationReportSchema } from '../settlements/schemas.ts';

const PeriodId = Type.Integer({ minimum: 1, maximum: 4_294_967_295 });

const PeriodResponse = Type.Object({
  periodId: Type.Integer(),
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('closed'),
    Type.Literal('settling'),
    Type.Literal('paid'),
  ]),
  accruedOre: Type.String(),
  paidOre: Type.String(),
  redemptionCount: Type.Integer(),
  providerCount: Type.Integer(),
  settlementId: Type.Union([Type.String(), Type.Null()]),
  settlementStatus: Type.Union([Type.String(), Type.Null()]),
  bankStatus: Type.Union(
    [
      Type.Literal('not_sent'),
      Type.Literal('awaiting_bank'),
      Type.Literal('paid_in_bank'),
      Type.Literal('nothing_to_pay'),
      Type.Null(),
    ],
    { description: 'The settlement at the bank: paid_in_bank once every payout is bank-confirmed' },
  ),
  closedTxHash: Type.Union([Type.String(), Type.Null()]),
});

const closeFields = {
  periodId: {
    ...PeriodId,
    description: 'The open period the officer means to close; a retry closes nothing more',
  },
};
const ClosePeriodChallengeBody = Type.Object(closeFields, { additionalProperties: false });
const ClosePeriodChallengeResponse = ChallengeResponse(
  { periodId: Type.Integer({ description: 'The open period to be closed' }) },
  'What the finance officer signs to close the open period',
);
const ClosePeriodBody = SignedBody(closeFields);

const ClosePeriodResponse = Type.Object({
  status: Type.Union([Type.Literal('closed'), Type.Literal('pending')]),
  periodId: Type.Integer(),
  accruedOre: Type.Union([Type.String(), Type.Null()]),
  txHash: Type.Union([Type.String(), Type.Null()]),
});

const StatementStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('awaiting_settlement'),
  Type.Literal('paid'),
]);
const Statement = Type.Object({
  municipalityId: Type.Integer(),
  municipalityName: Type.String(),
  periodId: Type.Integer(),
  providerId: Type.Integer(),
  providerName: Type.String(),
  status: StatementStatus,
  redemptionCount: Type.Integer(),
  grossOre: Type.String({ description: 'Redeemed in the period' }),
  reversalCount: Type.Integer(),
  reversedOre: Type.String({ description: 'Voided or refunded, landing in the period' }),
  receivableOre: Type.String({
    description: 'Of that, what the claim could not cover: owed by the provider',
  }),
  netOre: Type.String({ description: 'The claim: gross − reversed + receivable' }),
  totalOre: Type.String({ description: 'The claim (same as netOre)' }),
  offsetOre: Type.String({ description: 'Kept of the claim against what the provider owed' }),
  paidOre: Type.String({ description: 'Transferred: claim − set off' }),
  paidTxHash: Type.Union([Type.String(), Type.Null()]),
});
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const StatementWithLines = Type.Object({
  ...Statement.properties,
  lines: Type.Array(
    Type.Object({
      redemptionId: Type.String(),
      terminal: Type.String(),
      programId: Type.String(),
      programName: Type.String(),
      amountOre: Type.String(),
      txHash: Type.String(),
      blockNumber: Type.String(),
    }),
  ),
  reversals: Type.Array(
    Type.Object({
      kind: Nullable(Type.Union([Type.Literal('void'), Type.Literal('refund')])),
      reversalId: Type.String(),
      originalTerminal: Type.String(),
      originalRedemptionId: Type.String(),
      originalPeriodId: Nullable(Type.Integer()),
      programId: Type.String(),
      programName: Type.String(),
      amountOre: Type.String({ description: 'Given back: a deduction' }),
      fromClaimOre: Type.String(),
      receivableOre: Type.String(),
      reversedAt: Nullable(Type.String({ format: 'date-time' })),
      txHash: Type.String(),
      blockNumber: Type.String(),
    }),
  ),
});

const CorrectionsReportResponse = Type.Object({
  periodId: Type.Integer(),
  reversals: Type.Array(
    Type.Object({
      providerId: Type.Integer(),
      providerName: Type.String(),
      kind: Type.Union([Type.Literal('void'), Type.Literal('refund')]),
      reason: Type.String(),
      amountOre: Type.String(),
      fromClaimOre: Type.String({ description: "Taken off the provider's claim in this period" }),
      receivableOre: Type.String({ description: 'The rest: owed by the provider' }),
      creditRestored: Type.Boolean(),
      originalTerminal: Type.String(),
      originalRedemptionId: Type.String(),
      originalPeriodId: Nullable(Type.Integer()),
      reversalId: Type.String(),
      confirmedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  totals: Type.Object({ voidedOre: Type.String(), refundedOre: Type.String(), receivableOre: Type.String() }),
});

const ReceivablesResponse = Type.Object({
  receivables: Type.Array(
    Type.Object({ providerId: Type.Integer(), providerName: Type.String(), owedOre: Type.String() }),
  ),
});

const ProviderPeriodParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }),
  periodId: Type.String({ pattern: '^[1-9][0-9]{0,9}$' }),
});

const StatementQuery = Type.Object(
  {
    municipality: Type.Optional(
      MunicipalityCodeQuery(
        "Whose period: a provider serving several municipalities has one statement per municipality (default: the provider's home municipality, or the caller's own)",
      ),
    ),
  },
  { additionalProperties: false },
);

const periodRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * The index is brought up to the chain first, as the owner, and then the read runs behind
   * the caller's municipality's row-level security (the indexer writes rows of every
   * municipality, and must not wait on a reader's transaction).
   */
  async function freshTenantRead<T>(actor: AccessClaims, read: (deps: DomainDeps) => Promise<T>): Promise<T> {
    await catchUpIndex(requireChain(app.deps));
    return withTenant(app.deps, actor, read);
  }

  const tags = ['periods'];
  const municipalStaff = app.requireRole('finance', 'admin', 'auditor');

  app.get(
    '/periods',
    {
      preValidation: municipalStaff,
      schema: {
        tags,
        security: bearer,
        response: { 200: Type.Array(PeriodResponse), ...errors(401, 403, 503) },
      },
    },
    async (request) =>
      freshTenantRead(request.user, (deps) => listPeriods(deps, request.user.municipalityId)),
  );

  app.post(
    '/periods/close/challenge',
    {
      preValidation: app.requireRole('finance'),
      schema: {
        tags,
        security: bearer,
        body: ClosePeriodChallengeBody,
        description:
          'What the finance officer signs to close the open period: the period, a deadline and the digest (the WebAuthn challenge). Changes nothing',
        response: { 200: ClosePeriodChallengeResponse, ...errors(400, 401, 403, 409, 503) },
      },
    },
    async (request) =>
      closePeriodChallenge(app.deps, { actor: request.user, periodId: request.body.periodId }),
  );

  app.post(
    '/periods/close',
    {
      preValidation: app.requireRole('finance'),
      schema: {
        tags,
        security: bearer,
        body: ClosePeriodBody,
        description:
          'Relays the finance officer’s passkey signature over the challenge: the hub closes the period (200 closed, 202 still on its way)',
        response: {
          200: ClosePeriodResponse,
          202: ClosePeriodResponse,
          ...errors(400, 401, 403, 409, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const result = await closePeriod(app.deps, { actor: request.user, ...request.body });
      return reply.code(result.status === 'closed' ? 200 : 202).send(result);
    },
  );

  app.get(
    '/periods/:id/statements',
    {
      preValidation: municipalStaff,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        response: { 200: Type.Array(Statement), ...errors(401, 403, 404, 503) },
      },
    },
    async (request) =>
      freshTenantRead(request.user, (deps) =>
        periodStatements(deps, { actor: request.user, periodId: Number(request.params.id) }),
      ),
  );

  app.get(
    '/periods/:id/reconciliation',
    {
      preValidation: municipalStaff,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        response: { 200: ReconciliationReportSchema, ...errors(401, 403, 503) },
      },
    },
    async (request) => {
      return freshTenantRead(request.user, (deps) =>
        reconcilePeriod(deps.db, requireChain(deps), {
          municipalityId: request.user.municipalityId,
          periodId: Number(request.params.id),
        }),
      );
    },
  );

  app.get(
    '/periods/:id/corrections',
    {
      preValidation: municipalStaff,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        description: 'The voids and refunds that landed in the period, with what became receivables',
        response: { 200: CorrectionsReportResponse, ...errors(401, 403, 404, 503) },
      },
    },
    async (request) =>
      freshTenantRead(request.user, (deps) =>
        periodCorrections(deps, { actor: request.user, periodId: Number(request.params.id) }),
      ),
  );

  app.get(
    '/providers/receivables',
    {
      preValidation: app.requireRole('finance', 'admin'),
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        description:
          "What providers owe the municipality from refunds beyond their claims (the chain's receivableOf), set off against their next payouts",
        response: { 200: ReceivablesResponse, ...errors(401, 403, 503) },
      },
    },
    async (request) => ({
      receivables: await freshTenantRead(request.user, (deps) => listReceivables(deps, request.user)),
    }),
  );

  app.get(
    '/providers/:id/statements',
    {
      preValidation: app.requireRole('provider_staff', 'finance', 'admin', 'auditor'),
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        params: IntegerIdParams,
        response: { 200: Type.Array(Statement), ...errors(401, 403, 404, 503) },
      },
    },
    async (request) =>
      freshTenantRead(request.user, (deps) =>
        providerStatements(deps, { actor: request.user, providerId: Number(request.params.id) }),
      ),
  );

  app.get(
    '/providers/:id/statements/:periodId',
    {
      preValidation: app.requireRole('provider_staff', 'finance', 'admin', 'auditor'),
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        params: ProviderPeriodParams,
        querystring: StatementQuery,
        response: { 200: StatementWithLines, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (request) =>
      freshTenantRead(request.user, (deps) =>
        providerStatement(deps, {
          actor: request.user,
          providerId: Number(request.params.id),
          periodId: Number(request.params.periodId),
          municipalityId:
            request.query.municipality === undefined ? undefined : Number(request.query.municipality),
        }),
      ),
  );
};

export default periodRoutes;
