import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settlementBankFile, settlementStatementCsv } from '../../bank-file/settlement-files.ts';
import { AppError } from '../../errors/app-error.ts';
import { errorCatalogue } from '../../errors/catalogue.ts';
import { preferredLanguage } from '../../http/language.ts';
import { catchUpIndex } from '../../periods/chain-access.ts';
import { bankConfirmationChallenge, confirmBankTransfers } from '../../settlement/bank-burn.ts';
import { settleReceivable, settleReceivableChallenge } from '../../settlement/receivables.ts';
import { reclaimChallenge, reclaimProgram } from '../../settlement/reclaim-program.ts';
import {
  approveSettlement,
  approveSettlementChallenge,
  executeSettlement,
  getSettlement,
  listSettlements,
  proposeSettlement,
  proposeSettlementChallenge,
  ReconciliationMismatchError,
} from '../../settlement/settlement-steps.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { mediaResponse } from '../media-types.ts';
import { ChallengeResponse, SignedBody } from '../officer-signing-schemas.ts';
import { bearer, errors, IntegerIdParams, OreString } from '../schemas.ts';
import {
  BankConfirmationBody,
  BankConfirmationChallengeResponse,
  BankConfirmationResponse,
  ReconciliationMismatchResponse,
  SettlementResponse,
} from './schemas.ts';

const proposeFields = {
  periodId: Type.Integer({ minimum: 1, maximum: 4_294_967_295, description: 'A closed chain period' }),
};
const ProposeChallengeBody = Type.Object(proposeFields, { additionalProperties: false });
const ProposeBody = SignedBody({
  ...proposeFields,
  totalOre: {
    ...OreString,
    description: 'The reconciled total the officer checked and signed (the challenge’s totalOre)',
  },
});
const ProposeChallengeResponse = ChallengeResponse(
  {
    periodId: Type.Integer(),
    totalOre: Type.String({ description: 'The period’s reconciled total, øre: what is signed' }),
    providerCount: Type.Integer({ description: 'Providers with a claim in the period' }),
  },
  'What the finance officer signs to propose paying the period',
);
const ApproveBody = SignedBody({});
const ApproveChallengeResponse = ChallengeResponse(
  {
    settlementId: Type.String(),
    periodId: Type.Integer(),
    totalOre: Type.String({ description: 'The proposed total, øre: what is signed' }),
    proposedBy: Type.String({ description: 'The proposing officer’s username' }),
  },
  'What a second finance officer signs to approve the proposal',
);

const settleReceivableFields = {
  amountOre: { ...OreString, description: 'Øre the provider paid back by bank; at most what it owes' },
  requestId: Type.String({
    format: 'uuid',
    description:
      'Client-generated: its hash is the request key the hub uses once, so the same request settles once, whatever the retries',
  }),
};
const SettleReceivableChallengeBody = Type.Object(settleReceivableFields, { additionalProperties: false });
const SettleReceivableBody = SignedBody(settleReceivableFields);
const SettleReceivableChallengeResponse = ChallengeResponse(
  {
    providerId: Type.Integer(),
    providerName: Type.String(),
    amountOre: Type.String({ description: 'The amount paid back, øre: what is signed' }),
    requestId: Type.String(),
    owedOre: Type.String({ description: 'What the provider owes now, before this settlement (chain)' }),
  },
  'What the treasury officer signs to take in what a provider paid back by bank',
);

const SettleReceivableResponse = Type.Object({
  providerId: Type.Integer(),
  providerName: Type.String(),
  settledOre: Type.String(),
  owedOre: Type.String({ description: 'Still owed after this settlement' }),
  status: Type.Union([Type.Literal('settled'), Type.Literal('pending')]),
});

