// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title Admin timelock
/// @notice The admin of the platform (the hub's and eKrone's DEFAULT_ADMIN_ROLE and the hub's
/// MUNICIPALITY_REGISTRAR_ROLE) and of each municipality (its MUNICIPAL_ADMIN_ROLE): an
/// OpenZeppelin timelock whose proposers and executors are named people. One of them proposes a
/// call (a new municipality, a role for an officer, a funding limit); it waits `minDelay`, during
/// which any of them may cancel it (OpenZeppelin 5 makes every proposer a canceller), and then
/// any of them may execute it. The service's operator key is none of them: it relays, and a
/// stolen copy of it can neither give itself a role nor name an admin.
/// @dev Self-administered (no admin account): adding or removing a named person, or changing the
/// delay, is itself a call through the timelock and waits the same delay.
contract AdminTimelock is TimelockController {
    /// @param minDelay Seconds every proposal waits before it may be executed.
    /// @param proposers The named people who propose (and may cancel).
    /// @param executors The named people who execute a proposal once its delay has passed.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors)
        TimelockController(minDelay, proposers, executors, address(0))
    {}
}
