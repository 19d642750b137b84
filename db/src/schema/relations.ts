import { relations } from 'drizzle-orm';
import { accounts } from './accounts.ts';
import { activationCodes } from './activation-codes.ts';
import { citizens } from './citizens.ts';
import { devices } from './devices.ts';
import { grants } from './grants.ts';
import { municipalities } from './municipalities.ts';
import { offers } from './offers.ts';
import { passes } from './passes.ts';
import { programProviders } from './program-providers.ts';
import { programs } from './programs.ts';
import { providers } from './providers.ts';
import { staffUsers } from './staff-users.ts';
import { terminalPairingCodes } from './terminal-pairing-codes.ts';
import { terminals } from './terminals.ts';

export const municipalitiesRelations = relations(municipalities, ({ many }) => ({
  staffUsers: many(staffUsers),
  citizens: many(citizens),
  providers: many(providers),
  programs: many(programs),
}));

export const staffUsersRelations = relations(staffUsers, ({ one }) => ({
  municipality: one(municipalities, { fields: [staffUsers.municipalityId], references: [municipalities.id] }),
  provider: one(providers, { fields: [staffUsers.providerId], references: [providers.id] }),
}));

export const citizensRelations = relations(citizens, ({ many }) => ({
  accounts: many(accounts),
}));

export const accountsRelations = relations(accounts, ({ one, many }) => ({
  citizen: one(citizens, { fields: [accounts.citizenId], references: [citizens.id] }),
  passes: many(passes),
  devices: many(devices),
  activationCodes: many(activationCodes),
  grants: many(grants),
}));

export const passesRelations = relations(passes, ({ one }) => ({
  account: one(accounts, { fields: [passes.accountId], references: [accounts.accountId] }),
}));

export const devicesRelations = relations(devices, ({ one }) => ({
  account: one(accounts, { fields: [devices.accountId], references: [accounts.accountId] }),
}));

export const activationCodesRelations = relations(activationCodes, ({ one }) => ({
  account: one(accounts, { fields: [activationCodes.accountId], references: [accounts.accountId] }),
}));

export const providersRelations = relations(providers, ({ one, many }) => ({
  municipality: one(municipalities, { fields: [providers.municipalityId], references: [municipalities.id] }),
  staff: many(staffUsers),
  terminals: many(terminals),
  pairingCodes: many(terminalPairingCodes),
  offers: many(offers),
  programs: many(programProviders),
}));

export const terminalsRelations = relations(terminals, ({ one }) => ({
  provider: one(providers, { fields: [terminals.providerId], references: [providers.id] }),
}));

export const terminalPairingCodesRelations = relations(terminalPairingCodes, ({ one }) => ({
  provider: one(providers, { fields: [terminalPairingCodes.providerId], references: [providers.id] }),
}));

export const programsRelations = relations(programs, ({ one, many }) => ({
  municipality: one(municipalities, { fields: [programs.municipalityId], references: [municipalities.id] }),
  allowedProviders: many(programProviders),
  grants: many(grants),
}));

export const programProvidersRelations = relations(programProviders, ({ one }) => ({
  program: one(programs, { fields: [programProviders.programId], references: [programs.id] }),
  provider: one(providers, { fields: [programProviders.providerId], references: [providers.id] }),
}));

export const offersRelations = relations(offers, ({ one }) => ({
  provider: one(providers, { fields: [offers.providerId], references: [providers.id] }),
}));

export const grantsRelations = relations(grants, ({ one }) => ({
  program: one(programs, { fields: [grants.programId], references: [programs.id] }),
  account: one(accounts, { fields: [grants.accountId], references: [accounts.accountId] }),
}));
