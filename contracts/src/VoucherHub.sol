// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IEKrone} from "./interfaces/IEKrone.sol";
import {IVoucherHub} from "./interfaces/IVoucherHub.sol";
import {IdBitmap} from "./libraries/IdBitmap.sol";
import {UsageWindow} from "./libraries/UsageWindow.sol";
import {PeriodId, ProgramId, ProviderId} from "./types/Ids.sol";
import {
    AccountStatus,
    Claim,
    Clock,
    Grant,
    PeriodTotals,
    ProgramConfig,
    ProgramFunds,
    ProgramKind,
    ProgramRules,
    Provider,
    Redemption,
    Settlement,
    SettlementStatus,
    SignedRedemption,
    Terminal,
    TerminalRecord
} from "./types/Records.sol";

/// @title Voucher hub
/// @notice Programs, pseudonymous accounts, grants, providers and their terminals, redemption
/// and per-period settlement in eKrone. See {IVoucherHub}.
contract VoucherHub is IVoucherHub, AccessControlDefaultAdminRules, EIP712 {
    using SafeERC20 for IERC20;
    using IdBitmap for mapping(uint256 => uint256);

    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    bytes32 public constant PROGRAM_MANAGER_ROLE = keccak256("PROGRAM_MANAGER_ROLE");
    bytes32 public constant ENROLMENT_ROLE = keccak256("ENROLMENT_ROLE");
    bytes32 public constant PROVIDER_REGISTRAR_ROLE = keccak256("PROVIDER_REGISTRAR_ROLE");
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");
    bytes32 public constant FINANCE_OFFICER_ROLE = keccak256("FINANCE_OFFICER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    bytes32 public constant REDEMPTION_TYPEHASH = keccak256(
        "Redemption(uint256 id,bytes32 account,uint64 program,uint32 provider,uint64 amountOre,uint40 deadline)"
    );

    IEKrone private immutable _ekrone;

    Clock private _clock;
    mapping(ProgramId => ProgramRules) private _rules;
    mapping(ProgramId => ProgramFunds) private _funds;
    mapping(ProgramId => uint32) private _municipality;
    mapping(ProgramId => mapping(ProviderId => bool)) private _programProviders;
    mapping(bytes32 account => AccountStatus) private _accounts;
    mapping(bytes32 account => mapping(ProgramId => Grant)) private _grants;
    mapping(ProviderId => Provider) private _providers;
    mapping(address terminal => TerminalRecord) private _terminals;
    /// @dev Used redemption ids of a terminal's older blocks: block (id / 128) => 128 bits.
    mapping(address terminal => mapping(uint256 idBlock => uint256)) private _olderRedemptions;
    /// @dev Øre owed per (period, provider); cleared when paid.
    mapping(PeriodId => mapping(ProviderId => uint256)) private _claims;
    /// @dev Per period, the providers already paid (bitmap by provider id).
    mapping(PeriodId => mapping(uint256 => uint256)) private _paidProviders;
    /// @dev How many providers pay out to an address, so it stays an eKrone participant
    /// exactly while one does.
    mapping(address => uint256) private _payoutUsers;
    mapping(PeriodId => PeriodTotals) private _periods;
    mapping(PeriodId => Settlement) private _settlements;

    constructor(IEKrone ekrone_, address admin, uint48 adminDelay)
        AccessControlDefaultAdminRules(adminDelay, admin)
        EIP712("VoucherHub", "1")
    {
        _ekrone = ekrone_;
        _clock = Clock({
            openPeriod: PeriodId.wrap(1), openedAt: uint40(block.timestamp), paused: false, openAccruedOre: 0
        });
        emit PeriodOpened(PeriodId.wrap(1));
    }

    // =================================================================== programs

    function createProgram(ProgramId program, ProgramConfig calldata c)
        external
        onlyRole(PROGRAM_MANAGER_ROLE)
    {
        if (_rules[program].validUntil != 0) revert ProgramAlreadyExists(program);
        bool windowed = c.usesPerWindow != 0;
        if (
            c.maxPerUseOre == 0 || c.categories == 0 || c.validUntil <= c.validFrom
                || (windowed && c.windowSeconds == 0)
        ) revert ProgramConfigInvalid(program);
        _rules[program] = ProgramRules({
            categories: c.categories,
            validFrom: c.validFrom,
            validUntil: c.validUntil,
            maxPerUseOre: c.maxPerUseOre,
            usesPerWindow: c.usesPerWindow,
            windowSeconds: windowed ? c.windowSeconds : 0,
            kind: c.kind,
            restrictedToProviders: c.restrictedToProviders,
            suspended: false
        });
        _municipality[program] = c.municipality;
        emit ProgramCreated(program, c.municipality, c);
    }

    function setProgramSuspended(ProgramId program, bool suspended) external onlyRole(PROGRAM_MANAGER_ROLE) {
        _existingRules(program).suspended = suspended;
        emit ProgramSuspensionSet(program, suspended);
    }

    function setProgramProvider(ProgramId program, ProviderId provider, bool allowed)
        external
        onlyRole(PROGRAM_MANAGER_ROLE)
    {
        _existingRules(program);
        _programProviders[program][provider] = allowed;
        emit ProgramProviderSet(program, provider, allowed);
    }

    function fundProgram(ProgramId program, uint128 amountOre) external onlyRole(TREASURY_ROLE) {
        ProgramRules storage rules = _existingRules(program);
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        ProgramFunds storage funds = _funds[program];
        funds.fundedOre += amountOre;
        // Safe: the free budget is part of what was funded, so it fits wherever fundedOre does.
        unchecked {
            funds.freeOre += amountOre;
        }
        emit ProgramFunded(program, amountOre, funds.freeOre);
        IERC20(address(_ekrone)).safeTransferFrom(msg.sender, address(this), amountOre);
    }

    function reclaim(ProgramId program, bytes32[] calldata accounts)
        external
        onlyRole(TREASURY_ROLE)
        returns (uint256 amountOre)
    {
        ProgramRules storage rules = _existingRules(program);
        if (block.timestamp < rules.validUntil) revert ProgramStillRunning(program, rules.validUntil);
        ProgramFunds storage funds = _funds[program];
        amountOre = funds.freeOre;
        funds.freeOre = 0;
        // Grants cannot be redeemed after the end, so what they still hold is void.
        for (uint256 i; i < accounts.length; ++i) {
            Grant storage g = _existingGrant(accounts[i], program);
            uint256 value = _escrowOf(rules, g);
            if (value == 0) continue;
            g.remaining = 0;
            g.slackOre = 0;
            amountOre += value;
            emit GrantExpired(accounts[i], program, value);
        }
        emit ProgramReclaimed(program, msg.sender, amountOre);
        if (amountOre != 0) IERC20(address(_ekrone)).safeTransfer(msg.sender, amountOre);
    }

    function releaseSlack(ProgramId program, bytes32[] calldata accounts) external onlyRole(TREASURY_ROLE) {
        _existingRules(program);
        uint256 released;
        for (uint256 i; i < accounts.length; ++i) {
            Grant storage g = _existingGrant(accounts[i], program);
            uint128 slack = g.slackOre;
            if (slack == 0) continue;
            g.slackOre = 0;
            released += slack;
            emit SlackReleased(accounts[i], program, slack);
        }
        _release(program, released);
    }

    // =================================================================== accounts and grants

    function registerAccount(bytes32 account) external onlyRole(ENROLMENT_ROLE) {
        if (_accounts[account] != AccountStatus.None) revert AccountAlreadyRegistered(account);
        _accounts[account] = AccountStatus.Active;
        emit AccountRegistered(account);
    }

    function setAccountStatus(bytes32 account, AccountStatus status) external onlyRole(ENROLMENT_ROLE) {
        AccountStatus current = _accounts[account];
        if (current == AccountStatus.None) revert AccountUnknown(account);
        if (current == AccountStatus.Closed) revert AccountClosed(account);
        if (status == AccountStatus.None) revert AccountNotActive(account, status);
        _accounts[account] = status;
        emit AccountStatusSet(account, status);
    }

    function grant(bytes32 account, ProgramId program, uint64 amount) external onlyRole(ENROLMENT_ROLE) {
        Grant storage g = _grants[account][program];
        if (g.exists) revert GrantAlreadyExists(account, program);
        _requireActiveAccount(account);
        _commit(program, amount);
        g.exists = true;
        g.remaining = amount;
        emit Granted(account, program, amount, amount);
    }

    function topUp(bytes32 account, ProgramId program, uint64 amount) external onlyRole(ENROLMENT_ROLE) {
        Grant storage g = _existingGrant(account, program);
        _requireActiveAccount(account);
        _commit(program, amount);
        g.remaining += amount;
        emit ToppedUp(account, program, amount, g.remaining);
    }

    function revoke(bytes32 account, ProgramId program) external onlyRole(ENROLMENT_ROLE) {
        Grant storage g = _existingGrant(account, program);
        uint64 returned = g.remaining;
        uint256 value = _escrowOf(_rules[program], g);
        g.remaining = 0;
        g.slackOre = 0;
        _release(program, value);
        emit GrantRevoked(account, program, returned);
    }

    // =================================================================== providers and terminals

    function registerProvider(ProviderId provider, address payoutAddress, uint32 categories)
        external
        onlyRole(PROVIDER_REGISTRAR_ROLE)
    {
        if (ProviderId.unwrap(provider) == 0) revert ProviderIdInvalid();
        if (_providers[provider].payout != address(0)) revert ProviderAlreadyRegistered(provider);
        if (payoutAddress == address(0)) revert ProviderPayoutInvalid(payoutAddress);
        _providers[provider] = Provider({payout: payoutAddress, categories: categories, active: true});
        emit ProviderRegistered(provider, payoutAddress, categories);
        _addPayoutUser(payoutAddress);
    }

    function updateProvider(ProviderId provider, address payoutAddress, uint32 categories, bool active)
        external
        onlyRole(PROVIDER_REGISTRAR_ROLE)
    {
        Provider storage p = _existingProvider(provider);
        if (payoutAddress == address(0)) revert ProviderPayoutInvalid(payoutAddress);
        address previous = p.payout;
        p.payout = payoutAddress;
        p.categories = categories;
        p.active = active;
        emit ProviderUpdated(provider, payoutAddress, categories, active);
        if (previous != payoutAddress) {
            _addPayoutUser(payoutAddress);
            _removePayoutUser(previous);
        }
    }

    function addTerminal(ProviderId provider, address terminal) external onlyRole(PROVIDER_REGISTRAR_ROLE) {
        _existingProvider(provider);
        // A revoked terminal address stays burnt: a re-paired device gets a new key.
        if (ProviderId.unwrap(_terminals[terminal].provider) != 0) {
            revert TerminalAlreadyRegistered(terminal);
        }
        _terminals[terminal] =
            TerminalRecord({provider: provider, active: true, recentBlock: 0, recentIds: 0});
        emit TerminalAdded(provider, terminal);
    }

    function revokeTerminal(address terminal) external onlyRole(PROVIDER_REGISTRAR_ROLE) {
        TerminalRecord storage t = _terminals[terminal];
        if (!t.active) revert TerminalNotRegistered(terminal);
        t.active = false;
        emit TerminalRevoked(t.provider, terminal);
    }

    // =================================================================== redemption

    function redeem(Redemption calldata r, bytes32 sigR, bytes32 sigVs) external returns (PeriodId period) {
        Clock memory clock = _clock;
        if (clock.paused) revert HubPaused();
        if (block.timestamp > r.deadline) revert RedemptionExpired(r.id, r.deadline);
        if (r.amountOre == 0) revert RedemptionAmountZero();

        address terminal = _authenticate(r, sigR, sigVs);
        ProgramRules memory rules = _rules[r.program];
        _checkProgram(rules, r.program, r.provider);
        _spend(rules, r);

        // The amount moves from the grant's escrow to the provider's claim; the program's
        // funds slot is not touched (see ProgramFunds).
        period = clock.openPeriod;
        _claims[period][r.provider] += r.amountOre;
        _clock.openAccruedOre = clock.openAccruedOre + r.amountOre;
        emit Redeemed(r.provider, r.program, r.account, r.id, terminal, r.amountOre, period);
    }

    function redeemBatch(SignedRedemption[] calldata batch)
        external
        onlyRole(RELAYER_ROLE)
        returns (uint256 refused)
    {
        if (_clock.paused) revert HubPaused();
        for (uint256 i; i < batch.length; ++i) {
            SignedRedemption calldata item = batch[i];
            // A call to itself, so a refused redemption undoes exactly its own writes.
            try this.redeem(item.redemption, item.sigR, item.sigVs) {}
            catch (bytes memory reason) {
                // Every refusal of `redeem` carries an error; an empty one means the call ran
                // out of gas. Failing the whole batch then keeps a too-low gas limit (or a gas
                // estimate) from ever turning a valid redemption into a refused one.
                if (reason.length == 0) revert RedemptionBatchOutOfGas(i);
                emit RedemptionRefused(i, reason);
                ++refused;
            }
        }
    }

    /// @dev Recovers the terminal, checks who submits, that the terminal is active and belongs
    /// to the named, active provider, and marks the redemption id used.
    function _authenticate(Redemption calldata r, bytes32 sigR, bytes32 sigVs)
        private
        returns (address terminal)
    {
        terminal = ECDSA.recover(_hashTypedDataV4(_hashRedemption(r)), sigR, sigVs);
        // The hub itself submits only from redeemBatch, whose caller is a relayer.
        if (msg.sender != terminal && msg.sender != address(this) && !hasRole(RELAYER_ROLE, msg.sender)) {
            revert RedemptionSubmitterNotAllowed(msg.sender);
        }
        TerminalRecord memory t = _terminals[terminal];
        if (!t.active) revert TerminalNotRegistered(terminal);
        if (!(t.provider == r.provider)) revert TerminalProviderMismatch(terminal, r.provider, t.provider);
        if (!_markRedemptionUsed(terminal, t, r.id)) revert RedemptionAlreadyUsed(terminal, r.id);
    }

    /// @dev Marks a terminal's redemption id used; false when it already was. Each id's mark
    /// lives in exactly one place: in the terminal's slot while its block is the most recent
    /// one, otherwise in `_olderRedemptions`. The recent block only moves up, and moving it
    /// hands the old block's marks to `_olderRedemptions` first, so no mark is ever lost.
    function _markRedemptionUsed(address terminal, TerminalRecord memory t, uint256 id)
        private
        returns (bool)
    {
        uint256 idBlock = id >> 7;
        // forge-lint: disable-next-line(incorrect-shift)
        uint256 bit = 1 << (id & 0x7f);
        if (idBlock == t.recentBlock) {
            if (t.recentIds & bit != 0) return false;
            // Safe cast: bit < 2**128.
            // forge-lint: disable-next-line(unsafe-typecast)
            t.recentIds |= uint128(bit);
        } else if (idBlock > t.recentBlock && idBlock <= type(uint64).max) {
            if (t.recentIds != 0) _olderRedemptions[terminal][t.recentBlock] |= t.recentIds;
            // Safe casts: checked against uint64 above; bit < 2**128.
            // forge-lint: disable-next-line(unsafe-typecast)
            t.recentBlock = uint64(idBlock);
            // forge-lint: disable-next-line(unsafe-typecast)
            t.recentIds = uint128(bit);
        } else {
            mapping(uint256 => uint256) storage older = _olderRedemptions[terminal];
            uint256 word = older[idBlock];
            if (word & bit != 0) return false;
            older[idBlock] = word | bit;
            return true;
        }
        _terminals[terminal] = t;
        return true;
    }

    function _checkProgram(ProgramRules memory rules, ProgramId program, ProviderId providerId) private view {
        if (rules.validUntil == 0) revert ProgramUnknown(program);
        if (rules.suspended) revert ProgramSuspended(program);
        if (block.timestamp < rules.validFrom) revert ProgramNotStarted(program, rules.validFrom);
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        Provider memory provider = _providers[providerId];
        if (!provider.active) revert ProviderNotActive(providerId);
        if (provider.categories & rules.categories == 0) {
            revert ProgramCategoryNotAllowed(program, providerId);
        }
        if (rules.restrictedToProviders && !_programProviders[program][providerId]) {
            revert ProgramProviderNotAllowed(program, providerId);
        }
    }

    /// @dev Takes the amount (Credit) or one use (Uses) from the grant and counts the use in
    /// its window. A use reserved the cap; what it cost less stays with the grant as slack.
    function _spend(ProgramRules memory rules, Redemption calldata r) private {
        if (r.amountOre > rules.maxPerUseOre) {
            revert VoucherAmountOverCap(r.program, r.amountOre, rules.maxPerUseOre);
        }
        AccountStatus status = _accounts[r.account];
        if (status != AccountStatus.Active) revert AccountNotActive(r.account, status);

        Grant memory g = _grants[r.account][r.program];
        if (rules.kind == ProgramKind.Credit) {
            if (r.amountOre > g.remaining) {
                revert VoucherCreditInsufficient(r.account, r.program, r.amountOre, g.remaining);
            }
            g.remaining -= r.amountOre;
        } else {
            if (g.remaining == 0) revert VoucherUsesExhausted(r.account, r.program);
            // Safe: remaining > 0; amount <= cap (checked above); the slack never exceeds what
            // was promised to this grant, which fits 128 bits like the program's funding.
            unchecked {
                g.remaining -= 1;
                g.slackOre += rules.maxPerUseOre - r.amountOre;
            }
        }
        if (rules.usesPerWindow != 0) _countUse(rules, r, g);
        _grants[r.account][r.program] = g;
    }

    function _countUse(ProgramRules memory rules, Redemption calldata r, Grant memory g) private view {
        uint32 index = UsageWindow.indexAt(block.timestamp, rules.validFrom, rules.windowSeconds);
        if (g.windowIndex != index) {
            g.windowIndex = index;
            g.usedInWindow = 0;
        }
        if (g.usedInWindow >= rules.usesPerWindow) {
            revert VoucherWindowLimitReached(
                r.account, r.program, UsageWindow.startOf(index + 1, rules.validFrom, rules.windowSeconds)
            );
        }
        // Safe: usedInWindow < usesPerWindow <= type(uint16).max.
        unchecked {
            g.usedInWindow += 1;
        }
    }

    function _hashRedemption(Redemption calldata r) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REDEMPTION_TYPEHASH,
                r.id,
                r.account,
                ProgramId.unwrap(r.program),
                ProviderId.unwrap(r.provider),
                r.amountOre,
                r.deadline
            )
        );
    }

    // =================================================================== periods and settlement

    function closePeriod() external onlyRole(FINANCE_OFFICER_ROLE) returns (PeriodId closed) {
        Clock memory clock = _clock;
        closed = clock.openPeriod;
        _periods[closed].accruedOre = clock.openAccruedOre;
        PeriodId next = PeriodId.wrap(PeriodId.unwrap(closed) + 1);
        _clock = Clock({
            openPeriod: next, openedAt: uint40(block.timestamp), paused: clock.paused, openAccruedOre: 0
        });
        emit PeriodClosed(closed, clock.openAccruedOre);
        emit PeriodOpened(next);
    }

    function proposeSettlement(PeriodId period, uint256 expectedTotalOre)
        external
        onlyRole(FINANCE_OFFICER_ROLE)
    {
        _requireClosed(period);
        Settlement storage s = _settlements[period];
        if (s.status != SettlementStatus.None) revert SettlementNotProposable(period, uint8(s.status));
        uint256 accrued = _periods[period].accruedOre;
        if (expectedTotalOre != accrued) revert SettlementTotalMismatch(period, expectedTotalOre, accrued);
        s.proposer = msg.sender;
        s.proposedAt = uint40(block.timestamp);
        s.status = SettlementStatus.Proposed;
        emit SettlementProposed(period, msg.sender, accrued);
    }

    function cancelSettlement(PeriodId period) external onlyRole(FINANCE_OFFICER_ROLE) {
        Settlement storage s = _settlements[period];
        if (s.status != SettlementStatus.Proposed) revert SettlementNotProposed(period);
        delete _settlements[period];
        emit SettlementCancelled(period, msg.sender);
    }

    function approveSettlement(PeriodId period) external onlyRole(FINANCE_OFFICER_ROLE) {
        Settlement storage s = _settlements[period];
        if (s.status != SettlementStatus.Proposed) revert SettlementNotProposed(period);
        if (s.proposer == msg.sender) revert SettlementSelfApproval(period, msg.sender);
        s.approver = msg.sender;
        s.approvedAt = uint40(block.timestamp);
        PeriodTotals memory totals = _periods[period];
        // A period with nothing accrued is settled the moment it is approved.
        s.status = totals.accruedOre == 0 ? SettlementStatus.Paid : SettlementStatus.Approved;
        emit SettlementApproved(period, msg.sender);
        if (totals.accruedOre == 0) emit PeriodSettled(period, 0);
    }

    function payout(PeriodId period, ProviderId[] calldata providers)
        external
        onlyRole(FINANCE_OFFICER_ROLE)
        returns (uint256 paidOre)
    {
        if (_clock.paused) revert HubPaused();
        Settlement storage s = _settlements[period];
        if (s.status != SettlementStatus.Approved) revert SettlementNotApproved(period);
        for (uint256 i; i < providers.length; ++i) {
            paidOre += _payProvider(period, providers[i]);
        }
        PeriodTotals storage totals = _periods[period];
        // Safe cast: every claim paid here is part of the period's 128-bit accrued total.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint128 paidTotal = totals.paidOre + uint128(paidOre);
        totals.paidOre = paidTotal;
        if (paidTotal == totals.accruedOre) {
            s.status = SettlementStatus.Paid;
            emit PeriodSettled(period, paidTotal);
        }
    }

    function _payProvider(PeriodId period, ProviderId providerId) private returns (uint256 amountOre) {
        if (!_paidProviders[period].markUsed(ProviderId.unwrap(providerId))) {
            revert SettlementAlreadyPaid(period, providerId);
        }
        amountOre = _claims[period][providerId];
        if (amountOre == 0) revert SettlementNothingAccrued(period, providerId);
        // Clearing the claim refunds most of the write; the event keeps the amount.
        delete _claims[period][providerId];
        address to = _providers[providerId].payout;
        emit ProviderPaid(period, providerId, to, amountOre);
        IERC20(address(_ekrone)).safeTransfer(to, amountOre);
    }

    function setPaused(bool paused) external onlyRole(PAUSER_ROLE) {
        _clock.paused = paused;
        emit PausedSet(paused);
    }

    // =================================================================== internals

    function _existingRules(ProgramId program) private view returns (ProgramRules storage rules) {
        rules = _rules[program];
        if (rules.validUntil == 0) revert ProgramUnknown(program);
    }

    function _existingProvider(ProviderId provider) private view returns (Provider storage p) {
        p = _providers[provider];
        if (p.payout == address(0)) revert ProviderUnknown(provider);
    }

    function _existingGrant(bytes32 account, ProgramId program) private view returns (Grant storage g) {
        g = _grants[account][program];
        if (!g.exists) revert GrantUnknown(account, program);
    }

    function _requireActiveAccount(bytes32 account) private view {
        AccountStatus status = _accounts[account];
        if (status != AccountStatus.Active) revert AccountNotActive(account, status);
    }

    function _requireClosed(PeriodId period) private view {
        uint32 id = PeriodId.unwrap(period);
        if (id == 0 || id >= PeriodId.unwrap(_clock.openPeriod)) revert PeriodNotClosed(period);
    }

    /// @dev Promises `amount` (øre or uses) of a program's free budget to a grant.
    function _commit(ProgramId program, uint64 amount) private {
        if (amount == 0) revert GrantAmountZero();
        ProgramRules storage rules = _existingRules(program);
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        uint256 needed = _commitmentOf(rules, amount);
        ProgramFunds storage funds = _funds[program];
        uint256 free = funds.freeOre;
        if (needed > free) revert ProgramBudgetExceeded(program, needed, free);
        // Safe: needed <= free, a 128-bit value.
        // forge-lint: disable-next-line(unsafe-typecast)
        funds.freeOre = uint128(free - needed);
    }

    /// @dev Returns escrow a grant gave up to the program's free budget.
    function _release(ProgramId program, uint256 amountOre) private {
        if (amountOre == 0) return;
        ProgramFunds storage funds = _funds[program];
        // Safe cast: the amount was taken from this program's free budget and the free budget
        // plus everything promised never exceeds what was funded, a 128-bit value.
        // forge-lint: disable-next-line(unsafe-typecast)
        funds.freeOre += uint128(amountOre);
    }

    /// @dev What a grant of `amount` promises in øre: the credit itself, or each use at its cap.
    function _commitmentOf(ProgramRules storage rules, uint64 amount) private view returns (uint256) {
        return rules.kind == ProgramKind.Credit ? amount : uint256(amount) * rules.maxPerUseOre;
    }

    /// @dev The escrow a grant still holds: what it promises plus its slack.
    function _escrowOf(ProgramRules storage rules, Grant storage g) private view returns (uint256) {
        return _commitmentOf(rules, g.remaining) + g.slackOre;
    }

    function _addPayoutUser(address payoutAddress) private {
        if (_payoutUsers[payoutAddress]++ == 0) _ekrone.setParticipant(payoutAddress, true);
    }

    /// @dev An address no provider pays out to any more leaves the eKrone participants; it can
    /// still burn (cash out) what it holds.
    function _removePayoutUser(address payoutAddress) private {
        if (--_payoutUsers[payoutAddress] == 0) _ekrone.setParticipant(payoutAddress, false);
    }

    // =================================================================== views

    function ekrone() external view returns (address) {
        return address(_ekrone);
    }

    function openPeriod() external view returns (PeriodId period, uint40 openedAt, uint128 accruedOre) {
        Clock memory clock = _clock;
        return (clock.openPeriod, clock.openedAt, clock.openAccruedOre);
    }

    function programRules(ProgramId program) external view returns (ProgramRules memory) {
        return _rules[program];
    }

    function programFunds(ProgramId program) external view returns (ProgramFunds memory) {
        return _funds[program];
    }

    function programMunicipality(ProgramId program) external view returns (uint32) {
        return _municipality[program];
    }

    function isProgramProvider(ProgramId program, ProviderId provider) external view returns (bool) {
        return _programProviders[program][provider];
    }

    function accountStatus(bytes32 account) external view returns (AccountStatus) {
        return _accounts[account];
    }

    function grantOf(bytes32 account, ProgramId program) external view returns (Grant memory g) {
        g = _grants[account][program];
        // After the end nothing is left to use; the escrow behind it waits for reclaim.
        if (block.timestamp >= _rules[program].validUntil) g.remaining = 0;
    }

    function grantEscrowOf(bytes32 account, ProgramId program) external view returns (uint256) {
        return _escrowOf(_rules[program], _grants[account][program]);
    }

    function providerOf(ProviderId provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    function terminalOf(address terminal) external view returns (Terminal memory) {
        TerminalRecord memory t = _terminals[terminal];
        return Terminal({provider: t.provider, active: t.active});
    }

    function isRedemptionUsed(address terminal, uint256 id) external view returns (bool) {
        TerminalRecord memory t = _terminals[terminal];
        uint256 idBlock = id >> 7;
        // forge-lint: disable-next-line(incorrect-shift)
        uint256 bit = 1 << (id & 0x7f);
        if (idBlock == t.recentBlock) return t.recentIds & bit != 0;
        return _olderRedemptions[terminal][idBlock] & bit != 0;
    }

    function claimOf(PeriodId period, ProviderId provider) external view returns (Claim memory) {
        return Claim({
            // Safe cast: a claim is part of its period's 128-bit accrued total.
            // forge-lint: disable-next-line(unsafe-typecast)
            accruedOre: uint128(_claims[period][provider]),
            paid: _paidProviders[period].isUsed(ProviderId.unwrap(provider))
        });
    }

    function periodTotals(PeriodId period) external view returns (PeriodTotals memory) {
        return _periods[period];
    }

    function settlementOf(PeriodId period) external view returns (Settlement memory) {
        return _settlements[period];
    }

    function nextWindowStart(ProgramId program) external view returns (uint40) {
        ProgramRules memory rules = _rules[program];
        if (rules.windowSeconds == 0 || block.timestamp < rules.validFrom) return rules.validFrom;
        uint32 index = UsageWindow.indexAt(block.timestamp, rules.validFrom, rules.windowSeconds);
        return UsageWindow.startOf(index + 1, rules.validFrom, rules.windowSeconds);
    }

    function redemptionDigest(Redemption calldata r) external view returns (bytes32) {
        return _hashTypedDataV4(_hashRedemption(r));
    }
}
