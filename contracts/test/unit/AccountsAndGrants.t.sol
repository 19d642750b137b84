// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {MunicipalityId, ProgramId} from "../../src/types/Ids.sol";
import {AccountStatus, Grant} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract AccountsAndGrantsTest is BaseTest {
    function setUp() public override {
        super.setUp();
        createProgram(FRITIDSPAS, fritidspasConfig());
        createProgram(BORNEPAKKE, bornepakkeConfig());
        fund(FRITIDSPAS, 300_000); // 20 uses at 150 kr
        fund(BORNEPAKKE, 300_000); // two children's packages
        registerAccount(ALICE);
    }

    // ------------------------------------------------------------------ accounts

    function test_registerAccount_activatesItInItsMunicipality() public {
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.AccountRegistered(MUNI_B, CARL);
        registerAccountIn(MUNI_B, CARL);
        assertEq(uint8(hub.accountStatus(ALICE)), uint8(AccountStatus.Active), "active");
        assertTrue(hub.accountMunicipality(ALICE) == MUNI_A, "Alice is A's");
        assertTrue(hub.accountMunicipality(CARL) == MUNI_B, "Carl is B's");
        assertTrue(hub.accountMunicipality(BOB) == MunicipalityId.wrap(0), "Bob is nobody's yet");
    }

    function test_registerAccount_revertsWhenRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AccountAlreadyRegistered.selector, ALICE));
        vm.prank(enrolment);
        hub.registerAccount(MUNI_A, ALICE);
    }

    function test_registerAccount_revertsWhenRegisteredInAnotherMunicipality() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AccountAlreadyRegistered.selector, ALICE));
        vm.prank(staffB.enrolment);
        hub.registerAccount(MUNI_B, ALICE);
    }

    function test_registerAccount_revertsForNonEnrolment() public {
        expectMunicipalUnauthorized(MUNI_A, hub.ENROLMENT_ROLE(), stranger);
        vm.prank(stranger);
        hub.registerAccount(MUNI_A, BOB);
    }

    function test_setAccountStatus_revertsForAnotherMunicipalitysEnrolment() public {
        expectMunicipalUnauthorized(MUNI_A, hub.ENROLMENT_ROLE(), staffB.enrolment);
        vm.prank(staffB.enrolment);
        hub.setAccountStatus(ALICE, AccountStatus.Suspended);
    }

    function test_setAccountStatus_closingIsFinal() public {
        vm.startPrank(enrolment);
        hub.setAccountStatus(ALICE, AccountStatus.Closed);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AccountClosed.selector, ALICE));
        hub.setAccountStatus(ALICE, AccountStatus.Active);
        vm.stopPrank();
    }

    function test_setAccountStatus_revertsForUnknownAccount() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AccountUnknown.selector, BOB));
        vm.prank(enrolment);
        hub.setAccountStatus(BOB, AccountStatus.Suspended);
    }

    function test_setAccountStatus_revertsForNone() public {
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.AccountNotActive.selector, ALICE, AccountStatus.None)
        );
        vm.prank(enrolment);
        hub.setAccountStatus(ALICE, AccountStatus.None);
    }

    // ------------------------------------------------------------------ grant

    function test_grant_commitsEachUseAtItsCap() public {
        grant(ALICE, FRITIDSPAS, 4);
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, 300_000 - 4 * KR_150, "4 uses promise 600 kr");
        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, 4, "uses granted");
        assertTrue(g.exists, "exists");
    }

    function test_grant_revertsWhenBudgetExceeded() public {
        grant(ALICE, BORNEPAKKE, 150_000);
        registerAccount(BOB);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProgramBudgetExceeded.selector, BORNEPAKKE, 150_001, 150_000
            )
        );
        vm.prank(enrolment);
        hub.grant(BOB, BORNEPAKKE, 150_001);
    }

    function test_grant_revertsWhenGrantedTwice() public {
        grant(ALICE, FRITIDSPAS, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.GrantAlreadyExists.selector, ALICE, FRITIDSPAS)
        );
        vm.prank(enrolment);
        hub.grant(ALICE, FRITIDSPAS, 2);
    }

    function test_grant_revertsForZero() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantAmountZero.selector));
        vm.prank(enrolment);
        hub.grant(ALICE, FRITIDSPAS, 0);
    }

    function test_grant_revertsForInactiveAccount() public {
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.AccountNotActive.selector, BOB, AccountStatus.None)
        );
        vm.prank(enrolment);
        hub.grant(BOB, FRITIDSPAS, 2);
    }

    function test_grant_revertsForUnknownProgram() public {
        ProgramId unknown = ProgramId.wrap(9);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, unknown));
        vm.prank(enrolment);
        hub.grant(ALICE, unknown, 2);
    }

    function test_grant_revertsForAnAccountOfAnotherMunicipality() public {
        registerAccountIn(MUNI_B, CARL);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.AccountMunicipalityMismatch.selector, CARL, MUNI_B, MUNI_A
            )
        );
        vm.prank(enrolment);
        hub.grant(CARL, FRITIDSPAS, 2);
    }

    function test_grant_revertsForAnotherMunicipalitysEnrolment() public {
        expectMunicipalUnauthorized(MUNI_A, hub.ENROLMENT_ROLE(), staffB.enrolment);
        vm.prank(staffB.enrolment);
        hub.grant(ALICE, FRITIDSPAS, 2);
    }

    function test_grant_revertsAfterProgramEnd() public {
        vm.warp(END);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, FRITIDSPAS, END));
        vm.prank(enrolment);
        hub.grant(ALICE, FRITIDSPAS, 2);
    }

    // ------------------------------------------------------------------ topUp and revoke

    function test_topUp_addsToTheGrant() public {
        grant(ALICE, BORNEPAKKE, 100_000);
        vm.prank(enrolment);
        hub.topUp(ALICE, BORNEPAKKE, 50_000);
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000, "topped up");
        assertEq(hub.programFunds(BORNEPAKKE).freeOre, 150_000, "the rest is free");
    }

    function test_topUp_revertsWithoutGrant() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, ALICE, BORNEPAKKE));
        vm.prank(enrolment);
        hub.topUp(ALICE, BORNEPAKKE, 1);
    }

    function test_topUp_revertsWhenBudgetExceeded() public {
        grant(ALICE, BORNEPAKKE, 300_000);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramBudgetExceeded.selector, BORNEPAKKE, 1, 0)
        );
        vm.prank(enrolment);
        hub.topUp(ALICE, BORNEPAKKE, 1);
    }

    function test_revoke_returnsTheRestToFreeBudget() public {
        grant(ALICE, FRITIDSPAS, 4);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.GrantRevoked(ALICE, FRITIDSPAS, 4);
        vm.prank(enrolment);
        hub.revoke(ALICE, FRITIDSPAS);
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 0, "nothing left");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, 300_000, "budget free again");
    }

    function test_revoke_revertsWithoutGrant() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, ALICE, FRITIDSPAS));
        vm.prank(enrolment);
        hub.revoke(ALICE, FRITIDSPAS);
    }
}
