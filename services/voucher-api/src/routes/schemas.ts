import { type TSchema, Type } from '@sinclair/typebox';
import { CATEGORIES } from '../categories.ts';

/** The one error shape every route answers with. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code, e.g. CVR_INVALID' }),
      message: Type.String({ description: 'In the language of Accept-Language (Danish by default)' }),
      messageDa: Type.String(),
      details: Type.Object({}, { additionalProperties: true }),
    }),
  },
  { $id: 'ErrorResponse' },
);

/** Error responses a route can give, for its OpenAPI description and serializer. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
}

export const OreString = Type.String({
  pattern: '^[0-9]{1,30}$',
  description: 'Øre as a decimal string',
  examples: ['15000'],
});
export const KronerString = Type.String({
  pattern: '^[0-9]{1,28}([.,][0-9]{1,2})?$',
  description: 'Kroner with at most two decimals',
  examples: ['150.00'],
});
export const CategoryName = Type.Union(
  CATEGORIES.map((category) => Type.Literal(category)),
  { description: 'Provider category' },
);
export const Categories = Type.Array(CategoryName, { minItems: 1, uniqueItems: true });
/** Path ids arrive as text; the pattern keeps them to positive integers without coercion. */
export const IntegerIdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) });
export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]*$' });
export const Password = Type.String({ minLength: 12, maxLength: 256 });
export const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });
export const bearer = [{ bearerAuth: [] }];
/**
 * A kommunekode in a query string (1–999). Query values arrive as text and the API does not
 * coerce types, so it is a pattern here and a number in the handler (`Number(...)`).
 */
export const MunicipalityCodeQuery = (description: string) =>
  Type.String({ pattern: '^[1-9][0-9]{0,2}$', description });
