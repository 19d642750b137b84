// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Signs like an officer's device: forge's P-256 cheatcodes stand in for the passkey.
abstract contract PasskeySigning is Test {
    uint256 internal constant P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551;

    /// @dev A P-256 private key made from `name`, and its public key.
    function p256Key(string memory name) internal pure returns (uint256 privateKey, bytes32 qx, bytes32 qy) {
        privateKey = uint256(keccak256(bytes(name))) % (P256_N - 1) + 1;
        (uint256 x, uint256 y) = vm.publicKeyP256(privateKey);
        (qx, qy) = (bytes32(x), bytes32(y));
    }

    function webAuthnAssertion(uint256 privateKey, bytes32 challenge) internal pure returns (bytes memory) {
        bytes memory authenticatorData = abi.encodePacked(sha256("localhost"), bytes1(0x05), bytes4(0));
        string memory clientDataJSON = string.concat(
            '{"type":"webauthn.get","challenge":"',
            Base64.encodeURL(abi.encodePacked(challenge)),
            '","origin":"http://localhost"}'
        );
        bytes32 message = sha256(abi.encodePacked(authenticatorData, sha256(bytes(clientDataJSON))));
        (bytes32 r, bytes32 s) = vm.signP256(privateKey, message);
        if (uint256(s) > P256_N / 2) s = bytes32(P256_N - uint256(s));
        // The struct's fields encoded as one flat tuple (no leading offset word), as the
        // verifier's WebAuthn.tryDecodeAuth reads them.
        return abi.encode(r, s, uint256(23), uint256(1), authenticatorData, clientDataJSON);
    }
}
