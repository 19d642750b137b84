import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { settlementBankFile, settlementStatementCsv } from '../../bank-file/settlement-files.ts';
import { AppError } from '../../errors/app-error.ts';
import { errorCatalogue } from '../../errors/catalogue.ts';
import { preferredLanguage } from '../../http/language.ts';
import { catchUpIndex } from '../../periods/chain-access.ts';
import { bankConfirmationChallenge, confirmBankTransfers } from '../../settlement/bank-burn.ts';
import { settleReceivable } from '../../settlement/receivables.ts';
import { reclaimProgram } from '../../settlement/reclaim-program.ts';
import {
  approveSettlement,
  executeSettlement,
  getSettlement,
  listSettlements,
  proposeSettlement,
  ReconciliationMismatchError,
} from '../../settlement/settlement-steps.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { bearer, errors, IntegerIdParams, OreString } from '../schemas.ts';
import {
  BankConfirmationBody,
  BankConfirmationChallengeResponse,
  BankConfirmationResponse,
  ReconciliationMismatchResponse,
  SettlementResponse,
} from './schemas.ts';

const ProposeBody = Type.Object(
  { periodId: Type.Integer({ minimum: 1, maximum: 4_294_967_295, description: 'A closed chain period' }) },
  { additionalProperties: false },
);

const SettleReceivableBody = Type.Object(
  {
    amountOre: { ...OreString, description: 'Øre the provider paid back by bank; at most what it owes' },
    requestId: Type.String({
      format: 'uuid',
      description: 'Client-generated: retrying the same request settles nothing a second time',
    }),
  },
  { additionalProperties: false },
);

const SettleReceivableResponse = Type.Object({
  providerId: Type.Integer(),
  providerName: Type.String(),
  settledOre: Type.String(),
  owedOre: Type.String({ description: 'Still owed after this settlement' }),
  status: Type.Union([Type.Literal('settled'), Type.Literal('pending')]),
});

const ReclaimResponse = Type.Object({
  programId: Type.String(),
  status: Type.Union([Type.Literal('reclaimed'), Type.Literal('pending')]),
  reclaimedOre: Type.String(),
  calls: Type.Integer(),
});

/**
 * Settlement batches: 201/200 once the chain confirmed the step, 202 while it is still on
 * its way (poll GET /settlements/:id). Every step is audited by the domain code.
 */
const settlementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['settlements'];
  const finance = app.requireRole('finance');
  const readers = app.requireRole('finance', 'admin', 'auditor');
  const settlementId = (params: { id: string }) => BigInt(params.id);
  /**
   * A paid line takes its set-off and amount from the payout's events: the index is brought
   * up to the chain first, as the owner, before the read behind row-level security.
   */
  const followChain = async () => {
    if (app.deps.chain) await catchUpIndex(app.deps.chain);
  };

  app.post(
    '/settlements',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        body: ProposeBody,
        response: {
          201: SettlementResponse,
          202: SettlementResponse,
          ...errors(400, 401, 403, 503),
          409: Type.Union([Type.Ref('ErrorResponse'), ReconciliationMismatchResponse]),
        },
      },
    },
    async (request, reply) => {
      try {
        const outcome = await proposeSettlement(app.deps, {
          actor: request.user,
          periodId: request.body.periodId,
        });
        return reply.code(outcome.settled ? 201 : 202).send(outcome.settlement);
      } catch (error) {
        if (!(error instanceof ReconciliationMismatchError)) throw error;
        const entry = errorCatalogue[error.code];
        const language = preferredLanguage(request.headers['accept-language']);
        return reply
          .code(409)
          .header('content-language', language)
          .send({
            error: {
              code: 'SETTLEMENT_RECONCILIATION_MISMATCH' as const,
              message: entry[language],
              messageDa: entry.da,
              details: {
                periodId: error.report.periodId,
                differences: error.report.differences.length,
                report: error.report,
              },
            },
          });
      }
    },
  );

  app.get(
    '/settlements',
    {
      preValidation: readers,
      schema: {
        tags,
        security: bearer,
        response: { 200: Type.Array(SettlementResponse), ...errors(401, 403) },
      },
    },
    async (request) => withTenant(app.deps, request.user, (deps) => listSettlements(deps, request.user)),
  );

  app.get(
    '/settlements/:id',
    {
      preValidation: readers,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        response: { 200: SettlementResponse, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      await followChain();
      return withTenant(app.deps, request.user, (deps) =>
        getSettlement(deps, { actor: request.user, settlementId: settlementId(request.params) }),
      );
    },
  );

  for (const [step, action] of [
    ['approve', approveSettlement],
    ['execute', executeSettlement],
  ] as const) {
    app.post(
      `/settlements/:id/${step}`,
      {
        preValidation: finance,
        schema: {
          tags,
          security: bearer,
          params: IntegerIdParams,
          response: { 200: SettlementResponse, 202: SettlementResponse, ...errors(401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        const outcome = await action(app.deps, {
          actor: request.user,
          settlementId: settlementId(request.params),
        });
        return reply.code(outcome.settled ? 200 : 202).send(outcome.settlement);
      },
    );
  }

  // The bank confirmed payouts (camt.054 import): a finance officer's passkey signs, on chain,
  // that their eKrone may be burned. First the service names what to sign, then relays it.
  app.post(
    '/settlements/:id/bank-confirmation/challenge',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        description:
          'What the officer signs to burn the eKrone of the payouts the bank confirmed: the providers, their total, a deadline and the EIP-712 digest (the WebAuthn challenge)',
        response: { 200: BankConfirmationChallengeResponse, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      bankConfirmationChallenge(app.deps, {
        actor: request.user,
        settlementId: settlementId(request.params),
      }),
  );

  app.post(
    '/settlements/:id/bank-confirmation',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        body: BankConfirmationBody,
        description:
          'Relays the officer’s passkey signature over the challenge: the hub burns the eKrone of the bank-confirmed payouts (200 burned, 202 still on its way)',
        response: {
          200: BankConfirmationResponse,
          202: BankConfirmationResponse,
          ...errors(400, 401, 403, 404, 409, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const outcome = await confirmBankTransfers(app.deps, {
        actor: request.user,
        settlementId: settlementId(request.params),
        ...request.body,
      });
      const { chainError, ...answer } = outcome;
      if (answer.status === 'rejected')
        throw new AppError('SETTLEMENT_CHAIN_REFUSED', { reason: chainError ?? null });
      return reply.code(answer.status === 'burned' ? 200 : 202).send({ ...answer, status: answer.status });
    },
  );

  app.get(
    '/settlements/:id/bank-file',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        description: 'ISO 20022 pain.001.001.03 credit transfer (DKK) of a paid settlement',
        produces: ['application/xml'],
        response: { 200: Type.String(), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await followChain();
      const file = await withTenant(app.deps, request.user, (deps) =>
        settlementBankFile(deps, { actor: request.user, settlementId: settlementId(request.params) }),
      );
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.xml);
    },
  );

  app.get(
    '/settlements/:id/statement.csv',
    {
      preValidation: readers,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await followChain();
      const file = await withTenant(app.deps, request.user, (deps) =>
        settlementStatementCsv(deps, { actor: request.user, settlementId: settlementId(request.params) }),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.csv);
    },
  );

  app.post(
    '/providers/:id/receivable/settle',
    {
      preValidation: finance,
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        params: IntegerIdParams,
        body: SettleReceivableBody,
        description:
          'The provider paid (part of) what it owes back by bank: the treasury brings the eKrone into escrow on chain (settleReceivable)',
        response: {
          200: SettleReceivableResponse,
          202: SettleReceivableResponse,
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const result = await settleReceivable(app.deps, {
        actor: request.user,
        providerId: Number(request.params.id),
        amountOre: BigInt(request.body.amountOre),
        requestId: request.body.requestId,
      });
      return reply.code(result.status === 'settled' ? 200 : 202).send(result);
    },
  );

  app.post(
    '/programs/:id/reclaim',
    {
      preValidation: finance,
      schema: {
        tags: ['programs', ...tags],
        security: bearer,
        params: IntegerIdParams,
        description:
          'Program end: return unspent escrow and outstanding grants to the treasury (after validUntil)',
        response: { 200: ReclaimResponse, 202: ReclaimResponse, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const result = await reclaimProgram(app.deps, {
        actor: request.user,
        programId: BigInt(request.params.id),
      });
      return reply.code(result.status === 'reclaimed' ? 200 : 202).send(result);
    },
  );
};

export default settlementRoutes;
