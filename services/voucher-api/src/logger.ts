import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';

/**
 * Structured JSON logs. Tokens, cookies and bodies never reach a log line: requests are
 * logged by method, route and status only, and the redaction list catches anything that
 * slips into a logged object. Pretty output only for a person at a terminal.
 */
export function loggerOptions(level: LogLevel, isTty = process.stdout.isTTY): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.body',
        'body',
        '*.password',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        method: request.method,
        // The route pattern, not the URL: ids in paths stay out of logs, query strings too.
        route: request.routeOptions?.url ?? 'unmatched',
        id: request.id,
      }),
    },
    ...(isTty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
}
