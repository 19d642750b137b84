import { keccak256, toHex } from 'viem';

const roleId = (name: string) => keccak256(toHex(name));

/**
 * The hub's and eKrone's role ids, as the contracts compute them. On the hub, `admin`,
 * `municipalityRegistrar` and `relayer` are global (AccessControl); `municipalAdmin`,
 * `treasury`, `programManager`, `enrolment`, `providerRegistrar`, `financeOfficer` and `pauser`
 * are held per municipality (grantMunicipalRole). On eKrone, `admin`, `treasury`, `pauser`
 * and `participantManager` are its own AccessControl roles.
 */
export const ROLE = {
  admin: '0x0000000000000000000000000000000000000000000000000000000000000000',
  municipalityRegistrar: roleId('MUNICIPALITY_REGISTRAR_ROLE'),
  relayer: roleId('RELAYER_ROLE'),
  municipalAdmin: roleId('MUNICIPAL_ADMIN_ROLE'),
  treasury: roleId('TREASURY_ROLE'),
  programManager: roleId('PROGRAM_MANAGER_ROLE'),
  enrolment: roleId('ENROLMENT_ROLE'),
  providerRegistrar: roleId('PROVIDER_REGISTRAR_ROLE'),
  financeOfficer: roleId('FINANCE_OFFICER_ROLE'),
  pauser: roleId('PAUSER_ROLE'),
  participantManager: roleId('PARTICIPANT_MANAGER_ROLE'),
} as const;

export type RoleName = keyof typeof ROLE;
