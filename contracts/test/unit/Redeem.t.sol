// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {
    AccountStatus,
    Claim,
    Grant,
    ProgramConfig,
    ProgramFunds,
    Redemption
} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract RedeemTest is BaseTest {
    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    // ------------------------------------------------------------------ success

    function test_redeem_accruesToOpenPeriodAndProvider() public {
        PeriodId period = redeemAtClub(ALICE, FRITIDSPAS, 12_550);

        assertEq(PeriodId.unwrap(period), 1, "accrues to the open period");
        Claim memory claim = hub.claimOf(MUNI_A, period, CLUB);
        assertEq(claim.accruedOre, 12_550, "the club is owed what was redeemed");
        assertEq(hub.claimOf(MUNI_B, period, CLUB).accruedOre, 0, "in A, not in B");
        (,, uint128 accruedInB) = hub.openPeriod(MUNI_B);
        assertEq(accruedInB, 0, "B's open period has nothing");
        (,, uint128 openAccrued) = hub.openPeriod(MUNI_A);
        assertEq(openAccrued, 12_550, "the open period's total grows");
    }

    function test_redeem_usesKindTakesOneUseAndKeepsTheRestOfItsCap() public {
        ProgramFunds memory before = hub.programFunds(FRITIDSPAS);
        uint256 escrowBefore = hub.grantEscrowOf(ALICE, FRITIDSPAS);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);

        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, 4, "one use of five is gone");
        assertEq(g.usedInWindow, 1, "counted in this window");
        assertEq(g.slackOre, KR_150 - 10_000, "what the use cost below the cap stays with the grant");
        assertEq(hub.grantEscrowOf(ALICE, FRITIDSPAS), escrowBefore - 10_000, "the grant paid the amount");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, before.freeOre, "the free budget is untouched");
    }

    function test_redeem_creditKindTakesTheAmount() public {
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 29_900));

        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - 29_900, "credit left");
        assertEq(hub.claimOf(MUNI_A, PeriodId.wrap(1), BOOKSHOP).accruedOre, 29_900, "bookshop owed");
    }

    function test_redeem_emitsRedeemedWithoutPersonalData() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.Redeemed(CLUB, FRITIDSPAS, ALICE, r.id, clubTerminal, 10_000, PeriodId.wrap(1));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_terminalMaySubmitItself() public {
        redeemAs(clubTerminal, clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 4, "redeemed by the terminal itself");
    }

    function test_redeem_newWindowResetsTheCount() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.warp(hub.nextWindowStart(FRITIDSPAS));
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);

        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.usedInWindow, 1, "the new window starts from one use");
        assertEq(g.remaining, 2, "three of five uses gone");
    }

    // ------------------------------------------------------------------ rule violations

    function test_redeem_revertsWhenWindowLimitReached() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        uint40 next = START + DAYS_30;

        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.VoucherWindowLimitReached.selector, ALICE, FRITIDSPAS, next
            )
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_redeem_revertsWhenUsesExhausted() public {
        registerAccount(BOB);
        grant(BOB, FRITIDSPAS, 1);
        redeemAtClub(BOB, FRITIDSPAS, 10_000);

        expectRedeemRevert(
            redemption(BOB, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.VoucherUsesExhausted.selector, BOB, FRITIDSPAS)
        );
    }

    function test_redeem_revertsWithoutGrant() public {
        registerAccount(BOB);
        expectRedeemRevert(
            redemption(BOB, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.VoucherUsesExhausted.selector, BOB, FRITIDSPAS)
        );
    }

    function test_redeem_revertsWhenAmountOverCap() public {
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, KR_150 + 1),
            abi.encodeWithSelector(
                IVoucherHubEvents.VoucherAmountOverCap.selector, FRITIDSPAS, KR_150 + 1, KR_150
            )
        );
    }

    function test_redeem_revertsWhenCreditInsufficient() public {
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 140_000));
        expectRedeemRevert(
            redemption(ALICE, BORNEPAKKE, BOOKSHOP, 10_001),
            abi.encodeWithSelector(
                IVoucherHubEvents.VoucherCreditInsufficient.selector,
                ALICE,
                BORNEPAKKE,
                uint64(10_001),
                uint64(10_000)
            ),
            bookshopTerminalKey
        );
    }

    function test_redeem_revertsForWrongCategory() public {
        // The bookshop (books) cannot take the Fritidspas (sport only).
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, BOOKSHOP, 10_000),
            abi.encodeWithSelector(
                IVoucherHubEvents.ProgramCategoryNotAllowed.selector, FRITIDSPAS, BOOKSHOP
            ),
            bookshopTerminalKey
        );
    }

    function test_redeem_revertsForProviderOffTheAllowList() public {
        ProgramId restricted = ProgramId.wrap(30);
        ProgramConfig memory config = fritidspasConfig();
        config.restrictedToProviders = true;
        createProgram(restricted, config);
        fund(restricted, 10_000_000);
        grant(ALICE, restricted, 2);

        expectRedeemRevert(
            redemption(ALICE, restricted, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProgramProviderNotAllowed.selector, restricted, CLUB)
        );

        vm.prank(programManager);
        hub.setProgramProvider(restricted, CLUB, true);
        redeemAtClub(ALICE, restricted, 10_000);
        assertEq(hub.grantOf(ALICE, restricted).remaining, 1, "allowed once on the list");
    }

    function test_redeem_revertsWhenProgramSuspended() public {
        vm.prank(programManager);
        hub.setProgramSuspended(FRITIDSPAS, true);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProgramSuspended.selector, FRITIDSPAS)
        );
    }

    function test_redeem_revertsForUnknownProgram() public {
        ProgramId unknown = ProgramId.wrap(99);
        expectRedeemRevert(
            redemption(ALICE, unknown, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, unknown)
        );
    }

    function test_redeem_revertsBeforeProgramStarts() public {
        vm.warp(START - 1);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProgramNotStarted.selector, FRITIDSPAS, START)
        );
    }

    function test_redeem_revertsAfterProgramEnds() public {
        vm.warp(END);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, FRITIDSPAS, END)
        );
    }

    function test_redeem_revertsWhenProviderSuspended() public {
        admit(MUNI_A, CLUB, SPORT, false);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, CLUB)
        );
    }

    function test_redeem_revertsWhenAccountSuspended() public {
        vm.prank(enrolment);
        hub.setAccountStatus(ALICE, AccountStatus.Suspended);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(
                IVoucherHubEvents.AccountNotActive.selector, ALICE, AccountStatus.Suspended
            )
        );
    }

    function test_redeem_revertsForUnregisteredAccount() public {
        expectRedeemRevert(
            redemption(BOB, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.AccountNotActive.selector, BOB, AccountStatus.None)
        );
    }

    function test_redeem_revertsForZeroAmount() public {
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 0),
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionAmountZero.selector)
        );
    }

    function test_redeem_goesOnWhileAnotherMunicipalityIsPaused() public {
        vm.prank(staffB.pauser);
        hub.setPaused(MUNI_B, true);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 4, "A redeems while B is paused");
    }

    function test_redeem_revertsWhenMunicipalityPaused() public {
        vm.prank(pauser);
        hub.setPaused(MUNI_A, true);
        expectRedeemRevert(
            redemption(ALICE, FRITIDSPAS, CLUB, 10_000),
            abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, MUNI_A)
        );
    }

    function test_redeem_revertsForAStrangerSubmitting() public {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.RedemptionSubmitterNotAllowed.selector, stranger)
        );
        vm.prank(stranger);
        hub.redeem(r, sigR, sigVs);
    }

    // ------------------------------------------------------------------ helpers

    function expectRedeemRevert(Redemption memory r, bytes memory reason) internal {
        expectRedeemRevert(r, reason, clubTerminalKey);
    }

    function expectRedeemRevert(Redemption memory r, bytes memory reason, uint256 terminalKey) internal {
        (bytes32 sigR, bytes32 sigVs) = sign(terminalKey, r);
        vm.expectRevert(reason);
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }
}
