// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {HubState} from "./HubState.sol";
import {MunicipalAccess} from "./MunicipalAccess.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
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
/// live in {MunicipalAccess}, providers and terminals in {ProviderRegistry}. Periods,
/// settlement and corrections run in the hub's storage from its {VoucherHubPeriods} extension,
/// which the fallback below reaches by delegatecall: one contract would exceed EIP-170's size
/// limit. Clients see one address and one ABI (the full {IVoucherHub}).
contract VoucherHub is HubState {
    /// @dev The ABI size of a SignedRedemption: a Redemption (six words) and two signature words.
    uint256 private constant _SIGNED_REDEMPTION_BYTES = 0x100;

    /// @dev Partner municipalities a program may name (one storage slot of 16-bit codes).
    uint256 private constant _MAX_PARTNERS = 8;

    /// @dev The EIP-712 domain {name: "VoucherHub", version: "1", chainId, verifyingContract},
    /// hashed once; rebuilt only on a chain that has forked away from the deployment chain.
    uint256 private immutable _cachedChainId;
    bytes32 private immutable _cachedDomainSeparator;

    /// @dev The {VoucherHubPeriods} deployed with the same eKrone; fixed for the hub's life.
    address private immutable _extension;

    constructor(IEKrone ekrone_, address admin, uint48 adminDelay, address extension)
        MunicipalAccess(adminDelay, admin)
        ProviderRegistry(ekrone_)
    {
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
        _extension = extension;
    }

    /// @dev Every call the hub does not implement itself runs the extension's code in the
    /// hub's storage, with the caller and data unchanged.
    fallback() external {
        _forwardTo(_extension);
    }

    function periodsExtension() external view returns (address) {
        return _extension;
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
        if (amountOre == 0) revert FundingAmountZero();
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        _fund(program, municipality, amountOre);
    }

    function reclaim(ProgramId program, bytes32[] calldata accounts) external returns (uint256 amountOre) {
        _programAs(program, TREASURY_ROLE);
        return _reclaim(program, accounts);
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
        if (r.deadline > block.timestamp + MAX_DEADLINE_LEAD) {
            revert RedemptionDeadlineTooFar(r.id, r.deadline);
        }
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

    // =================================================================== pause

    function setPaused(MunicipalityId municipality, bool paused)
        external
        onlyMunicipalRole(municipality, PAUSER_ROLE)
    {
        _clocks[municipality].paused = paused;
        emit PausedSet(municipality, paused);
    }

    function _domainSeparator() internal view override returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
    }

    // =================================================================== internals

    /// @dev The account is active and enrolled in `municipality`.
    function _requireActiveAccountOf(bytes32 account, MunicipalityId municipality) private view {
        AccountRecord memory a = _accounts[account];
        if (a.status != AccountStatus.None && !(a.municipality == municipality)) {
            revert AccountMunicipalityMismatch(account, a.municipality, municipality);
        }
        if (a.status != AccountStatus.Active) revert AccountNotActive(account, a.status);
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
