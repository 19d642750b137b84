import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../auth/claims.ts';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors/app-error.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A valid access token is required (401 otherwise). Routes run it as preValidation, so a
     * caller without the right to the route learns 401/403 before anything about its body.
     */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** A valid access token with one of these roles (401 / 403 otherwise); preValidation too. */
    requireRole: (...roles: Role[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * Access tokens: HS256 only (a token claiming any other algorithm, "none" included, is
 * refused before its signature is even looked at), issuer, audience and expiry required, 15 minutes.
 */
export default fp(
  async (app, options: { config: Config }) => {
    const { jwt } = options.config;
    await app.register(fastifyJwt, {
      secret: options.config.jwtSecret,
      sign: {
        algorithm: 'HS256',
        expiresIn: `${jwt.accessTokenTtlSeconds}s`,
        iss: jwt.issuer,
        aud: jwt.audience,
      },
      // A token must name our issuer and audience and carry an expiry: fast-jwt only checks
      // the claims a token has, so without requiredClaims one missing them would pass.
      verify: {
        algorithms: ['HS256'],
        allowedIss: jwt.issuer,
        allowedAud: jwt.audience,
        requiredClaims: ['iss', 'aud', 'exp'],
      },
    });

    async function authenticate(request: FastifyRequest): Promise<void> {
      try {
        await request.jwtVerify();
      } catch {
        // Missing, expired, forged or for another audience: the caller learns only "sign in".
        throw new AppError('UNAUTHENTICATED');
      }
    }

    app.decorate('authenticate', authenticate);
    app.decorate('requireRole', (...roles: Role[]) => {
      return async (request: FastifyRequest) => {
        await authenticate(request);
        if (!roles.includes(request.user.role)) throw new AppError('FORBIDDEN');
      };
    });
  },
  { name: 'auth' },
);
