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

/** PostgreSQL's `integer` and `bigint`: an id or amount beyond its column is refused as input. */
export const INT4_MAX = 2_147_483_647;
export const INT8_MAX = 9_223_372_036_854_775_807n;

/**
 * A regular expression source for the decimal integers 1..max, without leading zeros (JSON
 * schema has no bounds for numbers written as text, so the bound is spelt out digit by digit).
 */
export function decimalUpTo(max: bigint): string {
  const digits = max.toString();
  const shorter = digits.length > 1 ? [`[1-9][0-9]{0,${digits.length - 2}}`] : [];
  const sameLength = [...digits].flatMap((digit, index) => {
    const low = index === 0 ? 1 : 0;
    const high = Number(digit) - 1;
    if (high < low) return [];
    const rest = digits.length - index - 1;
    return [`${digits.slice(0, index)}[${low}-${high}]${rest > 0 ? `[0-9]{${rest}}` : ''}`];
  });
  return `(?:${[...shorter, ...sameLength, digits].join('|')})`;
}

// Every amount is stored in a bigint column: øre up to INT8_MAX, kroner up to a hundredth of it.
export const OreString = Type.String({
  pattern: `^0*(?:0|${decimalUpTo(INT8_MAX)})$`,
  maxLength: 30,
  description: 'Øre as a decimal string (at most 9223372036854775807)',
  examples: ['15000'],
});
export const KronerString = Type.String({
  pattern: `^0*(?:0|${decimalUpTo(INT8_MAX / 100n - 1n)})([.,][0-9]{1,2})?$`,
  maxLength: 31,
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
/** An id kept in an `integer` column (providers): beyond 2147483647 it is a 400, not a query error. */
export const Int4Id = Type.String({ pattern: `^${decimalUpTo(BigInt(INT4_MAX))}$` });
export const Int4IdParams = Type.Object({ id: Int4Id });
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
