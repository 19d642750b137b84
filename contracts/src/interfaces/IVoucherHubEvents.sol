// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../types/Ids.sol";
import {
    AccountStatus,
    Admission,
    Claim,
    Grant,
    PeriodTotals,
    ProgramConfig,
    ProgramFunds,
    ProgramRules,
    Provider,
    ProviderChange,
    Redemption,
    Settlement,
    SignedRedemption,
    Terminal
} from "../types/Records.sol";
import {IMunicipalAccess} from "./IMunicipalAccess.sol";

/// @title Voucher hub: errors and events
/// @notice Everything the hub and its periods extension revert with and emit, in one place, so
/// both share them and a client decodes them from one ABI. See {IVoucherHub}.
interface IVoucherHubEvents is IMunicipalAccess {
    // ------------------------------------------------------------------ errors: programs
    error ProgramAlreadyExists(ProgramId program);
    error ProgramUnknown(ProgramId program);
    error ProgramConfigInvalid(ProgramId program);
    error ProgramSuspended(ProgramId program);
    error ProgramNotStarted(ProgramId program, uint40 validFrom);
    error ProgramEnded(ProgramId program, uint40 validUntil);
    error ProgramStillRunning(ProgramId program, uint40 validUntil);
    error ProgramBudgetExceeded(ProgramId program, uint256 neededOre, uint256 freeOre);
    error ProgramCategoryNotAllowed(ProgramId program, ProviderId provider);
    error ProgramProviderNotAllowed(ProgramId program, ProviderId provider);
    /// @dev A partner must be another existing municipality than the program's own.
    error ProgramPartnerInvalid(ProgramId program, MunicipalityId partner);
    error ProgramPartnersFull(ProgramId program);

    // ------------------------------------------------------------------ errors: accounts and grants
    error AccountAlreadyRegistered(bytes32 account);
    error AccountUnknown(bytes32 account);
    error AccountNotActive(bytes32 account, AccountStatus status);
    error AccountClosed(bytes32 account);
    error AccountMunicipalityMismatch(
        bytes32 account, MunicipalityId accountMunicipality, MunicipalityId programMunicipality
    );
    error GrantAlreadyExists(bytes32 account, ProgramId program);
    error GrantUnknown(bytes32 account, ProgramId program);
    error GrantAmountZero();

    // ------------------------------------------------------------------ errors: providers and terminals
    error ProviderAlreadyRegistered(ProviderId provider);
    error ProviderUnknown(ProviderId provider);
    /// @dev Neither the program's municipality nor one of its partners admits the provider
    /// and has it active.
    error ProviderNotActive(ProviderId provider);
    error ProviderIdInvalid();
    error ProviderPayoutInvalid(address payout);
    error TerminalAlreadyRegistered(address terminal);
    error TerminalNotRegistered(address terminal);
    error TerminalProviderMismatch(address terminal, ProviderId expected, ProviderId actual);

    // ------------------------------------------------------------------ errors: redemption
    error MunicipalityPaused(MunicipalityId municipality);
    error RedemptionExpired(uint256 id, uint40 deadline);
    error RedemptionAlreadyUsed(address terminal, uint256 id);
    error RedemptionAmountZero();
    error RedemptionSubmitterNotAllowed(address submitter);
    error RedemptionBatchOutOfGas(uint256 index);
    error VoucherAmountOverCap(ProgramId program, uint64 amountOre, uint64 maxPerUseOre);
    error VoucherCreditInsufficient(
        bytes32 account, ProgramId program, uint64 amountOre, uint64 remainingOre
    );
    error VoucherUsesExhausted(bytes32 account, ProgramId program);
    error VoucherWindowLimitReached(bytes32 account, ProgramId program, uint40 nextWindowStart);

