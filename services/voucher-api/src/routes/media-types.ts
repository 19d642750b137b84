import { type TSchema, Type } from '@sinclair/typebox';

/**
 * A 200 answer that is not JSON, named with the media type the route really sends, so the
 * OpenAPI document (/docs) says `text/html` or `image/png` where a route-wide `produces` would
 * also have claimed its JSON errors were XML or CSV. Fastify sends a string or a Buffer under a
 * non-JSON type as it is; this schema only documents it.
 */
export function mediaResponse(mediaType: string, description: string, schema: TSchema = Type.String()) {
  return { description, content: { [mediaType]: { schema } } } as unknown as TSchema;
}

/** Bytes, as OpenAPI 3.0 names a binary body. */
export const Binary = Type.String({ format: 'binary' });
