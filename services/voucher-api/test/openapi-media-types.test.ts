import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * The OpenAPI document (/docs/json) names the media type each route really sends: the routes'
 * own tests check the answers' content-type headers (citizens.test.ts, settlement.test.ts).
 */
describe('OpenAPI media types', () => {
  let testApp: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    testApp = await createTestApp();
    const response = await testApp.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    paths = response.json().paths;
  });
  afterAll(() => testApp.close());

  const mediaTypes = (path: string, method: string) => {
    const operation = paths[path]?.[method];
    expect(operation, `${method.toUpperCase()} ${path} is documented`).toBeDefined();
    return Object.fromEntries(
      Object.entries(operation?.responses ?? {}).map(([status, answer]) => [
        status,
        Object.keys(answer.content ?? {}),
      ]),
    );
  };

  it.each([
    ['post', '/citizens/{id}/letter', 'text/html', ['401', '403', '404']],
    ['get', '/citizens/{id}/passes/current.png', 'image/png', ['401', '403', '404']],
    ['get', '/citizens/{id}/passes/current.svg', 'image/svg+xml', ['401', '403', '404']],
    ['get', '/settlements/{id}/bank-file', 'application/xml', ['401', '403', '404', '409']],
    ['get', '/settlements/{id}/statement.csv', 'text/csv', ['401', '403', '404']],
  ])('%s %s answers %s, and its errors JSON', (method, path, mediaType, errorStatuses) => {
    const types = mediaTypes(path, method);
    expect(types['200']).toEqual([mediaType]);
    for (const status of errorStatuses) expect(types[status], `${status}`).toEqual(['application/json']);
  });

  it('names a PNG body as binary', () => {
    const png = paths['/citizens/{id}/passes/current.png']?.get?.responses['200']?.content?.['image/png'];
    expect(png).toMatchObject({ schema: { type: 'string', format: 'binary' } });
  });
});
