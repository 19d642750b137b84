import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';

/** Paths whose every answer is `Cache-Control: no-store`: staff sign-in and citizen activation. */
const NO_STORE_PREFIXES = ['/auth/', '/activation'] as const;

/** Security headers on every response and a per-IP request budget. */
export default fp(
  async (app, options: { config: Config }) => {
    await app.register(helmet, {
      // Swagger UI needs inline styles and scripts; the API itself serves JSON.
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
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
