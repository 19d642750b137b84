// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProviderId} from "../types/Ids.sol";
import {Claim, PeriodTotals, Redemption, Reversal, Settlement, SignedRedemption} from "../types/Records.sol";
import {IVoucherHubEvents} from "./IVoucherHubEvents.sol";

/// @title Voucher hub: periods, settlement and corrections
/// @notice The part of the hub that closes periods, settles them with two finance officers and
/// corrects redemptions (void and refund). It runs in the hub's storage: the hub forwards these
/// calls to its {VoucherHubPeriods} extension, so clients call them on the hub's address.
interface IVoucherHubPeriods is IVoucherHubEvents {
    // ------------------------------------------------------------------ periods and settlement
    /// @notice Closes the municipality's open period and opens its next. Finance-officer role
    /// of the municipality, as for every settlement step below.
    function closePeriod(MunicipalityId municipality) external returns (PeriodId closed);

    /// @notice Proposes to pay a closed period; `expectedTotalOre` is what the officer
    /// reconciled and must equal the chain's accruals.
    function proposeSettlement(MunicipalityId municipality, PeriodId period, uint256 expectedTotalOre)
        external;

    /// @notice Withdraws a proposal that is not yet approved, so it can be proposed again.
    function cancelSettlement(MunicipalityId municipality, PeriodId period) external;

    /// @notice Approves a proposal. Must be a different finance officer than the proposer.
    function approveSettlement(MunicipalityId municipality, PeriodId period) external;

    /// @notice Pays each listed provider its accrued amount for an approved period, once. The
    /// claim is cleared (claimOf then reads 0, paid); `ProviderPaid` carries the amount. The
    /// eKrone stays in the hub, in transit, until {confirmBankTransfers}. Anyone may call it:
    /// two officers approved the settlement and nothing leaves the hub.
    function payout(MunicipalityId municipality, PeriodId period, ProviderId[] calldata providers)
        external
        returns (uint256 paidOre);

    // ------------------------------------------------------------------ corrections
    /// @notice Gives back (part of) a redemption the hub took: a void at the counter or a
    /// refund later. `original` is the redemption as its terminal signed it; the reversal is
    /// signed (EIP-712 `Reversal`, bound to the original by its struct hash) by an active
    /// terminal of the same provider, and uses one of that terminal's redemption ids, so it
    /// applies exactly once. Voids and refunds of one redemption never give back more than it
    /// took. A reversal that names a period lands only while that period is open (a void);
    /// one naming period 0 lands in whichever period is open (a refund). Submitted by that
    /// terminal or a relayer.
    function reverse(
        SignedRedemption calldata original,
        Reversal calldata reversal,
        bytes32 sigR,
        bytes32 sigVs
    ) external returns (PeriodId period);

    /// @notice A provider paid back by bank what it owes from refunds: the hub mints the eKrone
    /// for the kroner that came in and the receivable shrinks by the amount. Treasury role.
    function settleReceivable(MunicipalityId municipality, ProviderId provider, uint128 amountOre) external;

    /// @notice Returns what providers paid back of their receivables (set off at payout or
    /// brought in) to the municipality's own account: the eKrone is burned. Treasury role.
    function reclaimRecovered(MunicipalityId municipality) external returns (uint256 amountOre);

    // ------------------------------------------------------------------ views
    function claimOf(MunicipalityId municipality, PeriodId period, ProviderId provider)
        external
        view
        returns (Claim memory);
    function periodTotals(MunicipalityId municipality, PeriodId period)
        external
        view
        returns (PeriodTotals memory);
    function settlementOf(MunicipalityId municipality, PeriodId period)
        external
        view
        returns (Settlement memory);
    /// @notice What a provider owes the municipality from refunds larger than its open claim;
    /// set off against its next payouts.
    function receivableOf(MunicipalityId municipality, ProviderId provider) external view returns (uint256);
    /// @notice Øre given back so far (voided or refunded) of a terminal's redemption.
    function reversedOf(address terminal, uint256 redemptionId) external view returns (uint256);
    function reversalDigest(Redemption calldata original, Reversal calldata reversal)
        external
        view
        returns (bytes32);
}
