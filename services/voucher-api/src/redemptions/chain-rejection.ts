import type { ErrorCode } from '../errors/catalogue.ts';

/**
 * The hub's custom errors a redemption can revert with, as the service's stable codes. The
 * service checks all of them before relaying; the chain still decides when two terminals
 * race or state changed in between, and then this names what it decided.
 */
const CHAIN_ERRORS: Record<string, ErrorCode> = {
  VoucherWindowLimitReached: 'USES_EXHAUSTED_THIS_WINDOW',
  VoucherUsesExhausted: 'USES_EXHAUSTED',
  VoucherCreditInsufficient: 'CREDIT_INSUFFICIENT',
  VoucherAmountOverCap: 'AMOUNT_OVER_CAP',
  GrantUnknown: 'VOUCHER_NOT_GRANTED',
  ProgramSuspended: 'PROGRAM_NOT_ACTIVE',
  ProgramNotStarted: 'PROGRAM_NOT_ACTIVE',
  ProgramEnded: 'PROGRAM_NOT_ACTIVE',
  ProgramUnknown: 'PROGRAM_NOT_ACTIVE',
  ProgramCategoryNotAllowed: 'CATEGORY_NOT_ALLOWED',
  ProgramProviderNotAllowed: 'PROVIDER_NOT_ALLOWED',
  ProviderNotActive: 'PROVIDER_SUSPENDED',
  TerminalNotRegistered: 'TERMINAL_REVOKED',
  TerminalProviderMismatch: 'TERMINAL_UNKNOWN',
  RedemptionExpired: 'REDEMPTION_DEADLINE_PASSED',
  RedemptionDeadlineTooFar: 'REDEMPTION_DEADLINE_TOO_FAR',
  RedemptionAlreadyUsed: 'REDEMPTION_ID_USED_ON_CHAIN',
  AccountNotActive: 'ACCOUNT_NOT_ACTIVE',
  AccountUnknown: 'ACCOUNT_NOT_ACTIVE',
};

/** `lastError` of a failed outbox row looks like `VoucherUsesExhausted("0x…", "7") (reverted …)`. */
export function rejectionCodeFor(lastError: string | null): ErrorCode {
  const name = /^([A-Za-z0-9_]+)\(/.exec(lastError ?? '')?.[1];
  return (name && CHAIN_ERRORS[name]) || 'REDEMPTION_REJECTED';
}
