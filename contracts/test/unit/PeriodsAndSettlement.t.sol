// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId, ProviderId} from "../../src/types/Ids.sol";
import {Claim, Settlement, SettlementStatus} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract PeriodsAndSettlementTest is BaseTest {
    PeriodId internal constant FIRST = PeriodId.wrap(1);

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        redeemAtClub(ALICE, FRITIDSPAS, 15_000);
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 25_000));
    }

    // ------------------------------------------------------------------ closePeriod

    function test_closePeriod_opensTheNextAndFreezesTotals() public {
        vm.prank(officerA);
        PeriodId closed = hub.closePeriod(MUNI_A);

        assertEq(PeriodId.unwrap(closed), 1, "closed period 1");
        (PeriodId open,, uint128 openAccrued) = hub.openPeriod(MUNI_A);
        assertEq(PeriodId.unwrap(open), 2, "period 2 is open");
        assertEq(openAccrued, 0, "nothing accrued in period 2 yet");
        assertEq(hub.periodTotals(MUNI_A, FIRST).accruedOre, 40_000, "period 1 owes 400 kr");

        PeriodId next = redeemAtClub(ALICE, FRITIDSPAS, 1000);
        assertEq(PeriodId.unwrap(next), 2, "new redemptions go to period 2");
    }

    function test_closePeriod_revertsForNonOfficer() public {
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), stranger);
        vm.prank(stranger);
        hub.closePeriod(MUNI_A);
    }

    // ------------------------------------------------------------------ propose, cancel, approve

    function test_proposeSettlement_revertsForOpenPeriod() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PeriodNotClosed.selector, MUNI_A, FIRST));
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, 40_000);
    }

    function test_proposeSettlement_revertsForPeriodZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.PeriodNotClosed.selector, MUNI_A, PeriodId.wrap(0))
        );
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, PeriodId.wrap(0), 0);
    }

    function test_proposeSettlement_revertsOnTotalMismatch() public {
        close();
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementTotalMismatch.selector, MUNI_A, FIRST, 39_999, 40_000
            )
        );
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, 39_999);
    }

    function test_proposeSettlement_revertsWhenAlreadyProposed() public {
        close();
        propose(officerA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementNotProposable.selector,
                MUNI_A,
                FIRST,
                uint8(SettlementStatus.Proposed)
            )
        );
        vm.prank(officerB);
        hub.proposeSettlement(MUNI_A, FIRST, 40_000);
    }

    function test_approveSettlement_revertsForTheProposer() public {
        close();
        propose(officerA);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementSelfApproval.selector, MUNI_A, FIRST, officerA)
        );
        vm.prank(officerA);
        hub.approveSettlement(MUNI_A, FIRST);
    }

    function test_approveSettlement_revertsWithoutProposal() public {
        close();
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotProposed.selector, MUNI_A, FIRST)
        );
        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, FIRST);
    }

    function test_approveSettlement_recordsBothOfficers() public {
        close();
        propose(officerA);
        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, FIRST);
        Settlement memory s = hub.settlementOf(MUNI_A, FIRST);
        assertEq(s.proposer, officerA, "proposer");
        assertEq(s.approver, officerB, "approver");
        assertEq(uint8(s.status), uint8(SettlementStatus.Approved), "approved");
    }

    function test_approveSettlement_ofEmptyPeriodSettlesIt() public {
        close();
        vm.prank(officerA);
        PeriodId empty = hub.closePeriod(MUNI_A);
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, empty, 0);
        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, empty);
        assertEq(
            uint8(hub.settlementOf(MUNI_A, empty).status), uint8(SettlementStatus.Paid), "nothing to pay"
        );
    }

    function test_cancelSettlement_allowsANewProposal() public {
        close();
        propose(officerA);
        vm.prank(officerB);
        hub.cancelSettlement(MUNI_A, FIRST);
        propose(officerB);
        assertEq(hub.settlementOf(MUNI_A, FIRST).proposer, officerB, "re-proposed");
    }

    function test_cancelSettlement_revertsWithoutProposal() public {
        close();
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotProposed.selector, MUNI_A, FIRST)
        );
        vm.prank(officerA);
        hub.cancelSettlement(MUNI_A, FIRST);
    }

    // ------------------------------------------------------------------ payout

    function test_payout_paysEachProviderItsClaimInChunks() public {
        approved();
        uint256 escrowBefore = hub.municipalityOf(MUNI_A).escrowOre;
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
        assertEq(paidTo(CLUB), 15_000, "club paid");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrowBefore, "held until the bank confirms");
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, 15_000, "in transit");
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status),
            uint8(SettlementStatus.Approved),
            "one still unpaid"
        );

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PeriodSettled(MUNI_A, FIRST, 40_000);
        vm.prank(officerB);
        hub.payout(MUNI_A, FIRST, providers(BOOKSHOP));
        assertEq(paidTo(BOOKSHOP), 25_000, "bookshop paid");
        assertEq(uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Paid), "period paid");
        assertEq(
            hub.periodTotals(MUNI_A, FIRST).paidOre,
            hub.periodTotals(MUNI_A, FIRST).accruedOre,
            "paid equals accrued"
        );
    }

    function test_payout_clearsTheClaimAndMarksItPaid() public {
        approved();
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 15_000, "owed before payment");
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPaid(MUNI_A, FIRST, CLUB, clubPayout, 15_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
        Claim memory paid = hub.claimOf(MUNI_A, FIRST, CLUB);
        assertTrue(paid.paid, "marked paid");
        assertEq(paid.accruedOre, 0, "nothing owed any more; the event keeps the amount");
        Claim memory unpaid = hub.claimOf(MUNI_A, FIRST, BOOKSHOP);
        assertFalse(unpaid.paid, "the bookshop is not paid yet");
        assertEq(unpaid.accruedOre, 25_000, "and still owed");
    }

    function test_payout_revertsBeforeApproval() public {
        close();
        propose(officerA);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, FIRST)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
    }

    function test_payout_revertsWhenProviderPaidTwice() public {
        approved();
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementAlreadyPaid.selector, MUNI_A, FIRST, CLUB)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
    }

    function test_payout_revertsWhenProviderRepeatedInBatch() public {
        approved();
        ProviderId[] memory twice = new ProviderId[](2);
        twice[0] = CLUB;
        twice[1] = CLUB;
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementAlreadyPaid.selector, MUNI_A, FIRST, CLUB)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, twice);
        assertEq(paidTo(CLUB), 0, "the whole batch reverted");
    }

    function test_payout_revertsForProviderWithNothingAccrued() public {
        approved();
        ProviderId idle = ProviderId.wrap(42);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNothingAccrued.selector, MUNI_A, FIRST, idle)
        );
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(idle));
    }

    function test_payout_revertsWhenPaused() public {
        approved();
        vm.prank(pauser);
        hub.setPaused(MUNI_A, true);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, MUNI_A));
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
    }

    function test_setPaused_pausesOnlyItsMunicipality() public {
        approved();
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PausedSet(MUNI_B, true);
        vm.prank(staffB.pauser);
        hub.setPaused(MUNI_B, true);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
        assertEq(paidTo(CLUB), 15_000, "A pays while B is paused");
    }

    function test_setPaused_survivesClosingThePeriod() public {
        vm.prank(pauser);
        hub.setPaused(MUNI_A, true);
        close();
        approvedAfterClose();
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, MUNI_A));
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providers(CLUB));
    }

    function test_setPaused_revertsForNonPauser() public {
        expectMunicipalUnauthorized(MUNI_A, hub.PAUSER_ROLE(), stranger);
        vm.prank(stranger);
        hub.setPaused(MUNI_A, true);
    }

    // ------------------------------------------------------------------ helpers

    function close() internal {
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);
    }

    function propose(address officer) internal {
        vm.prank(officer);
        hub.proposeSettlement(MUNI_A, FIRST, 40_000);
    }

    function approved() internal {
        close();
        approvedAfterClose();
    }

    function approvedAfterClose() internal {
        propose(officerA);
        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, FIRST);
    }

    function providers(ProviderId provider) internal pure returns (ProviderId[] memory list) {
        list = new ProviderId[](1);
        list[0] = provider;
    }
}
