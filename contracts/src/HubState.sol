// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC7913SignatureVerifier} from "@openzeppelin/contracts/interfaces/IERC7913.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {ProviderRegistry} from "./ProviderRegistry.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "./types/Ids.sol";
import {
    Clock,
    Grant,
    PeriodTotals,
    ProgramFunds,
    ProgramKind,
    ProgramRules,
    Redemption,
    Settlement,
    SettlementStatus,
    AccountRecord,
    Funding,
    Ledger,
    Passkey,
    Announcement
} from "./types/Records.sol";

/// @title Voucher hub state
/// @notice The hub's storage and the helpers both of its parts use: {VoucherHub} (programs,
/// accounts, grants, redemption) and {VoucherHubPeriods} (periods, settlement, corrections),
/// which the hub runs by delegatecall. Both inherit exactly this layout, so they read and
/// write the same slots; new state is only ever appended here.
abstract contract HubState is ProviderRegistry {
    /// @notice How far ahead of the block a redemption's deadline may lie. Bounding it lets a
    /// void tell the usage window the redemption fell in (see VoucherHubPeriods._uncountUse).
    uint256 public constant MAX_DEADLINE_LEAD = 2 hours;

    bytes32 public constant REDEMPTION_TYPEHASH = keccak256(
        "Redemption(uint256 id,bytes32 account,uint64 program,uint32 provider,uint64 amountOre,uint40 deadline)"
    );

    bytes32 private constant _DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant _DOMAIN_NAME_HASH = keccak256("VoucherHub");
    bytes32 private constant _DOMAIN_VERSION_HASH = keccak256("1");

    /// @dev Where this code was deployed: the extensions run only in the hub's storage.
    address private immutable _deployedAt = address(this);

    /// @dev See {_grantOf}.
    uint256 private constant _GRANT_SEED = uint256(keccak256("VoucherHub.grants")) << 64;

    mapping(MunicipalityId => Clock) internal _clocks;
    mapping(ProgramId => ProgramRules) internal _rules;
    mapping(ProgramId => ProgramFunds) internal _funds;
    mapping(ProgramId => mapping(ProviderId => bool)) internal _programProviders;
    /// @dev Municipalities whose admitted providers a program also accepts: eight 16-bit codes
    /// in one word, place i at bits 16i..16i+15; 0 marks a free place.
    mapping(ProgramId => uint256) internal _partners;
    mapping(bytes32 account => AccountRecord) internal _accounts;
    // Grants live at {_grantOf}(account, program): one hash per redemption instead of two.
    /// @dev Øre owed per {_claimKey}(municipality, period, provider); cleared when paid.
    mapping(uint256 claimKey => uint256) internal _claims;
    /// @dev Per {_periodKey}(municipality, period), the providers already paid (bitmap by id).
    mapping(uint256 periodKey => mapping(uint256 => uint256)) internal _paidProviders;
    mapping(uint256 periodKey => PeriodTotals) internal _periods;
    mapping(uint256 periodKey => Settlement) internal _settlements;

    /// @dev What a provider owes its municipality from refunds its claim did not cover, per
    /// (municipality, provider) as in {_admissionKey}; set off against its next payouts.
    mapping(uint256 receivableKey => uint256) internal _receivables;
    /// @dev Øre given back so far of each redemption, by keccak256(terminal, redemption id).
    mapping(bytes32 redemptionKey => uint256) internal _reversedOre;

    /// @dev Officers' passkeys by the account address each acts as (see {Passkey}).
    mapping(address account => Passkey) internal _passkeys;
    /// @dev Passkey signatures already used, by the signer's account and the EIP-712 digest it
    /// signed: each authorises one call. Keyed by the signer too, so two officers who sign the
    /// same action with the same deadline (a proposal and its approval in the same second) do
    /// not use up each other's signature.
    mapping(address signer => mapping(bytes32 digest => bool)) internal _usedOfficerDigests;
    /// @dev Fundings by keccak256(municipality, idempotency key).
    mapping(bytes32 fundingSlot => Funding) internal _fundings;
    /// @dev Each municipality's eKrone minted, burned and waiting for the bank.
    mapping(MunicipalityId => Ledger) internal _ledgers;
    /// @dev Øre paid to a provider on chain and not yet confirmed by the bank, per {_claimKey}.
    mapping(uint256 claimKey => uint256) internal _inTransit;
    /// @dev Request keys of receivables settled by a treasury officer's signature, by
    /// keccak256(municipality, request key): each brings money in once.
    mapping(bytes32 requestSlot => bool) internal _receivableRequests;
    /// @dev Each provider's admin passkey, by the account it acts as; none (0) leaves the
    /// provider's terminals and payout to its registrar alone, as before.
    mapping(ProviderId => address) internal _providerAdmins;
    /// @dev Registrars' changes to providers with an admin key, waiting for their notice.
    mapping(bytes32 announcement => Announcement) internal _announcements;

    /// @dev For the extensions: refuses a call made to the extension itself instead of by
    /// delegatecall from the hub.
    modifier throughHub() {
        if (address(this) == _deployedAt) revert NotThroughHub();
        _;
    }

    /// @dev Runs `target`'s code in this contract's storage with the caller and data unchanged,
    /// and returns or reverts with what it did: how the hub reaches its extensions.
    function _forwardTo(address target) internal {
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @dev Publishes a P-256 public key as a passkey (once); returns the account it acts as.
    function _publishPasskey(bytes32 qx, bytes32 qy) internal returns (address account) {
        if (!P256.isValidPublicKey(qx, qy)) revert PasskeyInvalid();
        account = _passkeyAccount(qx, qy);
        if (_passkeys[account].qx == 0) {
            _passkeys[account] = Passkey({qx: qx, qy: qy});
            emit PasskeyRegistered(account, qx, qy);
        }
    }

    function _passkeyAccount(bytes32 qx, bytes32 qy) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(qx, qy)))));
    }

    /// @dev Whether `signer`'s published passkey made the WebAuthn assertion `auth` over
    /// `digest`, by the stateless verifier.
    function _passkeyVerifies(
        IERC7913SignatureVerifier verifier,
        address signer,
        bytes32 digest,
        bytes calldata auth
    ) internal view returns (bool) {
        Passkey memory key = _passkeys[signer];
        if (key.qx == 0) revert PasskeyUnknown(signer);
        return verifier.verify(abi.encodePacked(key.qx, key.qy), digest, auth)
            == IERC7913SignatureVerifier.verify.selector;
    }

    /// @dev The EIP-712 domain separator {name: "VoucherHub", version: "1", chainId, hub}.
    function _domainSeparator() internal view virtual returns (bytes32) {
        return _buildDomainSeparator();
    }

    /// @dev One word per (municipality, provider), as admissions are keyed.
    function _receivableKey(MunicipalityId municipality, ProviderId provider)
        internal
        pure
        returns (uint256)
    {
        return (uint256(MunicipalityId.unwrap(municipality)) << 32) | ProviderId.unwrap(provider);
    }

    /// @dev The program's rules and municipality, once the caller is checked to hold `role` in
    /// that municipality.
    function _programAs(ProgramId program, bytes32 role)
        internal
        view
        returns (ProgramRules storage rules, MunicipalityId municipality)
    {
        rules = _existingRules(program);
        municipality = rules.municipality;
        _checkMunicipalRole(municipality, role);
    }

    function _existingRules(ProgramId program) internal view returns (ProgramRules storage rules) {
        rules = _rules[program];
        if (rules.validUntil == 0) revert ProgramUnknown(program);
    }

    function _existingGrant(bytes32 account, ProgramId program) internal view returns (Grant storage g) {
        g = _grantOf(account, program);
        if (!g.exists) revert GrantUnknown(account, program);
    }

    function _requireClosed(MunicipalityId municipality, PeriodId period) internal view {
        uint32 id = PeriodId.unwrap(period);
        if (id == 0 || id >= PeriodId.unwrap(_clocks[municipality].openPeriod)) {
            revert PeriodNotClosed(municipality, period);
        }
    }

    /// @dev Returns escrow a grant gave up to the program's free budget.
    function _release(ProgramId program, uint256 amountOre) internal {
        if (amountOre == 0) return;
        ProgramFunds storage funds = _funds[program];
        // Safe cast: the amount was taken from this program's free budget and the free budget
        // plus everything promised never exceeds what was funded, a 128-bit value.
        // forge-lint: disable-next-line(unsafe-typecast)
        funds.freeOre += uint128(amountOre);
    }

    /// @dev What a grant of `amount` promises in øre: the credit itself, or each use at its cap.
    function _commitmentOf(ProgramRules storage rules, uint64 amount) internal view returns (uint256) {
        return rules.kind == ProgramKind.Credit ? amount : uint256(amount) * rules.maxPerUseOre;
    }

    /// @dev The escrow a grant still holds: what it promises plus its slack.
    function _escrowOf(ProgramRules storage rules, Grant storage g) internal view returns (uint256) {
        return _commitmentOf(rules, g.remaining) + g.slackOre;
    }

    /// @dev The storage slot of an account's grant in a program: keccak256(account, seed | program)
    /// with a seed whose upper 192 bits come from a hash, so the 64-byte preimage can equal no
    /// Solidity mapping's (whose second word is a small slot number or a hash) and no two
    /// (account, program) pairs share a slot.
    function _grantOf(bytes32 account, ProgramId program) internal pure returns (Grant storage g) {
        uint256 word = _GRANT_SEED | ProgramId.unwrap(program);
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, word)
            g.slot := keccak256(0x00, 0x40)
        }
    }

    /// @dev One word per (municipality, period): the code above the period id.
    function _periodKey(MunicipalityId municipality, PeriodId period) internal pure returns (uint256) {
        return (uint256(MunicipalityId.unwrap(municipality)) << 32) | PeriodId.unwrap(period);
    }

    /// @dev One word per (municipality, period, provider), so a claim costs one hash, not three.
    function _claimKey(MunicipalityId municipality, PeriodId period, ProviderId provider)
        internal
        pure
        returns (uint256)
    {
        return (_periodKey(municipality, period) << 32) | ProviderId.unwrap(provider);
    }

    /// @dev The EIP-712 digest of a struct hash in the hub's domain: keccak256(0x1901 ‖ domain
    /// separator ‖ struct hash).
    function _hashTypedData(bytes32 structHash) internal view returns (bytes32 digest) {
        bytes32 separator = _domainSeparator();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), separator)
            mstore(add(ptr, 0x22), structHash)
            digest := keccak256(ptr, 0x42)
        }
    }

    function _buildDomainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                _DOMAIN_TYPEHASH, _DOMAIN_NAME_HASH, _DOMAIN_VERSION_HASH, block.chainid, address(this)
            )
        );
    }

    function _hashRedemption(Redemption calldata r) internal pure returns (bytes32) {
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

    // ------------------------------------------------------------------ settlement steps, by
    // role (the periods extension) or by an officer's signature (the officers extension)

    /// @dev Closes the open period with what accrued in it and opens the next.
    function _closePeriod(MunicipalityId municipality) internal returns (PeriodId closed) {
        Clock memory clock = _clocks[municipality];
        closed = clock.openPeriod;
        _periods[_periodKey(municipality, closed)].accruedOre = clock.openAccruedOre;
        emit PeriodClosed(municipality, closed, clock.openAccruedOre);
        _openPeriod(municipality, PeriodId.wrap(PeriodId.unwrap(closed) + 1), clock.paused);
    }

    /// @dev `officer` proposes paying a closed period; the total must be the chain's accruals.
    function _propose(MunicipalityId municipality, PeriodId period, uint256 expectedTotalOre, address officer)
        internal
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
        s.proposer = officer;
        s.proposedAt = uint40(block.timestamp);
        s.status = SettlementStatus.Proposed;
        emit SettlementProposed(municipality, period, officer, accrued);
    }

    /// @dev A second officer approves; returns the period's accrued total.
    function _approve(MunicipalityId municipality, PeriodId period, address officer)
        internal
        returns (uint256)
    {
        (Settlement storage s, uint256 key) = _proposedSettlement(municipality, period);
        if (s.proposer == officer) revert SettlementSelfApproval(municipality, period, officer);
        s.approver = officer;
        s.approvedAt = uint40(block.timestamp);
        uint128 accrued = _periods[key].accruedOre;
        // A period with nothing accrued is settled the moment it is approved.
        s.status = accrued == 0 ? SettlementStatus.Paid : SettlementStatus.Approved;
        emit SettlementApproved(municipality, period, officer);
        if (accrued == 0) emit PeriodSettled(municipality, period, 0);
        return accrued;
    }

    /// @dev A settlement awaiting approval.
    function _proposedSettlement(MunicipalityId municipality, PeriodId period)
        internal
        view
        returns (Settlement storage s, uint256 key)
    {
        key = _periodKey(municipality, period);
        s = _settlements[key];
        if (s.status != SettlementStatus.Proposed) revert SettlementNotProposed(municipality, period);
    }

    /// @dev Ends an ended program's money: its free budget and what the listed grants still
    /// hold go back to the municipality's own account in the bank, out of the scheme, so the
    /// eKrone is burned (address 0 in the event). Grants cannot be redeemed after the end.
    function _reclaim(ProgramId program, bytes32[] calldata accounts) internal returns (uint256 amountOre) {
        ProgramRules storage rules = _existingRules(program);
        if (block.timestamp < rules.validUntil) revert ProgramStillRunning(program, rules.validUntil);
        ProgramFunds storage funds = _funds[program];
        amountOre = funds.freeOre;
        funds.freeOre = 0;
        for (uint256 i; i < accounts.length; ++i) {
            Grant storage g = _existingGrant(accounts[i], program);
            uint256 value = _escrowOf(rules, g);
            if (value == 0) continue;
            g.remaining = 0;
            g.slackOre = 0;
            amountOre += value;
            emit GrantExpired(accounts[i], program, value);
        }
        emit ProgramReclaimed(program, address(0), amountOre);
        _burnEscrow(rules.municipality, amountOre);
    }

    /// @dev A provider paid back by bank `amountOre` of what it owes the municipality: its
    /// receivable shrinks, the money is recovered for the treasury and its eKrone minted.
    function _settleReceivable(MunicipalityId municipality, ProviderId provider, uint128 amountOre) internal {
        uint256 key = _receivableKey(municipality, provider);
        uint256 owed = _receivables[key];
        if (amountOre == 0 || amountOre > owed) revert ReceivableExceeded(municipality, provider, owed);
        _receivables[key] = owed - amountOre;
        _reduceReceivable(municipality, amountOre);
        _addRecovered(municipality, amountOre);
        emit ReceivableSettled(municipality, provider, amountOre);
        // The provider paid the kroner into the scheme's bank account.
        _mintEscrow(municipality, amountOre);
    }

    /// @dev Adds a funding to the program's budget and mints its eKrone for the municipality.
    function _fund(ProgramId program, MunicipalityId municipality, uint128 amountOre) internal {
        ProgramFunds storage funds = _funds[program];
        funds.fundedOre += amountOre;
        // Safe: the free budget is part of what was funded, so it fits wherever fundedOre does.
        unchecked {
            funds.freeOre += amountOre;
        }
        emit ProgramFunded(program, amountOre, funds.freeOre);
        _mintEscrow(municipality, amountOre);
    }

    /// @dev Kroner came into the scheme's bank account for the municipality: the hub mints the
    /// same eKrone to itself and holds it for the municipality.
    function _mintEscrow(MunicipalityId municipality, uint256 amountOre) internal {
        _addEscrow(municipality, amountOre);
        // Safe cast: one amount of at most 128 bits; the sum is checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        _ledgers[municipality].mintedOre += uint128(amountOre);
        _eKrone().mint(address(this), amountOre);
    }

    /// @dev Kroner left the scheme's bank account for the municipality (a provider paid, a
    /// budget returned): the hub burns the same eKrone from what it holds for it.
    function _burnEscrow(MunicipalityId municipality, uint256 amountOre) internal {
        if (amountOre == 0) return;
        _takeEscrow(municipality, amountOre);
        // Safe cast: at most the escrow just taken, a 128-bit value.
        // forge-lint: disable-next-line(unsafe-typecast)
        _ledgers[municipality].burnedOre += uint128(amountOre);
        _eKrone().burn(amountOre);
    }

    /// @dev Opens `period` for the municipality with nothing accrued; a pause carries over.
    function _openPeriod(MunicipalityId municipality, PeriodId period, bool paused) internal {
        _clocks[municipality] =
            Clock({openPeriod: period, openedAt: uint40(block.timestamp), paused: paused, openAccruedOre: 0});
        emit PeriodOpened(municipality, period);
    }

    function _openFirstPeriod(MunicipalityId municipality) internal override {
        _openPeriod(municipality, PeriodId.wrap(1), false);
    }
}