    // ------------------------------------------------------------------ errors: periods and settlement
    error PeriodNotClosed(MunicipalityId municipality, PeriodId period);
    error SettlementNotProposable(MunicipalityId municipality, PeriodId period, uint8 status);
    error SettlementTotalMismatch(
        MunicipalityId municipality, PeriodId period, uint256 expectedOre, uint256 accruedOre
    );
    error SettlementNotProposed(MunicipalityId municipality, PeriodId period);
    error SettlementSelfApproval(MunicipalityId municipality, PeriodId period, address officer);
    error SettlementNotApproved(MunicipalityId municipality, PeriodId period);
    error SettlementAlreadyPaid(MunicipalityId municipality, PeriodId period, ProviderId provider);
    error SettlementNothingAccrued(MunicipalityId municipality, PeriodId period, ProviderId provider);

    // ------------------------------------------------------------------ errors: corrections
    error ReversalExpired(uint256 id, uint40 deadline);
    error ReversalAmountZero();
    /// @dev The original redemption was never taken by the hub (its terminal has not used the id).
    error RedemptionUnknown(address terminal, uint256 id);
    /// @dev Voids and refunds of one redemption may together give back at most what it took.
    error ReversalExceedsRedemption(address terminal, uint256 id, uint64 redeemedOre, uint256 reversedOre);
    /// @dev A void names the period it must land in; that period has been closed since.
    error ReversalPeriodClosed(MunicipalityId municipality, PeriodId period, PeriodId openPeriod);
    error ReceivableExceeded(MunicipalityId municipality, ProviderId provider, uint256 receivableOre);
    /// @dev A refund beyond the provider's open claim is advanced from the program's free
    /// budget (the provider then owes it); the budget does not hold that much.
    error ReversalNotCovered(ProgramId program, uint256 advanceOre, uint256 freeOre);
    /// @dev A terminal signed a deadline further ahead than the hub accepts.
    error RedemptionDeadlineTooFar(uint256 id, uint40 deadline);
    /// @dev Called on the extension itself instead of through the hub.
    error NotThroughHub();

    // ------------------------------------------------------------------ errors: officers' signatures
    /// @dev Not a point on P-256.
    error PasskeyInvalid();
    error PasskeyUnknown(address account);
    /// @dev The WebAuthn assertion does not verify against the signer's passkey for this action.
    error OfficerSignatureInvalid(address signer);
    error OfficerSignatureExpired(address signer, uint40 deadline);
    /// @dev Each signature authorises one call (per signer).
    error OfficerSignatureUsed(bytes32 digest);
    /// @dev A receivable settlement's request key was used before in the municipality.
    error ReceivableRequestUsed(MunicipalityId municipality, bytes32 requestKey);
    /// @dev A period-closing signature names the period it closes; that is no longer the open one.
    error PeriodNotOpen(MunicipalityId municipality, PeriodId period, PeriodId openPeriod);

    // ------------------------------------------------------------------ errors: providers' consent
    /// @dev The provider has no admin key to sign with (its registrar manages it alone).
    error ProviderAdminUnknown(ProviderId provider);
    /// @dev Only the provider's current admin key signs for it.
    error ProviderSignerNotAdmin(ProviderId provider, address signer);
    error ProviderSignatureExpired(address signer, uint40 deadline);
    /// @dev Each of a provider admin's signatures authorises one call.
    error ProviderSignatureUsed(bytes32 digest);
    /// @dev The WebAuthn assertion does not verify against the admin key for this action.
    error ProviderSignatureInvalid(address signer);
    /// @dev No such change is pending (never announced, cancelled or already activated).
    error AnnouncementUnknown(bytes32 announcement);
    /// @dev The same change is announced already.
    error AnnouncementPending(bytes32 announcement);
    error AnnouncementNotDue(bytes32 announcement, uint40 effectiveAt);

