// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ProviderId} from "../types/Ids.sol";
import {Announcement, OfficerSignature, ProviderChange} from "../types/Records.sol";
import {IVoucherHubEvents} from "./IVoucherHubEvents.sol";

/// @title Voucher hub: providers' consent to their terminals and payout accounts
/// @notice Nobody is paid to a key the service holds: a provider with an admin passkey (a
/// P-256 key on its admin page, acting as an account like an officer's passkey) consents to
/// every new terminal, payout account and admin key. Signed with that key a change takes effect
/// at once; made by the home municipality's provider registrar alone it is announced
/// ({ProviderChangeAnnounced}, with the time it takes effect), and anyone activates it after
/// {PROVIDER_NOTICE} unless the provider's admin objected ({cancelAnnouncementSigned}) first.
/// For a provider without an admin key the registrar's calls take effect at once, as before.
/// Revoking a terminal ({IVoucherHub-revokeTerminal}) stays immediate: it only takes power
/// away. Clients call these on the hub's address.
interface IVoucherHubProviders is IVoucherHubEvents {
    // A provider's admin signs on its own device a WebAuthn assertion whose challenge is the
    // EIP-712 digest (domain "VoucherHub" "1") of
    //   ProviderAction(bytes32 action, uint32 provider, bytes32 subject, uint40 deadline)
    // with `action` one of ADD_TERMINAL (subject = the terminal address), UPDATE_PAYOUT (the
    // payout address), REPLACE_ADMIN_KEY (the new key's account), CANCEL_ANNOUNCEMENT (the
    // announcement id); addresses as uint256(uint160(address)). Anyone may relay it; each
    // signature is used once, and its signer must be the provider's admin key at the time.
    // The OfficerSignature struct carries it (signer = the admin key's account).

    // ------------------------------------------------------------------ the home registrar
    /// @notice Pairs a terminal with the provider. Provider-registrar role of its home. With an
    /// admin key the pairing is announced only: the terminal redeems once it is activated.
    function addTerminal(ProviderId provider, address terminal) external;

    /// @notice Changes where the provider is paid. Provider-registrar role of its home. With an
    /// admin key the change is announced only.
    function updateProviderPayout(ProviderId provider, address payoutAddress) external;

    /// @notice Sets the provider's admin passkey (qx, qy), publishing it like
    /// {IVoucherHubOfficers-registerPasskey}; returns its account. The first key is set at once
    /// (onboarding); a replacement is announced only. Provider-registrar role of its home.
    function setProviderAdminKey(ProviderId provider, bytes32 qx, bytes32 qy)
        external
        returns (address account);

    // ------------------------------------------------------------------ the provider's admin key
    /// @notice Pairs a terminal with the provider at once, on its admin key's signature.
    function addTerminalSigned(ProviderId provider, address terminal, OfficerSignature calldata sig) external;

    /// @notice Changes the provider's payout address at once, on its admin key's signature.
    function updateProviderPayoutSigned(
        ProviderId provider,
        address payoutAddress,
        OfficerSignature calldata sig
    ) external;

    /// @notice Replaces the provider's admin key at once, on the current key's signature;
    /// returns the new key's account.
    function replaceProviderAdminKeySigned(
        ProviderId provider,
        bytes32 qx,
        bytes32 qy,
        OfficerSignature calldata sig
    ) external returns (address account);

    /// @notice The provider objects to an announced change: it is dropped. Its admin key's
    /// signature; possible until the change is activated.
    function cancelAnnouncementSigned(bytes32 announcement, OfficerSignature calldata sig) external;

    // ------------------------------------------------------------------ anyone
    /// @notice Makes an announced change take effect once its notice has passed.
    function activateAnnouncement(bytes32 announcement) external;

    // ------------------------------------------------------------------ views
    function providerAdminOf(ProviderId provider) external view returns (address);
    function announcementOf(bytes32 announcement) external view returns (Announcement memory);
    /// @notice The id of the (one pending) announcement of this change.
    function announcementId(ProviderId provider, ProviderChange change, address subject)
        external
        pure
        returns (bytes32);
    /// @notice The digest a provider's admin key signs (the WebAuthn challenge).
    function providerActionDigest(bytes32 action, ProviderId provider, bytes32 subject, uint40 deadline)
        external
        view
        returns (bytes32);
    function PROVIDER_NOTICE() external view returns (uint256);
    function PROVIDER_ACTION_TYPEHASH() external view returns (bytes32);
    function ADD_TERMINAL() external view returns (bytes32);
    function UPDATE_PAYOUT() external view returns (bytes32);
    function REPLACE_ADMIN_KEY() external view returns (bytes32);
    function CANCEL_ANNOUNCEMENT() external view returns (bytes32);
}
