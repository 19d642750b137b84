// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {VoucherHub} from "../../src/VoucherHub.sol";
import {ProviderId} from "../../src/types/Ids.sol";
import {Redemption} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @dev A terminal's signature must work once, on this chain, at this hub, before its
/// deadline, for its own provider, and only while the terminal is registered.
contract RedeemSignaturesTest is BaseTest {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    function test_redeem_revertsWhenSignatureReused() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, clubTerminal, r.id)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
        assertTrue(hub.isRedemptionUsed(clubTerminal, r.id), "the id is marked used");
    }

    function test_redeem_revertsWhenIdReusedWithOtherAmount() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        redeemAs(relayer, clubTerminalKey, r);
        r.amountOre = 5000;
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, clubTerminal, r.id)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    /// @dev The digest a terminal signs is plain EIP-712 with the domain the service signs in
    /// (contracts/abi/redemption.ts): name "VoucherHub", version "1", the chain, the hub; on a
    /// chain that forked away it follows the new chain id.
    function test_redemptionDigest_isEIP712InTheHubsDomain() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        bytes32 structHash = keccak256(
            abi.encode(
                hub.REDEMPTION_TYPEHASH(), r.id, r.account, r.program, r.provider, r.amountOre, r.deadline
            )
        );
        for (uint256 round; round < 2; ++round) {
            bytes32 domain = keccak256(
                abi.encode(
                    keccak256(
                        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                    ),
                    keccak256("VoucherHub"),
                    keccak256("1"),
                    block.chainid,
                    address(hub)
                )
            );
            assertEq(
                hub.redemptionDigest(r),
                keccak256(abi.encodePacked("\x19\x01", domain, structHash)),
                "EIP-712 digest in the hub's domain"
            );
            vm.chainId(block.chainid + 1);
        }
    }

    function test_redeem_revertsWhenSignedForOtherChain() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.chainId(block.chainid + 1);
        address recovered = ECDSA.recover(hub.redemptionDigest(r), sigR, sigVs);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, recovered));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsWhenSignedForOtherContract() public {
        IVoucherHub other = deployHub(admin);
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = vm.signCompact(clubTerminalKey, other.redemptionDigest(r));
        address recovered = ECDSA.recover(hub.redemptionDigest(r), sigR, sigVs);
        assertTrue(recovered != clubTerminal, "another hub's signature recovers to someone else here");

        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, recovered));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsAfterDeadline() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.warp(uint256(r.deadline) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionExpired.selector, r.id, r.deadline)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    /// @dev The malleable twin of a valid signature (s mirrored to the upper half, v flipped)
    /// cannot be written in EIP-2098 compact form: its s needs bit 255, which is where the
    /// compact form keeps v. Whatever such bytes decode to, they do not recover the terminal.
    function test_redeem_revertsForHighS() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (uint8 v, bytes32 sigR, bytes32 s) = vm.sign(clubTerminalKey, hub.redemptionDigest(r));
        uint256 highS = SECP256K1_N - uint256(s);
        assertGt(highS, type(uint256).max >> 1, "the twin's s does not fit the compact form");
        bytes32 sigVs = bytes32((uint256(v == 27 ? 1 : 0) << 255) | highS);

        vm.expectPartialRevert(IVoucherHubEvents.TerminalNotRegistered.selector);
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
        assertFalse(hub.isRedemptionUsed(clubTerminal, r.id), "nothing was redeemed");
    }

    function test_redeem_revertsForUnregisteredTerminal() public {
        (address rogue, uint256 rogueKey) = makeAddrAndKey("RogueTerminal");
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(rogueKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, rogue));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsForRevokedTerminal() public {
        vm.prank(registrar);
        hub.revokeTerminal(clubTerminal);
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, clubTerminal)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsForAnotherProvidersTerminal() public {
        // The bookshop's terminal signs a redemption that names the club as the provider.
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, bookshopTerminal, CLUB, BOOKSHOP
            )
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsWhenSignedFieldChanged() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        r.amountOre = 15_000;
        address recovered = ECDSA.recover(hub.redemptionDigest(r), sigR, sigVs);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, recovered));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_olderIdStaysUsedAfterNewerBlocks() public {
        Redemption memory early = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 1000);
        early.id = 5;
        redeemAs(relayer, bookshopTerminalKey, early);
        Redemption memory later = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 1000);
        later.id = 300; // a block of 128 ids further on
        redeemAs(relayer, bookshopTerminalKey, later);

        (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, early);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, bookshopTerminal, 5)
        );
        vm.prank(relayer);
        hub.redeem(early, sigR, sigVs);

        Redemption memory late = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 1000);
        late.id = 6; // sent late, never used: still redeemable
        redeemAs(relayer, bookshopTerminalKey, late);
        assertTrue(hub.isRedemptionUsed(bookshopTerminal, 6), "the late id is used now");
        assertFalse(hub.isRedemptionUsed(bookshopTerminal, 7), "a never-sent id is not");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - 3000, "three redemptions");
    }

    function test_redeem_sameIdAtTwoTerminalsAreTwoRedemptions() public {
        addTerminal(CLUB, makeAddr("unused"));
        (address second, uint256 secondKey) = makeAddrAndKey("ClubTerminal2");
        addTerminal(CLUB, second);
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        redeemAs(relayer, clubTerminalKey, r);
        redeemAs(relayer, secondKey, r);
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).usedInWindow, 2, "ids are per terminal");
        assertEq(
            ProviderId.unwrap(hub.terminalOf(second).provider),
            ProviderId.unwrap(CLUB),
            "second terminal is the club's"
        );
    }
}
