import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { toHex } from 'viem';
import { activateAccount } from '../../passes/activate-account.ts';
import { passKeySet, passSigningKeyFromConfig } from '../../passes/pass-signing-key.ts';
import { registerDevice } from '../../passes/register-device.ts';
import { renewCitizenSession } from '../../passes/renew-citizen-session.ts';
import { verifyPass } from '../../passes/verify-pass.ts';
import { bearer, errors } from '../schemas.ts';

const ActivationBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'The code from the letter, e.g. ABCD-EFGH-JK',
    }),
  },
  { additionalProperties: false },
);
const SessionBody = Type.Object(
  {
    presentation: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: "A fresh rotating-QR text (VR1.…) signed by the phone's registered key",
    }),
  },
  { additionalProperties: false },
);
const ActivationResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresInSeconds: Type.Integer(),
  accountId: Type.String(),
});

// What WebCrypto's exportKey('jwk') gives for an ECDSA P-256 public key.
const DeviceJwk = Type.Object(
  {
    kty: Type.Literal('EC'),
    crv: Type.Literal('P-256'),
    x: Type.String({ maxLength: 64 }),
    y: Type.String({ maxLength: 64 }),
    ext: Type.Optional(Type.Boolean()),
    key_ops: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 4 })),
  },
  { additionalProperties: false },
);
const DeviceBody = Type.Object(
  {
    publicKey: Type.Union([
      DeviceJwk,
      Type.String({ minLength: 1, maxLength: 512, description: 'SPKI (base64 or PEM) or JWK text' }),
    ]),
  },
  { additionalProperties: false },
);
const DeviceResponse = Type.Object({ deviceId: Type.String() });

const VerifyBody = Type.Object(
  {
    pass: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'The text read from the QR (VP1.… or VR1.…)',
    }),
  },
  { additionalProperties: false },
);
const VerifyResponse = Type.Object({
  kind: Type.Union([Type.Literal('printed'), Type.Literal('phone')]),
  accountId: Type.String(),
  accountStatus: Type.String(),
  serial: Type.Optional(Type.String()),
  deviceId: Type.Optional(Type.String()),
});

const PassKeySetResponse = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});

/**
 * Citizen activation (letter code → citizen session, then the phone's key) and pass
 * verification for scanners, plus the public key set scanners use to verify offline.
 */
const activationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['activation and passes'];
  const { config } = app.deps;

  async function citizenSession(account: { accountId: Buffer; municipalityId: number }) {
    const accountHex = toHex(account.accountId);
    const accessToken = await app.jwt.sign({
      sub: accountHex,
      role: 'citizen',
      municipalityId: account.municipalityId,
      accountId: accountHex,
    });
    return {
      accessToken,
      tokenType: 'Bearer' as const,
      expiresInSeconds: config.jwt.accessTokenTtlSeconds,
      accountId: accountHex,
    };
  }

  app.post(
    '/activation',
    {
      schema: {
        tags,
        body: ActivationBody,
        response: { 200: ActivationResponse, ...errors(400, 401, 410, 429) },
      },
      config: {
        // Unknown codes cannot be counted against any one code, so guessing is slowed per client.
        rateLimit: { max: config.rateLimit.loginPerMinute, timeWindow: '1 minute' },
      },
    },
    async (request, reply) => {
      const session = await citizenSession(await activateAccount(app.deps, request.body.code));
      return reply.header('cache-control', 'no-store').send(session);
    },
  );

  app.post(
    '/activation/session',
    {
      schema: {
        tags,
        description:
          "A new citizen session for a phone that signs a fresh presentation with its registered key (sessions are short; the letter's code works once).",
        body: SessionBody,
        response: { 200: ActivationResponse, ...errors(400, 401, 403, 404, 409, 410, 429) },
      },
      config: { rateLimit: { max: config.rateLimit.loginPerMinute, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const session = await citizenSession(await renewCitizenSession(app.deps, request.body.presentation));
      return reply.header('cache-control', 'no-store').send(session);
    },
  );

  app.post(
    '/activation/device',
    {
      preValidation: app.requireRole('citizen'),
      schema: {
        tags,
        security: bearer,
        body: DeviceBody,
        response: { 201: DeviceResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const accountHex = request.user.accountId ?? '';
      const registered = await registerDevice(app.deps, {
        accountId: Buffer.from(accountHex.slice(2), 'hex'),
        publicKey: request.body.publicKey,
      });
      return reply.code(201).send(registered);
    },
  );

  app.post(
    '/passes/verify',
    {
      preValidation: app.requireRole('provider_staff', 'caseworker', 'admin'),
      schema: {
        tags,
        security: bearer,
        body: VerifyBody,
        response: { 200: VerifyResponse, ...errors(400, 401, 403, 409, 410) },
      },
    },
    async (request) => verifyPass(app.deps, request.body.pass),
  );

  app.get(
    '/.well-known/voucher-pass-keys.json',
    {
      schema: {
        tags,
        description: 'Ed25519 public keys (JWK set) that sign printed passes.',
        response: { 200: PassKeySetResponse },
      },
    },
    async (_request, reply) => {
      const { publicKey } = passSigningKeyFromConfig(config);
      return reply.header('cache-control', 'public, max-age=3600').send(passKeySet([publicKey]));
    },
  );
};

export default activationRoutes;
