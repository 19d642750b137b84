// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "./Ids.sol";

/// @notice Credit: the grant is an amount in øre. Uses: the grant is a number of uses, each
/// worth at most `maxPerUseOre`.
enum ProgramKind {
    Credit,
    Uses
}

enum AccountStatus {
    None,
    Active,
    Suspended,
    Closed
}

enum SettlementStatus {
    None,
    Proposed,
    Approved,
    Paid
}

/// @notice The rules of a program as given at creation. Every amount is in øre.
struct ProgramConfig {
    /// @dev The municipality that runs the program: its roles manage it, its escrow holds
    /// the budget, its periods collect the claims.
    MunicipalityId municipality;
    ProgramKind kind;
    /// @dev At most type(uint56).max (about 720 billion kroner), the width it is stored in.
    uint64 maxPerUseOre;
    /// @dev Uses allowed in one usage window; 0 means no limit per window.
    uint16 usesPerWindow;
    /// @dev Length of a usage window. Windows are counted from `validFrom`, so with 30 days
    /// the first window is days 0-29 of the program, the second days 30-59, and so on.
    uint32 windowSeconds;
    /// @dev Provider categories accepted, one bit per category.
    uint32 categories;
    /// @dev When true, only providers on the program's allow-list may redeem.
    bool restrictedToProviders;
    uint40 validFrom;
    uint40 validUntil;
}

/// @dev Everything `redeem` needs about a program, packed into one storage slot (256 bits).
struct ProgramRules {
    uint32 categories;
    uint40 validFrom;
    uint40 validUntil;
    uint56 maxPerUseOre;
    uint16 usesPerWindow;
    uint32 windowSeconds;
    ProgramKind kind;
    bool restrictedToProviders;
    bool suspended;
    MunicipalityId municipality;
}

/// @dev A program's budget that is not promised to any grant, and everything ever funded.
/// The escrow the hub holds for a program is `freeOre` plus what its grants still hold (their
/// remaining credit, or remaining uses at the cap, plus their slack). Redemption moves money
/// from a grant to a provider's claim without touching this slot, so it is not written per
/// redemption; at the end the treasury reclaims the free budget and, grant by grant, the rest.
struct ProgramFunds {
    uint128 freeOre;
    uint128 fundedOre;
}

/// @dev One account's grant in one program (one slot, written by every redemption).
struct Grant {
    /// @dev Øre left (Credit) or uses left (Uses).
    uint64 remaining;
    /// @dev The usage window the counter below belongs to.
    uint32 windowIndex;
    uint16 usedInWindow;
    bool exists;
    /// @dev Uses programs: each use reserves the per-use cap; what a use cost less than the cap
    /// stays escrowed here until the grant is revoked, its slack released, or the program
    /// reclaimed. Always 0 for Credit programs.
    uint128 slackOre;
}

/// @notice A provider's global record: where it is paid, and its home, the municipality that
/// registered it and manages its payout address and terminals.
struct Provider {
    address payout;
    MunicipalityId home;
}

/// @notice A municipality's admission of a provider: the categories it may take vouchers for
/// in that municipality's programs, and whether it may now. One slot, read by every redemption.
struct Admission {
    uint32 categories;
    bool active;
}

/// @dev An account as stored (one slot): its state and the municipality that enrolled it.
struct AccountRecord {
    AccountStatus status;
    MunicipalityId municipality;
}

/// @notice A municipality on the hub. `escrowOre` is all the eKrone the hub holds for it: its
/// programs' free budgets, what its grants hold, and its providers' unpaid claims.
struct Municipality {
    bool exists;
    /// @dev Where reclaimed escrow goes when a program of the municipality has ended.
    address reclaimTo;
    /// @dev What providers paid back of their receivables (set off at payout or brought in),
    /// held until the treasury reclaims it: the programs advanced that money when the refunds
    /// gave the citizens their credit back.
    uint88 recoveredOre;
    /// @dev The escrow holds the free budgets, plus what grants hold, plus unpaid claims,
    /// plus what was recovered and not yet reclaimed.
    uint128 escrowOre;
    /// @dev What its providers owe it from refunds, in total (see `receivableOf`).
    uint128 receivableOre;
}

struct Terminal {
    ProviderId provider;
    bool active;
}

