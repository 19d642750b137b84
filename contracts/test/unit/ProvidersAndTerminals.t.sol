// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IEKrone} from "../../src/interfaces/IEKrone.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {ProviderId} from "../../src/types/Ids.sol";
import {Provider, Terminal} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract ProvidersAndTerminalsTest is BaseTest {
    function test_registerProvider_allowListsItsPayoutAccount() public {
        registerProvider(CLUB, clubPayout, SPORT);
        Provider memory p = hub.providerOf(CLUB);
        assertEq(p.payout, clubPayout, "payout");
        assertEq(p.categories, SPORT, "categories");
        assertTrue(p.active, "active");
        assertTrue(ekrone.isParticipant(clubPayout), "may receive eKrone");
    }

    function test_registerProvider_revertsWhenRegistered() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderAlreadyRegistered.selector, CLUB));
        vm.prank(registrar);
        hub.registerProvider(CLUB, clubPayout, SPORT);
    }

    function test_registerProvider_revertsForZeroPayout() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.registerProvider(CLUB, address(0), SPORT);
    }

    function test_registerProvider_revertsForIdZero() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderIdInvalid.selector));
        vm.prank(registrar);
        hub.registerProvider(ProviderId.wrap(0), clubPayout, SPORT);
        assertFalse(ekrone.isParticipant(clubPayout), "nothing allow-listed");
    }

    function test_registerProvider_revertsForNonRegistrar() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                stranger,
                hub.PROVIDER_REGISTRAR_ROLE()
            )
        );
        vm.prank(stranger);
        hub.registerProvider(CLUB, clubPayout, SPORT);
    }

    function test_updateProvider_newPayoutBecomesParticipant() public {
        registerProvider(CLUB, clubPayout, SPORT);
        address newPayout = makeAddr("NewClubPayout");
        vm.prank(registrar);
        hub.updateProvider(CLUB, newPayout, SPORT | CULTURE, false);
        Provider memory p = hub.providerOf(CLUB);
        assertEq(p.payout, newPayout, "payout changed");
        assertEq(p.categories, SPORT | CULTURE, "categories changed");
        assertFalse(p.active, "suspended");
        assertTrue(ekrone.isParticipant(newPayout), "new payout may receive eKrone");
        assertFalse(ekrone.isParticipant(clubPayout), "the old payout may not");
    }

    function test_updateProvider_keepsAnOldPayoutAnotherProviderStillUses() public {
        registerProvider(CLUB, clubPayout, SPORT);
        registerProvider(BOOKSHOP, clubPayout, BOOKS); // one association runs both
        vm.prank(registrar);
        hub.updateProvider(CLUB, makeAddr("NewClubPayout"), SPORT, true);
        assertTrue(ekrone.isParticipant(clubPayout), "the bookshop still pays out to it");
        vm.prank(registrar);
        hub.updateProvider(BOOKSHOP, bookshopPayout, BOOKS, true);
        assertFalse(ekrone.isParticipant(clubPayout), "no provider uses it any more");
    }

    function test_updateProvider_oldPayoutCanStillCashOutButNotTransfer() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.prank(treasury);
        ekrone.mint(clubPayout, 5000);
        vm.prank(registrar);
        hub.updateProvider(CLUB, makeAddr("NewClubPayout"), SPORT, true);

        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneSenderNotAllowed.selector, clubPayout));
        vm.prank(clubPayout);
        ekrone.transfer(treasury, 5000);
        vm.prank(clubPayout);
        ekrone.burn(5000);
        assertEq(ekrone.balanceOf(clubPayout), 0, "paid out to the bank");
    }

    function test_updateProvider_samePayoutStaysParticipant() public {
        registerProvider(CLUB, clubPayout, SPORT);
        vm.prank(registrar);
        hub.updateProvider(CLUB, clubPayout, SPORT, false);
        assertTrue(ekrone.isParticipant(clubPayout), "unchanged payout stays");
    }

    function test_updateProvider_revertsForUnknownOrZeroPayout() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderUnknown.selector, CLUB));
        vm.prank(registrar);
        hub.updateProvider(CLUB, clubPayout, SPORT, true);
        registerProvider(CLUB, clubPayout, SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.updateProvider(CLUB, address(0), SPORT, true);
    }

    function test_addTerminal_bindsItToTheProvider() public {
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        Terminal memory t = hub.terminalOf(clubTerminal);
        assertEq(ProviderId.unwrap(t.provider), ProviderId.unwrap(CLUB), "club's terminal");
        assertTrue(t.active, "active");
    }

    function test_addTerminal_revertsForUnknownProvider() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderUnknown.selector, CLUB));
        vm.prank(registrar);
        hub.addTerminal(CLUB, clubTerminal);
    }

    function test_addTerminal_revokedAddressCannotReturn() public {
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        vm.startPrank(registrar);
        hub.revokeTerminal(clubTerminal);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.TerminalAlreadyRegistered.selector, clubTerminal));
        hub.addTerminal(CLUB, clubTerminal);
        vm.stopPrank();
    }

    function test_revokeTerminal_revertsForUnknownTerminal() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.TerminalNotRegistered.selector, clubTerminal));
        vm.prank(registrar);
        hub.revokeTerminal(clubTerminal);
    }
}
