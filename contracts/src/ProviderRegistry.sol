// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {MunicipalAccess} from "./MunicipalAccess.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
import {IVoucherHubEvents} from "./interfaces/IVoucherHubEvents.sol";
import {MunicipalityId, ProviderId} from "./types/Ids.sol";
import {Admission, Provider, Terminal, TerminalRecord} from "./types/Records.sol";

/// @title Provider registry
/// @notice The hub's providers: registered once by their home municipality, which manages
/// their payout address and terminals, and admitted per municipality with the categories they
/// may take vouchers for there. Also each terminal's used redemption ids. See {IVoucherHub}.
abstract contract ProviderRegistry is IVoucherHubEvents, MunicipalAccess {
    IEKrone private immutable _ekrone;

    mapping(ProviderId => Provider) private _providers;
    /// @dev Keyed by {_admissionKey}(municipality, provider): one hash per redemption.
    mapping(uint256 admissionKey => Admission) private _admissions;
    mapping(address terminal => TerminalRecord) private _terminals;
    /// @dev Used redemption ids of a terminal's older blocks: block (id / 128) => 128 bits.
    mapping(address terminal => mapping(uint256 idBlock => uint256)) private _olderRedemptions;
    /// @dev How many providers pay out to an address, so it stays an eKrone participant
    /// exactly while one does.
    mapping(address => uint256) private _payoutUsers;

    constructor(IEKrone ekrone_) {
        _ekrone = ekrone_;
    }

    // =================================================================== providers and terminals

    function registerProvider(
        MunicipalityId municipality,
        ProviderId provider,
        address payoutAddress,
        uint32 categories
    ) external onlyMunicipalRole(municipality, PROVIDER_REGISTRAR_ROLE) {
        if (ProviderId.unwrap(provider) == 0) revert ProviderIdInvalid();
        if (_providers[provider].payout != address(0)) revert ProviderAlreadyRegistered(provider);
        if (payoutAddress == address(0)) revert ProviderPayoutInvalid(payoutAddress);
        _providers[provider] = Provider({payout: payoutAddress, home: municipality});
        _admissions[_admissionKey(municipality, provider)] = Admission({categories: categories, active: true});
        emit ProviderRegistered(municipality, provider, payoutAddress, categories);
        emit ProviderAdmitted(municipality, provider, categories, true);
        _addPayoutUser(payoutAddress);
    }

    function admitProvider(MunicipalityId municipality, ProviderId provider, uint32 categories, bool active)
        external
        onlyMunicipalRole(municipality, PROVIDER_REGISTRAR_ROLE)
    {
        _existingProvider(provider);
        _admissions[_admissionKey(municipality, provider)] =
            Admission({categories: categories, active: active});
        emit ProviderAdmitted(municipality, provider, categories, active);
    }

    function revokeTerminal(address terminal) external {
        TerminalRecord storage t = _terminals[terminal];
        if (!t.active) revert TerminalNotRegistered(terminal);
        ProviderId provider = t.provider;
        _checkMunicipalRole(_providers[provider].home, PROVIDER_REGISTRAR_ROLE);
        t.active = false;
        emit TerminalRevoked(provider, terminal);
    }

    // =================================================================== for the hub

    // Pairing terminals and changing payouts, with or without the provider's consent, run in
    // the providers' extension ({VoucherHubProviders}).

    /// @dev Changes where an existing provider is paid.
    function _setPayout(ProviderId provider, address payoutAddress) internal {
        _requirePayout(payoutAddress);
        Provider storage p = _providers[provider];
        address previous = p.payout;
        p.payout = payoutAddress;
        emit ProviderPayoutUpdated(provider, payoutAddress);
        if (previous != payoutAddress) {
            _addPayoutUser(payoutAddress);
            _removePayoutUser(previous);
        }
    }

    function _requirePayout(address payoutAddress) internal pure {
        if (payoutAddress == address(0)) revert ProviderPayoutInvalid(payoutAddress);
    }

    /// @dev Pairs a terminal with an existing provider.
    function _addTerminal(ProviderId provider, address terminal) internal {
        _requireNewTerminal(terminal);
        _terminals[terminal] =
            TerminalRecord({provider: provider, active: true, recentBlock: 0, recentIds: 0});
        emit TerminalAdded(provider, terminal);
    }

    /// @dev A revoked terminal address stays burnt: a re-paired device gets a new key.
    function _requireNewTerminal(address terminal) internal view {
        if (ProviderId.unwrap(_terminals[terminal].provider) != 0) {
            revert TerminalAlreadyRegistered(terminal);
        }
    }

    /// @dev Checks that the terminal is active and belongs to `provider`, and marks its
    /// redemption `id` used.
    function _useTerminal(address terminal, ProviderId provider, uint256 id) internal {
        TerminalRecord memory t = _terminals[terminal];
        if (!t.active) revert TerminalNotRegistered(terminal);
        if (!(t.provider == provider)) revert TerminalProviderMismatch(terminal, provider, t.provider);
        if (!_markRedemptionUsed(terminal, t, id)) revert RedemptionAlreadyUsed(terminal, id);
    }

    function _admissionOf(MunicipalityId municipality, ProviderId provider)
        internal
        view
        returns (Admission storage)
    {
        return _admissions[_admissionKey(municipality, provider)];
    }

    function _payoutOf(ProviderId provider) internal view returns (address) {
        return _providers[provider].payout;
    }

    function _token() internal view returns (IERC20) {
        return IERC20(address(_ekrone));
    }

    function _eKrone() internal view returns (IEKrone) {
        return _ekrone;
    }

    // =================================================================== internals

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

    function _existingProvider(ProviderId provider) internal view returns (Provider storage p) {
        p = _providers[provider];
        if (p.payout == address(0)) revert ProviderUnknown(provider);
    }

    function _addPayoutUser(address payoutAddress) private {
        if (_payoutUsers[payoutAddress]++ == 0) _ekrone.setParticipant(payoutAddress, true);
    }

    /// @dev An address no provider pays out to any more leaves the eKrone participants; it can
    /// still burn (cash out) what it holds.
    function _removePayoutUser(address payoutAddress) private {
        if (--_payoutUsers[payoutAddress] == 0) _ekrone.setParticipant(payoutAddress, false);
    }

    /// @dev One word per (municipality, provider).
    function _admissionKey(MunicipalityId municipality, ProviderId provider) private pure returns (uint256) {
        return (uint256(MunicipalityId.unwrap(municipality)) << 32) | ProviderId.unwrap(provider);
    }

    // =================================================================== views

    function ekrone() external view returns (address) {
        return address(_ekrone);
    }

    function providerOf(ProviderId provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    function admissionOf(MunicipalityId municipality, ProviderId provider)
        external
        view
        returns (Admission memory)
    {
        return _admissions[_admissionKey(municipality, provider)];
    }

    function terminalOf(address terminal) external view returns (Terminal memory) {
        TerminalRecord memory t = _terminals[terminal];
        return Terminal({provider: t.provider, active: t.active});
    }

    function isRedemptionUsed(address terminal, uint256 id) external view returns (bool) {
        return _isRedemptionUsed(terminal, id);
    }

    /// @dev Whether the terminal's redemption (or reversal) `id` was taken by the hub.
    function _isRedemptionUsed(address terminal, uint256 id) internal view returns (bool) {
        TerminalRecord memory t = _terminals[terminal];
        uint256 idBlock = id >> 7;
        // forge-lint: disable-next-line(incorrect-shift)
        uint256 bit = 1 << (id & 0x7f);
        if (idBlock == t.recentBlock) return t.recentIds & bit != 0;
        return _olderRedemptions[terminal][idBlock] & bit != 0;
    }
}
