import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AppDeps } from './deps.ts';
import { type LogStream, loggerOptions } from './logger.ts';
import authPlugin from './plugins/app/auth.ts';
import depsPlugin from './plugins/app/deps.ts';
import errorHandler from './plugins/app/error-handler.ts';
import security from './plugins/external/security.ts';
import swagger from './plugins/external/swagger.ts';
import activationRoutes from './routes/activation/index.ts';
import authRoutes from './routes/auth.ts';
import bankNotificationRoutes from './routes/bank-notifications/index.ts';
import citizenRoutes from './routes/citizens/index.ts';
import correctionRoutes from './routes/corrections/index.ts';
import disputeRoutes from './routes/disputes/index.ts';
import healthRoutes from './routes/health.ts';
import meRoutes from './routes/me/index.ts';
import municipalityRoutes from './routes/municipality.ts';
import offerRoutes from './routes/offers.ts';
import passkeyRoutes from './routes/passkeys/index.ts';
import periodRoutes from './routes/periods/index.ts';
import platformRoutes from './routes/platform.ts';
import programRoutes from './routes/programs.ts';
import providerRoutes from './routes/providers.ts';
import publicChainRoutes from './routes/public-chain.ts';
import publicSpendingRoutes from './routes/public-spending.ts';
import redemptionRoutes from './routes/redemptions/index.ts';
import { ErrorResponse } from './routes/schemas.ts';
import settlementRoutes from './routes/settlements/index.ts';
import staffRoutes from './routes/staff.ts';
import terminalRoutes from './routes/terminals.ts';
import webApps from './web-apps/index.ts';

export interface BuildAppOptions {
  /** Other route plugins (citizens, activation, passes...) registered beside the core ones. */
  extraRoutes?: FastifyPluginAsync[];
  /** Log lines go here instead of stdout (tests that check what is logged). */
  logStream?: LogStream;
}

/**
 * Builds the Fastify app around its dependencies. Nothing here opens connections or reads
 * the environment, so tests build it on an in-memory PGlite or a PostgreSQL URL.
 */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, process.stdout.isTTY, options.logStream),
    // Money and ids arrive as strings on purpose: type coercion would turn 1500.5 into
    // "1500.5", and silently dropping unknown fields would hide client mistakes.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    trustProxy: false,
  });
  app.addSchema(ErrorResponse);

  await app.register(errorHandler);
  await app.register(security, { config: deps.config });
  await app.register(swagger);
  await app.register(depsPlugin, { deps });
  await app.register(authPlugin, { config: deps.config });

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(staffRoutes);
  // Staff passkeys: people's own signing keys (issue "Keys in people's hands").
  await app.register(passkeyRoutes);
  await app.register(municipalityRoutes);
  await app.register(platformRoutes);
  await app.register(providerRoutes);
  await app.register(terminalRoutes);
  await app.register(programRoutes);
  await app.register(offerRoutes);
  // Citizens, vault, passes and activation (engineer B: src/routes/citizens, src/routes/activation).
  await app.register(citizenRoutes);
  await app.register(activationRoutes);
  // Redemption at the counter, the citizen's own view and the public chain config (H-redeem).
  await app.register(redemptionRoutes);
  // Void and refund of a redemption (issue #16).
  await app.register(correctionRoutes);
  await app.register(meRoutes);
  await app.register(publicChainRoutes);
  // Periods, statements, settlement, bank file, transparency (H-settle).
  await app.register(periodRoutes);
  await app.register(settlementRoutes);
  // The bank's camt.054/camt.053 answer to the bank file: payouts confirmed by the bank.
  await app.register(bankNotificationRoutes);
  // Disputes of a redemption: citizen, caseworker, provider (issue #16).
  await app.register(disputeRoutes);
  await app.register(publicSpendingRoutes);
  for (const routes of options.extraRoutes ?? []) await app.register(routes);
  // The citizen PWA, the scanner and the console, built into apps/*/dist, plus the start page.
  app.decorate('demoLogins', undefined);
  await app.register(webApps);
  return app;
}
