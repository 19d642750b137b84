import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RedemptionReversal } from '@voucher/db';
import type { Hex } from 'viem';
import { listRedemptionReversals, type RedemptionReversals } from '../../corrections/list-reversals.ts';
import { toReversalView } from '../../corrections/reversal-view.ts';
import { reverseRedemption } from '../../corrections/reverse.ts';
import { AppError } from '../../errors/app-error.ts';
import { type ErrorCode, errorCatalogue } from '../../errors/catalogue.ts';
import { bearer, errors } from '../schemas.ts';
import { RedemptionKeyParams, ReversalListResponse, ReverseBody, ReverseResponse } from './schemas.ts';

/**
 * Corrections at the counter: a provider's staff void a mistyped payment (the whole amount,
 * while its period is open) or refund (part of) one later, with a reversal their terminal
 * signed; the provider's staff and the municipality's staff follow a payment's reversals.
 * Nothing here carries a name, CPR number or the citizen's account.
 */
const correctionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reversalsUrl = (terminal: string, redemptionId: string) =>
    `/redemptions/${terminal.toLowerCase()}/${redemptionId}/reversals`;

  function summaryBody(summary: RedemptionReversals) {
    return {
      reversedOre: summary.reversedOre.toString(),
      reversibleOre: summary.reversibleOre.toString(),
    };
  }

  /** A refusal by the chain is answered like the service's own refusal would have been. */
  function refusalOf(row: RedemptionReversal): AppError {
    const code =
      row.rejectionCode && row.rejectionCode in errorCatalogue ? row.rejectionCode : 'REVERSAL_REJECTED';
    return new AppError(code as ErrorCode);
  }

  app.post(
    '/redemptions/:terminal/:redemptionId/reversals',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['corrections'],
        security: bearer,
        description:
          '200 when the chain confirmed the reversal, 202 while it is on its way (follow the Location), or the refusal. The same request again gets the same answer.',
        params: RedemptionKeyParams,
        body: ReverseBody,
        response: {
          200: ReverseResponse,
          202: ReverseResponse,
          ...errors(400, 401, 403, 404, 409, 410, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { params, body } = request;
      const key = { terminal: params.terminal, redemptionId: BigInt(params.redemptionId) };
      const row = await reverseRedemption(app.deps, request.user, {
        originalTerminal: key.terminal,
        originalRedemptionId: key.redemptionId,
        terminal: body.terminal,
        reversalId: BigInt(body.reversalId),
        kind: body.kind,
        reason: body.reason,
        amountOre: BigInt(body.amountOre),
        period: body.period,
        deadline: body.deadline,
        signature: body.signature as Hex,
        disputeId: body.disputeId,
      });
      if (row.status === 'rejected') throw refusalOf(row);
      const summary = await listRedemptionReversals(app.deps, request.user, key);
      if (row.status === 'pending')
        reply.code(202).header('location', reversalsUrl(key.terminal, params.redemptionId));
      return reply.send({ reversal: toReversalView(row), ...summaryBody(summary) });
    },
  );

  app.get(
    '/redemptions/:terminal/:redemptionId/reversals',
    {
      preValidation: app.requireRole('provider_staff', 'caseworker', 'finance', 'admin', 'auditor'),
      schema: {
        tags: ['corrections'],
        security: bearer,
        description:
          "A payment's voids and refunds, oldest first, with what is given back and what may still be. For the provider's staff and the staff of the program's municipality.",
        params: RedemptionKeyParams,
        response: { 200: ReversalListResponse, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const summary = await listRedemptionReversals(app.deps, request.user, {
        terminal: request.params.terminal,
        redemptionId: BigInt(request.params.redemptionId),
      });
      return reply.header('cache-control', 'no-store').send({
        reversals: summary.reversals.map(toReversalView),
        ...summaryBody(summary),
      });
    },
  );
};

export default correctionRoutes;
