// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IEKrone} from "../../src/interfaces/IEKrone.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract EKroneTest is BaseTest {
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function test_metadata_isEKroneWithTwoDecimals() public view {
        assertEq(ekrone.name(), "eKrone", "name");
        assertEq(ekrone.symbol(), "EKR", "symbol");
        assertEq(ekrone.decimals(), 2, "ore: two decimals");
    }

    function test_mint_andBurn_keepSupplyExplained() public {
        vm.prank(treasury);
        ekrone.mint(treasury, 100_000);
        vm.prank(treasury);
        ekrone.burn(25_000);
        assertEq(ekrone.totalMinted(), 100_000, "minted");
        assertEq(ekrone.totalBurned(), 25_000, "burned");
        assertEq(ekrone.totalSupply(), 75_000, "supply = minted - burned");
    }

    function test_mint_revertsForNonTreasury() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, ekrone.TREASURY_ROLE()
            )
        );
        vm.prank(stranger);
        ekrone.mint(treasury, 1);
    }

    function test_mint_revertsToNonParticipant() public {
        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneRecipientNotAllowed.selector, stranger));
        vm.prank(treasury);
        ekrone.mint(stranger, 1);
    }

    function test_transfer_revertsToNonParticipant() public {
        vm.prank(treasury);
        ekrone.mint(treasury, 100);
        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneRecipientNotAllowed.selector, stranger));
        vm.prank(treasury);
        ekrone.transfer(stranger, 100);
    }

    function test_transfer_revertsFromRemovedParticipant() public {
        vm.prank(treasury);
        ekrone.mint(treasury, 100);
        vm.prank(admin);
        ekrone.setParticipant(treasury, false);
        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneSenderNotAllowed.selector, treasury));
        vm.prank(treasury);
        ekrone.transfer(address(hub), 100);
    }

    function test_setParticipant_revertsForNonManager() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                stranger,
                ekrone.PARTICIPANT_MANAGER_ROLE()
            )
        );
        vm.prank(stranger);
        ekrone.setParticipant(stranger, true);
    }

    function test_pause_stopsTransfersUntilUnpaused() public {
        vm.prank(treasury);
        ekrone.mint(treasury, 100);
        vm.prank(pauser);
        ekrone.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(treasury);
        ekrone.transfer(address(hub), 100);

        vm.prank(pauser);
        ekrone.unpause();
        vm.prank(treasury);
        ekrone.transfer(address(hub), 100);
        assertEq(ekrone.balanceOf(address(hub)), 100, "moves again after unpause");
    }

    function test_pause_revertsForNonPauser() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, ekrone.PAUSER_ROLE()
            )
        );
        vm.prank(stranger);
        ekrone.pause();
    }

    function test_permit_letsTheTreasuryApproveBySignature() public {
        (address owner, uint256 ownerKey) = makeAddrAndKey("PermitOwner");
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, address(hub), 500, ekrone.nonces(owner), block.timestamp)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", ekrone.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digest);
        ekrone.permit(owner, address(hub), 500, block.timestamp, v, r, s);
        assertEq(ekrone.allowance(owner, address(hub)), 500, "allowance set by permit");
    }

    function test_adminHandover_needsTheNewAdminToAccept() public {
        address newAdmin = makeAddr("NewAdmin");
        vm.prank(admin);
        ekrone.beginDefaultAdminTransfer(newAdmin);
        assertEq(ekrone.defaultAdmin(), admin, "still the old admin until accepted");
        vm.warp(block.timestamp + 1); // the handover delay (0 here) must have passed
        vm.prank(newAdmin);
        ekrone.acceptDefaultAdminTransfer();
        assertEq(ekrone.defaultAdmin(), newAdmin, "handed over");
    }
}
