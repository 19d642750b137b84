// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PeriodId, ProgramId, ProviderId} from "./Ids.sol";

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
    uint32 municipality;
    ProgramKind kind;
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

/// @dev Everything `redeem` needs about a program, packed into one storage slot (248 bits).
struct ProgramRules {
    uint32 categories;
    uint40 validFrom;
    uint40 validUntil;
    uint64 maxPerUseOre;
    uint16 usesPerWindow;
    uint32 windowSeconds;
    ProgramKind kind;
    bool restrictedToProviders;
    bool suspended;
}

/// @dev Escrow held for a program and how much of it is promised to outstanding grants.
/// free budget = escrowOre - committedOre. Redeemed amounts leave the program's escrow and
/// wait in the hub as accrued claims until their period is paid.
struct ProgramFunds {
    uint128 escrowOre;
    uint128 committedOre;
}

/// @dev One account's grant in one program (one slot).
struct Grant {
    /// @dev Øre left (Credit) or uses left (Uses).
    uint64 remaining;
    /// @dev The usage window the counter below belongs to.
    uint32 windowIndex;
    uint16 usedInWindow;
    bool exists;
}

struct Provider {
    address payout;
    uint32 categories;
    bool active;
}

struct Terminal {
    ProviderId provider;
    bool active;
}

/// @notice What a terminal signs (EIP-712) to redeem a voucher at its provider.
struct Redemption {
    /// @dev Chosen by the terminal; unique per terminal. Ids that share their top 248 bits
    /// share one storage word, so a terminal that counts up pays for a new word only once
    /// every 256 redemptions.
    uint256 id;
    bytes32 account;
    ProgramId program;
    ProviderId provider;
    uint64 amountOre;
    uint40 deadline;
}

/// @dev The open period, packed with what every redemption touches (one slot).
struct Clock {
    PeriodId openPeriod;
    uint40 openedAt;
    bool paused;
    uint128 openAccruedOre;
}

struct PeriodTotals {
    uint128 accruedOre;
    uint128 paidOre;
}

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
