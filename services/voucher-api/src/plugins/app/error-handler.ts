import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors/app-error.ts';
import { type ErrorCode, errorCatalogue } from '../../errors/catalogue.ts';
import { isDatabaseInputError } from '../../errors/loggable-error.ts';
import { preferredLanguage } from '../../http/language.ts';

type Details = Record<string, string | number | boolean | null>;

/**
 * The one place errors become responses: { error: { code, message, messageDa, details } }.
 * Domain errors keep their catalogue status; schema failures become VALIDATION_FAILED;
 * anything unexpected is logged and answered as a bare 500 so internals never leak.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        // A 429 that knows when the next try is welcome says so, as HTTP does.
        const retryAfter = error.details?.retryAfterSeconds;
        if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
        return send(request, reply, error.code, error.details);
      }
      if (error.validation) return send(request, reply, 'VALIDATION_FAILED', validationDetails(error));
      if (error.statusCode === 429) return send(request, reply, 'RATE_LIMITED');
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        // Framework-level client errors: malformed JSON, wrong content type, body too large.
        return send(request, reply, 'VALIDATION_FAILED', { reason: error.code ?? 'BAD_REQUEST' });
      }
      if (isDatabaseInputError(error)) {
        // A value no column can hold that the route's schema let through (its schema should
        // bound it): the caller's mistake, not ours. Logged without the value (loggableError).
        request.log.warn({ err: error }, 'database refused an input value');
        return send(request, reply, 'VALIDATION_FAILED', { reason: 'OUT_OF_RANGE' });
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(request, reply, 'INTERNAL');
    });
    app.setNotFoundHandler((request, reply) => send(request, reply, 'NOT_FOUND'));
  },
  { name: 'error-handler' },
);

function send(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, details?: Details) {
  const entry = errorCatalogue[code];
  const language = preferredLanguage(request.headers['accept-language']);
  return reply
    .code(entry.status)
    .header('content-language', language)
    .send({ error: { code, message: entry[language], messageDa: entry.da, details: details ?? {} } });
}

/** Where and which rule failed; never the rejected value, which may be personal data. */
function validationDetails(error: FastifyError): Details {
  const first = error.validation?.[0];
  const extra = first?.params as { additionalProperty?: string; missingProperty?: string } | undefined;
  return {
    location: error.validationContext ?? 'body',
    path: first?.instancePath || '/',
    rule: first?.keyword ?? 'schema',
    field: extra?.additionalProperty ?? extra?.missingProperty ?? null,
  };
}
