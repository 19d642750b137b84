// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {VoucherHub} from "../../src/VoucherHub.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {ProgramConfig, ProgramKind, Redemption} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @notice Fuzzed redemption: grants, usage windows, redemption ids and signatures.
contract RedeemFuzzTest is BaseTest {
    ProgramId internal constant WINDOWED = ProgramId.wrap(3);
    ProgramId internal constant UNLIMITED_USES = ProgramId.wrap(4);
    uint256 internal constant SECP256K1_N =
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    IVoucherHub internal otherHub;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        registerAccount(BOB);
        // Another hub with the same terminal registered: its signatures must not work here.
        otherHub = deployHub(admin);
    }

    // ------------------------------------------------------------------ grants

    function testFuzz_redeem_neverExceedsGrant(uint64 grantOre, uint64[5] memory amounts) public {
        grantOre = uint64(bound(grantOre, 1, 150_000));
        grant(BOB, BORNEPAKKE, grantOre);
        uint64 remaining = grantOre;
        for (uint256 i; i < amounts.length; ++i) {
            uint64 amount = uint64(bound(amounts[i], 1, 150_000));
            Redemption memory r = redemption(BOB, BORNEPAKKE, BOOKSHOP, amount);
            if (amount > remaining) {
                (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.VoucherCreditInsufficient.selector,
                        BOB,
                        BORNEPAKKE,
                        amount,
                        remaining
                    )
                );
                vm.prank(relayer);
                hub.redeem(r, sigR, sigVs);
            } else {
                redeemAs(relayer, bookshopTerminalKey, r);
                remaining -= amount;
            }
            assertEq(hub.grantOf(BOB, BORNEPAKKE).remaining, remaining, "remaining credit after a redemption");
        }
        assertLe(grantOre - remaining, grantOre, "spent more than granted");
        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        assertEq(
            hub.claimOf(MUNI_A, open, BOOKSHOP).accruedOre, grantOre - remaining, "accrued other than spent"
        );
    }

    function testFuzz_redeem_neverExceedsGrantedUses(uint8 uses, uint8 attempts, uint64 amountOre) public {
        uses = uint8(bound(uses, 1, 6));
        attempts = uint8(bound(attempts, 1, 10));
        ProgramConfig memory c = fritidspasConfig();
        c.usesPerWindow = 0;
        createProgram(UNLIMITED_USES, c);
        fund(UNLIMITED_USES, uint128(uses) * KR_150);
        grant(BOB, UNLIMITED_USES, uses);
        uint256 used;
        for (uint256 i; i < attempts; ++i) {
            Redemption memory r = redemption(BOB, UNLIMITED_USES, CLUB, uint64(bound(amountOre, 1, KR_150)));
            if (used == uses) {
                (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.VoucherUsesExhausted.selector, BOB, UNLIMITED_USES
                    )
                );
                vm.prank(relayer);
                hub.redeem(r, sigR, sigVs);
            } else {
                redeemAs(relayer, clubTerminalKey, r);
                used += 1;
            }
        }
        assertEq(hub.grantOf(BOB, UNLIMITED_USES).remaining, uses - used, "uses left after the attempts");
        assertLe(used, uses, "used more uses than granted");
    }

    // ------------------------------------------------------------------ usage windows

    function testFuzz_redeem_neverExceedsWindowLimit(
        uint16 limit,
        uint32 windowSeconds,
        uint32[10] memory gaps
    ) public {
        limit = uint16(bound(limit, 1, 3));
        windowSeconds = uint32(bound(windowSeconds, 1 hours, 30 days));
        // Time is kept in constants and locals: the optimizer may reuse a block.timestamp read
        // from before a warp. BaseTest starts the clock at START + 1 day.
        uint40 from = START + 1 days;
        ProgramConfig memory c = fritidspasConfig();
        c.usesPerWindow = limit;
        c.windowSeconds = windowSeconds;
        c.validFrom = from;
        c.validUntil = from + 2 * 365 days;
        createProgram(WINDOWED, c);
        fund(WINDOWED, 20 * uint128(KR_150));
        grant(BOB, WINDOWED, 20);

        uint256 now_ = from;
        uint32 window;
        uint16 usedInWindow;
        for (uint256 i; i < gaps.length; ++i) {
            now_ += bound(gaps[i], 0, 2 * uint256(windowSeconds));
            vm.warp(now_);
            uint32 index = uint32((now_ - from) / windowSeconds);
            if (index != window) (window, usedInWindow) = (index, 0);
            // Built here rather than with BaseTest's redemption(), which panicked (0x11) in this
            // loop after vm.warp; the deadline is from the local clock for the same reason.
            // forge-lint: disable-next-line(unsafe-typecast)
            uint40 deadline = uint40(now_ + 2 minutes);
            Redemption memory r = Redemption({
                id: i, account: BOB, program: WINDOWED, provider: CLUB, amountOre: KR_150, deadline: deadline
            });
            if (usedInWindow == limit) {
                uint40 next = uint40(from + uint256(index + 1) * windowSeconds);
                assertEq(hub.nextWindowStart(WINDOWED), next, "next window start");
                (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.VoucherWindowLimitReached.selector, BOB, WINDOWED, next
                    )
                );
                vm.prank(relayer);
                hub.redeem(r, sigR, sigVs);
            } else {
                redeemAs(relayer, clubTerminalKey, r);
                usedInWindow += 1;
            }
            assertLe(hub.grantOf(BOB, WINDOWED).usedInWindow, limit, "uses in the window over the limit");
            assertEq(hub.grantOf(BOB, WINDOWED).usedInWindow, usedInWindow, "uses counted in the window");
        }
    }

    // ------------------------------------------------------------------ redemption ids

    function testFuzz_redeem_idTakesEffectOnce(uint256 id, uint64 amountOre) public {
        amountOre = uint64(bound(amountOre, 1, 50_000));
        Redemption memory r = redemption(ALICE, BORNEPAKKE, BOOKSHOP, amountOre);
        r.id = id;
        redeemAs(relayer, bookshopTerminalKey, r);
        assertTrue(hub.isRedemptionUsed(bookshopTerminal, id), "id marked used");

        // A retry of the very same signed redemption changes nothing.
        (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, bookshopTerminal, id)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - amountOre, "charged once");

        // Ids are per terminal: the club's terminal may use the same number.
        Redemption memory atClub = redemption(ALICE, BORNEPAKKE, CLUB, amountOre);
        atClub.id = id;
        redeemAs(relayer, clubTerminalKey, atClub);
        assertEq(
            hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - 2 * uint256(amountOre), "charged per terminal"
        );
    }

    /// @dev Ids in any order, jumping across blocks of 128 and beyond 64-bit block numbers,
    /// repeated now and then: each takes effect exactly once, and every one stays used.
    function testFuzz_redeem_idsInAnyOrderTakeEffectOnce(uint256 base, uint16[10] memory offsets) public {
        base = bound(base, 0, type(uint256).max - 1000);
        uint256[10] memory ids;
        uint256 charged;
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = base + offsets[i] % 1000;
            bool seen;
            for (uint256 j; j < i; ++j) {
                if (ids[j] == ids[i]) seen = true;
            }
            Redemption memory r = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 100);
            r.id = ids[i];
            (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
            if (seen) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.RedemptionAlreadyUsed.selector, bookshopTerminal, ids[i]
                    )
                );
            } else {
                charged += 100;
            }
            vm.prank(relayer);
            hub.redeem(r, sigR, sigVs);
        }
        for (uint256 i; i < ids.length; ++i) {
            assertTrue(hub.isRedemptionUsed(bookshopTerminal, ids[i]), "a redeemed id is not marked used");
        }
        assertFalse(hub.isRedemptionUsed(clubTerminal, ids[0]), "another terminal's ids are its own");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - charged, "each id charged once");
    }

    // ------------------------------------------------------------------ signatures

    /// @dev Changing any signed field, or the signature, or the chain or contract it was made
    /// for, makes the signature name someone other than the registered terminal.
    function testFuzz_redeem_rejectsTamperedSignature(uint8 field, uint256 value) public {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        field = uint8(bound(field, 0, 9));
        if (field == 0) {
            r.id ^= _nonZero(value);
        } else if (field == 1) {
            r.account ^= bytes32(_nonZero(value));
        } else if (field == 2) {
            r.program = ProgramId.wrap(ProgramId.unwrap(r.program) ^ uint64(_nonZero(value % 2 ** 64)));
        } else if (field == 3) {
            r.provider = ProviderId.wrap(ProviderId.unwrap(r.provider) ^ uint32(_nonZero(value % 2 ** 32)));
        } else if (field == 4) {
            uint64 amount = uint64(bound(value, 1, type(uint64).max));
            r.amountOre = amount == r.amountOre ? amount + 1 : amount;
        } else if (field == 5) {
            // Still in the future, so the signature check is what fails.
            uint40 deadline = uint40(bound(value, block.timestamp, block.timestamp + hub.MAX_DEADLINE_LEAD()));
            r.deadline = deadline == r.deadline ? deadline - 1 : deadline;
        } else if (field == 6) {
            sigR ^= bytes32(_nonZero(value));
        } else if (field == 7) {
            sigVs ^= bytes32(_nonZero(value));
        } else if (field == 8) {
            uint256 chain = bound(value, 1, type(uint64).max);
            vm.chainId(chain == block.chainid ? chain + 1 : chain);
        } else {
            (sigR, sigVs) = vm.signCompact(clubTerminalKey, otherHub.redemptionDigest(r));
        }

        vm.expectRevert(_authError(hub.redemptionDigest(r), sigR, sigVs));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    /// @dev The same signature with s mirrored to the upper half of the curve order (and v
    /// flipped) is valid ECDSA but malleable. In the compact (r, vs) form the hub takes, such an
    /// s does not fit beside the v bit, so what arrives recovers someone else: rejected.
    function testFuzz_redeem_rejectsHighS(uint256 id, uint64 amountOre) public {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, uint64(bound(amountOre, 1, 150_000)));
        r.id = id;
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        uint256 s = uint256(sigVs) & ((1 << 255) - 1);
        uint256 highS = SECP256K1_N - s;
        assertGt(highS, SECP256K1_N / 2, "mirrored s is in the upper half");
        bytes32 flippedVs = bytes32((((uint256(sigVs) >> 255) ^ 1) << 255) | highS);
        bytes memory expected = _authError(hub.redemptionDigest(r), sigR, flippedVs);
        vm.expectRevert(expected);
        vm.prank(relayer);
        hub.redeem(r, sigR, flippedVs);
    }

    function testFuzz_redeem_rejectsOtherProvidersTerminal(uint256 id, uint64 amountOre) public {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, uint64(bound(amountOre, 1, 150_000)));
        r.id = id;
        (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, bookshopTerminal, CLUB, BOOKSHOP
            )
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function testFuzz_redeem_rejectsExpired(uint40 lateBy, uint64 amountOre) public {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, uint64(bound(amountOre, 1, 150_000)));
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.warp(uint256(r.deadline) + bound(lateBy, 1, 365 days));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionExpired.selector, r.id, r.deadline)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function testFuzz_redeem_rejectsUnknownSubmitter(address submitter) public {
        // The hub itself submits only from redeemBatch (a relayer's call); no outside caller
        // can have its address, so pretending to be it is no unknown submitter.
        vm.assume(submitter != relayer && submitter != clubTerminal && submitter != address(hub));
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionSubmitterNotAllowed.selector, submitter)
        );
        vm.prank(submitter);
        hub.redeem(r, sigR, sigVs);
    }

    // ------------------------------------------------------------------ helpers

    function _nonZero(uint256 value) internal pure returns (uint256) {
        return value == 0 ? 1 : value;
    }

    /// @dev The error `redeem` gives for a signature that does not recover to a registered
    /// terminal, worked out the way ECDSA.recover does it.
    function _authError(bytes32 digest, bytes32 sigR, bytes32 sigVs) internal view returns (bytes memory) {
        uint256 s = uint256(sigVs) & ((1 << 255) - 1);
        if (s > SECP256K1_N / 2) {
            return abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, bytes32(s));
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        uint8 v = uint8(uint256(sigVs) >> 255) + 27;
        address recovered = ecrecover(digest, v, sigR, bytes32(s));
        if (recovered == address(0)) return abi.encodeWithSelector(ECDSA.ECDSAInvalidSignature.selector);
        assertTrue(recovered != clubTerminal, "tampering still recovers the terminal");
        if (recovered == bookshopTerminal) revert("tampering recovered another terminal");
        return abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, recovered);
    }
}
