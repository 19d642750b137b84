// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {
    ERC7913WebAuthnVerifier
} from "@openzeppelin/contracts/utils/cryptography/verifiers/ERC7913WebAuthnVerifier.sol";

/// @title Passkey verifier
/// @notice OpenZeppelin's stateless ERC-7913 WebAuthn verifier (P-256 key qx ‖ qy, an
/// abi-encoded WebAuthn assertion, user verification required), deployed once beside the hub.
/// The hub's extension calls it, so the P-256 code does not count against the hub's size.
contract PasskeyVerifier is ERC7913WebAuthnVerifier {}
