import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import { AppError } from '../errors/app-error.ts';
import { errors } from './schemas.ts';

const Status = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({ status: Type.Literal('ok'), database: Type.String(), chain: Type.String() });

/** /healthz: the process answers. /readyz: the database (and chain, when wired) answer too. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Status } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: Readiness, ...errors(503) } } },
    async (request) => {
      try {
        await app.deps.db.execute(sql`SELECT 1`);
      } catch (error) {
        request.log.warn({ err: error }, 'database not reachable');
        throw new AppError('NOT_READY', { component: 'database' });
      }
      const chain = app.chainHealth ? await app.chainHealth().catch(() => ({ ok: false })) : { ok: true };
      if (!chain.ok) throw new AppError('NOT_READY', { component: 'chain' });
      return { status: 'ok' as const, database: 'ok', chain: app.chainHealth ? 'ok' : 'not configured' };
    },
  );
};

export default healthRoutes;
