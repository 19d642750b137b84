import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestApp, type TestApp } from './support/app.ts';

describe('health, docs and the error shape', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('answers /healthz', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz when the database is reachable and no chain is wired', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', chain: 'not configured' });
  });

  it('serves the OpenAPI document with the core routes', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/auth/login',
        '/providers',
        '/programs/{id}/funding',
        '/terminals/{address}',
        '/offers',
      ]),
    );
  });

  it('sends security headers', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('answers an unknown route with the catalogue error in Danish by default', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Findes ikke.', messageDa: 'Findes ikke.', details: {} },
    });
  });

  it('answers in English when the client prefers it', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/no-such-thing',
      headers: { 'accept-language': 'en-GB,en;q=0.9,da;q=0.5' },
    });
    expect(response.json().error.message).toBe('Not found.');
    expect(response.json().error.messageDa).toBe('Findes ikke.');
  });

  it('rejects malformed JSON as VALIDATION_FAILED, not a 500', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('readiness with a chain', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  it('is 503 NOT_READY when the chain gateway reports trouble', async () => {
    const app = await buildApp({
      config: testApp.config,
      db: testApp.database.db,
      chainHealth: async () => ({ ok: false }),
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: 'NOT_READY', details: { component: 'chain' } });
    } finally {
      await app.close();
    }
  });
});
