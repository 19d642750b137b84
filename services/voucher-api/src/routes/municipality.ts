import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { getMunicipality } from '../municipalities/get-municipality.ts';
import { getBankAccount, setBankAccount } from '../municipalities/set-bank-account.ts';
import { bearer, errors } from './schemas.ts';

const Municipality = Type.Object({
  id: Type.Integer({ description: 'Kommunekode, e.g. 101' }),
  name: Type.String(),
});

const BankAccount = Type.Object({
  municipalityId: Type.Integer(),
  name: Type.String(),
  debtorIban: Type.Union([Type.String(), Type.Null()]),
  debtorBic: Type.Union([Type.String(), Type.Null()]),
});

const BankAccountBody = Type.Object(
  {
    iban: Type.String({ maxLength: 42, description: 'Danish IBAN, e.g. DK50 0040 0440 1162 43' }),
    bic: Type.String({ maxLength: 11, description: 'BIC of the bank, 8 or 11 characters' }),
  },
  { additionalProperties: false },
);

/** The caller's own municipality: there is no id in the path, so no other can be named. */
const municipalityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['municipality'];
  app.get(
    '/municipality',
    {
      preValidation: app.requireRole('admin', 'caseworker', 'finance', 'auditor'),
      schema: {
        tags,
        security: bearer,
        description: "The caller's own municipality, which the console shows in its header.",
        response: { 200: Municipality, ...errors(401, 403, 404) },
      },
    },
    async (request) => getMunicipality(app.deps, request.user),
  );
  app.get(
    '/municipality/bank-account',
    {
      preValidation: app.requireRole('admin', 'finance', 'auditor'),
      schema: { tags, security: bearer, response: { 200: BankAccount, ...errors(401, 403, 404) } },
    },
    async (request) => getBankAccount(app.deps, request.user),
  );
  app.put(
    '/municipality/bank-account',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags,
        security: bearer,
        body: BankAccountBody,
        response: { 200: BankAccount, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setBankAccount(app.deps, { actor: request.user, ...request.body }),
  );
};

export default municipalityRoutes;
