import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { API_DIRECTIVES, DOCUMENT_POLICY } from '../../http/content-security-policy.ts';

/** Paths whose every answer is `Cache-Control: no-store`: staff sign-in and citizen activation. */
const NO_STORE_PREFIXES = ['/auth/', '/activation'] as const;

/** Security headers on every response and a per-IP request budget. */
export default fp(
  async (app, options: { config: Config }) => {
    // Each surface has its own policy (src/http/content-security-policy.ts): JSON gets the
    // API's (nothing may load), an HTML document the document one unless its own scope (an
    // app, /docs) sets a policy of its own afterwards.
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: { ...API_DIRECTIVES } },
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', DOCUMENT_POLICY);
      }
      return payload;
    });
    await app.register(rateLimit, { max: options.config.rateLimit.perMinute, timeWindow: '1 minute' });
    // Sign-in and activation answers carry tokens (or say why none was given): no cache, no
    // proxy and no back button may keep them. Set before routing, so errors and 404s get it too.
    app.addHook('onRequest', async (request, reply) => {
      if (NO_STORE_PREFIXES.some((prefix) => request.url.startsWith(prefix))) {
        reply.header('cache-control', 'no-store');
      }
    });
  },
  { name: 'security' },
);
