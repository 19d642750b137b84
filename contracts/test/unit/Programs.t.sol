// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId, ProgramId} from "../../src/types/Ids.sol";
import {ProgramConfig, ProgramFunds, ProgramKind, ProgramRules} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

contract ProgramsTest is BaseTest {
    // ------------------------------------------------------------------ createProgram

    function test_createProgram_storesTheRules() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        ProgramRules memory rules = hub.programRules(FRITIDSPAS);
        assertEq(rules.maxPerUseOre, KR_150, "cap per use");
        assertEq(rules.usesPerWindow, 2, "uses per window");
        assertEq(rules.windowSeconds, DAYS_30, "window length");
        assertEq(rules.categories, SPORT, "categories");
        assertEq(uint8(rules.kind), uint8(ProgramKind.Uses), "kind");
        assertEq(hub.programMunicipality(FRITIDSPAS), MUNICIPALITY, "issuer");
    }

    function test_createProgram_revertsForNonManager() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, hub.PROGRAM_MANAGER_ROLE()
            )
        );
        vm.prank(stranger);
        hub.createProgram(FRITIDSPAS, fritidspasConfig());
    }

    function test_createProgram_revertsWhenIdTaken() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramAlreadyExists.selector, FRITIDSPAS));
        vm.prank(programManager);
        hub.createProgram(FRITIDSPAS, bornepakkeConfig());
    }

    function test_createProgram_revertsForInvalidConfig() public {
        ProgramConfig memory noCap = fritidspasConfig();
        noCap.maxPerUseOre = 0;
        ProgramConfig memory noCategory = fritidspasConfig();
        noCategory.categories = 0;
        ProgramConfig memory backwards = fritidspasConfig();
        backwards.validUntil = backwards.validFrom;
        ProgramConfig memory noWindow = fritidspasConfig();
        noWindow.windowSeconds = 0;
        ProgramConfig[4] memory invalid = [noCap, noCategory, backwards, noWindow];
        for (uint256 i; i < invalid.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramConfigInvalid.selector, FRITIDSPAS));
            vm.prank(programManager);
            hub.createProgram(FRITIDSPAS, invalid[i]);
        }
    }

    // ------------------------------------------------------------------ suspension and allow-list

    function test_setProgramSuspended_revertsForUnknownProgram() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramUnknown.selector, FRITIDSPAS));
        vm.prank(programManager);
        hub.setProgramSuspended(FRITIDSPAS, true);
    }

    function test_setProgramProvider_recordsTheAllowList() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.prank(programManager);
        hub.setProgramProvider(FRITIDSPAS, CLUB, true);
        assertTrue(hub.isProgramProvider(FRITIDSPAS, CLUB), "club allowed");
        assertFalse(hub.isProgramProvider(FRITIDSPAS, BOOKSHOP), "bookshop not listed");
    }

    function test_setProgramProvider_revertsForUnknownProgram() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramUnknown.selector, FRITIDSPAS));
        vm.prank(programManager);
        hub.setProgramProvider(FRITIDSPAS, CLUB, true);
    }

    // ------------------------------------------------------------------ fundProgram

    function test_fundProgram_movesEKroneIntoEscrow() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        fund(FRITIDSPAS, 30_000_000);
        assertEq(hub.programFunds(FRITIDSPAS).escrowOre, 30_000_000, "escrow");
        assertEq(ekrone.balanceOf(address(hub)), 30_000_000, "the hub holds it");
        assertEq(ekrone.balanceOf(treasury), 0, "the treasury paid it");
    }

    function test_fundProgram_revertsWithoutAllowance() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.prank(treasury);
        ekrone.mint(treasury, 100);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(hub), 0, 100)
        );
        vm.prank(treasury);
        hub.fundProgram(FRITIDSPAS, 100);
    }

    function test_fundProgram_revertsForUnknownProgram() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramUnknown.selector, FRITIDSPAS));
        vm.prank(treasury);
        hub.fundProgram(FRITIDSPAS, 100);
    }

    function test_fundProgram_revertsAfterEnd() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.warp(END);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramEnded.selector, FRITIDSPAS, END));
        vm.prank(treasury);
        hub.fundProgram(FRITIDSPAS, 100);
    }

    function test_fundProgram_revertsForNonTreasury() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, hub.TREASURY_ROLE()
            )
        );
        vm.prank(stranger);
        hub.fundProgram(FRITIDSPAS, 100);
    }

    // ------------------------------------------------------------------ reclaim

    function test_reclaim_returnsUnspentEscrowAfterEnd() public {
        setUpVoucherWorld();
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.warp(END);

        vm.prank(treasury);
        uint256 reclaimed = hub.reclaim(FRITIDSPAS);

        assertEq(reclaimed, 100_000_000 - 10_000, "everything but the redeemed amount returns");
        assertEq(ekrone.balanceOf(treasury), reclaimed, "to the treasury");
        ProgramFunds memory funds = hub.programFunds(FRITIDSPAS);
        assertEq(funds.escrowOre, 0, "escrow emptied");
        assertEq(funds.committedOre, 0, "grants void");
        (PeriodId open,,) = hub.openPeriod();
        assertEq(hub.claimOf(open, CLUB).accruedOre, 10_000, "the club's claim stays payable");
    }

    function test_reclaim_revertsWhileRunning() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramStillRunning.selector, FRITIDSPAS, END));
        vm.prank(treasury);
        hub.reclaim(FRITIDSPAS);
    }

    function test_reclaim_revertsForUnknownProgram() public {
        ProgramId unknown = ProgramId.wrap(77);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHub.ProgramUnknown.selector, unknown));
        vm.prank(treasury);
        hub.reclaim(unknown);
    }
}
