import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Hex } from 'viem';
import { AppError } from '../../errors/app-error.ts';
import { preferredLanguage } from '../../http/language.ts';
import { currentPassText } from '../../passes/current-pass-text.ts';
import { assessAll, loadAccountVouchers } from '../../redemptions/account-vouchers.ts';
import { listAccountHistory } from '../../redemptions/list-redemptions.ts';
import { toVoucherView } from '../../redemptions/voucher-view.ts';
import { VoucherResponse } from '../redemptions/schemas.ts';
import { bearer, errors } from '../schemas.ts';

/** A void or refund of a line, as the citizen sees it: never the terminal or the provider's staff. */
const HistoryReversal = Type.Object({
  kind: Type.Union([Type.Literal('void'), Type.Literal('refund')]),
  reason: Type.String(),
  amountOre: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed')]),
  creditRestored: Type.Union([
    Type.Boolean({ description: 'The credit or use came back to the voucher' }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const HistoryEntry = Type.Object({
  terminal: Type.String({
    description: "The till's key address; with redemptionId it names the purchase to dispute",
  }),
  redemptionId: Type.String(),
  providerId: Type.Integer(),
  providerName: Type.String(),
  programId: Type.String(),
  programName: Type.String(),
  amountOre: Type.String(),
  status: Type.String(),
  periodId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  reversedOre: Type.String({ description: 'Voided or refunded of it (confirmed), øre' }),
  reversals: Type.Array(HistoryReversal),
});

/**
 * The citizen's own view, from the read model: balances and rules of every voucher (judged
 * as if at a provider of a matching category, so only time and usage limits show as
 * reasons), and the redemption history.
 */
const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  function ownAccount(user: { accountId?: string }): Hex {
    if (!user.accountId || !/^0x[0-9a-f]{64}$/.test(user.accountId)) throw new AppError('FORBIDDEN');
    return user.accountId as Hex;
  }

  app.get(
    '/me/vouchers',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags: ['citizen'],
        security: bearer,
        response: { 200: Type.Object({ vouchers: Type.Array(VoucherResponse) }), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const vouchers = assessAll(
        await loadAccountVouchers(app.deps.db, ownAccount(request.user)),
        undefined,
        app.deps.now(),
      );
      const lang = preferredLanguage(request.headers['accept-language']);
      return reply
        .header('cache-control', 'no-store')
        .send({ vouchers: vouchers.map((voucher) => toVoucherView(voucher, lang)) });
    },
  );

  app.get(
    '/me/pass',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags: ['citizen'],
        security: bearer,
        description:
          "The citizen's printed pass as QR text, for the app's fallback screen (shown when the phone's own rotating QR cannot be used). A reissue changes it at once.",
        response: {
          200: Type.Object({ text: Type.String(), serial: Type.String() }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const account = Buffer.from(ownAccount(request.user).slice(2), 'hex');
      const pass = await currentPassText(app.deps, account);
      return reply
        .header('cache-control', 'no-store')
        .send({ text: pass.text, serial: pass.serial.toString() });
    },
  );

  app.get(
    '/me/history',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags: ['citizen'],
        security: bearer,
        response: { 200: Type.Object({ redemptions: Type.Array(HistoryEntry) }), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const rows = await listAccountHistory(app.deps, ownAccount(request.user));
      return reply.header('cache-control', 'no-store').send({
        redemptions: rows.map((row) => ({
          terminal: row.terminal,
          redemptionId: row.redemptionId.toString(),
          providerId: row.providerId,
          providerName: row.providerName,
          programId: row.programId.toString(),
          programName: row.programName,
          amountOre: row.amountOre.toString(),
          status: row.status,
          periodId: row.periodId?.toString() ?? null,
          createdAt: row.createdAt.toISOString(),
          reversedOre: row.reversals
            .filter((reversal) => reversal.status === 'confirmed')
            .reduce((total, reversal) => total + reversal.amountOre, 0n)
            .toString(),
          reversals: row.reversals.map((reversal) => ({
            kind: reversal.kind,
            reason: reversal.reason,
            amountOre: reversal.amountOre.toString(),
            status: reversal.status as 'pending' | 'confirmed',
            creditRestored: reversal.creditRestored,
            createdAt: reversal.createdAt.toISOString(),
            confirmedAt: reversal.confirmedAt?.toISOString() ?? null,
          })),
        })),
      });
    },
  );
};

export default meRoutes;
