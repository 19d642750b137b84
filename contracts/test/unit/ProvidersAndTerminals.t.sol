// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IEKrone} from "../../src/interfaces/IEKrone.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {ProviderId} from "../../src/types/Ids.sol";
import {Admission, Provider, Terminal} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract ProvidersAndTerminalsTest is BaseTest {
    // ------------------------------------------------------------------ registerProvider

    function test_registerProvider_makesTheMunicipalityItsHomeAndAdmitsIt() public {
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderRegistered(MUNI_A, CLUB, clubPayout, SPORT);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdmitted(MUNI_A, CLUB, SPORT, true);
        registerProvider(CLUB, clubPayout, SPORT);
        Provider memory p = hub.providerOf(CLUB);
        assertEq(p.payout, clubPayout, "payout");
        assertTrue(p.home == MUNI_A, "home");
        Admission memory a = hub.admissionOf(MUNI_A, CLUB);
        assertEq(a.categories, SPORT, "categories in A");
        assertTrue(a.active, "active in A");
        Admission memory b = hub.admissionOf(MUNI_B, CLUB);
        assertFalse(b.active, "not admitted in B");
        assertEq(b.categories, 0, "no categories in B");
        assertTrue(ekrone.isParticipant(clubPayout), "may receive eKrone");
    }

    function test_registerProvider_revertsWhenRegistered() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderAlreadyRegistered.selector, CLUB));
        vm.prank(registrar);
        hub.registerProvider(MUNI_A, CLUB, clubPayout, SPORT);
    }

    function test_registerProvider_revertsWhenRegisteredByAnotherMunicipality() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderAlreadyRegistered.selector, CLUB));
        vm.prank(staffB.registrar);
        hub.registerProvider(MUNI_B, CLUB, poolPayout, SPORT);
    }

    function test_registerProvider_revertsForZeroPayout() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.registerProvider(MUNI_A, CLUB, address(0), SPORT);
    }

    function test_registerProvider_revertsForIdZero() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderIdInvalid.selector));
        vm.prank(registrar);
        hub.registerProvider(MUNI_A, ProviderId.wrap(0), clubPayout, SPORT);
        assertFalse(ekrone.isParticipant(clubPayout), "nothing allow-listed");
    }

    function test_registerProvider_revertsForNonRegistrar() public {
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), stranger);
        vm.prank(stranger);
        hub.registerProvider(MUNI_A, CLUB, clubPayout, SPORT);
    }

    // ------------------------------------------------------------------ admitProvider

    function test_admitProvider_admitsAndSuspendsPerMunicipality() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdmitted(MUNI_B, CLUB, SPORT | CULTURE, true);
        admit(MUNI_B, CLUB, SPORT | CULTURE, true);
        assertTrue(hub.admissionOf(MUNI_B, CLUB).active, "active in B");
        assertEq(hub.admissionOf(MUNI_B, CLUB).categories, SPORT | CULTURE, "B's categories");

        admit(MUNI_B, CLUB, SPORT, false);
        assertFalse(hub.admissionOf(MUNI_B, CLUB).active, "suspended in B");
        assertTrue(hub.admissionOf(MUNI_A, CLUB).active, "still active at home");
        assertEq(hub.admissionOf(MUNI_A, CLUB).categories, SPORT, "home categories unchanged");
    }

    function test_admitProvider_revertsForUnknownProvider() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderUnknown.selector, CLUB));
        vm.prank(staffB.registrar);
        hub.admitProvider(MUNI_B, CLUB, SPORT, true);
    }

    function test_admitProvider_revertsForAnotherMunicipalitysRegistrar() public {
        registerProvider(CLUB, clubPayout, SPORT);
        expectMunicipalUnauthorized(MUNI_B, hub.PROVIDER_REGISTRAR_ROLE(), registrar);
        vm.prank(registrar);
        hub.admitProvider(MUNI_B, CLUB, SPORT, true);
    }

    // ------------------------------------------------------------------ updateProviderPayout

    function test_updateProviderPayout_newPayoutBecomesParticipant() public {
        registerProvider(CLUB, clubPayout, SPORT);
        address newPayout = makeAddr("NewClubPayout");
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPayoutUpdated(CLUB, newPayout);
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, newPayout);
        Provider memory p = hub.providerOf(CLUB);
        assertEq(p.payout, newPayout, "payout changed");
        assertTrue(p.home == MUNI_A, "home unchanged");
        assertTrue(ekrone.isParticipant(newPayout), "new payout may receive eKrone");
        assertFalse(ekrone.isParticipant(clubPayout), "the old payout may not");
    }

    function test_updateProviderPayout_keepsAnOldPayoutAnotherProviderStillUses() public {
        registerProvider(CLUB, clubPayout, SPORT);
        registerProvider(BOOKSHOP, clubPayout, BOOKS); // one association runs both
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, makeAddr("NewClubPayout"));
        assertTrue(ekrone.isParticipant(clubPayout), "the bookshop still pays out to it");
        vm.prank(registrar);
        hub.updateProviderPayout(BOOKSHOP, bookshopPayout);
        assertFalse(ekrone.isParticipant(clubPayout), "no provider uses it any more");
    }

    function test_updateProviderPayout_countsUsersAcrossHomes() public {
        registerProvider(CLUB, clubPayout, SPORT);
        registerProviderIn(MUNI_B, POOL, clubPayout, SPORT); // one association in both
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, makeAddr("NewClubPayout"));
        assertTrue(ekrone.isParticipant(clubPayout), "B's pool still pays out to it");
        vm.prank(staffB.registrar);
        hub.updateProviderPayout(POOL, poolPayout);
        assertFalse(ekrone.isParticipant(clubPayout), "no provider uses it any more");
    }

    function test_updateProviderPayout_oldPayoutCanStillCashOutButNotTransfer() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.prank(treasury);
        ekrone.mint(clubPayout, 5000);
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, makeAddr("NewClubPayout"));

        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneSenderNotAllowed.selector, clubPayout));
        vm.prank(clubPayout);
        ekrone.transfer(treasury, 5000);
        vm.prank(clubPayout);
        ekrone.burn(5000);
        assertEq(paidTo(CLUB), 0, "paid out to the bank");
    }

    function test_updateProviderPayout_samePayoutStaysParticipant() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, clubPayout);
        assertTrue(ekrone.isParticipant(clubPayout), "unchanged payout stays");
    }

    function test_updateProviderPayout_revertsForUnknownOrZeroPayout() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderUnknown.selector, CLUB));
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, clubPayout);
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, address(0));
    }

    function test_updateProviderPayout_revertsForAdmittingMunicipalitysRegistrar() public {
        registerProvider(CLUB, clubPayout, SPORT);
        admit(MUNI_B, CLUB, SPORT, true);
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), staffB.registrar);
        vm.prank(staffB.registrar);
        hub.updateProviderPayout(CLUB, poolPayout);
    }

    // ------------------------------------------------------------------ terminals

    function test_addTerminal_bindsItToTheProvider() public {
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        Terminal memory t = hub.terminalOf(clubTerminal);
        assertEq(ProviderId.unwrap(t.provider), ProviderId.unwrap(CLUB), "club's terminal");
        assertTrue(t.active, "active");
    }

    function test_addTerminal_revertsForUnknownProvider() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderUnknown.selector, CLUB));
        vm.prank(registrar);
        hub.addTerminal(CLUB, clubTerminal);
    }

    function test_addTerminal_revokedAddressCannotReturn() public {
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        vm.startPrank(registrar);
        hub.revokeTerminal(clubTerminal);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.TerminalAlreadyRegistered.selector, clubTerminal)
        );
        hub.addTerminal(CLUB, clubTerminal);
        vm.stopPrank();
    }

    function test_addTerminal_revertsForAdmittingMunicipalitysRegistrar() public {
        registerProvider(CLUB, clubPayout, SPORT);
        admit(MUNI_B, CLUB, SPORT, true);
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), staffB.registrar);
        vm.prank(staffB.registrar);
        hub.addTerminal(CLUB, clubTerminal);
    }

    function test_revokeTerminal_revertsForUnknownTerminal() public {
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, clubTerminal)
        );
        vm.prank(registrar);
        hub.revokeTerminal(clubTerminal);
    }

    function test_revokeTerminal_revertsForAdmittingMunicipalitysRegistrar() public {
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        admit(MUNI_B, CLUB, SPORT, true);
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), staffB.registrar);
        vm.prank(staffB.registrar);
        hub.revokeTerminal(clubTerminal);
        assertTrue(hub.terminalOf(clubTerminal).active, "still active");
    }
}
