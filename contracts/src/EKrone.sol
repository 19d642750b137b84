// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";

/// @title eKrone
/// @notice DKK-backed token for municipal vouchers. See {IEKrone}.
contract EKrone is IEKrone, ERC20, ERC20Permit, ERC20Pausable, AccessControlDefaultAdminRules {
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant PARTICIPANT_MANAGER_ROLE = keccak256("PARTICIPANT_MANAGER_ROLE");

    mapping(address account => bool) private _participants;
    uint256 private _totalMinted;
    uint256 private _totalBurned;

    /// @param adminDelay Seconds a new admin must wait before accepting the handover.
    constructor(address admin, uint48 adminDelay)
        ERC20("eKrone", "EKR")
        ERC20Permit("eKrone")
        AccessControlDefaultAdminRules(adminDelay, admin)
    {}

    /// @notice Øre: 2 decimals, 1 eKrone = 100 øre.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    function mint(address to, uint256 amountOre) external onlyRole(TREASURY_ROLE) {
        _totalMinted += amountOre;
        _mint(to, amountOre);
    }

    function burn(uint256 amountOre) external {
        _totalBurned += amountOre;
        _burn(msg.sender, amountOre);
    }

    function setParticipant(address account, bool allowed) external onlyRole(PARTICIPANT_MANAGER_ROLE) {
        _participants[account] = allowed;
        emit ParticipantSet(account, allowed);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function isParticipant(address account) external view returns (bool) {
        return _participants[account];
    }

    function totalMinted() external view returns (uint256) {
        return _totalMinted;
    }

    function totalBurned() external view returns (uint256) {
        return _totalBurned;
    }

    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlDefaultAdminRules)
        returns (bool)
    {
        return interfaceId == type(IEKrone).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev The participant rule: in a transfer, sender and recipient must both be
    /// participants, so eKrone never leaves the closed loop. A mint goes to a participant. A
    /// burn (paying out to a bank account) is open to any holder, so an address removed from
    /// the participants, such as a provider's former payout account, can still cash out.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Pausable) {
        if (to != address(0)) {
            if (from != address(0) && !_participants[from]) revert EKroneSenderNotAllowed(from);
            if (!_participants[to]) revert EKroneRecipientNotAllowed(to);
        }
        super._update(from, to, value);
    }
}
