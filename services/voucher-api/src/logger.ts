import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from './config.ts';
import { loggableError } from './errors/loggable-error.ts';

/** Where log lines go instead of stdout (tests read them). */
export interface LogStream {
  write(line: string): void;
}

/**
 * Structured JSON logs. Tokens, cookies and bodies never reach a log line: requests are
 * logged by method, route and status only, and the redaction list catches anything that
 * slips into a logged object. Pretty output only for a person at a terminal.
 */
export function loggerOptions(
  level: LogLevel,
  isTty = process.stdout.isTTY,
  stream?: LogStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
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
      // A failed query's parameters (and PostgreSQL's quotes of them) never reach a log line.
      err: loggableError,
      req: (request: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        method: request.method,
        // The route pattern, not the URL: ids in paths stay out of logs, query strings too.
        route: request.routeOptions?.url ?? 'unmatched',
        id: request.id,
      }),
    },
    ...(isTty && !stream
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
}
