// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

import {MunicipalityId} from "../types/Ids.sol";
import {Municipality} from "../types/Records.sol";

/// @title Municipal access
/// @notice Municipalities on the hub and the roles each gives out inside its own walls. The
/// platform's global roles (admin, municipality registrar, relayer) give no power inside a
/// municipality: a municipality's treasury, program managers, enrolment, provider registrars,
/// finance officers and pausers act only on its programs, accounts, providers and periods.
interface IMunicipalAccess is IAccessControlDefaultAdminRules {
    // ------------------------------------------------------------------ errors
    /// @dev Zero, or above 999: not a kommunekode.
    error MunicipalityIdInvalid();
    error MunicipalityAlreadyExists(MunicipalityId municipality);
    error MunicipalityUnknown(MunicipalityId municipality);
    error MunicipalityAddressInvalid(address account);
    error MunicipalRoleUnknown(bytes32 role);
    error MunicipalUnauthorizedAccount(MunicipalityId municipality, bytes32 role, address account);

    // ------------------------------------------------------------------ events
    event MunicipalityCreated(MunicipalityId indexed municipality, address admin, address reclaimTo);
    event MunicipalRoleGranted(
        MunicipalityId indexed municipality, bytes32 indexed role, address indexed account, address sender
    );
    event MunicipalRoleRevoked(
        MunicipalityId indexed municipality, bytes32 indexed role, address indexed account, address sender
    );
    event ReclaimDestinationSet(MunicipalityId indexed municipality, address reclaimTo);

    // ------------------------------------------------------------------ role ids
    function MUNICIPALITY_REGISTRAR_ROLE() external view returns (bytes32);
    function RELAYER_ROLE() external view returns (bytes32);
    function MUNICIPAL_ADMIN_ROLE() external view returns (bytes32);
    function TREASURY_ROLE() external view returns (bytes32);
    function PROGRAM_MANAGER_ROLE() external view returns (bytes32);
    function ENROLMENT_ROLE() external view returns (bytes32);
    function PROVIDER_REGISTRAR_ROLE() external view returns (bytes32);
    function FINANCE_OFFICER_ROLE() external view returns (bytes32);
    function PAUSER_ROLE() external view returns (bytes32);

    // ------------------------------------------------------------------ functions
    /// @notice Adds a municipality with its first municipal admin and the address its ended
    /// programs' escrow is reclaimed to, and opens its period 1. Municipality-registrar role
    /// (global).
    function createMunicipality(MunicipalityId municipality, address admin, address reclaimTo) external;

    /// @notice Gives `account` a role in the municipality; nothing happens when it holds it
    /// already. The municipality's admin role.
    function grantMunicipalRole(MunicipalityId municipality, bytes32 role, address account) external;

    /// @notice Takes a role in the municipality from `account`; nothing happens when it does not
    /// hold it. The municipality's admin role.
    function revokeMunicipalRole(MunicipalityId municipality, bytes32 role, address account) external;

    /// @notice The caller gives up its own role in the municipality.
    function renounceMunicipalRole(MunicipalityId municipality, bytes32 role) external;

    /// @notice Where the municipality's reclaimed escrow goes from now on. The municipality's
    /// admin role.
    function setReclaimDestination(MunicipalityId municipality, address reclaimTo) external;

    function hasMunicipalRole(MunicipalityId municipality, bytes32 role, address account)
        external
        view
        returns (bool);

    function municipalityOf(MunicipalityId municipality) external view returns (Municipality memory);
}
