// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {IMunicipalAccess} from "./interfaces/IMunicipalAccess.sol";
import {MunicipalityId} from "./types/Ids.sol";
import {Municipality} from "./types/Records.sol";

/// @title Municipal access
/// @notice The municipalities on the hub, the roles each gives out within its own walls, and
/// the eKrone the hub holds for each. Global roles (OpenZeppelin access control, admin handover
/// in two steps with a delay) only run the platform. See {IMunicipalAccess}.
abstract contract MunicipalAccess is IMunicipalAccess, AccessControlDefaultAdminRules {
    // Global roles.
    bytes32 public constant MUNICIPALITY_REGISTRAR_ROLE = keccak256("MUNICIPALITY_REGISTRAR_ROLE");
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");

    // Municipal roles: held per municipality, powerless in any other.
    bytes32 public constant MUNICIPAL_ADMIN_ROLE = keccak256("MUNICIPAL_ADMIN_ROLE");
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    bytes32 public constant PROGRAM_MANAGER_ROLE = keccak256("PROGRAM_MANAGER_ROLE");
    bytes32 public constant ENROLMENT_ROLE = keccak256("ENROLMENT_ROLE");
    bytes32 public constant PROVIDER_REGISTRAR_ROLE = keccak256("PROVIDER_REGISTRAR_ROLE");
    bytes32 public constant FINANCE_OFFICER_ROLE = keccak256("FINANCE_OFFICER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint16 private constant _MAX_KOMMUNEKODE = 999;

    mapping(MunicipalityId => Municipality) private _municipalities;
    mapping(MunicipalityId => mapping(bytes32 role => mapping(address => bool))) private _municipalRoles;
    /// @dev The seven municipal role ids, set once here: a lookup costs less code than seven
    /// 32-byte comparisons.
    mapping(bytes32 role => bool) private _knownMunicipalRoles;

    constructor(uint48 adminDelay, address admin) AccessControlDefaultAdminRules(adminDelay, admin) {
        bytes32[7] memory roles = [
            MUNICIPAL_ADMIN_ROLE,
            TREASURY_ROLE,
            PROGRAM_MANAGER_ROLE,
            ENROLMENT_ROLE,
            PROVIDER_REGISTRAR_ROLE,
            FINANCE_OFFICER_ROLE,
            PAUSER_ROLE
        ];
        for (uint256 i; i < roles.length; ++i) {
            _knownMunicipalRoles[roles[i]] = true;
        }
    }

    modifier onlyMunicipalRole(MunicipalityId municipality, bytes32 role) {
        _checkMunicipalRole(municipality, role);
        _;
    }

    // =================================================================== municipalities

    function createMunicipality(MunicipalityId municipality, address admin, address reclaimTo)
        external
        onlyRole(MUNICIPALITY_REGISTRAR_ROLE)
    {
        uint16 code = MunicipalityId.unwrap(municipality);
        if (code == 0 || code > _MAX_KOMMUNEKODE) revert MunicipalityIdInvalid();
        Municipality storage entry = _municipalities[municipality];
        if (entry.exists) revert MunicipalityAlreadyExists(municipality);
        if (admin == address(0)) revert MunicipalityAddressInvalid(admin);
        if (reclaimTo == address(0)) revert MunicipalityAddressInvalid(reclaimTo);
        // The escrow word stays 0: nothing is held for a new municipality.
        entry.exists = true;
        entry.reclaimTo = reclaimTo;
        emit MunicipalityCreated(municipality, admin, reclaimTo);
        _setMunicipalRole(municipality, MUNICIPAL_ADMIN_ROLE, admin, true);
        _openFirstPeriod(municipality);
    }

    function grantMunicipalRole(MunicipalityId municipality, bytes32 role, address account) external {
        _setMunicipalRoleAsAdmin(municipality, role, account, true);
    }

    function revokeMunicipalRole(MunicipalityId municipality, bytes32 role, address account) external {
        _setMunicipalRoleAsAdmin(municipality, role, account, false);
    }

    function renounceMunicipalRole(MunicipalityId municipality, bytes32 role) external {
        // Nothing happens for a role the caller does not hold, known or not.
        _setMunicipalRole(municipality, role, msg.sender, false);
    }

    function setReclaimDestination(MunicipalityId municipality, address reclaimTo)
        external
        onlyMunicipalAdmin(municipality)
    {
        if (reclaimTo == address(0)) revert MunicipalityAddressInvalid(reclaimTo);
        _municipalities[municipality].reclaimTo = reclaimTo;
        emit ReclaimDestinationSet(municipality, reclaimTo);
    }

    // =================================================================== views

    function hasMunicipalRole(MunicipalityId municipality, bytes32 role, address account)
        public
        view
        returns (bool)
    {
        return _municipalRoles[municipality][role][account];
    }

    function municipalityOf(MunicipalityId municipality) external view returns (Municipality memory) {
        return _municipalities[municipality];
    }

    // =================================================================== for the hub

    /// @dev Opens period 1 of a municipality just created.
    function _openFirstPeriod(MunicipalityId municipality) internal virtual;

    function _checkMunicipalRole(MunicipalityId municipality, bytes32 role) internal view {
        _checkMunicipalRoleOf(municipality, role, msg.sender);
    }

    /// @dev As {_checkMunicipalRole} for an account that signed rather than called.
    function _checkMunicipalRoleOf(MunicipalityId municipality, bytes32 role, address account) internal view {
        if (!_municipalRoles[municipality][role][account]) {
            revert MunicipalUnauthorizedAccount(municipality, role, account);
        }
    }

    function _requireMunicipality(MunicipalityId municipality) internal view {
        if (!_municipalities[municipality].exists) revert MunicipalityUnknown(municipality);
    }

    function _reclaimDestination(MunicipalityId municipality) internal view returns (address) {
        return _municipalities[municipality].reclaimTo;
    }

    /// @dev eKrone came in for the municipality (a program was funded).
    function _addEscrow(MunicipalityId municipality, uint256 amountOre) internal {
        // Safe cast: the amount is one funding of at most 128 bits; the sum is checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        _municipalities[municipality].escrowOre += uint128(amountOre);
    }

    /// @dev eKrone left for the municipality (providers paid, escrow reclaimed). Checked: the
    /// municipality never pays out more than it holds.
    function _takeEscrow(MunicipalityId municipality, uint256 amountOre) internal {
        Municipality storage m = _municipalities[municipality];
        // Checked subtraction: reverts (panics) when more would leave than was held; the result
        // is at most escrowOre, so the cast is safe.
        // forge-lint: disable-next-line(unsafe-typecast)
        m.escrowOre = uint128(uint256(m.escrowOre) - amountOre);
    }

    /// @dev A provider of the municipality came to owe it `amountOre` (a refund its claim did
    /// not cover).
    function _addReceivable(MunicipalityId municipality, uint256 amountOre) internal {
        // Safe cast: one refund is at most a redemption's 64-bit amount; the sum is checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        _municipalities[municipality].receivableOre += uint128(amountOre);
    }

    /// @dev Part of what providers owe was paid off (set off against a payout, or brought in).
    function _reduceReceivable(MunicipalityId municipality, uint256 amountOre) internal {
        Municipality storage m = _municipalities[municipality];
        // Callers take at most one provider's receivable, which is part of the total.
        // forge-lint: disable-next-line(unsafe-typecast)
        m.receivableOre = uint128(uint256(m.receivableOre) - amountOre);
    }

    /// @dev A provider paid back `amountOre` of what it owed; the money waits for the treasury.
    function _addRecovered(MunicipalityId municipality, uint256 amountOre) internal {
        // Safe cast: at most a receivable, itself part of 128-bit escrow; the sum is checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        _municipalities[municipality].recoveredOre += uint88(amountOre);
    }

    /// @dev Empties the recovered pool; returns what it held.
    function _takeRecovered(MunicipalityId municipality) internal returns (uint256 amountOre) {
        Municipality storage m = _municipalities[municipality];
        amountOre = m.recoveredOre;
        m.recoveredOre = 0;
    }

    function _hasReceivables(MunicipalityId municipality) internal view returns (bool) {
        return _municipalities[municipality].receivableOre != 0;
    }

    // =================================================================== internals

    modifier onlyMunicipalAdmin(MunicipalityId municipality) {
        _requireMunicipality(municipality);
        _checkMunicipalRole(municipality, MUNICIPAL_ADMIN_ROLE);
        _;
    }

    function _setMunicipalRoleAsAdmin(MunicipalityId municipality, bytes32 role, address account, bool holds)
        private
        onlyMunicipalAdmin(municipality)
    {
        if (!_knownMunicipalRoles[role]) revert MunicipalRoleUnknown(role);
        _setMunicipalRole(municipality, role, account, holds);
    }

    /// @dev Gives or takes a role; like OpenZeppelin, nothing happens (no event) when nothing
    /// changes.
    function _setMunicipalRole(MunicipalityId municipality, bytes32 role, address account, bool holds)
        private
    {
        mapping(address => bool) storage holders = _municipalRoles[municipality][role];
        if (holders[account] == holds) return;
        holders[account] = holds;
        if (holds) emit MunicipalRoleGranted(municipality, role, account, msg.sender);
        else emit MunicipalRoleRevoked(municipality, role, account, msg.sender);
    }
}
