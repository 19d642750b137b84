import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { importBankNotification } from '../../bank-notification/import-notification.ts';
import { getBankNotification, listBankNotifications } from '../../bank-notification/read-notifications.ts';
import { AppError } from '../../errors/app-error.ts';
import { withTenant } from '../../tenancy/with-tenant.ts';
import { bearer, errors } from '../schemas.ts';
import { BankNotificationDetail, BankNotificationSummary } from './schemas.ts';

/**
 * The cap on an uploaded file. A camt.054 entry with its details is about 1.5 kB, so 8 MiB
 * holds several thousand payouts, more than any municipality pays in one period, while a
 * parsed document stays a modest amount of memory.
 */
export const BANK_NOTIFICATION_MAX_BYTES = 8 * 1024 * 1024;

const XML_TYPES = ['application/xml', 'text/xml'];
const UuidParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The bank's answer to the pain.001 bank file. The file is posted as it came from the bank
 * (application/xml), so its sha256 is the file's own and `curl --data-binary @camt054.xml`
 * works; 201 for a new import, 200 when the same file was imported before (nothing changes).
 */
const bankNotificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['bank-notifications'];
  const finance = app.requireRole('finance');
  const readers = app.requireRole('finance', 'admin', 'auditor');

  // Scoped to this plugin: nowhere else does the API take XML.
  app.addContentTypeParser(
    XML_TYPES,
    { parseAs: 'string', bodyLimit: BANK_NOTIFICATION_MAX_BYTES },
    (_r, body, done) => done(null, body),
  );
  // A file over the cap gets its own code; every other error goes on to the app's handler.
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      throw new AppError('BANK_NOTIFICATION_TOO_LARGE', { maxBytes: BANK_NOTIFICATION_MAX_BYTES });
    }
    throw error;
  });

  app.post(
    '/bank-notifications',
    {
      preValidation: finance,
      bodyLimit: BANK_NOTIFICATION_MAX_BYTES,
      schema: {
        tags,
        security: bearer,
        consumes: XML_TYPES,
        description:
          'Import the bank’s ISO 20022 camt.054.001.02 notification (or camt.053.001.02 statement): each debit is matched by end-to-end id to this municipality’s payouts, and exact matches mark them bank-confirmed',
        body: Type.String({ minLength: 1, description: 'The camt XML file, UTF-8' }),
        response: {
          200: BankNotificationDetail,
          201: BankNotificationDetail,
          ...errors(400, 401, 403, 413, 422),
        },
      },
    },
    async (request, reply) => {
      const outcome = await importBankNotification(app.deps, { actor: request.user, xml: request.body });
      return reply.code(outcome.created ? 201 : 200).send(outcome.notification);
    },
  );

  app.get(
    '/bank-notifications',
    {
      preValidation: readers,
      schema: {
        tags,
        security: bearer,
        response: { 200: Type.Array(BankNotificationSummary), ...errors(401, 403) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) => listBankNotifications(deps, request.user)),
  );

  app.get(
    '/bank-notifications/:id',
    {
      preValidation: readers,
      schema: {
        tags,
        security: bearer,
        params: UuidParams,
        response: { 200: BankNotificationDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) =>
        getBankNotification(deps, { actor: request.user, id: request.params.id }),
      ),
  );
};

export default bankNotificationRoutes;
