import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';

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
  },
  { name: 'security' },
);
