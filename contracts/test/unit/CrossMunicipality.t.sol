// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId, ProgramId} from "../../src/types/Ids.sol";
import {OfficerSignature, ProgramConfig, Redemption, SettlementStatus} from "../../src/types/Records.sol";
import {BaseTest, Passkey, Staff} from "../utils/BaseTest.sol";

/// @dev Stories across the wall between A (København) and B (Frederiksberg): each runs its own
/// periods, settlements and escrow in the one hub; a provider redeems in a municipality only
/// where it is admitted, or through a program's partner.
contract CrossMunicipalityTest is BaseTest {
    PeriodId internal constant FIRST = PeriodId.wrap(1);

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        setUpWorldB();
    }

    // ------------------------------------------------------------------ periods and settlement

    function test_periods_areIndependentAndEachPaysItsOwnProviders() public {
        redeemAtClub(ALICE, FRITIDSPAS, 12_000); // A's claim
        redeemAs(relayer, poolTerminalKey, redemption(CARL, SOMMERPAS, POOL, 30_000)); // B's claim
        uint256 escrowA = hub.municipalityOf(MUNI_A).escrowOre;
        uint256 escrowB = hub.municipalityOf(MUNI_B).escrowOre;

        PeriodId closedA = settle(MUNI_A, 12_000);
        (PeriodId openA,,) = hub.openPeriod(MUNI_A);
        (PeriodId openB,, uint128 accruedB) = hub.openPeriod(MUNI_B);
        assertEq(PeriodId.unwrap(closedA), 1, "A closed its period 1");
        assertEq(PeriodId.unwrap(openA), 2, "A is in period 2");
        assertEq(PeriodId.unwrap(openB), 1, "B is still in period 1");
        assertEq(accruedB, 30_000, "B's open period keeps its accrual");

        // A redeems into its period 2 while B still accrues into its period 1.
        assertEq(PeriodId.unwrap(redeemAtClub(ALICE, FRITIDSPAS, 1000)), 2, "A accrues to period 2");
        Redemption memory r = redemption(CARL, SOMMERPAS, POOL, 1000);
        assertEq(PeriodId.unwrap(redeemAs(relayer, poolTerminalKey, r)), 1, "B accrues to period 1");

        vm.prank(officerA);
        hub.payout(MUNI_A, closedA, providerList(CLUB));
        assertEq(paidTo(CLUB), 12_000, "A paid its club");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrowA, "held by A until the bank confirms");
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, 12_000, "in transit from A");
        assertEq(hub.municipalityOf(MUNI_B).escrowOre, escrowB, "B's escrow untouched");

        PeriodId closedB = settle(MUNI_B, 31_000);
        vm.prank(staffB.officer1);
        hub.payout(MUNI_B, closedB, providerList(POOL));
        assertEq(paidTo(POOL), 31_000, "B paid its pool");
        assertEq(hub.ledgerOf(MUNI_B).inTransitOre, 31_000, "in transit from B");
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, 12_000, "A's unchanged");
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Paid), "A's period 1 paid"
        );
        assertEq(
            uint8(hub.settlementOf(MUNI_B, FIRST).status), uint8(SettlementStatus.Paid), "B's period 1 paid"
        );
        _assertEscrowAddsUp();
    }

    function test_financeOfficerOfB_cannotCloseProposeApproveOrConfirmA() public {
        redeemAtClub(ALICE, FRITIDSPAS, 12_000);
        address officer = staffB.officer1;
        bytes32 role = hub.FINANCE_OFFICER_ROLE();

        expectMunicipalUnauthorized(MUNI_A, role, officer);
        vm.prank(officer);
        hub.closePeriod(MUNI_A);

        vm.prank(officerA);
        hub.closePeriod(MUNI_A);
        expectMunicipalUnauthorized(MUNI_A, role, officer);
        vm.prank(officer);
        hub.proposeSettlement(MUNI_A, FIRST, 12_000);

        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, 12_000);
        // B's officer is not "a different officer" of A: approval needs A's second officer.
        expectMunicipalUnauthorized(MUNI_A, role, officer);
        vm.prank(officer);
        hub.approveSettlement(MUNI_A, FIRST);

        vm.prank(officerB);
        hub.approveSettlement(MUNI_A, FIRST);
        // Carrying out A's approved settlement is open to anyone (nothing leaves the hub), so
        // B's officer only moves A's money to where A's two officers said; the bank's
        // confirmation, which burns it, needs A's own officer.
        vm.prank(officer);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        assertEq(paidTo(CLUB), 12_000, "paid as A approved");
        OfficerSignature memory sig = officerSign(
            staffB.financeKey1,
            hub.CONFIRM_BANK_TRANSFERS(),
            MUNI_A,
            ProgramId.wrap(0),
            keccak256(abi.encode(FIRST, providerList(CLUB))),
            12_000
        );
        expectMunicipalUnauthorized(MUNI_A, role, staffB.financeKey1.account);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, providerList(CLUB), 12_000, sig);
    }

    function test_settlementOfB_doesNotTouchAsPeriodOfTheSameNumber() public {
        redeemAtClub(ALICE, FRITIDSPAS, 12_000);
        PeriodId closedB = settle(MUNI_B, 0); // B's period 1 held nothing: settled at approval
        assertEq(uint8(hub.settlementOf(MUNI_B, closedB).status), uint8(SettlementStatus.Paid), "B settled");
        assertEq(uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.None), "A's untouched");
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 12_000, "A's claim still owed");
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PeriodNotClosed.selector, MUNI_A, FIRST));
        vm.prank(officerA);
        hub.proposeSettlement(MUNI_A, FIRST, 12_000);
    }

    // ------------------------------------------------------------------ admission and partners

    function test_providerOfA_redeemsInBOnlyOnceAdmittedThere() public {
        Redemption memory r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, CLUB));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);

        admit(MUNI_B, CLUB, SPORT, true);
        r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        assertEq(PeriodId.unwrap(redeemAs(relayer, clubTerminalKey, r)), 1, "B's period 1");
        assertEq(hub.claimOf(MUNI_B, FIRST, CLUB).accruedOre, 10_000, "the claim accrues in B");
        assertEq(hub.claimOf(MUNI_A, FIRST, CLUB).accruedOre, 0, "not in A");

        // B pays A's club from B's escrow.
        uint256 escrowA = hub.municipalityOf(MUNI_A).escrowOre;
        PeriodId closed = settle(MUNI_B, 10_000);
        vm.prank(staffB.officer1);
        hub.payout(MUNI_B, closed, providerList(CLUB));
        assertEq(paidTo(CLUB), 10_000, "paid to the club's one payout address");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrowA, "A's escrow untouched");
        _assertEscrowAddsUp();
    }

    function test_admissionInB_isSuspendedInBOnly() public {
        admit(MUNI_B, CLUB, SPORT, true);
        admit(MUNI_B, CLUB, SPORT, false);
        Redemption memory r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, CLUB));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 4, "still redeems at home in A");
    }

    function test_admissionInB_hasItsOwnCategories() public {
        admit(MUNI_B, CLUB, CLOTHING, true); // B admits the club for clothes only
        Redemption memory r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramCategoryNotAllowed.selector, SOMMERPAS, CLUB)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_programOfB_withPartnerA_takesAsAdmittedProvider() public {
        vm.prank(staffB.programManager);
        hub.setProgramPartner(SOMMERPAS, MUNI_A, true);
        Redemption memory r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        redeemAs(relayer, clubTerminalKey, r);
        assertEq(hub.claimOf(MUNI_B, FIRST, CLUB).accruedOre, 10_000, "accrues in the program's municipality");
        assertEq(hub.grantOf(CARL, SOMMERPAS).remaining, 90_000, "Carl's credit taken");

        // A suspending the club stops it in B's program too, as long as B has not admitted it.
        admit(MUNI_A, CLUB, SPORT, false);
        r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, CLUB));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);

        // Dropping the partner closes the door as well.
        admit(MUNI_A, CLUB, SPORT, true);
        vm.prank(staffB.programManager);
        hub.setProgramPartner(SOMMERPAS, MUNI_A, false);
        r = redemption(CARL, SOMMERPAS, CLUB, 10_000);
        (sigR, sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, CLUB));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }

    function test_partnerAdmission_mustFitTheProgramsCategories() public {
        ProgramConfig memory books = sommerpasConfig();
        books.categories = BOOKS;
        ProgramId bookpas = ProgramId.wrap(4);
        createProgram(bookpas, books);
        fund(bookpas, 1_000_000);
        grant(CARL, bookpas, 50_000);
        vm.prank(staffB.programManager);
        hub.setProgramPartner(bookpas, MUNI_A, true);

        // A admits the club for sport only: active in a partner, wrong category.
        Redemption memory r = redemption(CARL, bookpas, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramCategoryNotAllowed.selector, bookpas, CLUB)
        );
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);

        // A's bookshop (books) is taken through the partner.
        redeemAs(relayer, bookshopTerminalKey, redemption(CARL, bookpas, BOOKSHOP, 10_000));
        assertEq(hub.claimOf(MUNI_B, FIRST, BOOKSHOP).accruedOre, 10_000, "claim in B");
    }

    // ------------------------------------------------------------------ money and people stay home

    function test_treasuryOfB_cannotFundOrReclaimAsProgram() public {
        address t = staffB.treasury;
        // B's treasury officer's passkey signs a funding of A's program: refused at A's wall.
        Passkey memory keyOfB = staffB.treasuryKey1;
        OfficerSignature memory sig =
            officerSign(keyOfB, hub.FUND_PROGRAM(), MUNI_A, FRITIDSPAS, bytes32("b-funds-a"), 100);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), keyOfB.account);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 100, bytes32("b-funds-a"), sig);

        vm.warp(END);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), t);
        vm.prank(t);
        hub.reclaim(FRITIDSPAS, new bytes32[](0));
    }

    function test_reclaim_burnsOnlyTheMunicipalitysOwnMoney() public {
        vm.warp(END);
        bytes32[] memory carl = new bytes32[](1);
        carl[0] = CARL;
        vm.prank(staffB.treasury);
        uint256 reclaimedB = hub.reclaim(SOMMERPAS, carl);
        assertEq(reclaimedB, 10_000_000, "all of Sommerpas");
        assertEq(hub.ledgerOf(MUNI_B).burnedOre, reclaimedB, "burned from B's money");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, 0, "nothing of A's");
        assertEq(hub.municipalityOf(MUNI_B).escrowOre, 0, "B holds nothing now");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, 200_000_000, "A's escrow untouched");
        _assertEscrowAddsUp();
    }

    function test_accountOfA_cannotBeGrantedBsProgram() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.AccountMunicipalityMismatch.selector, ALICE, MUNI_A, MUNI_B
            )
        );
        vm.prank(staffB.enrolment);
        hub.grant(ALICE, SOMMERPAS, 1000);
        // Nor by A's enrolment, which has no say over B's program.
        expectMunicipalUnauthorized(MUNI_B, hub.ENROLMENT_ROLE(), enrolment);
        vm.prank(enrolment);
        hub.grant(ALICE, SOMMERPAS, 1000);
    }

    function test_registrarOfB_cannotTouchAsProviderOrTerminals() public {
        admit(MUNI_B, CLUB, SPORT, true); // B admitting the club gives B no say over it
        Staff memory b = staffB;
        bytes32 role = hub.PROVIDER_REGISTRAR_ROLE();
        expectMunicipalUnauthorized(MUNI_A, role, b.registrar);
        vm.prank(b.registrar);
        hub.updateProviderPayout(CLUB, poolPayout);
        expectMunicipalUnauthorized(MUNI_A, role, b.registrar);
        vm.prank(b.registrar);
        hub.addTerminal(CLUB, makeAddr("RogueTerminal"));
        expectMunicipalUnauthorized(MUNI_A, role, b.registrar);
        vm.prank(b.registrar);
        hub.revokeTerminal(clubTerminal);
        assertEq(hub.providerOf(CLUB).payout, clubPayout, "payout unchanged");
    }

    function _assertEscrowAddsUp() private view {
        assertEq(
            hub.municipalityOf(MUNI_A).escrowOre + hub.municipalityOf(MUNI_B).escrowOre,
            ekrone.balanceOf(address(hub)),
            "the municipalities' escrow is what the hub holds"
        );
    }
}
