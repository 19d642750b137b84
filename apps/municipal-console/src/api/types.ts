/** Response shapes of the API routes the console uses (see the API's /docs/json). */
export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresInSeconds: number;
  role: string;
  municipalityId: number;
  providerId: number | null;
}

export interface EnrolResponse {
  citizenId: string;
  accountId: string;
  passSerial: string;
  activationCode: string;
  activationCodeExpiresAt: string;
}

export interface GrantView {
  id: string;
  programId: string;
  programName: string;
  amountOre: string | null;
  uses: number | null;
  grantedAt: string;
}

export interface Citizen {
  id: string;
  municipalityId: number;
  enrolledAt: string;
  cpr: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
  birthDate: string;
  childrenBirthYears: number[];
  contact: { email?: string; phone?: string };
  householdIncomeOre: string | null;
  account: { accountId: string; status: string };
  currentPass: { serial: string; issuedAt: string } | null;
  grants: GrantView[];
}

export interface ProgramEligibility {
  programId: string;
  programName: string;
  eligible: boolean;
  reasons: string[];
  alreadyGranted: boolean;
}

export interface ReissueResponse {
  passSerial: string;
  activationCode: string;
  activationCodeExpiresAt: string;
}

export interface BulkGrantResponse {
  programId: string;
  granted: number;
  alreadyGranted: number;
  notEligible: number;
  budgetExhausted: boolean;
}

export interface Program {
  id: string;
  municipalityId: number;
  name: string;
  description: string;
  kind: 'credit' | 'uses' | string;
  creditOre: string | null;
  usesPerGrant: number | null;
  maxPerUseOre: string;
  usesPerWindow: number | null;
  windowDays: number | null;
  categories: string[];
  validFrom: string;
  validUntil: string;
  budgetOre: string;
  status: 'draft' | 'published' | 'suspended' | string;
}

export type PeriodStatus = 'open' | 'closed' | 'settling' | 'paid';

export interface Period {
  periodId: number;
  status: PeriodStatus;
  accruedOre: string;
  paidOre: string;
  redemptionCount: number;
  providerCount: number;
  settlementId: string | null;
  settlementStatus: string | null;
  bankStatus: SettlementBankStatus | null;
  closedTxHash: string | null;
}

export interface ClosePeriodResponse {
  status: 'closed' | 'pending';
  periodId: number;
  accruedOre: string | null;
  txHash: string | null;
}

export interface Statement {
  periodId: number;
  providerId: number;
  providerName: string;
  status: 'open' | 'awaiting_settlement' | 'paid';
  redemptionCount: number;
  totalOre: string;
  paidOre: string;
  paidTxHash: string | null;
}

export interface StatementWithLines extends Statement {
  lines: {
    redemptionId: string;
    terminal: string;
    programId: string;
    programName: string;
    amountOre: string;
    txHash: string;
    blockNumber: string;
  }[];
}

export interface ReconciliationReport {
  periodId: number;
  clean: boolean;
  closed: boolean;
  chain: { redemptions: number; totalOre: string; accruedOre: string; paidOre: string };
  database: { redemptions: number; totalOre: string };
  providers: {
    providerId: number;
    chainRedemptions: number;
    chainOre: string;
    databaseRedemptions: number;
    databaseOre: string;
    paidOre: string;
  }[];
  differences: {
    kind: string;
    periodId: number;
    providerId?: number;
    terminal?: string;
    redemptionId?: string;
    database?: string;
    chain?: string;
  }[];
}

/** One officer's passkey signature on a money step (settlement views, funding requests). */
export interface OfficerSignature {
  step: 'close' | 'propose' | 'approve' | 'bank-confirmation' | string;
  username: string;
  /** The name the officer gave the passkey's device when enrolling it. */
  deviceName: string;
  signedAt: string;
}

export type SettlementStatus =
  | 'proposing'
  | 'proposed'
  | 'approving'
  | 'approved'
  | 'executing'
  | 'paid'
  | 'rejected';

/** Where a paid settlement stands at the bank, from imported camt.054/camt.053 notifications. */
export type SettlementBankStatus = 'not_sent' | 'awaiting_bank' | 'paid_in_bank' | 'nothing_to_pay';

