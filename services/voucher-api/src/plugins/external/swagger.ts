import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { DOCS_POLICY } from '../../http/content-security-policy.ts';

/** OpenAPI 3 generated from the routes' TypeBox schemas: UI at /docs, document at /docs/json. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Municipal voucher API',
          description:
            'Programs, providers, terminals, passes and grants. Amounts are øre as decimal strings.',
          version: '0.1.0',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
    });
    // Its own policy: Swagger UI's scripts are files, never inline (DOCS_DIRECTIVES).
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_POLICY });
  },
  { name: 'swagger' },
);
