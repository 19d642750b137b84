// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {HubState} from "./HubState.sol";
import {MunicipalAccess} from "./MunicipalAccess.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
import {IVoucherHubPeriods} from "./interfaces/IVoucherHubPeriods.sol";
import {IdBitmap} from "./libraries/IdBitmap.sol";
import {UsageWindow} from "./libraries/UsageWindow.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "./types/Ids.sol";
import {
    AccountStatus,
    Claim,
    Clock,
    Grant,
    PeriodTotals,
    ProgramFunds,
    ProgramKind,
    ProgramRules,
    Redemption,
    Reversal,
    Settlement,
    SettlementStatus,
    SignedRedemption
} from "./types/Records.sol";

/// @title Voucher hub: periods, settlement and corrections
/// @notice Runs only in the hub's storage, by delegatecall from {VoucherHub}'s fallback; a call
/// straight to this contract is refused. See {IVoucherHubPeriods}.
contract VoucherHubPeriods is IVoucherHubPeriods, HubState {
    using IdBitmap for mapping(uint256 => uint256);

    bytes32 public constant REVERSAL_TYPEHASH = keccak256(
        "Reversal(uint256 id,Redemption redemption,uint64 amountOre,uint32 period,uint40 deadline)"
        "Redemption(uint256 id,bytes32 account,uint64 program,uint32 provider,uint64 amountOre,uint40 deadline)"
    );

    /// @dev The {VoucherHubOfficers} deployed with the same eKrone; fixed for the hub's life.
    address private immutable _officers;

    /// @dev Deployed with the hub's eKrone (read through an immutable); its own storage and
    /// roles are never used.
    constructor(IEKrone ekrone_, address admin, address officers)
        MunicipalAccess(0, admin)
        ProviderRegistry(ekrone_)
    {
        _officers = officers;
    }

    /// @dev Every call this extension does not implement runs the officers' extension's code,
    /// still in the hub's storage with the hub's caller. Called on this extension itself it is
    /// refused, as the officers' own guard could not tell (it would see this address).
    fallback() external throughHub {
        _forwardTo(_officers);
    }

    // =================================================================== periods and settlement

    function closePeriod(MunicipalityId municipality)
        external
        throughHub
        onlyMunicipalRole(municipality, FINANCE_OFFICER_ROLE)
        returns (PeriodId closed)
    {
        return _closePeriod(municipality);
    }

    function proposeSettlement(MunicipalityId municipality, PeriodId period, uint256 expectedTotalOre)
        external
        throughHub
        onlyMunicipalRole(municipality, FINANCE_OFFICER_ROLE)
    {
        _propose(municipality, period, expectedTotalOre, msg.sender);
    }

    function cancelSettlement(MunicipalityId municipality, PeriodId period) external throughHub {
        _checkMunicipalRole(municipality, FINANCE_OFFICER_ROLE);
        (, uint256 key) = _proposedSettlement(municipality, period);
        delete _settlements[key];
        emit SettlementCancelled(municipality, period, msg.sender);
    }

    function approveSettlement(MunicipalityId municipality, PeriodId period) external throughHub {
        _checkMunicipalRole(municipality, FINANCE_OFFICER_ROLE);
        _approve(municipality, period, msg.sender);
    }

    function payout(MunicipalityId municipality, PeriodId period, ProviderId[] calldata providers)
        external
        throughHub
        returns (uint256 paidOre)
    {
        if (_clocks[municipality].paused) revert MunicipalityPaused(municipality);
        uint256 key = _periodKey(municipality, period);
        Settlement storage s = _settlements[key];
        if (s.status != SettlementStatus.Approved) revert SettlementNotApproved(municipality, period);

        // A provider that owes from refunds is paid its claim less what it owes. The eKrone
        // stays in the hub, marked in transit, until the bank confirms the transfer
        // ({confirmBankTransfers} burns it): nothing leaves the hub here, so anyone may carry
        // out a settlement two officers approved.
        mapping(uint256 => uint256) storage paid = _paidProviders[key];
        // Receivables are looked up only while the municipality has any (one read per call).
        bool offsetting = _hasReceivables(municipality);
        uint256 offsetOre;
        for (uint256 i; i < providers.length; ++i) {
            ProviderId provider = providers[i];
            uint256 amountOre = _clearClaim(municipality, period, paid, provider);
            if (offsetting) {
                uint256 kept = _offsetReceivable(municipality, period, provider, amountOre);
                offsetOre += kept;
                amountOre -= kept;
            }
            emit ProviderPaid(municipality, period, provider, _payoutOf(provider), amountOre);
            paidOre += amountOre;
            if (amountOre != 0) _inTransit[_claimKey(municipality, period, provider)] = amountOre;
        }
        if (offsetOre != 0) {
            _reduceReceivable(municipality, offsetOre);
            _addRecovered(municipality, offsetOre);
        }
        PeriodTotals storage totals = _periods[key];
        // Safe cast: every claim settled here is part of the period's 128-bit accrued total.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint128 paidTotal = totals.paidOre + uint128(paidOre + offsetOre);
        totals.paidOre = paidTotal;
        // Safe cast: part of the same 128-bit total.
        // forge-lint: disable-next-line(unsafe-typecast)
        _ledgers[municipality].inTransitOre += uint128(paidOre);
        if (paidTotal == totals.accruedOre) {
            s.status = SettlementStatus.Paid;
            emit PeriodSettled(municipality, period, paidTotal);
        }
    }

    function settleReceivable(MunicipalityId municipality, ProviderId provider, uint128 amountOre)
        external
        throughHub
        onlyMunicipalRole(municipality, TREASURY_ROLE)
    {
        _settleReceivable(municipality, provider, amountOre);
    }

    function reclaimRecovered(MunicipalityId municipality)
        external
        throughHub
        onlyMunicipalRole(municipality, TREASURY_ROLE)
        returns (uint256 amountOre)
    {
        amountOre = _takeRecovered(municipality);
        // Back to the municipality's own account in the bank, out of the scheme.
        emit RecoveredReclaimed(municipality, address(0), amountOre);
        _burnEscrow(municipality, amountOre);
    }

    // =================================================================== corrections

    function reverse(
        SignedRedemption calldata original,
        Reversal calldata reversal,
        bytes32 sigR,
        bytes32 sigVs
    ) external throughHub returns (PeriodId period) {
        Redemption calldata r = original.redemption;
        ProgramRules storage rules = _existingRules(r.program);
        MunicipalityId municipality = rules.municipality;
        Clock memory clock = _clocks[municipality];
        if (clock.paused) revert MunicipalityPaused(municipality);
        if (block.timestamp > reversal.deadline) revert ReversalExpired(reversal.id, reversal.deadline);
        if (reversal.amountOre == 0) revert ReversalAmountZero();
        period = clock.openPeriod;
        if (PeriodId.unwrap(reversal.period) != 0 && !(reversal.period == period)) {
            revert ReversalPeriodClosed(municipality, reversal.period, period);
        }

        (address terminal, bool whole) = _authenticateReversal(original, reversal, sigR, sigVs);
        uint256 fromClaimOre = _takeFromClaim(municipality, period, r.provider, reversal.amountOre);
        // Safe cast: the part taken from a claim is part of the open period's 128-bit total.
        // forge-lint: disable-next-line(unsafe-typecast)
        _setOpenAccrued(municipality, uint128(clock.openAccruedOre - fromClaimOre));
        bool restored = _giveBack(rules, r, reversal.amountOre, whole);
        _advanceFromBudget(r.program, reversal.amountOre - fromClaimOre);
        emit RedemptionReversed(
            municipality,
            r.provider,
            r.program,
            r.account,
            terminal,
            r.id,
            reversal.id,
            reversal.amountOre,
            period,
            fromClaimOre,
            restored
        );
    }

    /// @dev Checks that the hub took the original (its terminal used the id), that the reversal
    /// is signed by an active terminal of the same provider (whose id it uses up, so it applies
    /// once), and that all reversals of the redemption stay within what it took. Returns the
    /// original's terminal and whether this reversal gives back the whole redemption.
    function _authenticateReversal(
        SignedRedemption calldata original,
        Reversal calldata reversal,
        bytes32 sigR,
        bytes32 sigVs
    ) private returns (address terminal, bool whole) {
        Redemption calldata r = original.redemption;
        bytes32 redemptionHash = _hashRedemption(r);
        terminal = ECDSA.recover(_hashTypedData(redemptionHash), original.sigR, original.sigVs);
        if (!_isRedemptionUsed(terminal, r.id)) revert RedemptionUnknown(terminal, r.id);

        address signer = ECDSA.recover(_hashTypedData(_hashReversal(redemptionHash, reversal)), sigR, sigVs);
        if (msg.sender != signer && !hasRole(RELAYER_ROLE, msg.sender)) {
            revert RedemptionSubmitterNotAllowed(msg.sender);
        }
        _useTerminal(signer, r.provider, reversal.id);

        bytes32 key = _redemptionKey(terminal, r.id);
        uint256 before = _reversedOre[key];
        uint256 total = before + reversal.amountOre;
        if (total > r.amountOre) revert ReversalExceedsRedemption(terminal, r.id, r.amountOre, before);
        _reversedOre[key] = total;
        whole = before == 0 && total == r.amountOre;
    }

    /// @dev Shrinks the provider's claim in the open period by up to `amountOre`; what the claim
    /// does not cover becomes a receivable. Returns the part taken from the claim.
    function _takeFromClaim(
        MunicipalityId municipality,
        PeriodId period,
        ProviderId provider,
        uint64 amountOre
    ) private returns (uint256 fromClaimOre) {
        uint256 claimKey = _claimKey(municipality, period, provider);
        uint256 claim = _claims[claimKey];
        fromClaimOre = claim < amountOre ? claim : amountOre;
        _claims[claimKey] = claim - fromClaimOre;
        uint256 owed = amountOre - fromClaimOre;
        if (owed != 0) {
            _receivables[_receivableKey(municipality, provider)] += owed;
            _addReceivable(municipality, owed);
        }
    }

    /// @dev What a refund gives back beyond the provider's open claim was paid out already, so
    /// the program's free budget advances it (the provider owes it back as a receivable, and
    /// what it pays back is recovered for the treasury). Without the advance the hub would
    /// promise the citizen eKrone it no longer holds.
    function _advanceFromBudget(ProgramId program, uint256 advanceOre) private {
        if (advanceOre == 0) return;
        ProgramFunds storage funds = _funds[program];
        uint256 free = funds.freeOre;
        if (advanceOre > free) revert ReversalNotCovered(program, advanceOre, free);
        // Safe: advanceOre <= free, a 128-bit value.
        // forge-lint: disable-next-line(unsafe-typecast)
        funds.freeOre = uint128(free - advanceOre);
    }

    function _setOpenAccrued(MunicipalityId municipality, uint128 accruedOre) private {
        _clocks[municipality].openAccruedOre = accruedOre;
    }

    /// @dev Gives the amount back to the citizen's grant while the program runs and the account
    /// is active: credit, or for a whole reversal of a use the use itself (when its unused part
    /// is still held as slack); a whole reversal also gives back the use counted in the current
    /// usage window. Otherwise the amount goes to the grant's slack (a partial refund of a use)
    /// or back to the program's free budget. Returns whether the citizen got it back.
    function _giveBack(ProgramRules storage rules, Redemption calldata r, uint64 amountOre, bool whole)
        private
        returns (bool restored)
    {
        if (block.timestamp >= rules.validUntil || _accounts[r.account].status != AccountStatus.Active) {
            _release(r.program, amountOre);
            return false;
        }
        Grant storage g = _grantOf(r.account, r.program);
        if (rules.kind == ProgramKind.Credit) {
            g.remaining += amountOre;
            restored = true;
        } else {
            uint256 unusedPart = rules.maxPerUseOre - r.amountOre;
            if (whole && g.slackOre >= unusedPart) {
                g.remaining += 1;
                // Safe: checked just above; the use's cap is escrowed again.
                // forge-lint: disable-next-line(unsafe-typecast)
                g.slackOre -= uint128(unusedPart);
                restored = true;
            } else {
                g.slackOre += amountOre;
            }
        }
        if (whole && restored && rules.usesPerWindow != 0) _uncountUse(rules, g, r.deadline);
    }

    /// @dev The hub took the redemption between its deadline less the longest lead a deadline
    /// may have ({MAX_DEADLINE_LEAD}) and its deadline (or now). Only when that whole span lies
    /// in the grant's current usage window is it certain the use counted there, and then it
    /// no longer does; a purchase that may have fallen in the window before keeps its count.
    function _uncountUse(ProgramRules storage rules, Grant storage g, uint40 deadline) private {
        uint256 latest = deadline < block.timestamp ? deadline : block.timestamp;
        uint256 earliest = deadline > MAX_DEADLINE_LEAD ? deadline - MAX_DEADLINE_LEAD : 0;
        if (earliest < rules.validFrom) earliest = rules.validFrom;
        if (latest < earliest) return;
        uint32 index = UsageWindow.indexAt(latest, rules.validFrom, rules.windowSeconds);
        if (UsageWindow.indexAt(earliest, rules.validFrom, rules.windowSeconds) != index) return;
        if (g.windowIndex == index && g.usedInWindow != 0) g.usedInWindow -= 1;
    }

    /// @dev Sets off a provider's receivable against its payout; returns the part kept.
    function _offsetReceivable(
        MunicipalityId municipality,
        PeriodId period,
        ProviderId provider,
        uint256 amountOre
    ) private returns (uint256 kept) {
        uint256 key = _receivableKey(municipality, provider);
        uint256 owed = _receivables[key];
        if (owed == 0) return 0;
        kept = owed < amountOre ? owed : amountOre;
        _receivables[key] = owed - kept;
        emit ReceivableOffset(municipality, period, provider, kept);
    }

    function _hashReversal(bytes32 redemptionHash, Reversal calldata v) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REVERSAL_TYPEHASH, v.id, redemptionHash, v.amountOre, PeriodId.unwrap(v.period), v.deadline
            )
        );
    }

    function _redemptionKey(address terminal, uint256 id) private pure returns (bytes32) {
        return keccak256(abi.encode(terminal, id));
    }

    // =================================================================== internals

    /// @dev Marks a provider paid for the period and clears its claim; returns the amount.
    function _clearClaim(
        MunicipalityId municipality,
        PeriodId period,
        mapping(uint256 => uint256) storage paid,
        ProviderId providerId
    ) private returns (uint256 amountOre) {
        if (!paid.markUsed(ProviderId.unwrap(providerId))) {
            revert SettlementAlreadyPaid(municipality, period, providerId);
        }
        uint256 claimKey = _claimKey(municipality, period, providerId);
        amountOre = _claims[claimKey];
        if (amountOre == 0) revert SettlementNothingAccrued(municipality, period, providerId);
        // Clearing the claim refunds most of the write; the event keeps the amount.
        delete _claims[claimKey];
    }

    // =================================================================== views

    function claimOf(MunicipalityId municipality, PeriodId period, ProviderId provider)
        external
        view
        returns (Claim memory)
    {
        return Claim({
            // Safe cast: a claim is part of its period's 128-bit accrued total.
            // forge-lint: disable-next-line(unsafe-typecast)
            accruedOre: uint128(_claims[_claimKey(municipality, period, provider)]),
            paid: _paidProviders[_periodKey(municipality, period)].isUsed(ProviderId.unwrap(provider))
        });
    }

    function periodTotals(MunicipalityId municipality, PeriodId period)
        external
        view
        returns (PeriodTotals memory)
    {
        return _periods[_periodKey(municipality, period)];
    }

    function settlementOf(MunicipalityId municipality, PeriodId period)
        external
        view
        returns (Settlement memory)
    {
        return _settlements[_periodKey(municipality, period)];
    }

    function receivableOf(MunicipalityId municipality, ProviderId provider) external view returns (uint256) {
        return _receivables[_receivableKey(municipality, provider)];
    }

    function reversedOf(address terminal, uint256 redemptionId) external view returns (uint256) {
        return _reversedOre[_redemptionKey(terminal, redemptionId)];
    }

    function reversalDigest(Redemption calldata original, Reversal calldata reversal)
        external
        view
        returns (bytes32)
    {
        return _hashTypedData(_hashReversal(_hashRedemption(original), reversal));
    }
}
