import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { createStaff } from '../staff/create-staff.ts';
import { bearer, errors, Password, Username } from './schemas.ts';

export const StaffResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  role: Type.String(),
  municipalityId: Type.Integer(),
  providerId: Type.Union([Type.Integer(), Type.Null()]),
  chainAddress: Type.Union([Type.String(), Type.Null()]),
});

const CreateStaffBody = Type.Object(
  {
    username: Username,
    password: Password,
    role: Type.Union([
      Type.Literal('admin'),
      Type.Literal('caseworker'),
      Type.Literal('finance'),
      Type.Literal('auditor'),
    ]),
  },
  { additionalProperties: false },
);

/** Municipal staff accounts; provider staff are created under their provider. */
const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/staff',
    {
      preValidation: app.requireRole('admin'),
      schema: {
        tags: ['staff'],
        security: bearer,
        body: CreateStaffBody,
        response: { 201: StaffResponse, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await createStaff(app.deps, {
        actor: request.user,
        municipalityId: request.user.municipalityId,
        ...request.body,
      });
      return reply.code(201).send(created);
    },
  );
};

export default staffRoutes;