/// @dev A terminal as stored (one slot): its provider and state, and which ids of its most
/// recent block of 128 redemption ids are used. A terminal counts its ids up, so nearly every
/// redemption marks its id here, in the slot it reads anyway, instead of in a separate word;
/// ids of older blocks are kept in a bitmap beside it.
struct TerminalRecord {
    ProviderId provider;
    bool active;
    uint64 recentBlock;
    uint128 recentIds;
}

/// @notice What a terminal signs (EIP-712) to redeem a voucher at its provider.
struct Redemption {
    /// @dev Chosen by the terminal; unique per terminal. A terminal that counts up marks its
    /// ids in its own storage slot, and writes a fresh word only once every 128 redemptions.
    uint256 id;
    bytes32 account;
    ProgramId program;
    ProviderId provider;
    uint64 amountOre;
    uint40 deadline;
}

/// @notice What a provider's terminal signs (EIP-712) to give back (part of) a redemption. The
/// signed struct also holds the original `Redemption`, so the signature names exactly one.
struct Reversal {
    /// @dev A fresh id of the signing terminal (the same id space as its redemptions).
    uint256 id;
    /// @dev At most what the redemption took, less what was given back before.
    uint64 amountOre;
    /// @dev A void names the period the redemption was in, and lands only while it is open;
    /// 0 (a refund) lands in whichever period is open.
    PeriodId period;
    uint40 deadline;
}

/// @dev One redemption of a batch with its terminal's EIP-2098 compact signature (r, vs).
struct SignedRedemption {
    Redemption redemption;
    bytes32 sigR;
    bytes32 sigVs;
}

/// @dev A municipality's open period, packed with what every redemption touches (one slot).
struct Clock {
    PeriodId openPeriod;
    uint40 openedAt;
    bool paused;
    uint128 openAccruedOre;
}

struct PeriodTotals {
    uint128 accruedOre;
    /// @dev Settled so far: paid in eKrone, or kept to pay off a provider's receivable.
    uint128 paidOre;
}

/// @notice What a provider is owed for a period. Paying clears the stored amount (the
/// `ProviderPaid` event keeps it), so after payment `accruedOre` reads 0 and `paid` true.
struct Claim {
    uint128 accruedOre;
    bool paid;
}

struct Settlement {
    address proposer;
    uint40 proposedAt;
    SettlementStatus status;
    address approver;
    uint40 approvedAt;
}

/// @notice An officer's passkey: a P-256 public key. On chain it acts as the account
/// `address(uint160(uint256(keccak256(abi.encode(qx, qy)))))`, which a municipal admin gives
/// roles like any other account.
struct Passkey {
    bytes32 qx;
    bytes32 qy;
}

/// @notice An officer's authorisation made on their own device: a WebAuthn assertion over the
/// EIP-712 digest of an {OfficerAction} (see {IVoucherHubOfficers}). The service relays it and
/// cannot produce it.
struct OfficerSignature {
    /// @dev The passkey account that signed (see {Passkey}).
    address signer;
    uint40 deadline;
    /// @dev OpenZeppelin's WebAuthn.WebAuthnAuth fields as one flat ABI tuple (no leading offset
    /// word): abi.encode(r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON).
    bytes auth;
}

/// @notice What a provider's home registrar announced for it (see {IVoucherHubProviders}).
enum ProviderChange {
    None,
    Terminal,
    Payout,
    AdminKey
}

/// @notice A registrar's change to a provider with an admin key, waiting for its notice to
/// pass (one slot). `subject` is the terminal, the payout address or the new admin key's
/// account.
struct Announcement {
    ProviderId provider;
    ProviderChange change;
    uint40 effectiveAt;
    address subject;
}

/// @notice A funding of a program: minted only with the approval of the officers its size
/// needs, once per idempotency key.
struct Funding {
    ProgramId program;
    uint128 amountOre;
    address proposer;
    bool executed;
}

/// @notice A municipality's eKrone in and out: minted against kroner paid into the scheme's
/// bank account, burned when the bank confirms kroner paid out. What the hub holds for it is
/// exactly `mintedOre - burnedOre`: the hub is the only holder of eKrone.
struct Ledger {
    uint128 mintedOre;
    uint128 burnedOre;
    /// @dev Paid to providers on chain, waiting for the bank to confirm the transfer.
    uint128 inTransitOre;
    /// @dev A funding up to this amount needs one treasury officer; above it, two.
    uint128 singleOfficerFundingLimitOre;
}
