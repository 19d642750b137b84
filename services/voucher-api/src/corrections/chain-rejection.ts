import type { ErrorCode } from '../errors/catalogue.ts';

/**
 * The hub's custom errors `reverse` can revert with, as the service's stable codes. The
 * service checks them before relaying; the chain still decides when state changed in between
 * (above all: the period closed while a void was on its way), and then this names what it
 * decided.
 */
const CHAIN_ERRORS: Record<string, ErrorCode> = {
  ReversalPeriodClosed: 'REVERSAL_PERIOD_CLOSED',
  ReversalExceedsRedemption: 'REVERSAL_EXCEEDS_REDEMPTION',
  ReversalNotCovered: 'REVERSAL_NOT_COVERED',
  ReversalExpired: 'REVERSAL_DEADLINE_PASSED',
  RedemptionAlreadyUsed: 'REVERSAL_ID_USED',
  RedemptionUnknown: 'REVERSAL_ORIGINAL_UNKNOWN',
  MunicipalityPaused: 'REVERSAL_MUNICIPALITY_PAUSED',
  TerminalNotRegistered: 'TERMINAL_REVOKED',
  TerminalProviderMismatch: 'TERMINAL_UNKNOWN',
};

/** `lastError` of a failed outbox row looks like `ReversalPeriodClosed(101, 1, 2) (reverted …)`. */
export function reversalRejectionCodeFor(lastError: string | null): ErrorCode {
  const name = /^([A-Za-z0-9_]+)\(/.exec(lastError ?? '')?.[1];
  return (name && CHAIN_ERRORS[name]) || 'REVERSAL_REJECTED';
}
