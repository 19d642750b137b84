import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Redemption } from '@voucher/db';
import type { FastifyRequest } from 'fastify';
import type { Hex } from 'viem';
import { AppError } from '../../errors/app-error.ts';
import type { ErrorCode } from '../../errors/catalogue.ts';
import { preferredLanguage } from '../../http/language.ts';
import type { AssessedVoucher } from '../../redemptions/account-vouchers.ts';
import { withCounterSlot } from '../../redemptions/counter-admission.ts';
import { awaitOutcome } from '../../redemptions/finalize.ts';
import { highestRedemptionId, listProviderRedemptions } from '../../redemptions/list-redemptions.ts';
import { findRedemption, redeem } from '../../redemptions/redeem.ts';
import { toRedemptionView } from '../../redemptions/redemption-view.ts';
import { remainingVoucher } from '../../redemptions/remaining-voucher.ts';
import { scanPass } from '../../redemptions/scan-pass.ts';
import { toVoucherView } from '../../redemptions/voucher-view.ts';
import { Address, bearer, errors } from '../schemas.ts';
import {
  ProviderRedemptionResponse,
  RedeemBody,
  RedemptionResponse,
  ScanBody,
  ScanResponse,
} from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified pass a scan counts against (its account), for the per-pass limit. */
    scanLimitKey: string;
  }
}

const RedemptionParams = Type.Object({
  terminal: Address,
  redemptionId: Type.String({ pattern: '^[0-9]{1,18}$' }),
});

/**
 * Redemption at the counter: scan a pass, redeem a voucher with a terminal-signed request,
 * follow a pending one, and list the day's redemptions. Provider staff only act for their
 * own provider; nothing here ever carries a name, CPR number or address.
 */
const redemptionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const language = (header: string | undefined) => preferredLanguage(header);
  const { scansPerProviderPerMinute, scansPerPassPerMinute } = app.deps.config.rateLimit;
  // Beside the per-IP budget: per provider (all its counters) and per pass, in the
  // @fastify/rate-limit store of this process (as every limit of the API).
  app.decorateRequest('scanLimitKey', '');
  const providerScans = app.createRateLimit({
    max: scansPerProviderPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `scans:provider:${request.user.providerId ?? ''}`,
  });
  const passScans = app.createRateLimit({
    max: scansPerPassPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `scans:pass:${request.scanLimitKey}`,
  });
  // The error handler turns retryAfterSeconds into the Retry-After header.
  async function enforce(
    limiter: typeof providerScans,
    request: FastifyRequest,
    code: 'SCAN_LIMIT_PROVIDER' | 'SCAN_LIMIT_PASS',
  ) {
    const outcome = await limiter(request);
    if (outcome.isAllowed || !outcome.isExceeded) return;
    throw new AppError(code, { retryAfterSeconds: Math.max(1, outcome.ttlInSeconds) });
  }

  app.post(
    '/scans',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['redemption'],
        security: bearer,
        body: ScanBody,
        response: { 200: ScanResponse, ...errors(400, 401, 403, 409, 410, 429) },
      },
      preHandler: async (request) => enforce(providerScans, request, 'SCAN_LIMIT_PROVIDER'),
    },
    async (request, reply) => {
      const scan = await scanPass(app.deps, request.user, request.body.pass, {
        admitPass: async (account) => {
          request.scanLimitKey = account;
          await enforce(passScans, request, 'SCAN_LIMIT_PASS');
        },
      });
      const lang = language(request.headers['accept-language']);
      return reply.header('cache-control', 'no-store').send({
        scanId: scan.scanId,
        account: scan.account,
        passKind: scan.passKind,
        expiresAt: scan.expiresAt.toISOString(),
        vouchers: scan.vouchers.map((voucher) => toVoucherView(voucher, lang)),
      });
    },
  );

  /**
   * 200 confirmed, 202 pending (follow statusUrl), or the chain's refusal as 4xx. A new
   * redemption brings the voucher as it left it (judged under the account's lock); a retry
   * or a status check reads it again.
   */
  async function answer(row: Redemption, acceptLanguage: string | undefined, voucherAfter?: AssessedVoucher) {
    if (row.status === 'rejected')
      throw new AppError((row.rejectionCode ?? 'REDEMPTION_REJECTED') as ErrorCode);
    if (row.status === 'pending') return { code: 202 as const, body: toRedemptionView(row) };
    const voucher = voucherAfter ?? (await withCounterSlot(() => remainingVoucher(app.deps, row)));
    const view = voucher ? toVoucherView(voucher, language(acceptLanguage)) : undefined;
    return { code: 200 as const, body: toRedemptionView(row, view) };
  }

  app.post(
    '/redemptions',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['redemption'],
        security: bearer,
        body: RedeemBody,
        response: {
          200: RedemptionResponse,
          202: RedemptionResponse,
          ...errors(400, 401, 403, 404, 409, 410, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { row, voucherAfter } = await redeem(app.deps, request.user, {
        scanId: body.scanId,
        terminal: body.terminal,
        redemptionId: BigInt(body.redemptionId),
        programId: BigInt(body.programId),
        amountOre: BigInt(body.amountOre),
        deadline: body.deadline,
        signature: body.signature as Hex,
      });
      const { code, body: view } = await answer(row, request.headers['accept-language'], voucherAfter);
      if (code === 202) reply.header('location', view.statusUrl);
      return reply.code(code).send(view);
    },
  );

  app.get(
    '/redemptions/status/:terminal/:redemptionId',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['redemption'],
        security: bearer,
        params: RedemptionParams,
        response: {
          200: RedemptionResponse,
          202: RedemptionResponse,
          ...errors(401, 403, 404, 409, 410, 422),
        },
      },
    },
    async (request, reply) => {
      const found = await findRedemption(
        app.deps,
        request.params.terminal.toLowerCase(),
        BigInt(request.params.redemptionId),
      );
      if (!found || found.providerId !== request.user.providerId) throw new AppError('NOT_FOUND');
      const row = await awaitOutcome(app.deps, found, 0);
      const { code, body } = await answer(row, request.headers['accept-language']);
      return reply.code(code).send(body);
    },
  );

  app.get(
    '/providers/:id/redemptions',
    {
      preValidation: app.requireRole('provider_staff', 'admin', 'finance', 'auditor'),
      schema: {
        tags: ['redemption'],
        security: bearer,
        params: Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) }),
        querystring: Type.Object(
          {
            date: Type.String({
              pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
              description: 'Danish calendar day',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ProviderRedemptionResponse), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const rows = await listProviderRedemptions(app.deps, request.user, {
        providerId: Number(request.params.id),
        date: request.query.date,
      });
      return rows.map(({ redemption, programName, municipalityId, standing }) => ({
        redemptionId: redemption.redemptionId.toString(),
        terminal: redemption.terminal,
        programId: redemption.programId.toString(),
        programName,
        municipalityId,
        amountOre: redemption.amountOre.toString(),
        status: redemption.status,
        periodId: redemption.periodId?.toString() ?? null,
        createdAt: redemption.createdAt.toISOString(),
        reversedOre: standing.reversedOre.toString(),
        reversibleOre: standing.reversibleOre.toString(),
        voidable: standing.voidable,
        signed: {
          id: standing.signed.id.toString(),
          account: standing.signed.account,
          program: standing.signed.program.toString(),
          provider: standing.signed.provider,
          amountOre: standing.signed.amountOre.toString(),
          deadline: standing.signed.deadline,
        },
      }));
    },
  );

  app.get(
    '/terminals/:address/redemption-cursor',
    {
      preValidation: app.requireRole('provider_staff'),
      schema: {
        tags: ['redemption'],
        security: bearer,
        params: Type.Object({ address: Address }),
        response: {
          200: Type.Object({ highestRedemptionId: Type.Union([Type.String(), Type.Null()]) }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => {
      const highest = await highestRedemptionId(app.deps, request.user, request.params.address);
      return { highestRedemptionId: highest?.toString() ?? null };
    },
  );
};

export default redemptionRoutes;