export interface Settlement {
  id: string;
  periodId: number;
  status: SettlementStatus;
  totalOre: string;
  paidOre: string;
  providerCount: number;
  paidProviderCount: number;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  executedBy: string | null;
  /** Which officer signed which step with their passkey, and the device's name (newer APIs). */
  signatures?: OfficerSignature[];
  paidAt: string | null;
  chainError: string | null;
  bankStatus: SettlementBankStatus;
  bankPayoutCount: number;
  bankConfirmedCount: number;
  bankPaidAt: string | null;
  payouts: {
    providerId: number;
    providerName: string;
    amountOre: string;
    redemptionCount: number;
    endToEndId: string;
    status: 'pending' | 'paid';
    paidTxHash: string | null;
    bankConfirmedAt: string | null;
    bankImportId: string | null;
  }[];
}

export type BankNotificationOutcome = 'confirmed' | 'differs' | 'unmatched' | 'duplicate' | 'pending';

export interface BankNotificationSummary {
  id: string;
  kind: 'camt.054.001.02' | 'camt.053.001.02';
  messageId: string;
  messageCreatedAt: string;
  importedAt: string;
  importedBy: string;
  counts: Record<BankNotificationOutcome | 'entries' | 'ignoredCredit', number>;
}

export interface BankNotificationEntry {
  position: number;
  endToEndId: string | null;
  amountOre: string;
  creditorIban: string | null;
  bookingDate: string | null;
  bankStatus: string;
  outcome: BankNotificationOutcome;
  settlementId: string | null;
  periodId: number | null;
  providerId: number | null;
  providerName: string | null;
  expectedAmountOre: string | null;
  expectedIban: string | null;
}

export interface BankNotification extends BankNotificationSummary {
  entries: BankNotificationEntry[];
}

export interface ProviderSummary {
  id: number;
  name: string;
  status: string;
}

export interface SpendingTotals {
  key: string;
  redemptions: number;
  amountOre: string;
}

export interface PublicSpending {
  currency: 'DKK';
  municipalityId: number;
  municipalityName: string;
  rows: {
    periodId: number;
    programId: string;
    programName: string;
    municipalityId: number;
    category: string;
    redemptions: number;
    amountOre: string;
  }[];
  byProgram: SpendingTotals[];
  byCategory: SpendingTotals[];
  byPeriod: SpendingTotals[];
  totalOre: string;
}

/** GET /municipality: the officer's own municipality. */
export interface MunicipalityView {
  /** Kommunekode, e.g. 101. */
  id: number;
  name: string;
}

export type DisputeStatus = 'open' | 'refunded' | 'upheld' | 'rejected';
export type DisputeReason = 'not_mine' | 'wrong_amount' | 'not_delivered' | 'other';

/** GET /disputes: a citizen's (or caseworker's) objection to one redemption. */
export interface DisputeView {
  id: string;
  municipalityId: number;
  terminal: string;
  redemptionId: string;
  providerId: number;
  providerName: string;
  programId: string;
  programName: string;
  amountOre: string;
  redeemedAt: string;
  reason: DisputeReason | string;
  raisedBy: 'citizen' | 'caseworker' | string;
  status: DisputeStatus | string;
  /** Given back by the provider so far. */
  refundedOre: string;
  createdAt: string;
  decidedAt: string | null;
}

export type DisputeOutcome = 'upheld' | 'rejected';

export type ReversalKind = 'void' | 'refund';

/** GET /periods/:id/corrections: the voids and refunds that landed in a period. */
export interface PeriodCorrections {
  periodId: number | string;
  reversals: {
    providerId: number;
    providerName: string;
    kind: ReversalKind;
    reason: string;
    amountOre: string;
    /** Taken off the provider's claim in this period. */
    fromClaimOre: string;
    /** Beyond the claim: owed by the provider, set off against later payouts. */
    receivableOre: string;
    creditRestored: boolean;
    originalTerminal?: string;
    originalRedemptionId: string;
    originalPeriodId: number | string | null;
    reversalId?: string;
    confirmedAt: string | null;
  }[];
  totals: { voidedOre: string; refundedOre: string; receivableOre: string };
}

/** GET /providers/receivables: what providers owe the municipality from refunds. */
export interface ProviderReceivables {
  receivables: { providerId: number; providerName: string; owedOre: string }[];
}
