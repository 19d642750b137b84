import { keccak256, toHex } from 'viem';

const roleId = (name: string) => keccak256(toHex(name));

/** The hub's and eKrone's AccessControl roles, as the contracts compute them. */
export const ROLE = {
  admin: '0x0000000000000000000000000000000000000000000000000000000000000000',
  treasury: roleId('TREASURY_ROLE'),
  programManager: roleId('PROGRAM_MANAGER_ROLE'),
  enrolment: roleId('ENROLMENT_ROLE'),
  providerRegistrar: roleId('PROVIDER_REGISTRAR_ROLE'),
  relayer: roleId('RELAYER_ROLE'),
  financeOfficer: roleId('FINANCE_OFFICER_ROLE'),
  pauser: roleId('PAUSER_ROLE'),
  participantManager: roleId('PARTICIPANT_MANAGER_ROLE'),
} as const;

export type RoleName = keyof typeof ROLE;
