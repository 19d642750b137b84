// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title eKrone
/// @notice A DKK-backed token with 2 decimals: 1 eKrone = 1 DKK = 100 øre. The treasury mints
/// against kroner held in the bank and burns what is paid out to a bank account. It moves
/// only between allow-listed participants: the treasury, the voucher escrow and providers'
/// payout accounts.
interface IEKrone is IERC20 {
    /// @notice A transfer or mint would put eKrone in the hands of a non-participant.
    error EKroneRecipientNotAllowed(address recipient);
    /// @notice A non-participant tried to move eKrone.
    error EKroneSenderNotAllowed(address sender);

    /// @notice `account` was added to (`allowed`) or removed from the participants.
    event ParticipantSet(address indexed account, bool allowed);

    /// @notice Mints `amountOre` to a participant. Treasury role.
    function mint(address to, uint256 amountOre) external;

    /// @notice Burns the caller's own eKrone, when it has been paid out to a bank account. Any
    /// holder may burn, including a former participant.
    function burn(uint256 amountOre) external;

    /// @notice Adds or removes a participant. Participant-manager role (the voucher hub and admin).
    function setParticipant(address account, bool allowed) external;

    /// @notice Stops every transfer, mint and burn. Pauser role.
    function pause() external;

    function unpause() external;

    function isParticipant(address account) external view returns (bool);

    /// @notice Everything ever minted; with `totalBurned` it explains `totalSupply`.
    function totalMinted() external view returns (uint256);

    function totalBurned() external view returns (uint256);
}
