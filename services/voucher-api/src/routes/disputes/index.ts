import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { decideDispute } from '../../disputes/decide-dispute.ts';
import {
  listMunicipalDisputes,
  listOwnDisputes,
  listProviderDisputes,
} from '../../disputes/list-disputes.ts';
import { raiseDisputeForCitizen, raiseOwnDispute } from '../../disputes/raise-dispute.ts';
import { AppError } from '../../errors/app-error.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { CitizenIdParams } from '../citizens/schemas.ts';
import { Address, bearer, errors, Int4IdParams } from '../schemas.ts';

const RedemptionId = Type.String({ pattern: '^[0-9]{1,18}$' });
const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});

const Reason = Type.Union(
  [
    Type.Literal('not_mine'),
    Type.Literal('wrong_amount'),
    Type.Literal('not_delivered'),
    Type.Literal('other'),
  ],
  { description: 'What is wrong, as a code: never free text' },
);
const DisputeBody = Type.Object({ reason: Reason }, { additionalProperties: false });
const DecisionBody = Type.Object(
  { outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]) },
  { additionalProperties: false },
);
const StatusQuery = (fallback: 'open' | 'all') =>
  Type.Object(
    {
      status: Type.Optional(
        Type.Union([Type.Literal('open'), Type.Literal('all')], {
          description: `open: still waiting for a refund or a decision; all: every dispute (default ${fallback})`,
        }),
      ),
    },
    { additionalProperties: false },
  );

export const DisputeResponse = Type.Object({
  id: Type.String(),
  municipalityId: Type.Integer(),
  terminal: Type.String(),
  redemptionId: Type.String(),
  providerId: Type.Integer(),
  providerName: Type.String(),
  programId: Type.String(),
  programName: Type.String(),
  amountOre: Type.String(),
  redeemedAt: Type.String({ format: 'date-time' }),
  reason: Reason,
  raisedBy: Type.Union([Type.Literal('citizen'), Type.Literal('caseworker')]),
  status: Type.Union([
    Type.Literal('open'),
    Type.Literal('refunded'),
    Type.Literal('upheld'),
    Type.Literal('rejected'),
  ]),
  refundedOre: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const DisputeEnvelope = Type.Object({ dispute: DisputeResponse });
const DisputeList = Type.Object({ disputes: Type.Array(DisputeResponse) });

/**
 * Disputes: a citizen (in the app) or their caseworker flags a redemption; the provider's
 * staff see the redemption and the reason (never who the citizen is) and can refund; a
 * caseworker of the municipality decides. Every step is in the audit log.
 */
const disputeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['disputes'];

  function ownAccount(user: { accountId?: string }): string {
    if (!user.accountId || !/^0x[0-9a-f]{64}$/.test(user.accountId)) throw new AppError('FORBIDDEN');
    return user.accountId;
  }

  app.post(
    '/me/redemptions/:terminal/:redemptionId/dispute',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags: ['citizen', ...tags],
        security: bearer,
        params: Type.Object({ terminal: Address, redemptionId: RedemptionId }),
        body: DisputeBody,
        response: { 201: DisputeEnvelope, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const dispute = await raiseOwnDispute(app.deps, {
        actor: request.user,
        account: ownAccount(request.user),
        redemption: {
          terminal: request.params.terminal,
          redemptionId: BigInt(request.params.redemptionId),
        },
        reason: request.body.reason,
      });
      return reply.code(201).header('cache-control', 'no-store').send({ dispute });
    },
  );

  app.get(
    '/me/disputes',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags: ['citizen', ...tags],
        security: bearer,
        response: { 200: DisputeList, ...errors(401, 403) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ disputes: await listOwnDisputes(app.deps, ownAccount(request.user)) }),
  );

  app.post(
    '/citizens/:id/redemptions/:terminal/:redemptionId/dispute',
    {
      preValidation: app.requireRole('caseworker'),
      schema: {
        tags: ['citizens', ...tags],
        security: bearer,
        params: Type.Object({
          id: CitizenIdParams.properties.id,
          terminal: Address,
          redemptionId: RedemptionId,
        }),
        body: DisputeBody,
        response: { 201: DisputeEnvelope, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const dispute = await withTenant(app.deps, request.user, (deps) =>
        raiseDisputeForCitizen(deps, {
          actor: request.user,
          citizenId: request.params.id,
          redemption: {
            terminal: request.params.terminal,
            redemptionId: BigInt(request.params.redemptionId),
          },
          reason: request.body.reason,
        }),
      );
      return reply.code(201).header('cache-control', 'no-store').send({ dispute });
    },
  );

  app.get(
    '/disputes',
    {
      preValidation: app.requireRole('caseworker', 'finance'),
      schema: {
        tags,
        security: bearer,
        querystring: StatusQuery('open'),
        response: { 200: DisputeList, ...errors(400, 401, 403) },
      },
    },
    async (request) => ({
      disputes: await withTenant(app.deps, request.user, (deps) =>
        listMunicipalDisputes(deps, { actor: request.user, status: request.query.status ?? 'open' }),
      ),
    }),
  );

  app.get(
    '/providers/:id/disputes',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        params: Int4IdParams,
        querystring: StatusQuery('all'),
        response: { 200: DisputeList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      disputes: await listProviderDisputes(app.deps, {
        actor: request.user,
        providerId: Number(request.params.id),
        status: request.query.status ?? 'all',
      }),
    }),
  );

  app.post(
    '/disputes/:id/decision',
    {
      preValidation: app.requireRole('caseworker'),
      schema: {
        tags,
        security: bearer,
        params: Type.Object({ id: Uuid }),
        body: DecisionBody,
        response: { 200: DisputeEnvelope, ...errors(400, 401, 403, 404, 409) },
      },
    },
    // Not behind withTenant: a refund found while deciding is recorded even though the
    // decision is refused. The municipality is checked on the row itself.
    async (request) => ({
      dispute: await decideDispute(app.deps, {
        actor: request.user,
        disputeId: request.params.id,
        outcome: request.body.outcome,
      }),
    }),
  );
};

export default disputeRoutes;
