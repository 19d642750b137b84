import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Role } from '../../auth/claims.ts';
import { AppError } from '../../errors/app-error.ts';
import { listAwaitingAdmins } from '../../passkeys/awaiting-admins.ts';
import { enrolPasskey } from '../../passkeys/enrol-passkey.ts';
import { listOwnPasskeys, listStaffPasskeys } from '../../passkeys/list-passkeys.ts';
import { createRegistrationOptions } from '../../passkeys/registration-options.ts';
import { revokePasskey } from '../../passkeys/revoke-passkey.ts';
import { bearer, errors } from '../schemas.ts';

/** Everyone who works in the console: each of them may hold keys of their own. */
const CONSOLE_STAFF: Role[] = ['admin', 'caseworker', 'finance', 'auditor'];

const Base64url = (maxLength: number, description?: string) =>
  Type.String({
    pattern: '^[A-Za-z0-9_-]+$',
    minLength: 1,
    maxLength,
    ...(description ? { description } : {}),
  });
const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 8 });

export const PasskeyResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  credentialId: Type.String({ description: 'The WebAuthn credential id, base64url' }),
  address: Type.String({
    description: "The key's account on chain: keccak256(abi.encode(qx, qy)), low 20 bytes",
  }),
  deviceName: Type.String(),
  kind: Type.Union([Type.Literal('passkey'), Type.Literal('development')]),
  transports: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const PasskeyList = Type.Object({ passkeys: Type.Array(PasskeyResponse) });
const AwaitingAdminsList = Type.Object({
  awaiting: Type.Array(
    Type.Object({
      passkeyId: Type.String({ format: 'uuid' }),
      username: Type.String(),
      deviceName: Type.String(),
      address: Type.String({ description: "The passkey's account on chain" }),
      change: Type.Union([Type.Literal('grant'), Type.Literal('revoke')]),
      role: Type.String({ description: 'FINANCE_OFFICER_ROLE or TREASURY_ROLE' }),
      call: Type.Object(
        { to: Type.String(), data: Type.String() },
        {
          description: "What the municipality's admins schedule in their timelock: the hub and the calldata",
        },
      ),
    }),
  ),
});
const OwnPasskeyList = Type.Object({
  /** What the console needs to ask the browser for a signature with these keys. */
  rpId: Type.String(),
  allowDevelopmentKeys: Type.Boolean(),
  passkeys: Type.Array(PasskeyResponse),
});

/** PublicKeyCredentialCreationOptionsJSON, as @simplewebauthn/browser's startRegistration takes it. */
const CreationOptions = Type.Object(
  {
    challenge: Type.String(),
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() })),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          type: Type.String(),
          transports: Type.Optional(Type.Array(Type.String())),
        }),
      ),
    ),
    authenticatorSelection: Type.Optional(Type.Object({}, { additionalProperties: true })),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
    hints: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);
const RegistrationOptionsResponse = Type.Object({
  options: CreationOptions,
  allowDevelopmentKeys: Type.Boolean({ description: 'Whether a development key may be enrolled instead' }),
});

const DeviceName = Type.String({
  minLength: 1,
  maxLength: 64,
  // Printable text only: it is shown in lists and must not carry control characters.
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: 'What the person calls the device, e.g. "Annes bærbare"',
});
/** RegistrationResponseJSON, as startRegistration returns it. */
const RegistrationResponse = Type.Object(
  {
    id: Base64url(1364),
    rawId: Base64url(1364),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: Base64url(8192),
        attestationObject: Base64url(65536),
        authenticatorData: Type.Optional(Base64url(65536)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(Base64url(8192)),
      },
      // Browsers add members to these JSON forms over time; the library reads what it knows.
      { additionalProperties: true },
    ),
    authenticatorAttachment: Type.Optional(
      Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]),
    ),
    clientExtensionResults: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);
const Assertion = Type.Object(
  {
    authenticatorData: Base64url(8192),
    clientDataJSON: Base64url(8192),
    signature: Base64url(200, 'ECDSA signature, ASN.1 DER'),
  },
  { additionalProperties: false },
);
const PasskeyEnrolment = Type.Object(
  { kind: Type.Optional(Type.Literal('passkey')), deviceName: DeviceName, response: RegistrationResponse },
  { additionalProperties: false },
);
const DevelopmentKeyEnrolment = Type.Object(
  {
    kind: Type.Literal('development'),
    deviceName: DeviceName,
    publicKey: Type.Object(
      {
        kty: Type.Literal('EC'),
        crv: Type.Literal('P-256'),
        x: Base64url(43),
        y: Base64url(43),
      },
      // WebCrypto's exported JWK also carries ext and key_ops.
      { additionalProperties: true },
    ),
    assertion: Assertion,
  },
  { additionalProperties: false },
);

/**
 * Staff passkeys: every console user enrols and revokes their own keys; the admin sees an
 * officer's keys (to grant their addresses the officer's role on chain). Finance officers
 * sign period close, settlement and funding with them (src/passkeys/verify-staff-assertion.ts).
 */
const passkeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['staff', 'passkeys'];

  app.post(
    '/staff/me/passkeys/registration-options',
    {
      preValidation: app.requireRole(...CONSOLE_STAFF),
      schema: {
        tags,
        security: bearer,
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: RegistrationOptionsResponse, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const options = await createRegistrationOptions(app.deps, request.user);
      return reply.header('cache-control', 'no-store').send(options);
    },
  );

  app.post(
    '/staff/me/passkeys',
    {
      preValidation: app.requireRole(...CONSOLE_STAFF),
      schema: {
        tags,
        security: bearer,
        body: Type.Union([PasskeyEnrolment, DevelopmentKeyEnrolment]),
        response: { 201: PasskeyResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const deviceName = body.deviceName.trim();
      if (deviceName === '') throw new AppError('VALIDATION_FAILED', { field: 'deviceName' });
      const passkey = await enrolPasskey(app.deps, {
        actor: request.user,
        deviceName,
        credential:
          body.kind === 'development'
            ? { kind: 'development', publicKey: body.publicKey, assertion: body.assertion }
            : { kind: 'passkey', response: body.response },
      });
      return reply.code(201).send(passkey);
    },
  );

  app.get(
    '/staff/me/passkeys',
    {
      preValidation: app.requireRole(...CONSOLE_STAFF),
      schema: { tags, security: bearer, response: { 200: OwnPasskeyList, ...errors(401, 403) } },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({
        rpId: app.deps.config.webauthn.rpId,
        allowDevelopmentKeys: app.deps.config.webauthn.allowDevelopmentKeys,
        passkeys: await listOwnPasskeys(app.deps, request.user),
      }),
  );

  app.delete(
    '/staff/me/passkeys/:id',
    {
      preValidation: app.requireRole(...CONSOLE_STAFF),
      schema: {
        tags,
        security: bearer,
        params: Type.Object({ id: Uuid }),
        response: { 200: PasskeyResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => revokePasskey(app.deps, { actor: request.user, passkeyId: request.params.id }),
  );

  app.get(
    '/staff/passkeys/awaiting-admins',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        summary:
          "Officers' passkeys whose role the municipality's named admins must still grant or revoke on chain",
        response: { 200: AwaitingAdminsList, ...errors(401, 403, 503) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ awaiting: await listAwaitingAdmins(app.deps, request.user) }),
  );

  app.get(
    '/staff/:id/passkeys',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        params: Type.Object({ id: Uuid }),
        response: { 200: PasskeyList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ passkeys: await listStaffPasskeys(app.deps, request.user, request.params.id) }),
  );
};

export default passkeyRoutes;