const ReclaimChallengeResponse = ChallengeResponse(
  {
    programId: Type.String(),
    escrowOre: Type.String({ description: 'What the program holds on chain, øre' }),
    accountCount: Type.Integer({ description: 'Grants the reclaim voids' }),
  },
  'What the treasury officer signs to reclaim an ended program',
);

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

  /** A proposal blocked by reconciliation answers 409 with the whole report. */
  const mismatch = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
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
  };
  const mismatchResponse = Type.Union([Type.Ref('ErrorResponse'), ReconciliationMismatchResponse]);

  app.post(
    '/settlements/challenge',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        body: ProposeChallengeBody,
        description:
          'What the finance officer signs to propose paying a closed period: its reconciled total, a deadline and the digest (the WebAuthn challenge). Changes nothing',
        response: { 200: ProposeChallengeResponse, ...errors(400, 401, 403, 503), 409: mismatchResponse },
      },
    },
    async (request, reply) => {
      try {
        return await proposeSettlementChallenge(app.deps, { actor: request.user, ...request.body });
      } catch (error) {
        return mismatch(error, request, reply);
      }
    },
  );

  app.post(
    '/settlements',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        body: ProposeBody,
        description:
          'Relays the proposing officer’s passkey signature over the period and its total: the hub records the proposal (201 proposed, 202 still on its way)',
        response: {
          201: SettlementResponse,
          202: SettlementResponse,
          ...errors(400, 401, 403, 503),
          409: mismatchResponse,
        },
      },
    },
    async (request, reply) => {
      try {
        const outcome = await proposeSettlement(app.deps, { actor: request.user, ...request.body });
        return reply.code(outcome.settled ? 201 : 202).send(outcome.settlement);
      } catch (error) {
        return mismatch(error, request, reply);
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

  app.post(
    '/settlements/:id/approve/challenge',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        description:
          'What a second finance officer signs to approve the proposal: its period, total and proposer, a deadline and the digest. The proposer is refused (SETTLEMENT_SELF_APPROVAL)',
        response: { 200: ApproveChallengeResponse, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      approveSettlementChallenge(app.deps, {
        actor: request.user,
        settlementId: settlementId(request.params),
      }),
  );

  app.post(
    '/settlements/:id/approve',
    {
      preValidation: finance,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        body: ApproveBody,
        description:
          'Relays the approving officer’s passkey signature: the hub approves the settlement (200 approved, 202 still on its way)',
        response: {
          200: SettlementResponse,
          202: SettlementResponse,
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const outcome = await approveSettlement(app.deps, {
        actor: request.user,
        settlementId: settlementId(request.params),
        ...request.body,
      });
      return reply.code(outcome.settled ? 200 : 202).send(outcome.settlement);
    },
  );

  app.post(
    '/settlements/:id/execute',
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
      const outcome = await executeSettlement(app.deps, {
        actor: request.user,
        settlementId: settlementId(request.params),
      });
      return reply.code(outcome.settled ? 200 : 202).send(outcome.settlement);
    },
  );

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
        response: {
          200: mediaResponse('application/xml', 'The pain.001.001.03 file, UTF-8'),
          ...errors(401, 403, 404, 409),
        },
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
        response: {
          200: mediaResponse('text/csv', 'The statement as CSV, UTF-8'),
          ...errors(401, 403, 404),
        },
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
    '/providers/:id/receivable/settle/challenge',
    {
      preValidation: finance,
      schema: {
        tags: ['providers', ...tags],
        security: bearer,
        params: IntegerIdParams,
        body: SettleReceivableChallengeBody,
        description:
          'What the treasury officer signs to take in what a provider paid back by bank: the provider, the amount, what it owes now, a deadline and the digest (the WebAuthn challenge). Changes nothing. A request already settled answers 409 RECEIVABLE_ALREADY_SETTLED, more than owed 409 RECEIVABLE_EXCEEDED',
        response: { 200: SettleReceivableChallengeResponse, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      settleReceivableChallenge(app.deps, {
        actor: request.user,
        providerId: Number(request.params.id),
        amountOre: BigInt(request.body.amountOre),
        requestId: request.body.requestId,
      }),
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
          'The provider paid (part of) what it owes back by bank: relays the treasury officer’s passkey signature, and the hub mints the eKrone into escrow and the receivable shrinks (settleReceivableSigned; 200 settled, 202 still on its way). The same requestId again answers the earlier settlement and settles nothing more',
        response: {
          200: SettleReceivableResponse,
          202: SettleReceivableResponse,
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const { amountOre, ...signed } = request.body;
      const result = await settleReceivable(app.deps, {
        actor: request.user,
        providerId: Number(request.params.id),
        amountOre: BigInt(amountOre),
        ...signed,
      });
      return reply.code(result.status === 'settled' ? 200 : 202).send(result);
    },
  );

  app.post(
    '/programs/:id/reclaim/challenge',
    {
      preValidation: finance,
      schema: {
        tags: ['programs', ...tags],
        security: bearer,
        params: IntegerIdParams,
        description:
          'What the treasury officer signs to reclaim an ended program: what it holds on chain, how many grants are voided, a deadline and the digest. Changes nothing',
        response: { 200: ReclaimChallengeResponse, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request) =>
      reclaimChallenge(app.deps, { actor: request.user, programId: BigInt(request.params.id) }),
  );

  app.post(
    '/programs/:id/reclaim',
    {
      preValidation: finance,
      schema: {
        tags: ['programs', ...tags],
        security: bearer,
        params: IntegerIdParams,
        body: SignedBody({}),
        description:
          'Program end: relays the treasury officer’s passkey signature; the hub returns unspent escrow and outstanding grants to the treasury (after validUntil)',
        response: { 200: ReclaimResponse, 202: ReclaimResponse, ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const result = await reclaimProgram(app.deps, {
        actor: request.user,
        programId: BigInt(request.params.id),
        ...request.body,
      });
      return reply.code(result.status === 'reclaimed' ? 200 : 202).send(result);
    },
  );
};

export default settlementRoutes;