    // ------------------------------------------------------------------ errors: funding and the bank
    error FundingAmountZero();
    /// @dev The idempotency key was used for another program or amount.
    error FundingKeyConflict(MunicipalityId municipality, bytes32 fundingKey);
    /// @dev A funding above the single-officer limit needs a second, different officer.
    error FundingSelfApproval(MunicipalityId municipality, bytes32 fundingKey, address officer);
    /// @dev Nothing paid on chain waits for the bank for this provider and period.
    error BankTransferUnknown(MunicipalityId municipality, PeriodId period, ProviderId provider);
    /// @dev The officer confirmed a different total than the listed payouts add up to.
    error BankTransferTotalMismatch(
        MunicipalityId municipality, PeriodId period, uint256 signedOre, uint256 inTransitOre
    );

    // ------------------------------------------------------------------ events
    event ProgramCreated(
        ProgramId indexed program, MunicipalityId indexed municipality, ProgramConfig config
    );
    event ProgramSuspensionSet(ProgramId indexed program, bool suspended);
    event ProgramProviderSet(ProgramId indexed program, ProviderId indexed provider, bool allowed);
    event ProgramPartnerSet(ProgramId indexed program, MunicipalityId indexed partner, bool accepted);
    /// @dev `freeOre` is the program's free budget after the funding.
    event ProgramFunded(ProgramId indexed program, uint256 amountOre, uint256 freeOre);
    event ProgramReclaimed(ProgramId indexed program, address indexed to, uint256 amountOre);

    event AccountRegistered(MunicipalityId indexed municipality, bytes32 indexed account);
    event AccountStatusSet(bytes32 indexed account, AccountStatus status);

    /// @dev `amount` is øre (Credit) or uses (Uses); `remaining` likewise after the change.
    event Granted(bytes32 indexed account, ProgramId indexed program, uint64 amount, uint64 remaining);
    event ToppedUp(bytes32 indexed account, ProgramId indexed program, uint64 amount, uint64 remaining);
    event GrantRevoked(bytes32 indexed account, ProgramId indexed program, uint64 returned);
    /// @dev A grant's slack (what uses cost below the cap) went back to the free budget.
    event SlackReleased(bytes32 indexed account, ProgramId indexed program, uint256 amountOre);
    /// @dev At reclaim after the program's end, the escrow a grant still held went back.
    event GrantExpired(bytes32 indexed account, ProgramId indexed program, uint256 amountOre);

    /// @dev `municipality` is the provider's home. Registration also admits it there
    /// ({ProviderAdmitted} follows).
    event ProviderRegistered(
        MunicipalityId indexed municipality, ProviderId indexed provider, address payout, uint32 categories
    );
    event ProviderAdmitted(
        MunicipalityId indexed municipality, ProviderId indexed provider, uint32 categories, bool active
    );
    event ProviderPayoutUpdated(ProviderId indexed provider, address payout);
    event TerminalAdded(ProviderId indexed provider, address indexed terminal);
    event TerminalRevoked(ProviderId indexed provider, address indexed terminal);
    /// @notice The provider's admin passkey is now `admin` (the key's account).
    event ProviderAdminKeySet(ProviderId indexed provider, address indexed admin);
    /// @notice The home registrar changed something of a provider with an admin key: it takes
    /// effect at `effectiveAt` (once activated) unless the provider objects first. The service
    /// tells the provider. `subject` is the terminal, payout address or new admin key's account.
    event ProviderChangeAnnounced(
        ProviderId indexed provider,
        bytes32 indexed announcement,
        ProviderChange change,
        address subject,
        uint40 effectiveAt
    );
    /// @notice The provider's admin key objected: the announced change is dropped.
    event ProviderChangeCancelled(ProviderId indexed provider, bytes32 indexed announcement, address admin);
    /// @notice An announced change took effect (its own event follows).
    event ProviderChangeActivated(ProviderId indexed provider, bytes32 indexed announcement);
    /// @notice The provider's admin key authorised `action`; `digest` is what it signed.
    event ProviderAdminSigned(
        ProviderId indexed provider, address indexed admin, bytes32 indexed action, bytes32 digest
    );

