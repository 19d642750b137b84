// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubPeriods} from "../../src/interfaces/IVoucherHubPeriods.sol";
import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {IVoucherHubOfficers} from "../../src/interfaces/IVoucherHubOfficers.sol";
import {IVoucherHubProviders} from "../../src/interfaces/IVoucherHubProviders.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {AccountStatus, Municipality} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @dev Municipalities and their roles; and, table-driven, the wall around every
/// municipality-scoped function: the same role of the other municipality and every global role
/// are refused with MunicipalUnauthorizedAccount.
contract MunicipalAccessTest is BaseTest {
    MunicipalityId internal constant ODENSE = MunicipalityId.wrap(461);

    // ------------------------------------------------------------------ createMunicipality

    function test_createMunicipality_opensPeriodOneAndMakesTheAdmin() public {
        address odenseAdmin = makeAddr("Odense.Admin");
        address odenseReclaim = makeAddr("Odense.ReclaimTo");
        vm.expectEmit(address(hub));
        emit IMunicipalAccess.MunicipalityCreated(ODENSE, odenseAdmin, odenseReclaim);
        vm.expectEmit(address(hub));
        emit IMunicipalAccess.MunicipalRoleGranted(
            ODENSE, hub.MUNICIPAL_ADMIN_ROLE(), odenseAdmin, municipalityRegistrar
        );
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PeriodOpened(ODENSE, PeriodId.wrap(1));
        vm.prank(municipalityRegistrar);
        hub.createMunicipality(ODENSE, odenseAdmin, odenseReclaim);

        Municipality memory m = hub.municipalityOf(ODENSE);
        assertTrue(m.exists, "exists");
        assertEq(m.reclaimTo, odenseReclaim, "reclaim destination");
        assertEq(m.escrowOre, 0, "holds nothing yet");
        assertTrue(hub.hasMunicipalRole(ODENSE, hub.MUNICIPAL_ADMIN_ROLE(), odenseAdmin), "admin");
        assertFalse(hub.hasMunicipalRole(MUNI_A, hub.MUNICIPAL_ADMIN_ROLE(), odenseAdmin), "only there");
        (PeriodId open, uint40 openedAt, uint128 accrued) = hub.openPeriod(ODENSE);
        assertEq(PeriodId.unwrap(open), 1, "period 1 open");
        assertEq(openedAt, block.timestamp, "opened now");
        assertEq(accrued, 0, "nothing accrued");
    }

    function test_createMunicipality_revertsForInvalidCodes() public {
        uint16[2] memory codes = [uint16(0), uint16(1000)];
        for (uint256 i; i < codes.length; ++i) {
            vm.expectRevert(IMunicipalAccess.MunicipalityIdInvalid.selector);
            vm.prank(municipalityRegistrar);
            hub.createMunicipality(MunicipalityId.wrap(codes[i]), stranger, stranger);
        }
    }

    function test_createMunicipality_revertsWhenItExists() public {
        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalityAlreadyExists.selector, MUNI_A));
        vm.prank(municipalityRegistrar);
        hub.createMunicipality(MUNI_A, stranger, stranger);
    }

    function test_createMunicipality_revertsForZeroAddresses() public {
        vm.expectRevert(
            abi.encodeWithSelector(IMunicipalAccess.MunicipalityAddressInvalid.selector, address(0))
        );
        vm.prank(municipalityRegistrar);
        hub.createMunicipality(ODENSE, address(0), stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IMunicipalAccess.MunicipalityAddressInvalid.selector, address(0))
        );
        vm.prank(municipalityRegistrar);
        hub.createMunicipality(ODENSE, stranger, address(0));
    }

    function test_createMunicipality_revertsForAnyoneButTheRegistrar() public {
        address[3] memory callers = [admin, municipalAdmin, relayer];
        for (uint256 i; i < callers.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IAccessControl.AccessControlUnauthorizedAccount.selector,
                    callers[i],
                    hub.MUNICIPALITY_REGISTRAR_ROLE()
                )
            );
            vm.prank(callers[i]);
            hub.createMunicipality(ODENSE, stranger, stranger);
        }
    }

    // ------------------------------------------------------------------ municipal roles

    function test_grantMunicipalRole_isIdempotent() public {
        bytes32 role = hub.TREASURY_ROLE();
        vm.expectEmit(address(hub));
        emit IMunicipalAccess.MunicipalRoleGranted(MUNI_A, role, stranger, municipalAdmin);
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, role, stranger);
        assertTrue(hub.hasMunicipalRole(MUNI_A, role, stranger), "granted");

        vm.recordLogs();
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, role, stranger);
        assertEq(vm.getRecordedLogs().length, 0, "no event when nothing changes");
    }

    function test_revokeMunicipalRole_isIdempotent() public {
        bytes32 role = hub.TREASURY_ROLE();
        vm.expectEmit(address(hub));
        emit IMunicipalAccess.MunicipalRoleRevoked(MUNI_A, role, treasury, municipalAdmin);
        vm.prank(municipalAdmin);
        hub.revokeMunicipalRole(MUNI_A, role, treasury);
        assertFalse(hub.hasMunicipalRole(MUNI_A, role, treasury), "revoked");

        vm.recordLogs();
        vm.prank(municipalAdmin);
        hub.revokeMunicipalRole(MUNI_A, role, treasury);
        assertEq(vm.getRecordedLogs().length, 0, "no event when nothing changes");
    }

    function test_grantMunicipalRole_revertsForUnknownRoleOrMunicipality() public {
        bytes32 relayerRole = hub.RELAYER_ROLE();
        bytes32 treasuryRole = hub.TREASURY_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalRoleUnknown.selector, relayerRole));
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, relayerRole, stranger);

        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalityUnknown.selector, ODENSE));
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(ODENSE, treasuryRole, stranger);

        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalityUnknown.selector, ODENSE));
        vm.prank(municipalAdmin);
        hub.revokeMunicipalRole(ODENSE, treasuryRole, stranger);
    }

    function test_grantMunicipalRole_anAdminMayAppointAnotherAdmin() public {
        bytes32 adminRole = hub.MUNICIPAL_ADMIN_ROLE();
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, adminRole, stranger);
        vm.prank(stranger);
        hub.revokeMunicipalRole(MUNI_A, adminRole, municipalAdmin);
        assertFalse(hub.hasMunicipalRole(MUNI_A, adminRole, municipalAdmin), "handed over");
    }

    function test_renounceMunicipalRole_dropsOnlyTheCallersOwnRole() public {
        bytes32 role = hub.FINANCE_OFFICER_ROLE();
        vm.expectEmit(address(hub));
        emit IMunicipalAccess.MunicipalRoleRevoked(MUNI_A, role, officerA, officerA);
        vm.prank(officerA);
        hub.renounceMunicipalRole(MUNI_A, role);
        assertFalse(hub.hasMunicipalRole(MUNI_A, role, officerA), "renounced");
        assertTrue(hub.hasMunicipalRole(MUNI_A, role, officerB), "the other officer keeps it");

        vm.recordLogs();
        vm.prank(staffB.officer1);
        hub.renounceMunicipalRole(MUNI_A, role);
        assertEq(vm.getRecordedLogs().length, 0, "renouncing a role one does not hold changes nothing");
        assertTrue(hub.hasMunicipalRole(MUNI_B, role, staffB.officer1), "B's officer keeps B's role");
    }

    function test_setReclaimDestination_revertsForZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(IMunicipalAccess.MunicipalityAddressInvalid.selector, address(0))
        );
        vm.prank(municipalAdmin);
        hub.setReclaimDestination(MUNI_A, address(0));
    }

    function test_globalAdmin_holdsNoMunicipalRole() public {
        bytes32 adminRole = hub.MUNICIPAL_ADMIN_ROLE();
        assertTrue(hub.hasRole(bytes32(0), admin), "platform admin");
        assertFalse(hub.hasMunicipalRole(MUNI_A, adminRole, admin), "not a municipal admin");
        // Granting itself the global role of the same name gives no municipal power either.
        bytes32 treasuryRole = hub.TREASURY_ROLE();
        vm.prank(admin);
        hub.grantRole(treasuryRole, admin);
        setUpVoucherWorld();
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, admin);
        vm.prank(admin);
        hub.reclaim(FRITIDSPAS, new bytes32[](0));
    }

    // ------------------------------------------------------------------ the wall, table-driven

    struct Call {
        string name;
        bytes32 role;
        bytes data;
    }

    /// @notice Every municipality-scoped function of A, called by the holder of the same role
    /// in B and by each global actor, is refused with MunicipalUnauthorizedAccount naming A,
    /// the role and the caller; A's own holder gets past the wall.
    function test_wall_everyMunicipalFunctionRefusesOtherMunicipalitiesAndGlobalRoles() public {
        setUpVoucherWorld();
        setUpWorldB();
        Call[] memory calls = _municipalCallsOfA();
        address[4] memory globals = [admin, municipalityRegistrar, relayer, stranger];
        for (uint256 i; i < calls.length; ++i) {
            Call memory c = calls[i];
            _expectRefused(c, holderOf(MUNI_B, c.role));
            for (uint256 g; g < globals.length; ++g) {
                _expectRefused(c, globals[g]);
            }
            // Positive control: A's own holder is not stopped by the wall (it may still be
            // refused for another reason, such as a period not yet closed).
            uint256 snapshot = vm.snapshotState();
            vm.prank(holderOf(MUNI_A, c.role));
            (bool ok, bytes memory ret) = address(hub).call(c.data);
            assertTrue(
                ok || bytes4(ret) != IMunicipalAccess.MunicipalUnauthorizedAccount.selector,
                string.concat(c.name, ": A's own holder was refused by the wall")
            );
            vm.revertToState(snapshot);
        }
    }

    function _expectRefused(Call memory c, address caller) private {
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(hub).call(c.data);
        assertFalse(ok, string.concat(c.name, ": went through the wall"));
        assertEq(
            ret,
            abi.encodeWithSelector(
                IMunicipalAccess.MunicipalUnauthorizedAccount.selector, MUNI_A, c.role, caller
            ),
            string.concat(c.name, ": refused with another error")
        );
    }

    function _municipalCallsOfA() private returns (Call[] memory calls) {
        bytes32 pm = hub.PROGRAM_MANAGER_ROLE();
        bytes32 tr = hub.TREASURY_ROLE();
        bytes32 en = hub.ENROLMENT_ROLE();
        bytes32 pr = hub.PROVIDER_REGISTRAR_ROLE();
        bytes32 fo = hub.FINANCE_OFFICER_ROLE();
        bytes32 pa = hub.PAUSER_ROLE();
        bytes32 ad = hub.MUNICIPAL_ADMIN_ROLE();
        PeriodId first = PeriodId.wrap(1);
        bytes32[] memory none = new bytes32[](0);
        calls = new Call[](26);
        calls[0] = Call(
            "createProgram",
            pm,
            abi.encodeCall(IVoucherHub.createProgram, (ProgramId.wrap(9), fritidspasConfig()))
        );
        calls[1] = Call(
            "setProgramSuspended", pm, abi.encodeCall(IVoucherHub.setProgramSuspended, (FRITIDSPAS, true))
        );
        calls[2] = Call(
            "setProgramProvider", pm, abi.encodeCall(IVoucherHub.setProgramProvider, (FRITIDSPAS, CLUB, true))
        );
        calls[3] = Call(
            "setProgramPartner", pm, abi.encodeCall(IVoucherHub.setProgramPartner, (FRITIDSPAS, MUNI_B, true))
        );
        calls[4] =
            Call("setFundingLimit", ad, abi.encodeCall(IVoucherHubOfficers.setFundingLimit, (MUNI_A, 100)));
        calls[5] = Call("reclaim", tr, abi.encodeCall(IVoucherHub.reclaim, (FRITIDSPAS, none)));
        calls[6] = Call("releaseSlack", tr, abi.encodeCall(IVoucherHub.releaseSlack, (FRITIDSPAS, none)));
        calls[7] = Call("registerAccount", en, abi.encodeCall(IVoucherHub.registerAccount, (MUNI_A, BOB)));
        calls[8] = Call(
            "setAccountStatus",
            en,
            abi.encodeCall(IVoucherHub.setAccountStatus, (ALICE, AccountStatus.Suspended))
        );
        calls[9] = Call("grant", en, abi.encodeCall(IVoucherHub.grant, (BOB, FRITIDSPAS, 1)));
        calls[10] = Call("topUp", en, abi.encodeCall(IVoucherHub.topUp, (ALICE, FRITIDSPAS, 1)));
        calls[11] = Call("revoke", en, abi.encodeCall(IVoucherHub.revoke, (ALICE, FRITIDSPAS)));
        calls[12] = Call(
            "registerProvider",
            pr,
            abi.encodeCall(IVoucherHub.registerProvider, (MUNI_A, ProviderId.wrap(9), clubPayout, SPORT))
        );
        calls[13] = Call(
            "admitProvider", pr, abi.encodeCall(IVoucherHub.admitProvider, (MUNI_A, CLUB, SPORT, false))
        );
        calls[14] = Call(
            "updateProviderPayout",
            pr,
            abi.encodeCall(IVoucherHubProviders.updateProviderPayout, (CLUB, bookshopPayout))
        );
        calls[15] = Call(
            "addTerminal",
            pr,
            abi.encodeCall(IVoucherHubProviders.addTerminal, (CLUB, makeAddr("AnotherTerminal")))
        );
        calls[16] = Call("revokeTerminal", pr, abi.encodeCall(IVoucherHub.revokeTerminal, (clubTerminal)));
        calls[17] = Call("closePeriod", fo, abi.encodeCall(IVoucherHubPeriods.closePeriod, (MUNI_A)));
        calls[18] = Call(
            "proposeSettlement", fo, abi.encodeCall(IVoucherHubPeriods.proposeSettlement, (MUNI_A, first, 0))
        );
        calls[19] = Call(
            "cancelSettlement", fo, abi.encodeCall(IVoucherHubPeriods.cancelSettlement, (MUNI_A, first))
        );
        calls[20] = Call(
            "approveSettlement", fo, abi.encodeCall(IVoucherHubPeriods.approveSettlement, (MUNI_A, first))
        );
        calls[21] = Call(
            "settleReceivable", tr, abi.encodeCall(IVoucherHubPeriods.settleReceivable, (MUNI_A, CLUB, 1))
        );
        calls[22] = Call("setPaused", pa, abi.encodeCall(IVoucherHub.setPaused, (MUNI_A, true)));
        calls[23] = Call(
            "grantMunicipalRole",
            ad,
            abi.encodeCall(IMunicipalAccess.grantMunicipalRole, (MUNI_A, tr, stranger))
        );
        calls[24] = Call(
            "revokeMunicipalRole",
            ad,
            abi.encodeCall(IMunicipalAccess.revokeMunicipalRole, (MUNI_A, tr, treasury))
        );
        calls[25] = Call(
            "setReclaimDestination",
            ad,
            abi.encodeCall(IMunicipalAccess.setReclaimDestination, (MUNI_A, stranger))
        );
    }
}
