// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {MunicipalityId, PeriodId, ProgramId} from "../../src/types/Ids.sol";
import {Grant, ProgramConfig, ProgramFunds, ProgramKind, ProgramRules} from "../../src/types/Records.sol";
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
        assertTrue(rules.municipality == MUNI_A, "the rules name the municipality");
        assertTrue(hub.programMunicipality(FRITIDSPAS) == MUNI_A, "issuer");
    }

    function test_createProgram_revertsForNonManager() public {
        expectMunicipalUnauthorized(MUNI_A, hub.PROGRAM_MANAGER_ROLE(), stranger);
        vm.prank(stranger);
        hub.createProgram(FRITIDSPAS, fritidspasConfig());
    }

    function test_createProgram_revertsForAnotherMunicipalitysManager() public {
        expectMunicipalUnauthorized(MUNI_A, hub.PROGRAM_MANAGER_ROLE(), staffB.programManager);
        vm.prank(staffB.programManager);
        hub.createProgram(FRITIDSPAS, fritidspasConfig());
    }

    function test_createProgram_revertsForUnknownMunicipality() public {
        ProgramConfig memory c = fritidspasConfig();
        c.municipality = MunicipalityId.wrap(999);
        expectMunicipalUnauthorized(c.municipality, hub.PROGRAM_MANAGER_ROLE(), programManager);
        vm.prank(programManager);
        hub.createProgram(FRITIDSPAS, c);
    }

    function test_createProgram_acceptsTheWidestStoredCap() public {
        ProgramConfig memory c = bornepakkeConfig();
        c.maxPerUseOre = type(uint56).max;
        createProgram(BORNEPAKKE, c);
        assertEq(hub.programRules(BORNEPAKKE).maxPerUseOre, type(uint56).max, "stored in full");
    }

    function test_createProgram_revertsWhenIdTaken() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramAlreadyExists.selector, FRITIDSPAS));
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
        ProgramConfig memory capTooWide = fritidspasConfig();
        capTooWide.maxPerUseOre = uint64(type(uint56).max) + 1;
        ProgramConfig[5] memory invalid = [noCap, noCategory, backwards, noWindow, capTooWide];
        for (uint256 i; i < invalid.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.ProgramConfigInvalid.selector, FRITIDSPAS)
            );
            vm.prank(programManager);
            hub.createProgram(FRITIDSPAS, invalid[i]);
        }
    }

    // ------------------------------------------------------------------ suspension and allow-list

    function test_setProgramSuspended_revertsForUnknownProgram() public {
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, FRITIDSPAS));
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
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, FRITIDSPAS));
        vm.prank(programManager);
        hub.setProgramProvider(FRITIDSPAS, CLUB, true);
    }

    // ------------------------------------------------------------------ partners

    function test_setProgramPartner_recordsAndRemovesThePartner() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProgramPartnerSet(FRITIDSPAS, MUNI_B, true);
        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, MUNI_B, true);
        assertTrue(hub.isProgramPartner(FRITIDSPAS, MUNI_B), "B is a partner");
        assertFalse(hub.isProgramPartner(FRITIDSPAS, MUNI_A), "the program's own municipality is not");

        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, MUNI_B, true);
        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, MUNI_B, false);
        assertFalse(hub.isProgramPartner(FRITIDSPAS, MUNI_B), "removed, once, though accepted twice");
    }

    function test_setProgramPartner_holdsEightAndFreesAPlaceOnRemoval() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        for (uint16 i; i < 9; ++i) {
            MunicipalityId m = MunicipalityId.wrap(201 + i);
            vm.prank(municipalityRegistrar);
            hub.createMunicipality(m, makeAddr("PartnerAdmin"), makeAddr("PartnerReclaim"));
            if (i == 8) {
                vm.expectRevert(
                    abi.encodeWithSelector(IVoucherHubEvents.ProgramPartnersFull.selector, FRITIDSPAS)
                );
            }
            vm.prank(programManager);
            hub.setProgramPartner(FRITIDSPAS, m, true);
        }
        assertFalse(hub.isProgramPartner(FRITIDSPAS, MunicipalityId.wrap(209)), "the ninth was refused");

        vm.startPrank(programManager);
        hub.setProgramPartner(FRITIDSPAS, MunicipalityId.wrap(203), false);
        hub.setProgramPartner(FRITIDSPAS, MunicipalityId.wrap(209), true);
        vm.stopPrank();
        assertTrue(hub.isProgramPartner(FRITIDSPAS, MunicipalityId.wrap(209)), "took the freed place");
        assertTrue(hub.isProgramPartner(FRITIDSPAS, MunicipalityId.wrap(208)), "the others stay");
    }

    function test_setProgramPartner_revertsForNoneItselfOrUnknown() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        MunicipalityId none = MunicipalityId.wrap(0);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramPartnerInvalid.selector, FRITIDSPAS, none)
        );
        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, none, true);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramPartnerInvalid.selector, FRITIDSPAS, MUNI_A)
        );
        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, MUNI_A, true);

        MunicipalityId unknown = MunicipalityId.wrap(860);
        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalityUnknown.selector, unknown));
        vm.prank(programManager);
        hub.setProgramPartner(FRITIDSPAS, unknown, true);
    }

    function test_setProgramPartner_revertsForThePartnersManager() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        expectMunicipalUnauthorized(MUNI_A, hub.PROGRAM_MANAGER_ROLE(), staffB.programManager);
        vm.prank(staffB.programManager);
        hub.setProgramPartner(FRITIDSPAS, MUNI_B, true);
    }

    // ------------------------------------------------------------------ fundProgram

    function test_fundProgram_movesEKroneIntoEscrow() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        fund(FRITIDSPAS, 30_000_000);
        ProgramFunds memory funds = hub.programFunds(FRITIDSPAS);
        assertEq(funds.freeOre, 30_000_000, "all of it free to grant");
        assertEq(funds.fundedOre, 30_000_000, "funded");
        assertEq(ekrone.balanceOf(address(hub)), 30_000_000, "the hub holds it");
        assertEq(ekrone.totalSupply(), 30_000_000, "minted for it");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, 30_000_000, "minted for A");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, 30_000_000, "held for A");
        assertEq(hub.municipalityOf(MUNI_B).escrowOre, 0, "nothing held for B");
    }

    // ------------------------------------------------------------------ reclaim

    function test_reclaim_returnsFreeBudgetAndListedGrantsAfterEnd() public {
        setUpVoucherWorld(); // Alice: 5 uses of 150 kr in Fritidspas
        redeemAtClub(ALICE, FRITIDSPAS, 10_000); // a use that cost 50 kr less than the cap
        vm.warp(END);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.GrantExpired(ALICE, FRITIDSPAS, 4 * KR_150 + 5000);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProgramReclaimed(FRITIDSPAS, address(0), 100_000_000 - 10_000);
        vm.prank(treasury);
        uint256 reclaimed = hub.reclaim(FRITIDSPAS, _list(ALICE));

        assertEq(reclaimed, 100_000_000 - 10_000, "everything but the redeemed amount returns");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, reclaimed, "burned: back to the municipality's bank account");
        assertEq(ekrone.balanceOf(treasury), 0, "nothing to the treasury that called");
        assertEq(ekrone.balanceOf(reclaimA), 0, "nothing to any address");
        assertEq(
            hub.municipalityOf(MUNI_A).escrowOre, 10_000 + 100_000_000, "A holds the claim and Bornepakke"
        );
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, 0, "free budget emptied");
        assertEq(hub.grantEscrowOf(ALICE, FRITIDSPAS), 0, "the grant holds nothing");
        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, 0, "the grant reads empty");
        assertEq(g.slackOre, 0, "its slack went back too");
        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        assertEq(hub.claimOf(MUNI_A, open, CLUB).accruedOre, 10_000, "the club's claim stays payable");
        assertEq(ekrone.balanceOf(address(hub)), 10_000 + 100_000_000, "the claim and the other program stay");
    }

    function test_reclaim_inChunksTakesEachGrantOnce() public {
        setUpVoucherWorld();
        registerAccount(BOB);
        grant(BOB, FRITIDSPAS, 2);
        vm.warp(END);
        uint256 free = hub.programFunds(FRITIDSPAS).freeOre;

        vm.startPrank(treasury);
        uint256 first = hub.reclaim(FRITIDSPAS, _list(ALICE));
        uint256 again = hub.reclaim(FRITIDSPAS, _list(ALICE));
        uint256 second = hub.reclaim(FRITIDSPAS, _list(BOB));
        vm.stopPrank();

        assertEq(first, free + 5 * KR_150, "free budget and Alice's grant");
        assertEq(again, 0, "a repeated chunk takes nothing");
        assertEq(second, 2 * KR_150, "Bob's grant");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, 100_000_000, "the whole unspent funding is back");
    }

    function test_reclaim_revokedGrantComesBackThroughTheFreeBudget() public {
        setUpVoucherWorld();
        vm.warp(END);
        vm.prank(treasury);
        hub.reclaim(FRITIDSPAS, new bytes32[](0));
        vm.prank(enrolment);
        hub.revoke(ALICE, FRITIDSPAS);
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, 5 * KR_150, "the revoked grant is free budget");
        vm.prank(treasury);
        assertEq(hub.reclaim(FRITIDSPAS, new bytes32[](0)), 5 * KR_150, "and reclaimable");
    }

    function test_grantOf_readsNothingLeftAfterEnd() public {
        setUpVoucherWorld();
        vm.warp(END);
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 0, "an ended program has nothing to use");
        assertEq(hub.grantEscrowOf(ALICE, BORNEPAKKE), 150_000, "its escrow waits for reclaim");
    }

    function test_reclaim_revertsForAccountWithoutGrant() public {
        setUpVoucherWorld();
        vm.warp(END);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, BOB, FRITIDSPAS));
        vm.prank(treasury);
        hub.reclaim(FRITIDSPAS, _list(BOB));
    }

    function test_reclaim_revertsWhileRunning() public {
        createProgram(FRITIDSPAS, fritidspasConfig());
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramStillRunning.selector, FRITIDSPAS, END)
        );
        vm.prank(treasury);
        hub.reclaim(FRITIDSPAS, new bytes32[](0));
    }

    function test_reclaim_revertsForUnknownProgram() public {
        ProgramId unknown = ProgramId.wrap(77);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, unknown));
        vm.prank(treasury);
        hub.reclaim(unknown, new bytes32[](0));
    }

    function test_reclaim_revertsForNonTreasury() public {
        setUpVoucherWorld();
        vm.warp(END);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), stranger);
        vm.prank(stranger);
        hub.reclaim(FRITIDSPAS, new bytes32[](0));
    }

    // ------------------------------------------------------------------ releaseSlack

    function test_releaseSlack_returnsWhatUsesCostBelowTheCap() public {
        setUpVoucherWorld();
        uint256 freeBefore = hub.programFunds(FRITIDSPAS).freeOre;
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 14_000);
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).slackOre, 6000, "50 kr + 10 kr below the cap");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, freeBefore, "redemption leaves the free budget");

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.SlackReleased(ALICE, FRITIDSPAS, 6000);
        vm.prank(treasury);
        hub.releaseSlack(FRITIDSPAS, _list(ALICE));

        assertEq(hub.programFunds(FRITIDSPAS).freeOre, freeBefore + 6000, "free to grant again");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).slackOre, 0, "no slack left");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 3, "the uses stay");
    }

    function test_releaseSlack_revertsForAccountWithoutGrant() public {
        setUpVoucherWorld();
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, BOB, FRITIDSPAS));
        vm.prank(treasury);
        hub.releaseSlack(FRITIDSPAS, _list(BOB));
    }

    function test_releaseSlack_revertsForNonTreasury() public {
        setUpVoucherWorld();
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), stranger);
        vm.prank(stranger);
        hub.releaseSlack(FRITIDSPAS, _list(ALICE));
    }

    function _list(bytes32 account) private pure returns (bytes32[] memory accounts) {
        accounts = new bytes32[](1);
        accounts[0] = account;
    }
}
