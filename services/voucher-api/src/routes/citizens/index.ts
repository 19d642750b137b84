import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { bulkGrant } from '../../eligibility/bulk-grant.ts';
import { citizenEligibility } from '../../eligibility/citizen-eligibility.ts';
import { chainStatusOf, grantProgram } from '../../eligibility/grant-program.ts';
import { formatActivationCode } from '../../passes/activation-code.ts';
import { currentPassText } from '../../passes/current-pass-text.ts';
import { renderQrPng, renderQrSvg } from '../../passes/qr.ts';
import { reissuePass } from '../../passes/reissue-pass.ts';
import { renderCitizenLetter } from '../../passes/render-citizen-letter.ts';
import { enrolCitizen } from '../../privacy/enrol-citizen.ts';
import { eraseCitizen } from '../../privacy/erase-citizen.ts';
import { exportCitizen } from '../../privacy/export-citizen.ts';
import { findCitizen, findCitizenIdByCpr } from '../../privacy/find-citizen.ts';
import { accountOfCitizen, readCitizen } from '../../privacy/read-citizen.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { Binary, mediaResponse } from '../media-types.ts';
import { bearer, errors, IntegerIdParams } from '../schemas.ts';
import {
  BulkGrantResponse,
  CitizenIdParams,
  CitizenResponse,
  EligibilityResponse,
  EnrolBody,
  EnrolResponse,
  ExportResponse,
  GrantBody,
  GrantResponse,
  LookupBody,
  LookupResponse,
  ReissueResponse,
} from './schemas.ts';

/**
 * Caseworker routes for citizens: enrolment, lookup, the decrypted view, eligibility and
 * grants, passes and letters, and the GDPR export and erasure. Personal data travels only in
 * bodies (never in a URL: the CPR lookup is a POST), and every answer here is `no-store`.
 */
const citizenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['citizens'];
  const caseworker = app.requireRole('caseworker');

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post(
    '/citizens',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        body: EnrolBody,
        response: { 201: EnrolResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { householdIncomeOre, contact, ...body } = request.body;
      const enrolled = await enrolCitizen(app.deps, {
        actor: request.user,
        ...body,
        contact: contact ?? {},
        householdIncomeOre: householdIncomeOre === undefined ? null : BigInt(householdIncomeOre),
      });
      return reply.code(201).send({
        citizenId: enrolled.citizenId,
        accountId: enrolled.accountId,
        passSerial: enrolled.passSerial.toString(),
        activationCode: formatActivationCode(enrolled.activationCode),
        activationCodeExpiresAt: enrolled.activationCodeExpiresAt.toISOString(),
      });
    },
  );

  app.post(
    '/citizens/lookup',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        body: LookupBody,
        response: { 200: LookupResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      citizenId: await withTenant(app.deps, request.user, (deps) =>
        findCitizenIdByCpr(deps, request.user, request.body.cpr),
      ),
    }),
  );

  app.get(
    '/citizens/:id',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        params: CitizenIdParams,
        response: { 200: CitizenResponse, ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) => readCitizen(deps, request.user, request.params.id)),
  );

  app.get(
    '/citizens/:id/eligibility',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        params: CitizenIdParams,
        response: { 200: EligibilityResponse, ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) => citizenEligibility(deps, request.user, request.params.id)),
  );

  app.post(
    '/citizens/:id/grants',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        params: CitizenIdParams,
        body: GrantBody,
        response: { 201: GrantResponse, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { outboxId, ...granted } = await grantProgram(app.deps, request.user, {
        citizenId: request.params.id,
        programId: BigInt(request.body.programId),
      });
      return reply.code(201).send({ ...granted, chainStatus: await chainStatusOf(app.deps, outboxId) });
    },
  );

  app.post(
    '/programs/:id/bulk-grant',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        params: IntegerIdParams,
        response: { 200: BulkGrantResponse, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => bulkGrant(app.deps, request.user, BigInt(request.params.id)),
  );

  app.post(
    '/citizens/:id/passes/reissue',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        params: CitizenIdParams,
        response: { 201: ReissueResponse, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const reissued = await reissuePass(app.deps, request.user, request.params.id);
      return reply.code(201).send({
        passSerial: reissued.passSerial.toString(),
        activationCode: formatActivationCode(reissued.activationCode),
        activationCodeExpiresAt: reissued.activationCodeExpiresAt.toISOString(),
      });
    },
  );

  // POST, not GET: printing voids the previous code, which a reload or a prefetch must never do.
  app.post(
    '/citizens/:id/letter',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        description:
          'The printable activation letter (HTML, A4). Printing issues a fresh activation code and voids any unused earlier one.',
        params: CitizenIdParams,
        response: {
          200: mediaResponse('text/html', 'The letter as an HTML page for printing on one A4 sheet'),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const html = await renderCitizenLetter(app.deps, request.user, {
        citizenId: request.params.id,
        citizenAppUrl: new URL('/citizen/', app.deps.config.publicUrl).href,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  for (const format of ['svg', 'png'] as const) {
    app.get(
      `/citizens/:id/passes/current.${format}`,
      {
        preValidation: caseworker,
        schema: {
          tags,
          security: bearer,
          description: `The current printed pass as a QR image (${format.toUpperCase()}).`,
          params: CitizenIdParams,
          response: {
            200:
              format === 'svg'
                ? mediaResponse('image/svg+xml', 'The QR code as SVG')
                : mediaResponse('image/png', 'The QR code as PNG', Binary),
            ...errors(401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const citizen = await findCitizen(app.deps, request.user, request.params.id);
        const account = await accountOfCitizen(app.deps, citizen);
        const { text } = await currentPassText(app.deps, account.accountId);
        if (format === 'svg') return reply.type('image/svg+xml').send(await renderQrSvg(text));
        return reply.type('image/png').send(await renderQrPng(text));
      },
    );
  }

  app.get(
    '/citizens/:id/export',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        description: 'GDPR art. 15: everything held about the person, as JSON.',
        params: CitizenIdParams,
        response: { 200: ExportResponse, ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) => exportCitizen(deps, request.user, request.params.id)),
  );

  app.post(
    '/citizens/:id/erase',
    {
      preValidation: caseworker,
      schema: {
        tags,
        security: bearer,
        description:
          'GDPR art. 17 by crypto-shredding: the data key, sealed record, blind index, person keys and account link are destroyed.',
        params: CitizenIdParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await eraseCitizen(app.deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default citizenRoutes;
