// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {UsageWindow} from "../../src/libraries/UsageWindow.sol";
import {PeriodId, ProviderId} from "../../src/types/Ids.sol";
import {Redemption, SettlementStatus} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @notice Fuzzed settlement (chunked payouts, two officers) and usage-window arithmetic.
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

    /// @dev Redeems at n providers, settles, then pays in random chunks; a chunk repeating a
    /// provider, or naming one already paid, reverts as a whole. In the end each provider got
    /// exactly its claim, once, and the period paid what was redeemed in it.
    function testFuzz_payout_paysEachProviderOnce(uint8 n, uint64[MAX_PROVIDERS] memory amounts, uint256 seed)
        public
    {
        n = uint8(bound(n, 1, MAX_PROVIDERS));
        uint256 total;
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
            vm.prank(officerA);
            hub.payout(MUNI_A, FIRST, chunk);
            for (uint256 j; j < size; ++j) {
                paid[picked[j]] = true;
                assertEq(ekrone.balanceOf(payouts[picked[j]]), amounts[picked[j]], "provider paid its claim");
            }
            left -= size;
        }
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Paid), "period settled"
        );
        assertEq(hub.periodTotals(MUNI_A, FIRST).paidOre, total, "period paid what was redeemed");
        for (uint256 p; p < n; ++p) {
            assertEq(ekrone.balanceOf(payouts[p]), amounts[p], "each provider paid once");
        }
        ProviderId[] memory again = new ProviderId[](1);
        again[0] = _id(seed % n);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, FIRST)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, again);
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