    event Redeemed(
        ProviderId indexed provider,
        ProgramId indexed program,
        bytes32 account,
        uint256 redemptionId,
        address terminal,
        uint64 amountOre,
        PeriodId period
    );

    /// @dev A redemption of a batch the hub refused; `reason` is the error `redeem` reverts with.
    /// The batch's other redemptions stand.
    event RedemptionRefused(uint256 indexed index, bytes reason);

    event PeriodClosed(MunicipalityId indexed municipality, PeriodId indexed period, uint256 accruedOre);
    event PeriodOpened(MunicipalityId indexed municipality, PeriodId indexed period);
    event SettlementProposed(
        MunicipalityId indexed municipality,
        PeriodId indexed period,
        address indexed proposer,
        uint256 totalOre
    );
    event SettlementCancelled(
        MunicipalityId indexed municipality, PeriodId indexed period, address indexed by
    );
    event SettlementApproved(
        MunicipalityId indexed municipality, PeriodId indexed period, address indexed approver
    );
    event ProviderPaid(
        MunicipalityId indexed municipality,
        PeriodId indexed period,
        ProviderId indexed provider,
        address to,
        uint256 amountOre
    );
    event PeriodSettled(MunicipalityId indexed municipality, PeriodId indexed period, uint256 paidOre);
    event PausedSet(MunicipalityId indexed municipality, bool paused);

    /// @notice A provider gave back (part of) a redemption: voided at the counter or refunded
    /// later. It lands in the municipality's open `period`: the provider's claim there shrinks
    /// by `fromClaimOre` and the rest becomes a receivable (`receivableOre`) set off against
    /// its next payouts. The citizen's grant got the amount (or the use) back when
    /// `creditRestored`; otherwise it went back to the program's free budget.
    event RedemptionReversed(
        MunicipalityId indexed municipality,
        ProviderId indexed provider,
        ProgramId indexed program,
        bytes32 account,
        address terminal,
        uint256 redemptionId,
        uint256 reversalId,
        uint64 amountOre,
        PeriodId period,
        uint256 fromClaimOre,
        bool creditRestored
    );
    /// @notice Part of a payout was kept to pay off what the provider owed from refunds.
    event ReceivableOffset(
        MunicipalityId indexed municipality,
        PeriodId indexed period,
        ProviderId indexed provider,
        uint256 amountOre
    );
    /// @notice The treasury brought in eKrone for a provider's receivable (the provider paid it
    /// back by bank).
    event ReceivableSettled(
        MunicipalityId indexed municipality, ProviderId indexed provider, uint256 amountOre
    );
    /// @notice The treasury took what providers paid back of their receivables.
    event RecoveredReclaimed(MunicipalityId indexed municipality, address indexed to, uint256 amountOre);

    /// @notice A passkey was published; `account` is the address it acts as.
    event PasskeyRegistered(address indexed account, bytes32 qx, bytes32 qy);
    /// @notice An officer's passkey authorised `action` (see {IVoucherHubPeriods}); `digest` is
    /// what it signed.
    event OfficerSigned(
        MunicipalityId indexed municipality, address indexed officer, bytes32 indexed action, bytes32 digest
    );
    event FundingProposed(
        MunicipalityId indexed municipality,
        bytes32 indexed fundingKey,
        ProgramId indexed program,
        uint256 amountOre,
        address proposer
    );
    /// @notice The funding was minted into the program; `approver` is the officer whose
    /// signature completed it (the proposer when one officer suffices).
    event FundingExecuted(
        MunicipalityId indexed municipality,
        bytes32 indexed fundingKey,
        ProgramId indexed program,
        uint256 amountOre,
        address approver
    );
    event FundingLimitSet(MunicipalityId indexed municipality, uint256 singleOfficerLimitOre);
    /// @notice The bank confirmed paying the provider's payout for the period; its eKrone burned.
    event BankTransferConfirmed(
        MunicipalityId indexed municipality,
        PeriodId indexed period,
        ProviderId indexed provider,
        uint256 amountOre,
        address officer
    );
}
