// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
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

    function test_registerProvider_revertsForZeroPayoutOrId() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.registerProvider(CLUB, address(0), SPORT);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProviderPayoutInvalid.selector, clubPayout));
        vm.prank(registrar);
        hub.registerProvider(ProviderId.wrap(0), clubPayout, SPORT);
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
