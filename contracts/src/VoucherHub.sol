// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {MunicipalAccess} from "./MunicipalAccess.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
import {IdBitmap} from "./libraries/IdBitmap.sol";
import {UsageWindow} from "./libraries/UsageWindow.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "./types/Ids.sol";
import {
    AccountRecord,
    AccountStatus,
    Admission,
    Claim,
    Clock,
    Grant,
    PeriodTotals,
    ProgramConfig,
    ProgramFunds,
    ProgramKind,
    ProgramRules,
    Redemption,
    Settlement,
    SettlementStatus,
    SignedRedemption
} from "./types/Records.sol";

/// @title Voucher hub
/// @notice Programs, pseudonymous accounts, grants, redemption and per-period settlement in
/// eKrone, for many municipalities walled off from one another. Municipalities and their roles
/// live in {MunicipalAccess}, providers and terminals in {ProviderRegistry}. See {IVoucherHub}.
contract VoucherHub is ProviderRegistry {
    using SafeERC20 for IERC20;
    using IdBitmap for mapping(uint256 => uint256);

    bytes32 public constant REDEMPTION_TYPEHASH = keccak256(
        "Redemption(uint256 id,bytes32 account,uint64 program,uint32 provider,uint64 amountOre,uint40 deadline)"
    );

    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant _DOMAIN_NAME_HASH = keccak256("VoucherHub");
    bytes32 private constant _DOMAIN_VERSION_HASH = keccak256("1");

    /// @dev The ABI size of a SignedRedemption: a Redemption (six words) and two signature words.
    uint256 private constant _SIGNED_REDEMPTION_BYTES = 0x100;

    /// @dev Partner municipalities a program may name (one storage slot of 16-bit codes).
    uint256 private constant _MAX_PARTNERS = 8;

    /// @dev See {_grantOf}.
    uint256 private constant _GRANT_SEED = uint256(keccak256("VoucherHub.grants")) << 64;

    /// @dev The EIP-712 domain {name: "VoucherHub", version: "1", chainId, verifyingContract},
    /// hashed once; rebuilt only on a chain that has forked away from the deployment chain.
    uint256 private immutable _cachedChainId;
    bytes32 private immutable _cachedDomainSeparator;

    mapping(MunicipalityId => Clock) private _clocks;
    mapping(ProgramId => ProgramRules) private _rules;
    mapping(ProgramId => ProgramFunds) private _funds;
    mapping(ProgramId => mapping(ProviderId => bool)) private _programProviders;
    /// @dev Municipalities whose admitted providers a program also accepts: eight 16-bit codes
    /// in one word, place i at bits 16i..16i+15; 0 marks a free place.
    mapping(ProgramId => uint256) private _partners;
    mapping(bytes32 account => AccountRecord) private _accounts;
    // Grants live at {_grantOf}(account, program): one hash per redemption instead of two.
    /// @dev Øre owed per {_claimKey}(municipality, period, provider); cleared when paid.
    mapping(uint256 claimKey => uint256) private _claims;
    /// @dev Per {_periodKey}(municipality, period), the providers already paid (bitmap by id).
    mapping(uint256 periodKey => mapping(uint256 => uint256)) private _paidProviders;
    mapping(uint256 periodKey => PeriodTotals) private _periods;
    mapping(uint256 periodKey => Settlement) private _settlements;

    constructor(IEKrone ekrone_, address admin, uint48 adminDelay)
        MunicipalAccess(adminDelay, admin)
        ProviderRegistry(ekrone_)
    {
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    // =================================================================== programs

    function createProgram(ProgramId program, ProgramConfig memory c)
        external
        onlyMunicipalRole(c.municipality, PROGRAM_MANAGER_ROLE)
    {
        if (_rules[program].validUntil != 0) revert ProgramAlreadyExists(program);
        bool windowed = c.usesPerWindow != 0;
        if (
            c.maxPerUseOre == 0 || c.maxPerUseOre > type(uint56).max || c.categories == 0
                || c.validUntil <= c.validFrom || (windowed && c.windowSeconds == 0)
        ) revert ProgramConfigInvalid(program);
        _rules[program] = ProgramRules({
            categories: c.categories,
            validFrom: c.validFrom,
            validUntil: c.validUntil,
            // Safe cast: checked against type(uint56).max above.
            // forge-lint: disable-next-line(unsafe-typecast)
            maxPerUseOre: uint56(c.maxPerUseOre),
            usesPerWindow: c.usesPerWindow,
            windowSeconds: windowed ? c.windowSeconds : 0,
            kind: c.kind,
            restrictedToProviders: c.restrictedToProviders,
            suspended: false,
            municipality: c.municipality
        });
        emit ProgramCreated(program, c.municipality, c);
    }

    function setProgramSuspended(ProgramId program, bool suspended) external {
        (ProgramRules storage rules,) = _programAs(program, PROGRAM_MANAGER_ROLE);
        rules.suspended = suspended;
        emit ProgramSuspensionSet(program, suspended);
    }

    function setProgramProvider(ProgramId program, ProviderId provider, bool allowed) external {
        _programAs(program, PROGRAM_MANAGER_ROLE);
        _programProviders[program][provider] = allowed;
        emit ProgramProviderSet(program, provider, allowed);
    }

    function setProgramPartner(ProgramId program, MunicipalityId partner, bool accepted) external {
        (, MunicipalityId municipality) = _programAs(program, PROGRAM_MANAGER_ROLE);
        if (MunicipalityId.unwrap(partner) == 0 || partner == municipality) {
            revert ProgramPartnerInvalid(program, partner);
        }
        _requireMunicipality(partner);
        uint256 list = _partners[program];
        (uint256 index, uint256 freeIndex) = _findPartner(list, partner);
        if (accepted && index == _MAX_PARTNERS) {
            if (freeIndex == _MAX_PARTNERS) revert ProgramPartnersFull(program);
            _partners[program] = list | (uint256(MunicipalityId.unwrap(partner)) << (16 * freeIndex));
        } else if (!accepted && index != _MAX_PARTNERS) {
            _partners[program] = list & ~(uint256(type(uint16).max) << (16 * index));
        }
        emit ProgramPartnerSet(program, partner, accepted);
    }

    function fundProgram(ProgramId program, uint128 amountOre) external {
        (ProgramRules storage rules, MunicipalityId municipality) = _programAs(program, TREASURY_ROLE);
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        ProgramFunds storage funds = _funds[program];
        funds.fundedOre += amountOre;
        // Safe: the free budget is part of what was funded, so it fits wherever fundedOre does.
        unchecked {
            funds.freeOre += amountOre;
        }
        _addEscrow(municipality, amountOre);
        emit ProgramFunded(program, amountOre, funds.freeOre);
        _token().safeTransferFrom(msg.sender, address(this), amountOre);
    }

    function reclaim(ProgramId program, bytes32[] calldata accounts) external returns (uint256 amountOre) {
        (ProgramRules storage rules, MunicipalityId municipality) = _programAs(program, TREASURY_ROLE);
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
        address to = _reclaimDestination(municipality);
        _takeEscrow(municipality, amountOre);
        emit ProgramReclaimed(program, to, amountOre);
        if (amountOre != 0) _token().safeTransfer(to, amountOre);
    }

    function releaseSlack(ProgramId program, bytes32[] calldata accounts) external {
        _programAs(program, TREASURY_ROLE);
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

    function registerAccount(MunicipalityId municipality, bytes32 account)
        external
        onlyMunicipalRole(municipality, ENROLMENT_ROLE)
    {
        if (_accounts[account].status != AccountStatus.None) {
            revert AccountAlreadyRegistered(account);
        }
        _accounts[account] = AccountRecord({status: AccountStatus.Active, municipality: municipality});
        emit AccountRegistered(municipality, account);
    }

    function setAccountStatus(bytes32 account, AccountStatus status) external {
        AccountRecord storage a = _accounts[account];
        AccountStatus current = a.status;
        if (current == AccountStatus.None) revert AccountUnknown(account);
        _checkMunicipalRole(a.municipality, ENROLMENT_ROLE);
        if (current == AccountStatus.Closed) revert AccountClosed(account);
        if (status == AccountStatus.None) revert AccountNotActive(account, status);
        a.status = status;
        emit AccountStatusSet(account, status);
    }

    function grant(bytes32 account, ProgramId program, uint64 amount) external {
        (ProgramRules storage rules, MunicipalityId municipality) = _programAs(program, ENROLMENT_ROLE);
        Grant storage g = _grantOf(account, program);
        if (g.exists) revert GrantAlreadyExists(account, program);
        _requireActiveAccountOf(account, municipality);
        _commit(rules, program, amount);
        g.exists = true;
        g.remaining = amount;
        emit Granted(account, program, amount, amount);
    }

    function topUp(bytes32 account, ProgramId program, uint64 amount) external {
        (ProgramRules storage rules, MunicipalityId municipality) = _programAs(program, ENROLMENT_ROLE);
        Grant storage g = _existingGrant(account, program);
        _requireActiveAccountOf(account, municipality);
        _commit(rules, program, amount);
        g.remaining += amount;
        emit ToppedUp(account, program, amount, g.remaining);
    }

    function revoke(bytes32 account, ProgramId program) external {
        (ProgramRules storage rules,) = _programAs(program, ENROLMENT_ROLE);
        Grant storage g = _existingGrant(account, program);
        uint64 returned = g.remaining;
        uint256 value = _escrowOf(rules, g);
        g.remaining = 0;
        g.slackOre = 0;
        _release(program, value);
        emit GrantRevoked(account, program, returned);
    }

    // =================================================================== redemption

    function redeem(Redemption calldata r, bytes32 sigR, bytes32 sigVs) external returns (PeriodId period) {
        ProgramRules memory rules = _rules[r.program];
        // An unknown program reads municipality 0, whose clock is never paused; it is refused
        // as unknown below, once the signature is checked.
        MunicipalityId municipality = rules.municipality;
        Clock storage clockSlot = _clocks[municipality];
        Clock memory clock = clockSlot;
        if (clock.paused) revert MunicipalityPaused(municipality);
        if (block.timestamp > r.deadline) revert RedemptionExpired(r.id, r.deadline);
        if (r.amountOre == 0) revert RedemptionAmountZero();

        address terminal = _authenticate(r, sigR, sigVs);
        _checkProgram(rules, r.program, r.provider);
        _spend(rules, r);

        // The amount moves from the grant's escrow to the provider's claim in the program's
        // municipality; neither the program's funds slot nor the municipality's escrow changes.
        period = clock.openPeriod;
        _claims[_claimKey(municipality, period, r.provider)] += r.amountOre;
        clockSlot.openAccruedOre = clock.openAccruedOre + r.amountOre;
        emit Redeemed(r.provider, r.program, r.account, r.id, terminal, r.amountOre, period);
    }

    function redeemBatch(SignedRedemption[] calldata batch)
        external
        onlyRole(RELAYER_ROLE)
        returns (uint256 refused)
    {
        // A SignedRedemption is eight static words, laid out in the batch exactly as `redeem`
        // takes its arguments, so each call's data is the selector and the item's words.
        bytes memory data = new bytes(4 + _SIGNED_REDEMPTION_BYTES);
        bytes4 selector = this.redeem.selector;
        for (uint256 i; i < batch.length; ++i) {
            SignedRedemption calldata item = batch[i];
            assembly ("memory-safe") {
                mstore(add(data, 0x20), selector)
                calldatacopy(add(data, 0x24), item, _SIGNED_REDEMPTION_BYTES)
            }
            // A call to itself, so a refused redemption undoes exactly its own writes.
            (bool ok, bytes memory reason) = address(this).call(data);
            if (ok) continue;
            // Every refusal of `redeem` carries an error; an empty one means the call ran out
            // of gas. Failing the whole batch then keeps a too-low gas limit (or a gas estimate)
            // from ever turning a valid redemption into a refused one.
            if (reason.length == 0) revert RedemptionBatchOutOfGas(i);
            emit RedemptionRefused(i, reason);
            ++refused;
        }
    }

    /// @dev Recovers the terminal, checks who submits, that the terminal is active and belongs
    /// to the named, active provider, and marks the redemption id used.
    function _authenticate(Redemption calldata r, bytes32 sigR, bytes32 sigVs)
        private
        returns (address terminal)
    {
        terminal = ECDSA.recover(_hashTypedData(_hashRedemption(r)), sigR, sigVs);
        // The hub itself submits only from redeemBatch, whose caller is a relayer.
        if (msg.sender != terminal && msg.sender != address(this) && !hasRole(RELAYER_ROLE, msg.sender)) {
            revert RedemptionSubmitterNotAllowed(msg.sender);
        }
        _useTerminal(terminal, r.provider, r.id);
    }

    /// @dev The program runs and takes the provider: the program's municipality admits it,
    /// active, for one of the program's categories; failing that (a slower path), one of the
    /// program's partner municipalities does.
    function _checkProgram(ProgramRules memory rules, ProgramId program, ProviderId providerId) private view {
        if (rules.validUntil == 0) revert ProgramUnknown(program);
        if (rules.suspended) revert ProgramSuspended(program);
        if (block.timestamp < rules.validFrom) revert ProgramNotStarted(program, rules.validFrom);
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        Admission memory admission = _admissionOf(rules.municipality, providerId);
        if (!admission.active || admission.categories & rules.categories == 0) {
            _checkPartnerAdmission(rules, program, providerId, admission.active);
        }
        if (rules.restrictedToProviders && !_programProviders[program][providerId]) {
            revert ProgramProviderNotAllowed(program, providerId);
        }
    }

    /// @dev Returns when a partner of the program admits the provider, active, for one of the
    /// program's categories. Otherwise reverts: with the category error when some accepting
    /// municipality has the provider active, else as not active.
    function _checkPartnerAdmission(
        ProgramRules memory rules,
        ProgramId program,
        ProviderId providerId,
        bool activeSomewhere
    ) private view {
        for (uint256 list = _partners[program]; list != 0; list >>= 16) {
            // Safe cast: takes the lowest place of the list on purpose.
            // forge-lint: disable-next-line(unsafe-typecast)
            uint16 code = uint16(list);
            if (code == 0) continue;
            Admission memory admission = _admissionOf(MunicipalityId.wrap(code), providerId);
            if (!admission.active) continue;
            if (admission.categories & rules.categories != 0) return;
            activeSomewhere = true;
        }
        if (activeSomewhere) revert ProgramCategoryNotAllowed(program, providerId);
        revert ProviderNotActive(providerId);
    }

    /// @dev Takes the amount (Credit) or one use (Uses) from the grant and counts the use in
    /// its window. A use reserved the cap; what it cost less stays with the grant as slack.
    function _spend(ProgramRules memory rules, Redemption calldata r) private {
        if (r.amountOre > rules.maxPerUseOre) {
            revert VoucherAmountOverCap(r.program, r.amountOre, uint64(rules.maxPerUseOre));
        }
        // The grant exists only if the account belongs to the program's municipality.
        AccountStatus status = _accounts[r.account].status;
        if (status != AccountStatus.Active) revert AccountNotActive(r.account, status);

        Grant storage stored = _grantOf(r.account, r.program);
        Grant memory g = stored;
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
        stored.remaining = g.remaining;
        stored.windowIndex = g.windowIndex;
        stored.usedInWindow = g.usedInWindow;
        stored.slackOre = g.slackOre;
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

    /// @dev The EIP-712 digest of a struct hash in the hub's domain: keccak256(0x1901 ‖ domain
    /// separator ‖ struct hash).
    function _hashTypedData(bytes32 structHash) private view returns (bytes32 digest) {
        bytes32 separator = block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), separator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(
                _DOMAIN_TYPEHASH, _DOMAIN_NAME_HASH, _DOMAIN_VERSION_HASH, block.chainid, address(this)
            )
        );
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

    function closePeriod(MunicipalityId municipality)
        external
        onlyMunicipalRole(municipality, FINANCE_OFFICER_ROLE)
        returns (PeriodId closed)
    {
        Clock memory clock = _clocks[municipality];
        closed = clock.openPeriod;
        _periods[_periodKey(municipality, closed)].accruedOre = clock.openAccruedOre;
        emit PeriodClosed(municipality, closed, clock.openAccruedOre);
        _openPeriod(municipality, PeriodId.wrap(PeriodId.unwrap(closed) + 1), clock.paused);
    }

    function proposeSettlement(MunicipalityId municipality, PeriodId period, uint256 expectedTotalOre)
        external
        onlyMunicipalRole(municipality, FINANCE_OFFICER_ROLE)
    {
        _requireClosed(municipality, period);
        uint256 key = _periodKey(municipality, period);
        Settlement storage s = _settlements[key];
        if (s.status != SettlementStatus.None) {
            revert SettlementNotProposable(municipality, period, uint8(s.status));
        }
        uint256 accrued = _periods[key].accruedOre;
        if (expectedTotalOre != accrued) {
            revert SettlementTotalMismatch(municipality, period, expectedTotalOre, accrued);
        }
        s.proposer = msg.sender;
        s.proposedAt = uint40(block.timestamp);
        s.status = SettlementStatus.Proposed;
        emit SettlementProposed(municipality, period, msg.sender, accrued);
    }

    function cancelSettlement(MunicipalityId municipality, PeriodId period) external {
        (, uint256 key) = _proposedSettlement(municipality, period);
        delete _settlements[key];
        emit SettlementCancelled(municipality, period, msg.sender);
    }

    function approveSettlement(MunicipalityId municipality, PeriodId period) external {
        (Settlement storage s, uint256 key) = _proposedSettlement(municipality, period);
        if (s.proposer == msg.sender) revert SettlementSelfApproval(municipality, period, msg.sender);
        s.approver = msg.sender;
        s.approvedAt = uint40(block.timestamp);
        uint128 accrued = _periods[key].accruedOre;
        // A period with nothing accrued is settled the moment it is approved.
        s.status = accrued == 0 ? SettlementStatus.Paid : SettlementStatus.Approved;
        emit SettlementApproved(municipality, period, msg.sender);
        if (accrued == 0) emit PeriodSettled(municipality, period, 0);
    }

    function payout(MunicipalityId municipality, PeriodId period, ProviderId[] calldata providers)
        external
        onlyMunicipalRole(municipality, FINANCE_OFFICER_ROLE)
        returns (uint256 paidOre)
    {
        if (_clocks[municipality].paused) revert MunicipalityPaused(municipality);
        uint256 key = _periodKey(municipality, period);
        Settlement storage s = _settlements[key];
        if (s.status != SettlementStatus.Approved) revert SettlementNotApproved(municipality, period);

        // Each claim is marked paid and cleared before its transfer. The period's and the
        // municipality's totals are read and written only after the loop, so no value read
        // before a transfer is written after it (and eKrone, the hub's own token, runs no
        // outside code in a transfer). Collecting the transfers for a second loop would cost
        // about 500 gas per provider.
        mapping(uint256 => uint256) storage paid = _paidProviders[key];
        IERC20 token = _token();
        for (uint256 i; i < providers.length; ++i) {
            ProviderId provider = providers[i];
            uint256 amountOre = _clearClaim(municipality, period, paid, provider);
            address to = _payoutOf(provider);
            emit ProviderPaid(municipality, period, provider, to, amountOre);
            paidOre += amountOre;
            token.safeTransfer(to, amountOre);
        }
        PeriodTotals storage totals = _periods[key];
        // Safe cast: every claim paid here is part of the period's 128-bit accrued total.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint128 paidTotal = totals.paidOre + uint128(paidOre);
        totals.paidOre = paidTotal;
        _takeEscrow(municipality, paidOre);
        if (paidTotal == totals.accruedOre) {
            s.status = SettlementStatus.Paid;
            emit PeriodSettled(municipality, period, paidTotal);
        }
    }

    /// @dev A settlement awaiting approval, once the caller is checked to be a finance officer
    /// of the municipality.
    function _proposedSettlement(MunicipalityId municipality, PeriodId period)
        private
        view
        returns (Settlement storage s, uint256 key)
    {
        _checkMunicipalRole(municipality, FINANCE_OFFICER_ROLE);
        key = _periodKey(municipality, period);
        s = _settlements[key];
        if (s.status != SettlementStatus.Proposed) revert SettlementNotProposed(municipality, period);
    }

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

    function setPaused(MunicipalityId municipality, bool paused)
        external
        onlyMunicipalRole(municipality, PAUSER_ROLE)
    {
        _clocks[municipality].paused = paused;
        emit PausedSet(municipality, paused);
    }

    function _openFirstPeriod(MunicipalityId municipality) internal override {
        _openPeriod(municipality, PeriodId.wrap(1), false);
    }

    /// @dev Opens `period` for the municipality with nothing accrued; a pause carries over.
    function _openPeriod(MunicipalityId municipality, PeriodId period, bool paused) private {
        _clocks[municipality] =
            Clock({openPeriod: period, openedAt: uint40(block.timestamp), paused: paused, openAccruedOre: 0});
        emit PeriodOpened(municipality, period);
    }

    // =================================================================== internals

    /// @dev The program's rules and municipality, once the caller is checked to hold `role` in
    /// that municipality.
    function _programAs(ProgramId program, bytes32 role)
        private
        view
        returns (ProgramRules storage rules, MunicipalityId municipality)
    {
        rules = _existingRules(program);
        municipality = rules.municipality;
        _checkMunicipalRole(municipality, role);
    }

    function _existingRules(ProgramId program) private view returns (ProgramRules storage rules) {
        rules = _rules[program];
        if (rules.validUntil == 0) revert ProgramUnknown(program);
    }

    function _existingGrant(bytes32 account, ProgramId program) private view returns (Grant storage g) {
        g = _grantOf(account, program);
        if (!g.exists) revert GrantUnknown(account, program);
    }

    /// @dev The account is active and enrolled in `municipality`.
    function _requireActiveAccountOf(bytes32 account, MunicipalityId municipality) private view {
        AccountRecord memory a = _accounts[account];
        if (a.status != AccountStatus.None && !(a.municipality == municipality)) {
            revert AccountMunicipalityMismatch(account, a.municipality, municipality);
        }
        if (a.status != AccountStatus.Active) revert AccountNotActive(account, a.status);
    }

    function _requireClosed(MunicipalityId municipality, PeriodId period) private view {
        uint32 id = PeriodId.unwrap(period);
        if (id == 0 || id >= PeriodId.unwrap(_clocks[municipality].openPeriod)) {
            revert PeriodNotClosed(municipality, period);
        }
    }

    /// @dev The place of `partner` in a packed list (or _MAX_PARTNERS) and its first free place
    /// (or _MAX_PARTNERS).
    function _findPartner(uint256 list, MunicipalityId partner)
        private
        pure
        returns (uint256 index, uint256 freeIndex)
    {
        index = _MAX_PARTNERS;
        freeIndex = _MAX_PARTNERS;
        uint16 wanted = MunicipalityId.unwrap(partner);
        for (uint256 i; i < _MAX_PARTNERS; ++i) {
            // Safe cast: takes place i of the list on purpose.
            // forge-lint: disable-next-line(unsafe-typecast)
            uint16 code = uint16(list >> (16 * i));
            if (code == wanted) index = i;
            else if (code == 0 && freeIndex == _MAX_PARTNERS) freeIndex = i;
        }
    }

    /// @dev Promises `amount` (øre or uses) of a program's free budget to a grant.
    function _commit(ProgramRules storage rules, ProgramId program, uint64 amount) private {
        if (amount == 0) revert GrantAmountZero();
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

    /// @dev The storage slot of an account's grant in a program: keccak256(account, seed | program)
    /// with a seed whose upper 192 bits come from a hash, so the 64-byte preimage can equal no
    /// Solidity mapping's (whose second word is a small slot number or a hash) and no two
    /// (account, program) pairs share a slot.
    function _grantOf(bytes32 account, ProgramId program) private pure returns (Grant storage g) {
        uint256 word = _GRANT_SEED | ProgramId.unwrap(program);
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, word)
            g.slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev One word per (municipality, period): the code above the period id.
    function _periodKey(MunicipalityId municipality, PeriodId period) private pure returns (uint256) {
        return (uint256(MunicipalityId.unwrap(municipality)) << 32) | PeriodId.unwrap(period);
    }

    /// @dev One word per (municipality, period, provider), so a claim costs one hash, not three.
    function _claimKey(MunicipalityId municipality, PeriodId period, ProviderId provider)
        private
        pure
        returns (uint256)
    {
        return (_periodKey(municipality, period) << 32) | ProviderId.unwrap(provider);
    }

    // =================================================================== views

    function openPeriod(MunicipalityId municipality)
        external
        view
        returns (PeriodId period, uint40 openedAt, uint128 accruedOre)
    {
        Clock memory clock = _clocks[municipality];
        return (clock.openPeriod, clock.openedAt, clock.openAccruedOre);
    }

    function programRules(ProgramId program) external view returns (ProgramRules memory) {
        return _rules[program];
    }

    function programFunds(ProgramId program) external view returns (ProgramFunds memory) {
        return _funds[program];
    }

    function programMunicipality(ProgramId program) external view returns (MunicipalityId) {
        return _rules[program].municipality;
    }

    function isProgramProvider(ProgramId program, ProviderId provider) external view returns (bool) {
        return _programProviders[program][provider];
    }

    function isProgramPartner(ProgramId program, MunicipalityId partner) external view returns (bool) {
        if (MunicipalityId.unwrap(partner) == 0) return false;
        (uint256 index,) = _findPartner(_partners[program], partner);
        return index != _MAX_PARTNERS;
    }

    function accountStatus(bytes32 account) external view returns (AccountStatus) {
        return _accounts[account].status;
    }

    function accountMunicipality(bytes32 account) external view returns (MunicipalityId) {
        return _accounts[account].municipality;
    }

    function grantOf(bytes32 account, ProgramId program) external view returns (Grant memory g) {
        g = _grantOf(account, program);
        // After the end nothing is left to use; the escrow behind it waits for reclaim.
        if (block.timestamp >= _rules[program].validUntil) g.remaining = 0;
    }

    function grantEscrowOf(bytes32 account, ProgramId program) external view returns (uint256) {
        return _escrowOf(_rules[program], _grantOf(account, program));
    }

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

    function nextWindowStart(ProgramId program) external view returns (uint40) {
        ProgramRules memory rules = _rules[program];
        if (rules.windowSeconds == 0 || block.timestamp < rules.validFrom) return rules.validFrom;
        uint32 index = UsageWindow.indexAt(block.timestamp, rules.validFrom, rules.windowSeconds);
        return UsageWindow.startOf(index + 1, rules.validFrom, rules.windowSeconds);
    }

    function redemptionDigest(Redemption calldata r) external view returns (bytes32) {
        return _hashTypedData(_hashRedemption(r));
    }
}
