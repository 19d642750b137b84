import { normalizeIP } from '@fastify/rate-limit';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { login } from '../auth/login.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { errors, Username } from './schemas.ts';

const LoginBody = Type.Object(
  { username: Username, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const LoginResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresInSeconds: Type.Integer(),
  role: Type.String(),
  municipalityId: Type.Integer(),
  providerId: Type.Union([Type.Integer(), Type.Null()]),
});

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  // This app's memory of failed sign-ins per (username, client): see LoginThrottle.
  const throttle = new LoginThrottle(config.loginThrottle, app.deps.now);
  app.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], body: LoginBody, response: { 200: LoginResponse, ...errors(400, 401, 429) } },
      config: {
        // Per IP and username, after the body is parsed: a cap on tries a minute, beside the
        // growing waits after failures (LoginThrottle) that never lock the account itself.
        rateLimit: {
          max: config.rateLimit.loginPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) =>
            `login:${request.ip}:${(request.body as { username?: string } | undefined)?.username ?? ''}`,
        },
      },
    },
    async (request) => {
      // An IPv6 client is its /64 (as the rate limiter counts it): one home or phone holds a
      // whole /64 and could otherwise start afresh from every address in it.
      const client = normalizeIP(request.ip);
      const claims = await login(app.deps, throttle, { ...request.body, client });
      return {
        accessToken: await app.jwt.sign(claims),
        tokenType: 'Bearer' as const,
        expiresInSeconds: config.jwt.accessTokenTtlSeconds,
        role: claims.role,
        municipalityId: claims.municipalityId,
        providerId: claims.providerId ?? null,
      };
    },
  );
};

export default authRoutes;
