import fp from 'fastify-plugin';
import type { AppDeps, ChainHealth, DomainDeps } from '../../deps.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: DomainDeps;
    chainHealth: ChainHealth | undefined;
  }
}

/** Makes the database, configuration and clock available to every route as `app.deps`. */
export default fp(
  async (app, options: { deps: AppDeps }) => {
    const { config, db, chainHealth, now, chain } = options.deps;
    app.decorate('deps', { config, db, now: now ?? (() => new Date()), chain });
    app.decorate('chainHealth', chainHealth);
  },
  { name: 'deps' },
);
