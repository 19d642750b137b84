// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC7913SignatureVerifier} from "@openzeppelin/contracts/interfaces/IERC7913.sol";

import {HubState} from "./HubState.sol";
import {MunicipalAccess} from "./MunicipalAccess.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
import {IVoucherHubProviders} from "./interfaces/IVoucherHubProviders.sol";
import {ProviderId} from "./types/Ids.sol";
import {Announcement, OfficerSignature, ProviderChange} from "./types/Records.sol";

/// @title Voucher hub: providers' consent to their terminals and payout accounts
/// @notice A provider with an admin passkey (its own, on its admin page) decides who redeems and
/// where it is paid: a new terminal, payout account or admin key takes effect at once only with
/// that key's signature. The home registrar's own changes become announcements, effective
/// after {PROVIDER_NOTICE}, which the provider is told of (the events) and can object to with
/// its key. A provider without an admin key is managed by its registrar as before. Runs only in
/// the hub's storage, reached through the officers' extension. See {IVoucherHubProviders}.
contract VoucherHubProviders is IVoucherHubProviders, HubState {
    bytes32 public constant PROVIDER_ACTION_TYPEHASH =
        keccak256("ProviderAction(bytes32 action,uint32 provider,bytes32 subject,uint40 deadline)");

    // What a provider admin's signature authorises: the `action` of a ProviderAction.
    bytes32 public constant ADD_TERMINAL = keccak256("AddTerminal");
    bytes32 public constant UPDATE_PAYOUT = keccak256("UpdatePayout");
    bytes32 public constant REPLACE_ADMIN_KEY = keccak256("ReplaceAdminKey");
    bytes32 public constant CANCEL_ANNOUNCEMENT = keccak256("CancelAnnouncement");

    /// @notice How long a registrar's change to a provider with an admin key waits, so the
    /// provider can object.
    uint256 public constant PROVIDER_NOTICE = 72 hours;

    /// @dev The stateless WebAuthn verifier the officers' extension uses too.
    IERC7913SignatureVerifier private immutable _passkeyVerifier;

    /// @dev Deployed with the hub's eKrone; its own storage and roles are never used.
    constructor(IEKrone ekrone_, address admin, IERC7913SignatureVerifier passkeyVerifier)
        MunicipalAccess(0, admin)
        ProviderRegistry(ekrone_)
    {
        _passkeyVerifier = passkeyVerifier;
    }

    // =================================================================== by the home registrar

    function addTerminal(ProviderId provider, address terminal) external throughHub {
        _checkRegistrarOf(provider);
        if (_providerAdmins[provider] == address(0)) {
            _addTerminal(provider, terminal);
        } else {
            _requireNewTerminal(terminal);
            _announce(provider, ProviderChange.Terminal, terminal);
        }
    }

    function updateProviderPayout(ProviderId provider, address payoutAddress) external throughHub {
        _checkRegistrarOf(provider);
        if (_providerAdmins[provider] == address(0)) {
            _setPayout(provider, payoutAddress);
        } else {
            _requirePayout(payoutAddress);
            _announce(provider, ProviderChange.Payout, payoutAddress);
        }
    }

    function setProviderAdminKey(ProviderId provider, bytes32 qx, bytes32 qy)
        external
        throughHub
        returns (address account)
    {
        _checkRegistrarOf(provider);
        account = _publishPasskey(qx, qy);
        // The first key is set at once (onboarding); replacing it is announced.
        if (_providerAdmins[provider] == address(0)) _setAdmin(provider, account);
        else _announce(provider, ProviderChange.AdminKey, account);
    }

    // =================================================================== by the provider's admin key

    function addTerminalSigned(ProviderId provider, address terminal, OfficerSignature calldata sig)
        external
        throughHub
    {
        _signedByAdmin(ADD_TERMINAL, provider, _word(terminal), sig);
        _addTerminal(provider, terminal);
    }

    function updateProviderPayoutSigned(
        ProviderId provider,
        address payoutAddress,
        OfficerSignature calldata sig
    ) external throughHub {
        _signedByAdmin(UPDATE_PAYOUT, provider, _word(payoutAddress), sig);
        _setPayout(provider, payoutAddress);
    }

    function replaceProviderAdminKeySigned(
        ProviderId provider,
        bytes32 qx,
        bytes32 qy,
        OfficerSignature calldata sig
    ) external throughHub returns (address account) {
        account = _publishPasskey(qx, qy);
        _signedByAdmin(REPLACE_ADMIN_KEY, provider, _word(account), sig);
        _setAdmin(provider, account);
    }

    function cancelAnnouncementSigned(bytes32 announcement, OfficerSignature calldata sig)
        external
        throughHub
    {
        ProviderId provider = _pending(announcement).provider;
        address signer = _signedByAdmin(CANCEL_ANNOUNCEMENT, provider, announcement, sig);
        delete _announcements[announcement];
        emit ProviderChangeCancelled(provider, announcement, signer);
    }

    // =================================================================== by anyone, after the notice

    function activateAnnouncement(bytes32 announcement) external throughHub {
        Announcement memory a = _pending(announcement);
        if (block.timestamp < a.effectiveAt) revert AnnouncementNotDue(announcement, a.effectiveAt);
        delete _announcements[announcement];
        emit ProviderChangeActivated(a.provider, announcement);
        if (a.change == ProviderChange.Terminal) _addTerminal(a.provider, a.subject);
        else if (a.change == ProviderChange.Payout) _setPayout(a.provider, a.subject);
        else _setAdmin(a.provider, a.subject);
    }

    // =================================================================== internals

    function _checkRegistrarOf(ProviderId provider) private view {
        _checkMunicipalRole(_existingProvider(provider).home, PROVIDER_REGISTRAR_ROLE);
    }

    function _setAdmin(ProviderId provider, address account) private {
        _providerAdmins[provider] = account;
        emit ProviderAdminKeySet(provider, account);
    }

    /// @dev Records the registrar's change; it takes effect after the notice unless the
    /// provider's admin objects. One pending announcement per (provider, change, subject).
    function _announce(ProviderId provider, ProviderChange change, address subject) private {
        bytes32 id = announcementId(provider, change, subject);
        if (_announcements[id].change != ProviderChange.None) revert AnnouncementPending(id);
        // Safe cast: a timestamp 72 hours on fits 40 bits for 34,000 years.
        // forge-lint: disable-next-line(unsafe-typecast)
        uint40 effectiveAt = uint40(block.timestamp + PROVIDER_NOTICE);
        _announcements[id] =
            Announcement({provider: provider, change: change, effectiveAt: effectiveAt, subject: subject});
        emit ProviderChangeAnnounced(provider, id, change, subject, effectiveAt);
    }

    function _pending(bytes32 announcement) private view returns (Announcement memory a) {
        a = _announcements[announcement];
        if (a.change == ProviderChange.None) revert AnnouncementUnknown(announcement);
    }

    /// @dev Checks the provider's admin passkey signature over the action and uses it up;
    /// returns the admin's account.
    function _signedByAdmin(
        bytes32 action,
        ProviderId provider,
        bytes32 subject,
        OfficerSignature calldata sig
    ) private returns (address signer) {
        signer = sig.signer;
        if (block.timestamp > sig.deadline) revert ProviderSignatureExpired(signer, sig.deadline);
        address current = _providerAdmins[provider];
        if (current == address(0)) revert ProviderAdminUnknown(provider);
        if (signer != current) revert ProviderSignerNotAdmin(provider, signer);
        bytes32 digest = providerActionDigest(action, provider, subject, sig.deadline);
        if (_usedOfficerDigests[signer][digest]) revert ProviderSignatureUsed(digest);
        _usedOfficerDigests[signer][digest] = true;
        if (!_passkeyVerifies(_passkeyVerifier, signer, digest, sig.auth)) {
            revert ProviderSignatureInvalid(signer);
        }
        emit ProviderAdminSigned(provider, signer, action, digest);
    }

    function _word(address account) private pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }

    // =================================================================== views

    function providerAdminOf(ProviderId provider) external view returns (address) {
        return _providerAdmins[provider];
    }

    function announcementOf(bytes32 announcement) external view returns (Announcement memory) {
        return _announcements[announcement];
    }

    function announcementId(ProviderId provider, ProviderChange change, address subject)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(provider, change, subject));
    }

    function providerActionDigest(bytes32 action, ProviderId provider, bytes32 subject, uint40 deadline)
        public
        view
        returns (bytes32)
    {
        return
            _hashTypedData(
                keccak256(abi.encode(PROVIDER_ACTION_TYPEHASH, action, provider, subject, deadline))
            );
    }
}
