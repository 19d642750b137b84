// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VoucherHubPeriods} from "../../src/VoucherHubPeriods.sol";
import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {PeriodId, ProgramId} from "../../src/types/Ids.sol";
import {
    Grant,
    ProgramConfig,
    Redemption,
    Reversal,
    SettlementStatus,
    SignedRedemption
} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @dev Voids at the counter and refunds after the period closed: the citizen's credit (or use)
/// comes back, the provider's claim shrinks or it owes the rest, and nothing is given back twice.
contract CorrectionsTest is BaseTest {
    PeriodId internal constant FIRST = PeriodId.wrap(1);
    PeriodId internal constant SECOND = PeriodId.wrap(2);
    PeriodId internal constant ANY_PERIOD = PeriodId.wrap(0);

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        vm.warp(START + 1 days);
    }

    // ------------------------------------------------------------------ void

    function test_void_givesTheCreditBackAndShrinksTheClaim() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        Reversal memory v = reversal(15_000, FIRST);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionReversed(
            MUNI_A,
            CLUB,
            BORNEPAKKE,
            ALICE,
            clubTerminal,
            typo.redemption.id,
            v.id,
            15_000,
            FIRST,
            15_000,
            true
        );
        PeriodId landed = reverseAs(relayer, clubTerminalKey, typo, v);

        assertEq(PeriodId.unwrap(landed), 1, "lands in the redemption's period");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000, "all 1,500 kr are back");
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 0, "the club is owed nothing");
        (,, uint128 openAccrued) = hub.openPeriod(MUNI_A);
        assertEq(openAccrued, 0, "the period's total shrank too");
        assertEq(hub.reversedOf(clubTerminal, typo.redemption.id), 15_000, "recorded as given back");
        assertEq(hub.receivableOf(MUNI_A, CLUB), 0, "the claim covered it");

        redeemAtClub(ALICE, BORNEPAKKE, 1500);
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 1500, "the right amount stands alone");
        assertEscrowAccountsForEverything();
    }

    function test_void_ofAUseGivesTheUseAndTheWindowCountBack() public {
        SignedRedemption memory visit = redeemSignedAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 15_000);
        Grant memory before = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(before.usedInWindow, 2, "both uses of the window taken");

        reverseAs(relayer, clubTerminalKey, visit, reversal(10_000, FIRST));

        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, before.remaining + 1, "the use is back");
        assertEq(g.usedInWindow, 1, "and may be used again in this window");
        assertEq(g.slackOre, 0, "the unused 50 kr of the cap are promised again");
        redeemAtClub(ALICE, FRITIDSPAS, 12_000);
        assertEscrowAccountsForEverything();
    }

    function test_void_isRefusedOnceItsPeriodHasClosed() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        Reversal memory v = reversal(15_000, FIRST);
        (bytes32 sigR, bytes32 sigVs) = signReversal(clubTerminalKey, typo, v);
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ReversalPeriodClosed.selector, MUNI_A, FIRST, SECOND)
        );
        vm.prank(relayer);
        hub.reverse(typo, v, sigR, sigVs);

        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 135_000, "no credit came back");
        assertEq(hub.periodTotals(MUNI_A, FIRST).accruedOre, 15_000, "the closed period keeps its claim");
        assertFalse(hub.isRedemptionUsed(clubTerminal, v.id), "the refused void's id is still free");
    }

    function test_void_landsOnceEvenWhenSentTwice() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        Reversal memory v = reversal(15_000, FIRST);
        (bytes32 sigR, bytes32 sigVs) = signReversal(clubTerminalKey, typo, v);
        vm.prank(relayer);
        hub.reverse(typo, v, sigR, sigVs);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, clubTerminal, v.id)
        );
        vm.prank(relayer);
        hub.reverse(typo, v, sigR, sigVs);
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000, "given back once");
    }

    function test_void_mayBeSubmittedByTheTerminalItself() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        reverseAs(clubTerminal, clubTerminalKey, typo, reversal(15_000, FIRST));
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 0, "voided");
    }

    // ------------------------------------------------------------------ refund

    function test_refund_afterCloseLandsInTheOpenPeriodAndIsSetOffAtTheNextPayout() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        assertEq(paidTo(CLUB), 60_000, "the club was paid for the course");

        // The course is cancelled: 400 kr back, with nothing yet owed to the club in period 2.
        PeriodId landed = reverseAs(relayer, clubTerminalKey, course, reversal(40_000, ANY_PERIOD));
        assertEq(PeriodId.unwrap(landed), 2, "lands in the open period");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 130_000, "400 kr are back with Alice");
        assertEq(hub.receivableOf(MUNI_A, CLUB), 40_000, "the club owes the 400 kr");
        assertEq(hub.municipalityOf(MUNI_A).receivableOre, 40_000, "the municipality's total");
        assertEscrowAccountsForEverything();

        // Period 2: 250 kr redeemed at the club; all of it goes to paying off what it owes.
        redeemAtClub(ALICE, BORNEPAKKE, 25_000);
        PeriodId second = settle(MUNI_A, 25_000);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ReceivableOffset(MUNI_A, second, CLUB, 25_000);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPaid(MUNI_A, second, CLUB, clubPayout, 0);
        vm.prank(officerA);
        uint256 paid = hub.payout(MUNI_A, second, providerList(CLUB));

        assertEq(paid, 0, "no payment while the club owes more than its claim");
        assertEq(paidTo(CLUB), 60_000, "nothing more transferred");
        assertEq(hub.receivableOf(MUNI_A, CLUB), 15_000, "150 kr still owed, carried forward");
        assertEq(
            uint8(hub.settlementOf(MUNI_A, second).status),
            uint8(SettlementStatus.Paid),
            "period 2 is settled"
        );
        assertEscrowAccountsForEverything();

        // Period 3: 300 kr redeemed; the club is paid 150 kr, the net.
        redeemAtClub(ALICE, BORNEPAKKE, 30_000);
        PeriodId third = settle(MUNI_A, 30_000);
        vm.prank(officerA);
        paid = hub.payout(MUNI_A, third, providerList(CLUB));
        assertEq(paid, 15_000, "paid its net");
        assertEq(paidTo(CLUB), 75_000, "never more than the net over all periods");
        assertEq(hub.receivableOf(MUNI_A, CLUB), 0, "paid off");
        assertEq(hub.municipalityOf(MUNI_A).receivableOre, 0, "nothing owed");
        assertEscrowAccountsForEverything();
    }

    function test_refund_partOfAUseStaysEscrowedWithTheGrant() public {
        SignedRedemption memory visit = redeemSignedAtClub(ALICE, FRITIDSPAS, 12_000);
        uint64 usesLeft = hub.grantOf(ALICE, FRITIDSPAS).remaining;

        reverseAs(relayer, clubTerminalKey, visit, reversal(2000, ANY_PERIOD));

        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, usesLeft, "a partly refunded visit was still a visit");
        assertEq(g.slackOre, 3000 + 2000, "the 20 kr join the grant's slack");
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 10_000, "the club is owed 100 kr");
        assertEscrowAccountsForEverything();
    }

    function test_refund_afterTheProgramEndedGoesBackToItsBudget() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        uint256 freeBefore = hub.programFunds(BORNEPAKKE).freeOre;
        vm.warp(END);

        reverseAs(relayer, clubTerminalKey, course, reversal(60_000, ANY_PERIOD));

        assertEq(hub.programFunds(BORNEPAKKE).freeOre, freeBefore + 60_000, "reclaimable with the rest");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 0, "nothing to spend after the end");
        assertEscrowAccountsForEverything();
    }

    function test_refunds_togetherNeverExceedTheRedemption() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        reverseAs(relayer, clubTerminalKey, course, reversal(10_000, ANY_PERIOD));

        reverseReverts(
            relayer,
            clubTerminalKey,
            course,
            reversal(5001, ANY_PERIOD),
            abi.encodeWithSelector(
                IVoucherHubEvents.ReversalExceedsRedemption.selector,
                clubTerminal,
                course.redemption.id,
                15_000,
                10_000
            )
        );

        reverseAs(relayer, clubTerminalKey, course, reversal(5000, ANY_PERIOD));
        assertEq(hub.reversedOf(clubTerminal, course.redemption.id), 15_000, "exactly the redemption");
    }

    // ------------------------------------------------------------------ refusals

    function test_reverse_revertsForARedemptionTheHubNeverTook() public {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, 15_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        SignedRedemption memory never = SignedRedemption({redemption: r, sigR: sigR, sigVs: sigVs});

        reverseReverts(
            relayer,
            clubTerminalKey,
            never,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionUnknown.selector, clubTerminal, r.id)
        );
    }

    function test_reverse_revertsForAnAlteredOriginal() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 1000);
        // A bigger amount under the original signature recovers to some other address.
        typo.redemption.amountOre = 150_000;
        reverseRevertsWith(
            relayer,
            clubTerminalKey,
            typo,
            reversal(150_000, FIRST),
            IVoucherHubEvents.RedemptionUnknown.selector
        );
    }

    function test_reverse_revertsWhenAnotherProvidersTerminalSigns() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        reverseReverts(
            relayer,
            bookshopTerminalKey,
            typo,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, bookshopTerminal, CLUB, BOOKSHOP
            )
        );
    }

    function test_reverse_revertsForAnotherMunicipalitysTerminal() public {
        setUpWorldB();
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        reverseReverts(
            relayer,
            poolTerminalKey,
            typo,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, poolTerminal, CLUB, POOL
            )
        );
    }

    function test_reverse_revertsForAStrangerSubmitting() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        reverseReverts(
            stranger,
            clubTerminalKey,
            typo,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionSubmitterNotAllowed.selector, stranger)
        );
    }

    function test_reverse_revertsWhenExpiredZeroOrPaused() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        Reversal memory late = reversal(15_000, FIRST);
        (bytes32 sigR, bytes32 sigVs) = signReversal(clubTerminalKey, typo, late);
        vm.warp(late.deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ReversalExpired.selector, late.id, late.deadline)
        );
        vm.prank(relayer);
        hub.reverse(typo, late, sigR, sigVs);

        reverseReverts(
            relayer,
            clubTerminalKey,
            typo,
            reversal(0, FIRST),
            abi.encodeWithSelector(IVoucherHubEvents.ReversalAmountZero.selector)
        );

        vm.prank(pauser);
        hub.setPaused(MUNI_A, true);
        reverseReverts(
            relayer,
            clubTerminalKey,
            typo,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, MUNI_A)
        );
    }

    function test_reverse_revertsForARevokedTerminal() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        vm.prank(registrar);
        hub.revokeTerminal(clubTerminal);
        reverseReverts(
            relayer,
            clubTerminalKey,
            typo,
            reversal(15_000, FIRST),
            abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, clubTerminal)
        );
    }

    function test_extension_refusesCallsThatDoNotComeThroughTheHub() public {
        VoucherHubPeriods periods = VoucherHubPeriods(hub.periodsExtension());
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        Reversal memory v = reversal(15_000, FIRST);
        (bytes32 sigR, bytes32 sigVs) = signReversal(clubTerminalKey, typo, v);

        vm.expectRevert(IVoucherHubEvents.NotThroughHub.selector);
        vm.prank(relayer);
        periods.reverse(typo, v, sigR, sigVs);
        vm.expectRevert(IVoucherHubEvents.NotThroughHub.selector);
        vm.prank(officerA);
        periods.closePeriod(MUNI_A);
    }

    /// @dev The club was paid for a course, then refunded it in full: the program advanced the
    /// 600 kr. Alice got back, so the hub still holds everything it owes, and the bookshop is
    /// paid and both programs reclaimed while the club still owes.
    function test_refund_beyondTheClaimIsAdvancedSoEveryoneElseIsStillPaid() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        uint256 freeBefore = hub.programFunds(BORNEPAKKE).freeOre;
        reverseAs(relayer, clubTerminalKey, course, reversal(60_000, ANY_PERIOD));
        assertEq(hub.programFunds(BORNEPAKKE).freeOre, freeBefore - 60_000, "the program advanced it");
        assertEscrowAccountsForEverything();

        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 150_000));
        vm.warp(END);
        bytes32[] memory alice = new bytes32[](1);
        alice[0] = ALICE;
        vm.startPrank(treasury);
        hub.reclaim(FRITIDSPAS, alice);
        hub.reclaim(BORNEPAKKE, alice);
        vm.stopPrank();
        PeriodId second = settle(MUNI_A, 150_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, second, providerList(BOOKSHOP));
        assertEq(paidTo(BOOKSHOP), 150_000, "the bookshop is paid in full");
        assertEq(hub.receivableOf(MUNI_A, CLUB), 60_000, "the club still owes");
        assertEscrowAccountsForEverything();
    }

    function test_refund_beyondTheClaimIsRefusedWhenTheBudgetCannotAdvanceIt() public {
        ProgramConfig memory small = bornepakkeConfig();
        ProgramId tight = ProgramId.wrap(9);
        createProgram(tight, small);
        fund(tight, 60_000);
        grant(ALICE, tight, 60_000);
        SignedRedemption memory course = redeemSignedAtClub(ALICE, tight, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));

        reverseReverts(
            relayer,
            clubTerminalKey,
            course,
            reversal(60_000, ANY_PERIOD),
            abi.encodeWithSelector(IVoucherHubEvents.ReversalNotCovered.selector, tight, 60_000, 0)
        );
        assertEq(hub.grantOf(ALICE, tight).remaining, 0, "nothing came back");
    }

    /// @dev A visit a minute before a window ends, with its deadline in the next window, may have
    /// counted in either: voiding it in the next window gives the visit back but leaves that
    /// window's count alone, so its limit still holds.
    function test_void_nearAWindowBoundaryLeavesTheNewWindowsCountAlone() public {
        vm.warp(START + 30 days - 1 minutes);
        SignedRedemption memory late = redeemSignedAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.warp(START + 30 days + 10 minutes);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        uint64 usesBefore = hub.grantOf(ALICE, FRITIDSPAS).remaining;

        reverseAs(relayer, clubTerminalKey, late, reversal(10_000, ANY_PERIOD));

        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, usesBefore + 1, "the visit is back");
        assertEq(g.usedInWindow, 2, "both visits of the new window still count");
        Redemption memory third = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, third);
        vm.expectPartialRevert(IVoucherHubEvents.VoucherWindowLimitReached.selector);
        vm.prank(relayer);
        hub.redeem(third, sigR, sigVs);
    }

    function test_reclaimRecovered_returnsWhatTheProviderPaidBack() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        reverseAs(relayer, clubTerminalKey, course, reversal(60_000, ANY_PERIOD));
        redeemAtClub(ALICE, BORNEPAKKE, 25_000);
        PeriodId second = settle(MUNI_A, 25_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, second, providerList(CLUB));
        assertEq(hub.municipalityOf(MUNI_A).recoveredOre, 25_000, "set off, held for the treasury");

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RecoveredReclaimed(MUNI_A, address(0), 25_000);
        vm.prank(treasury);
        hub.reclaimRecovered(MUNI_A);
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, 25_000, "burned: back to the municipality's own account");
        assertEq(hub.municipalityOf(MUNI_A).recoveredOre, 0, "nothing held any more");
        assertEscrowAccountsForEverything();

        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), stranger);
        vm.prank(stranger);
        hub.reclaimRecovered(MUNI_A);
    }

    // ------------------------------------------------------------------ receivables

    function test_settleReceivable_bringsTheRepaymentIn() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        reverseAs(relayer, clubTerminalKey, course, reversal(60_000, ANY_PERIOD));

        uint256 minted = hub.ledgerOf(MUNI_A).mintedOre;
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ReceivableSettled(MUNI_A, CLUB, 20_000);
        vm.prank(treasury);
        hub.settleReceivable(MUNI_A, CLUB, 20_000);

        assertEq(hub.receivableOf(MUNI_A, CLUB), 40_000, "owes the rest");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, minted + 20_000, "minted for the kroner that came in");
        assertEscrowAccountsForEverything();
    }

    function test_settleReceivable_revertsAboveWhatIsOwedOrForNonTreasury() public {
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ReceivableExceeded.selector, MUNI_A, CLUB, uint256(0))
        );
        vm.prank(treasury);
        hub.settleReceivable(MUNI_A, CLUB, 1);

        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), stranger);
        vm.prank(stranger);
        hub.settleReceivable(MUNI_A, CLUB, 1);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Signs first (a view call), so the expected revert is the reverse call's.
    function reverseReverts(
        address submitter,
        uint256 terminalKey,
        SignedRedemption memory original,
        Reversal memory v,
        bytes memory expected
    ) internal {
        (bytes32 sigR, bytes32 sigVs) = signReversal(terminalKey, original, v);
        vm.expectRevert(expected);
        vm.prank(submitter);
        hub.reverse(original, v, sigR, sigVs);
    }

    function reverseRevertsWith(
        address submitter,
        uint256 terminalKey,
        SignedRedemption memory original,
        Reversal memory v,
        bytes4 selector
    ) internal {
        (bytes32 sigR, bytes32 sigVs) = signReversal(terminalKey, original, v);
        vm.expectPartialRevert(selector);
        vm.prank(submitter);
        hub.reverse(original, v, sigR, sigVs);
    }

    /// @dev The hub holds for A exactly: both programs' free budgets, what Alice's grants hold,
    /// the club's and the bookshop's unpaid claims in every period so far, and what providers
    /// paid back of their receivables (refunds beyond a claim are advanced from a budget).
    function assertEscrowAccountsForEverything() internal view {
        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        uint256 claims;
        for (uint32 p = 1; p <= PeriodId.unwrap(open); ++p) {
            claims += hub.claimOf(MUNI_A, PeriodId.wrap(p), CLUB).accruedOre;
            claims += hub.claimOf(MUNI_A, PeriodId.wrap(p), BOOKSHOP).accruedOre;
        }
        uint256 held = hub.programFunds(FRITIDSPAS).freeOre + hub.programFunds(BORNEPAKKE).freeOre
            + hub.grantEscrowOf(ALICE, FRITIDSPAS) + hub.grantEscrowOf(ALICE, BORNEPAKKE) + claims
            + hub.municipalityOf(MUNI_A).recoveredOre + hub.ledgerOf(MUNI_A).inTransitOre;
        assertEq(
            hub.municipalityOf(MUNI_A).escrowOre,
            held,
            "escrow = budgets + grants + claims + recovered + in transit to the bank"
        );
        uint256 owed = hub.receivableOf(MUNI_A, CLUB) + hub.receivableOf(MUNI_A, BOOKSHOP);
        assertEq(hub.municipalityOf(MUNI_A).receivableOre, owed, "the municipality's receivable total");
        assertEq(ekrone.balanceOf(address(hub)), hub.municipalityOf(MUNI_A).escrowOre, "the hub holds it");
    }
}
