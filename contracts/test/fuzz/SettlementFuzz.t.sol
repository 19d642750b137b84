// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {UsageWindow} from "../../src/libraries/UsageWindow.sol";
import {PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {OfficerSignature, Redemption, SettlementStatus} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @notice Fuzzed settlement (chunked payouts, two officers, the bank's confirmations of the
/// payouts) and usage-window arithmetic.
contract SettlementFuzzTest is BaseTest {
    uint256 internal constant MAX_PROVIDERS = 6;
    PeriodId internal constant FIRST = PeriodId.wrap(1);

    address[MAX_PROVIDERS] internal payouts;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        registerAccount(BOB);
        grant(BOB, BORNEPAKKE, 150_000);
        // Providers 10.. with a terminal each, all in the Børnepakke's sport category.
        for (uint256 p; p < MAX_PROVIDERS; ++p) {
            payouts[p] = makeAddr(string.concat("SettlementPayout", vm.toString(p)));
            registerProvider(_id(p), payouts[p], SPORT);
            addTerminal(_id(p), vm.addr(_key(p)));
        }
    }

    /// @dev Redeems at n providers, settles, then pays in random chunks, by anyone; a chunk
    /// repeating a provider, or naming one already paid, reverts as a whole. In the end each
    /// provider's claim is in transit to its bank, exactly and once, no eKrone left the hub, and
    /// the period paid what was redeemed in it.
    function testFuzz_payout_paysEachProviderOnce(uint8 n, uint64[MAX_PROVIDERS] memory amounts, uint256 seed)
        public
    {
        n = uint8(bound(n, 1, MAX_PROVIDERS));
        uint256 total = _redeemAndSettle(n, amounts);
        uint256 held = ekrone.balanceOf(address(hub));
        uint256 escrow = hub.municipalityOf(MUNI_A).escrowOre;

        bool[MAX_PROVIDERS] memory paid;
        uint256 left = n;
        while (left != 0) {
            seed = uint256(keccak256(abi.encode(seed)));
            // A chunk of up to 3 unpaid providers, in random order.
            uint256 size = 1 + seed % (left < 3 ? left : 3);
            ProviderId[] memory chunk = new ProviderId[](size + (seed >> 8) % 2);
            uint256[] memory picked = new uint256[](size);
            uint256 k;
            for (uint256 j = (seed >> 16) % n; k < size; j = (j + 1) % n) {
                if (paid[j]) continue;
                picked[k] = j;
                chunk[k++] = _id(j);
            }
            if (chunk.length > size) {
                // The same provider twice in one chunk, or one paid in an earlier chunk.
                uint256 again = _firstPaid(paid, n, picked[0]);
                chunk[size] = _id(again);
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.SettlementAlreadyPaid.selector, MUNI_A, FIRST, _id(again)
                    )
                );
                vm.prank(officerB);
                hub.payout(MUNI_A, FIRST, chunk);
                continue;
            }
            // Anyone may carry out an approved settlement: an officer, the relayer, a stranger.
            vm.prank(seed % 3 == 0 ? officerA : seed % 3 == 1 ? relayer : stranger);
            hub.payout(MUNI_A, FIRST, chunk);
            for (uint256 j; j < size; ++j) {
                paid[picked[j]] = true;
                assertEq(
                    hub.inTransitOf(MUNI_A, FIRST, _id(picked[j])), amounts[picked[j]], "claim in transit"
                );
            }
            left -= size;
        }
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Paid), "period settled"
        );
        assertEq(hub.periodTotals(MUNI_A, FIRST).paidOre, total, "period paid what was redeemed");
        for (uint256 p; p < n; ++p) {
            assertEq(hub.inTransitOf(MUNI_A, FIRST, _id(p)), amounts[p], "each provider paid once");
            assertEq(ekrone.balanceOf(payouts[p]), 0, "the eKrone stays in the hub");
        }
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, total, "the period's total in transit");
        assertEq(ekrone.balanceOf(address(hub)), held, "no eKrone left the hub");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrow, "in transit is still escrow");
        ProviderId[] memory again = new ProviderId[](1);
        again[0] = _id(seed % n);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, FIRST)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, again);
    }

    /// @dev After a period is paid, a finance officer confirms the bank's transfers in random
    /// chunks with their passkey: a chunk with the wrong total, one listing a provider twice or
    /// one already confirmed, or a signature sent again is refused as a whole; a good one burns
    /// exactly the chunk's payouts. In the end nothing is in transit, escrow and supply shrank
    /// by the period's total, and minted - burned is still the escrow.
    function testFuzz_confirmBankTransfers_burnsEachPayoutOnce(
        uint8 n,
        uint64[MAX_PROVIDERS] memory amounts,
        uint256 seed
    ) public {
        n = uint8(bound(n, 1, MAX_PROVIDERS));
        uint256 total = _redeemAndSettle(n, amounts);
        ProviderId[] memory all = new ProviderId[](n);
        for (uint256 p; p < n; ++p) {
            all[p] = _id(p);
        }
        hub.payout(MUNI_A, FIRST, all);
        uint256 escrow = hub.municipalityOf(MUNI_A).escrowOre;
        uint256 supply = ekrone.totalSupply();
        bytes32 confirm = hub.CONFIRM_BANK_TRANSFERS();

        bool[MAX_PROVIDERS] memory done;
        uint256 left = n;
        while (left != 0) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 size = 1 + seed % (left < 3 ? left : 3);
            uint256 fault = (seed >> 8) % 4; // 0 a wrong total, 1 a provider again, else none
            ProviderId[] memory chunk = new ProviderId[](size + (fault == 1 ? 1 : 0));
            uint256[] memory picked = new uint256[](size);
            uint256 chunkTotal;
            uint256 k;
            for (uint256 j = (seed >> 16) % n; k < size; j = (j + 1) % n) {
                if (done[j]) continue;
                picked[k] = j;
                chunk[k++] = _id(j);
                chunkTotal += amounts[j];
            }
            uint256 signed = chunkTotal;
            if (fault == 0) {
                signed = (seed >> 24) % 2 == 0 ? chunkTotal - 1 : chunkTotal + 1 + (seed >> 32) % 1e6;
            }
            // Each signature names its own deadline, so each digest is new.
            vm.warp(block.timestamp + 1);
            OfficerSignature memory sig = officerSign(
                staffA.financeKey1,
                confirm,
                MUNI_A,
                ProgramId.wrap(0),
                keccak256(abi.encode(FIRST, chunk)),
                signed
            );
            if (fault == 0) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.BankTransferTotalMismatch.selector,
                        MUNI_A,
                        FIRST,
                        signed,
                        chunkTotal
                    )
                );
            } else if (fault == 1) {
                // The first of the chunk again, or a provider confirmed in an earlier chunk.
                uint256 again = _firstPaid(done, n, picked[0]);
                chunk[size] = _id(again);
                sig = officerSign(
                    staffA.financeKey1,
                    confirm,
                    MUNI_A,
                    ProgramId.wrap(0),
                    keccak256(abi.encode(FIRST, chunk)),
                    signed
                );
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.BankTransferUnknown.selector, MUNI_A, FIRST, _id(again)
                    )
                );
            }
            vm.prank(relayer);
            hub.confirmBankTransfers(MUNI_A, FIRST, chunk, signed, sig);
            if (fault <= 1) continue;
            for (uint256 j; j < size; ++j) {
                done[picked[j]] = true;
                assertEq(hub.inTransitOf(MUNI_A, FIRST, _id(picked[j])), 0, "confirmed: no longer in transit");
            }
            left -= size;
            // The same signature again is refused.
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVoucherHubEvents.OfficerSignatureUsed.selector,
                    hub.officerActionDigest(
                        confirm,
                        MUNI_A,
                        ProgramId.wrap(0),
                        keccak256(abi.encode(FIRST, chunk)),
                        signed,
                        sig.deadline
                    )
                )
            );
            hub.confirmBankTransfers(MUNI_A, FIRST, chunk, signed, sig);
        }
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, 0, "nothing in transit");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrow - total, "escrow shrank by the payouts");
        assertEq(ekrone.totalSupply(), supply - total, "the payouts were burned");
        assertEq(
            uint256(hub.ledgerOf(MUNI_A).mintedOre) - hub.ledgerOf(MUNI_A).burnedOre,
            hub.municipalityOf(MUNI_A).escrowOre,
            "minted - burned == escrow"
        );
    }

    function testFuzz_approveSettlement_needsSecondOfficer(uint64 amountOre, bool aProposes) public {
        amountOre = uint64(bound(amountOre, 1, 150_000));
        redeemAtClub(ALICE, BORNEPAKKE, amountOre);
        (address proposer, address other) = aProposes ? (officerA, officerB) : (officerB, officerA);
        vm.prank(proposer);
        hub.closePeriod(MUNI_A);
        vm.prank(proposer);
        hub.proposeSettlement(MUNI_A, FIRST, amountOre);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementSelfApproval.selector, MUNI_A, FIRST, proposer)
        );
        vm.prank(proposer);
        hub.approveSettlement(MUNI_A, FIRST);
        ProviderId[] memory club = new ProviderId[](1);
        club[0] = CLUB;
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, FIRST)
        );
        vm.prank(proposer);
        hub.payout(MUNI_A, FIRST, club);
        vm.prank(other);
        hub.approveSettlement(MUNI_A, FIRST);
        assertEq(hub.settlementOf(MUNI_A, FIRST).approver, other, "approved by the second officer");
    }

    function testFuzz_proposeSettlement_rejectsWrongTotal(uint64 amountOre, uint256 claimed) public {
        amountOre = uint64(bound(amountOre, 1, 150_000));
        vm.assume(claimed != amountOre);
        redeemAtClub(ALICE, BORNEPAKKE, amountOre);
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementTotalMismatch.selector, MUNI_A, FIRST, claimed, amountOre
            )
        );
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, claimed);
    }

    // ------------------------------------------------------------------ usage windows

    function testFuzz_usageWindow_index(uint256 nowSeconds, uint40 validFrom, uint32 windowSeconds)
        public
        pure
    {
        windowSeconds = uint32(bound(windowSeconds, 1, type(uint32).max));
        validFrom = uint40(bound(validFrom, 0, 4_102_444_800)); // until 2100
        nowSeconds = bound(nowSeconds, validFrom, 4_102_444_800);
        uint32 index = UsageWindow.indexAt(nowSeconds, validFrom, windowSeconds);
        assertLe(UsageWindow.startOf(index, validFrom, windowSeconds), nowSeconds, "window starts after now");
        assertGt(
            uint256(validFrom) + (uint256(index) + 1) * windowSeconds,
            nowSeconds,
            "next window starts at or before now"
        );
        assertEq(UsageWindow.startOf(0, validFrom, windowSeconds), validFrom, "window 0 starts at validFrom");
    }

    function testFuzz_nextWindowStart_isStartOfFollowingWindow(uint32 elapsed) public {
        // The Fritidspas: 30-day windows from START; the clock is at START + 1 day.
        uint256 at = START + 1 days + bound(elapsed, 0, 300 days);
        vm.warp(at);
        uint256 expected = START + ((at - START) / DAYS_30 + 1) * DAYS_30;
        assertEq(hub.nextWindowStart(FRITIDSPAS), expected, "next window start");
        assertGt(expected, at, "the next window is in the future");
        assertLe(expected - at, DAYS_30, "the next window is at most one window away");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Redeems `amounts[p]` (bounded) at each of the first n providers, then closes,
    /// proposes and approves A's first period; returns the total.
    function _redeemAndSettle(uint8 n, uint64[MAX_PROVIDERS] memory amounts)
        internal
        returns (uint256 total)
    {
        for (uint256 p; p < n; ++p) {
            uint64 amount = uint64(bound(amounts[p], 1, 25_000));
            amounts[p] = amount;
            total += amount;
            Redemption memory r = redemption(p % 2 == 0 ? ALICE : BOB, BORNEPAKKE, _id(p), amount);
            redeemAs(relayer, _key(p), r);
        }
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, total);
        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, FIRST);
    }

    function _firstPaid(bool[MAX_PROVIDERS] memory paid, uint256 n, uint256 fallback_)
        internal
        pure
        returns (uint256)
    {
        for (uint256 p; p < n; ++p) {
            if (paid[p]) return p;
        }
        return fallback_;
    }

    function _id(uint256 p) internal pure returns (ProviderId) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return ProviderId.wrap(uint32(10 + p));
    }

    function _key(uint256 p) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("settlement terminal", p)));
    }
}
