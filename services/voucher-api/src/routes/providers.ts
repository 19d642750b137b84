import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { createOffer } from '../offers/create-offer.ts';
import { admitProvider } from '../providers/admit-provider.ts';
import { approveProvider } from '../providers/approve-provider.ts';
import { createPairingCode } from '../providers/create-pairing-code.ts';
import { findVisibleProvider } from '../providers/find-provider.ts';
import { listProviders } from '../providers/list-providers.ts';
import { onboardProvider } from '../providers/onboard-provider.ts';
import { toProviderView } from '../providers/provider-view.ts';
import { createStaff } from '../staff/create-staff.ts';
import { withTenant } from '../tenancy/with-tenant.ts';
import { listTerminals } from '../terminals/list-terminals.ts';
import { OfferResponse, oreFromEither } from './offers.ts';
import {
  bearer,
  Categories,
  CategoryName,
  errors,
  Int4IdParams,
  KronerString,
  OreString,
  Password,
  Username,
} from './schemas.ts';
import { StaffResponse } from './staff.ts';
import { TerminalResponse } from './terminals.ts';

export const ProviderResponse = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  cvr: Type.String(),
  name: Type.String(),
  iban: Type.String(),
  categories: Type.Array(Type.String()),
  categoriesMask: Type.Integer(),
  address: Type.String(),
  contactEmail: Type.String(),
  contactPhone: Type.Union([Type.String(), Type.Null()]),
  payoutAddress: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const OnboardBody = Type.Object(
  {
    cvr: Type.String({ maxLength: 16, description: '8 digits, modulus 11' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    iban: Type.String({ maxLength: 42, description: 'Danish IBAN, e.g. DK50 0040 0440 1162 43' }),
    categories: Categories,
    address: Type.String({ minLength: 1, maxLength: 300 }),
    contactEmail: Type.String({ format: 'email', maxLength: 254 }),
    contactPhone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ]{8,20}$' })),
  },
  { additionalProperties: false },
);
const AdmissionBody = Type.Object(
  {
    cvr: Type.String({ maxLength: 16, description: 'CVR of a provider another municipality registered' }),
    categories: Categories,
  },
  { additionalProperties: false },
);
const ProviderStaffBody = Type.Object(
  { username: Username, password: Password },
  { additionalProperties: false },
);
const PairingCodeResponse = Type.Object({
  code: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
const OfferBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    priceOre: Type.Optional(OreString),
    priceKroner: Type.Optional(KronerString),
    category: CategoryName,
  },
  { additionalProperties: false },
);

const MUNICIPAL_READERS = ['admin', 'caseworker', 'finance', 'auditor', 'provider_staff'] as const;

const providerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['providers'];
  const id = (params: { id: string }) => Number(params.id);

  app.post(
    '/providers',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        body: OnboardBody,
        response: { 201: ProviderResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await onboardProvider(app.deps, { actor: request.user, ...request.body })),
  );

  app.get(
    '/providers',
    {
      preValidation: app.requireRole(...MUNICIPAL_READERS),
      schema: {
        tags,
        security: bearer,
        response: { 200: Type.Array(ProviderResponse), ...errors(401, 403) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) => listProviders(deps, { actor: request.user })),
  );

  app.get(
    '/providers/:id',
    {
      preValidation: app.requireRole(...MUNICIPAL_READERS),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        response: { 200: ProviderResponse, ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      toProviderView(
        await withTenant(app.deps, request.user, (deps) =>
          findVisibleProvider(deps.db, request.user, id(request.params)),
        ),
      ),
  );

  app.post(
    '/providers/admissions',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        body: AdmissionBody,
        response: { 201: ProviderResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await admitProvider(app.deps, { actor: request.user, ...request.body })),
  );

  app.post(
    '/providers/:id/approve',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        response: { 200: ProviderResponse, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => approveProvider(app.deps, { actor: request.user, providerId: id(request.params) }),
  );

  app.post(
    '/providers/:id/staff',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        body: ProviderStaffBody,
        response: { 201: StaffResponse, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const provider = await findVisibleProvider(app.deps.db, request.user, id(request.params));
      const created = await createStaff(app.deps, {
        actor: request.user,
        municipalityId: provider.municipalityId,
        role: 'provider_staff',
        providerId: provider.id,
        ...request.body,
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/providers/:id/pairing-codes',
    {
      preValidation: app.requireRole('provider_staff', 'admin'),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        response: { 201: PairingCodeResponse, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { code, expiresAt } = await createPairingCode(app.deps, {
        actor: request.user,
        providerId: id(request.params),
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ code, expiresAt: expiresAt.toISOString() });
    },
  );

  app.get(
    '/providers/:id/terminals',
    {
      preValidation: app.requireRole('provider_staff', 'admin'),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        response: { 200: Type.Array(TerminalResponse), ...errors(401, 403, 404) },
      },
    },
    async (request) =>
      withTenant(app.deps, request.user, (deps) =>
        listTerminals(deps, { actor: request.user, providerId: id(request.params) }),
      ),
  );

  app.post(
    '/providers/:id/offers',
    {
      preValidation: app.requireRole('provider_staff', 'admin'),
      schema: {
        tags,
        security: bearer,
        params: Int4IdParams,
        body: OfferBody,
        response: { 201: OfferResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { priceOre, priceKroner, ...offer } = request.body;
      const created = await createOffer(app.deps, {
        actor: request.user,
        providerId: id(request.params),
        ...offer,
        priceOre: oreFromEither(priceOre, priceKroner),
      });
      return reply.code(201).send(created);
    },
  );
};

export default providerRoutes;
