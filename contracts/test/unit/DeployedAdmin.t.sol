// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Test} from "forge-std/Test.sol";

import {AdminTimelock} from "../../src/AdminTimelock.sol";
import {EKrone} from "../../src/EKrone.sol";
import {PasskeyVerifier} from "../../src/PasskeyVerifier.sol";
import {VoucherHub} from "../../src/VoucherHub.sol";
import {VoucherHubOfficers} from "../../src/VoucherHubOfficers.sol";
import {VoucherHubPeriods} from "../../src/VoucherHubPeriods.sol";
import {VoucherHubProviders} from "../../src/VoucherHubProviders.sol";
import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {MunicipalityId} from "../../src/types/Ids.sol";

/// @title The deployed admin configuration
/// @notice Builds what contracts/deploy/cli.ts leaves behind, step for step: the platform's admin
/// (hub and eKrone DEFAULT_ADMIN_ROLE, after the two-step handover, and the hub's municipality
/// registrar) is an {AdminTimelock} of two named platform admins; municipality A's admin is an
/// {AdminTimelock} of two named municipal admins; both wait 48 hours. The service's operator key
/// holds RELAYER_ROLE and A's operational roles (program manager, enrolment, provider registrar,
/// pauser) and nothing else; the deployer holds nothing. Each test tries, as the operator, a way
/// to give itself power and expects the exact error; and shows the named people doing the same
/// thing only through their timelock, after its delay.
contract DeployedAdminTest is Test {
    MunicipalityId private constant MUNI_A = MunicipalityId.wrap(101);
    MunicipalityId private constant MUNI_B = MunicipalityId.wrap(147);
    uint48 private constant HUB_ADMIN_DELAY = 1 days; // the CLI's --admin-delay default
    uint256 private constant TIMELOCK_DELAY = 48 hours; // the CLI's --timelock-delay default
    uint128 private constant FUNDING_LIMIT = 50_000_000; // 500.000 kr, the service's default
    uint40 private constant START = 1_798_761_600; // 2027-01-01T00:00:00Z

    /// @dev TimelockController's OperationState.Ready as the bitmap its errors carry.
    bytes32 private constant READY = bytes32(uint256(1) << 2);
    /// @dev Waiting or Ready: what cancel expects.
    bytes32 private constant PENDING = bytes32((uint256(1) << 1) | (uint256(1) << 2));

    bytes32 private constant DEFAULT_ADMIN = bytes32(0);
    bytes32 private constant REGISTRAR = keccak256("MUNICIPALITY_REGISTRAR_ROLE");
    bytes32 private constant RELAYER = keccak256("RELAYER_ROLE");
    bytes32 private constant MUNICIPAL_ADMIN = keccak256("MUNICIPAL_ADMIN_ROLE");
    bytes32 private constant TREASURY = keccak256("TREASURY_ROLE");
    bytes32 private constant PROGRAM_MANAGER = keccak256("PROGRAM_MANAGER_ROLE");
    bytes32 private constant ENROLMENT = keccak256("ENROLMENT_ROLE");
    bytes32 private constant PROVIDER_REGISTRAR = keccak256("PROVIDER_REGISTRAR_ROLE");
    bytes32 private constant FINANCE_OFFICER = keccak256("FINANCE_OFFICER_ROLE");
    bytes32 private constant PAUSER = keccak256("PAUSER_ROLE");
    bytes32 private constant PARTICIPANT_MANAGER = keccak256("PARTICIPANT_MANAGER_ROLE");
    bytes32 private constant PROPOSER = keccak256("PROPOSER_ROLE");
    bytes32 private constant EXECUTOR = keccak256("EXECUTOR_ROLE");
    bytes32 private constant CANCELLER = keccak256("CANCELLER_ROLE");

    EKrone private ekrone;
    IVoucherHub private hub;
    AdminTimelock private platform;
    AdminTimelock private municipalityA;

    address private deployer = makeAddr("Deployer");
    /// @dev The service's operator key: relays, and runs A's day-to-day roles.
    address private operator = makeAddr("Operator");
    address private platformAdmin1 = makeAddr("PlatformAdmin1");
    address private platformAdmin2 = makeAddr("PlatformAdmin2");
    address private municipalAdmin1 = makeAddr("A.MunicipalAdmin1");
    address private municipalAdmin2 = makeAddr("A.MunicipalAdmin2");
    address private officer = makeAddr("A.FinanceOfficer");
    address private reclaimA = makeAddr("A.ReclaimTo");
    address private reclaimB = makeAddr("B.ReclaimTo");

    function setUp() public {
        vm.warp(START);
        vm.startPrank(deployer);
        _deployContracts();
        _setUpMunicipalityA();
        _handOverThePlatform();
        vm.stopPrank();

        // After the hub's and eKrone's admin delay the platform admins accept both handovers
        // through their timelock, which waits its own delay.
        vm.warp(vm.getBlockTimestamp() + HUB_ADMIN_DELAY + 1);
        address[] memory targets = new address[](2);
        targets[0] = address(hub);
        targets[1] = address(ekrone);
        bytes[] memory payloads = new bytes[](2);
        payloads[0] = abi.encodeCall(IAccessControlDefaultAdminRules.acceptDefaultAdminTransfer, ());
        payloads[1] = payloads[0];
        uint256[] memory values = new uint256[](2);
        vm.prank(platformAdmin1);
        platform.scheduleBatch(targets, values, payloads, bytes32(0), bytes32(0), TIMELOCK_DELAY);
        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY);
        vm.prank(platformAdmin2);
        platform.executeBatch(targets, values, payloads, bytes32(0), bytes32(0));
    }

    // ================================================================== what the script leaves

    function test_deployedConfiguration_namedPeopleAdminAndTheOperatorOnlyRelays() public view {
        assertEq(hub.defaultAdmin(), address(platform), "hub admin: the platform timelock");
        assertEq(ekrone.defaultAdmin(), address(platform), "eKrone admin: the platform timelock");
        assertTrue(hub.hasRole(REGISTRAR, address(platform)), "registrar: the platform timelock");
        assertTrue(
            hub.hasMunicipalRole(MUNI_A, MUNICIPAL_ADMIN, address(municipalityA)), "A's admin: timelock"
        );

        address[2] memory nobodies = [deployer, operator];
        for (uint256 i; i < nobodies.length; ++i) {
            address who = nobodies[i];
            assertFalse(hub.hasRole(DEFAULT_ADMIN, who), "no hub admin");
            assertFalse(hub.hasRole(REGISTRAR, who), "no registrar");
            assertFalse(ekrone.hasRole(DEFAULT_ADMIN, who), "no eKrone admin");
            assertFalse(ekrone.hasRole(TREASURY, who), "no eKrone treasury");
            assertFalse(ekrone.hasRole(PARTICIPANT_MANAGER, who), "no participant manager");
            assertFalse(hub.hasMunicipalRole(MUNI_A, MUNICIPAL_ADMIN, who), "no municipal admin");
            assertFalse(hub.hasMunicipalRole(MUNI_A, TREASURY, who), "no treasury");
            assertFalse(hub.hasMunicipalRole(MUNI_A, FINANCE_OFFICER, who), "no finance officer");
            assertFalse(platform.hasRole(PROPOSER, who), "no platform proposer");
            assertFalse(platform.hasRole(EXECUTOR, who), "no platform executor");
            assertFalse(municipalityA.hasRole(PROPOSER, who), "no municipal proposer");
            assertFalse(municipalityA.hasRole(EXECUTOR, who), "no municipal executor");
        }
        assertFalse(hub.hasRole(RELAYER, deployer), "the deployer does not relay");
        assertFalse(hub.hasMunicipalRole(MUNI_A, PROGRAM_MANAGER, deployer), "nor run A");

        assertTrue(hub.hasRole(RELAYER, operator), "the operator relays");
        bytes32[4] memory daily = [PROGRAM_MANAGER, ENROLMENT, PROVIDER_REGISTRAR, PAUSER];
        for (uint256 i; i < daily.length; ++i) {
            assertTrue(hub.hasMunicipalRole(MUNI_A, daily[i], operator), "the operator runs A day to day");
        }

        // Each timelock administers itself, and only the named people propose, cancel, execute.
        AdminTimelock[2] memory locks = [platform, municipalityA];
        for (uint256 i; i < locks.length; ++i) {
            assertTrue(locks[i].hasRole(DEFAULT_ADMIN, address(locks[i])), "self-administered");
            assertFalse(locks[i].hasRole(EXECUTOR, address(0)), "execution is not open to anyone");
            assertEq(locks[i].getMinDelay(), TIMELOCK_DELAY, "48 hours");
        }
        assertTrue(platform.hasRole(PROPOSER, platformAdmin1) && platform.hasRole(CANCELLER, platformAdmin2));
        assertTrue(
            municipalityA.hasRole(EXECUTOR, municipalAdmin1)
                && municipalityA.hasRole(CANCELLER, municipalAdmin2)
        );
        assertFalse(
            platform.hasRole(PROPOSER, municipalAdmin1), "the municipality's people are not the platform's"
        );
        assertEq(hub.ledgerOf(MUNI_A).singleOfficerFundingLimitOre, FUNDING_LIMIT, "limit set explicitly");
    }

    // ================================================================== the operator

    function test_operator_cannotCreateMunicipality() public {
        _expectUnauthorized(operator, REGISTRAR);
        vm.prank(operator);
        hub.createMunicipality(MUNI_B, operator, operator);
        assertFalse(hub.municipalityOf(MUNI_B).exists, "no municipality of its own");
    }

    function test_operator_cannotGrantItselfAMunicipalRole() public {
        bytes32[3] memory wanted = [TREASURY, FINANCE_OFFICER, MUNICIPAL_ADMIN];
        vm.startPrank(operator);
        for (uint256 i; i < wanted.length; ++i) {
            _expectMunicipalUnauthorized(operator);
            hub.grantMunicipalRole(MUNI_A, wanted[i], operator);
        }
        _expectMunicipalUnauthorized(operator);
        hub.revokeMunicipalRole(MUNI_A, MUNICIPAL_ADMIN, address(municipalityA));
        vm.stopPrank();
        for (uint256 i; i < wanted.length; ++i) {
            assertFalse(hub.hasMunicipalRole(MUNI_A, wanted[i], operator), "no role gained");
        }
        assertTrue(hub.hasMunicipalRole(MUNI_A, MUNICIPAL_ADMIN, address(municipalityA)), "admin kept");
    }

    function test_operator_cannotSetFundingLimitOrReclaimDestination() public {
        vm.startPrank(operator);
        _expectMunicipalUnauthorized(operator);
        hub.setFundingLimit(MUNI_A, type(uint128).max);
        _expectMunicipalUnauthorized(operator);
        hub.setReclaimDestination(MUNI_A, operator);
        vm.stopPrank();
        assertEq(hub.ledgerOf(MUNI_A).singleOfficerFundingLimitOre, FUNDING_LIMIT, "limit unchanged");
        assertEq(hub.municipalityOf(MUNI_A).reclaimTo, reclaimA, "destination unchanged");
    }

    function test_operator_cannotGrantAGlobalRoleOrTakeOverTheAdmin() public {
        bytes32[2] memory hubRoles = [REGISTRAR, RELAYER];
        bytes32[3] memory ekroneRoles = [TREASURY, PARTICIPANT_MANAGER, PAUSER];
        vm.startPrank(operator);
        for (uint256 i; i < hubRoles.length; ++i) {
            _expectUnauthorized(operator, DEFAULT_ADMIN);
            hub.grantRole(hubRoles[i], operator);
        }
        for (uint256 i; i < ekroneRoles.length; ++i) {
            _expectUnauthorized(operator, DEFAULT_ADMIN);
            ekrone.grantRole(ekroneRoles[i], operator);
        }
        _expectUnauthorized(operator, DEFAULT_ADMIN);
        hub.beginDefaultAdminTransfer(operator);
        _expectUnauthorized(operator, DEFAULT_ADMIN);
        ekrone.beginDefaultAdminTransfer(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, operator
            )
        );
        hub.acceptDefaultAdminTransfer();
        vm.stopPrank();
        assertFalse(hub.hasRole(REGISTRAR, operator), "no registrar");
        assertFalse(ekrone.hasRole(TREASURY, operator), "no minter");
        (address pending,) = hub.pendingDefaultAdmin();
        assertEq(pending, address(0), "no handover begun");
    }

    function test_operator_cannotScheduleExecuteOrCancelOnEitherTimelock() public {
        bytes memory grant = abi.encodeCall(IMunicipalAccess.grantMunicipalRole, (MUNI_A, TREASURY, operator));
        bytes memory register = abi.encodeCall(IAccessControl.grantRole, (REGISTRAR, operator));
        AdminTimelock[2] memory locks = [municipalityA, platform];
        bytes[2] memory payloads = [grant, register];
        for (uint256 i; i < locks.length; ++i) {
            AdminTimelock lock = locks[i];
            vm.startPrank(operator);
            _expectUnauthorized(operator, PROPOSER);
            lock.schedule(address(hub), 0, payloads[i], bytes32(0), bytes32(0), TIMELOCK_DELAY);
            _expectUnauthorized(operator, EXECUTOR);
            lock.execute(address(hub), 0, payloads[i], bytes32(0), bytes32(0));
            // Nor make itself one of the named people.
            _expectUnauthorized(operator, DEFAULT_ADMIN);
            lock.grantRole(PROPOSER, operator);
            vm.expectRevert(
                abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, operator)
            );
            lock.updateDelay(0);
            vm.stopPrank();
        }

        // A proposal of the named people, even once ready, is theirs to run or cancel.
        bytes memory limit = abi.encodeCall(VoucherHubOfficers.setFundingLimit, (MUNI_A, 1));
        vm.prank(municipalAdmin1);
        municipalityA.schedule(address(hub), 0, limit, bytes32(0), bytes32(0), TIMELOCK_DELAY);
        bytes32 id = municipalityA.hashOperation(address(hub), 0, limit, bytes32(0), bytes32(0));
        vm.startPrank(operator);
        _expectUnauthorized(operator, CANCELLER);
        municipalityA.cancel(id);
        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY);
        _expectUnauthorized(operator, EXECUTOR);
        municipalityA.execute(address(hub), 0, limit, bytes32(0), bytes32(0));
        vm.stopPrank();
        assertTrue(municipalityA.isOperationReady(id), "still waiting for a named admin");
        assertFalse(hub.hasMunicipalRole(MUNI_A, TREASURY, operator), "no treasury role");
        assertFalse(hub.hasRole(REGISTRAR, operator), "no registrar role");
    }

    // ================================================================== the named people

    function test_municipalAdmins_grantFinanceOfficer_onlyAfterTheDelay() public {
        bytes memory grant =
            abi.encodeCall(IMunicipalAccess.grantMunicipalRole, (MUNI_A, FINANCE_OFFICER, officer));
        bytes32 salt = keccak256("officer 1");
        bytes32 id = municipalityA.hashOperation(address(hub), 0, grant, bytes32(0), salt);

        // Not even a named admin acts on the hub by its own key.
        _expectMunicipalUnauthorized(municipalAdmin1);
        vm.prank(municipalAdmin1);
        hub.grantMunicipalRole(MUNI_A, FINANCE_OFFICER, officer);

        vm.prank(municipalAdmin1);
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockInsufficientDelay.selector, TIMELOCK_DELAY - 1, TIMELOCK_DELAY
            )
        );
        municipalityA.schedule(address(hub), 0, grant, bytes32(0), salt, TIMELOCK_DELAY - 1);
        vm.prank(municipalAdmin1);
        municipalityA.schedule(address(hub), 0, grant, bytes32(0), salt, TIMELOCK_DELAY);

        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, id, READY)
        );
        vm.prank(municipalAdmin2);
        municipalityA.execute(address(hub), 0, grant, bytes32(0), salt);
        assertFalse(hub.hasMunicipalRole(MUNI_A, FINANCE_OFFICER, officer), "not before the delay");

        vm.warp(vm.getBlockTimestamp() + 1);
        vm.prank(municipalAdmin2);
        municipalityA.execute(address(hub), 0, grant, bytes32(0), salt);
        assertTrue(hub.hasMunicipalRole(MUNI_A, FINANCE_OFFICER, officer), "granted after the delay");
        assertTrue(municipalityA.isOperationDone(id), "done once");
    }

    function test_municipalAdmins_otherAdminCancelsDuringTheDelay() public {
        bytes memory grant =
            abi.encodeCall(IMunicipalAccess.grantMunicipalRole, (MUNI_A, FINANCE_OFFICER, officer));
        bytes32 id = municipalityA.hashOperation(address(hub), 0, grant, bytes32(0), bytes32(0));
        vm.prank(municipalAdmin1);
        municipalityA.schedule(address(hub), 0, grant, bytes32(0), bytes32(0), TIMELOCK_DELAY);

        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY / 2);
        vm.prank(municipalAdmin2);
        municipalityA.cancel(id);

        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, id, READY)
        );
        vm.prank(municipalAdmin1);
        municipalityA.execute(address(hub), 0, grant, bytes32(0), bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, id, PENDING)
        );
        vm.prank(municipalAdmin1);
        municipalityA.cancel(id);
        assertFalse(hub.hasMunicipalRole(MUNI_A, FINANCE_OFFICER, officer), "never granted");
    }

    function test_platformAdmins_createAMunicipalityOnlyThroughTheTimelockAfterTheDelay() public {
        address adminB = makeAddr("B.MunicipalAdminTimelock");
        bytes memory create = abi.encodeCall(IMunicipalAccess.createMunicipality, (MUNI_B, adminB, reclaimB));
        bytes32 id = platform.hashOperation(address(hub), 0, create, bytes32(0), bytes32(0));

        _expectUnauthorized(platformAdmin1, REGISTRAR);
        vm.prank(platformAdmin1);
        hub.createMunicipality(MUNI_B, adminB, reclaimB);

        vm.prank(platformAdmin1);
        platform.schedule(address(hub), 0, create, bytes32(0), bytes32(0), TIMELOCK_DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, id, READY)
        );
        vm.prank(platformAdmin2);
        platform.execute(address(hub), 0, create, bytes32(0), bytes32(0));

        vm.warp(vm.getBlockTimestamp() + TIMELOCK_DELAY);
        vm.prank(platformAdmin2);
        platform.execute(address(hub), 0, create, bytes32(0), bytes32(0));
        assertTrue(hub.municipalityOf(MUNI_B).exists, "created");
        assertTrue(hub.hasMunicipalRole(MUNI_B, MUNICIPAL_ADMIN, adminB), "with the admin named");
        assertFalse(hub.hasMunicipalRole(MUNI_B, MUNICIPAL_ADMIN, address(platform)), "not the platform's");
    }

    // ================================================================== the deploy script's steps

    /// @dev deploy.ts deployContracts: the deployer is the temporary admin; the roles file names
    /// the operator as relayer.
    function _deployContracts() private {
        ekrone = new EKrone(deployer, HUB_ADMIN_DELAY);
        PasskeyVerifier verifier = new PasskeyVerifier();
        VoucherHubProviders providers = new VoucherHubProviders(ekrone, deployer, verifier);
        VoucherHubOfficers officers = new VoucherHubOfficers(ekrone, deployer, verifier, address(providers));
        VoucherHubPeriods periods = new VoucherHubPeriods(ekrone, deployer, address(officers));
        hub = IVoucherHub(address(new VoucherHub(ekrone, deployer, HUB_ADMIN_DELAY, address(periods))));
        vm.label(address(ekrone), "eKrone");
        vm.label(address(hub), "VoucherHub");

        ekrone.grantRole(PARTICIPANT_MANAGER, deployer);
        ekrone.grantRole(PARTICIPANT_MANAGER, address(hub));
        ekrone.setParticipant(address(hub), true);
        ekrone.grantRole(TREASURY, address(hub));
        // The registrar until the municipalities are set up; renounced in _handOverThePlatform.
        hub.grantRole(REGISTRAR, deployer);
        hub.grantRole(RELAYER, operator);
    }

    /// @dev admin-timelock.ts: the deployer creates A as its admin, hands out the operational
    /// roles to the operator, sets the funding limit and hands the admin to A's named people.
    function _setUpMunicipalityA() private {
        hub.createMunicipality(MUNI_A, deployer, reclaimA);
        bytes32[4] memory daily = [PROGRAM_MANAGER, ENROLMENT, PROVIDER_REGISTRAR, PAUSER];
        for (uint256 i; i < daily.length; ++i) {
            hub.grantMunicipalRole(MUNI_A, daily[i], operator);
        }
        hub.setFundingLimit(MUNI_A, FUNDING_LIMIT);
        ekrone.setParticipant(reclaimA, true);
        municipalityA = new AdminTimelock(
            TIMELOCK_DELAY, _pair(municipalAdmin1, municipalAdmin2), _pair(municipalAdmin1, municipalAdmin2)
        );
        vm.label(address(municipalityA), "A.AdminTimelock");
        hub.grantMunicipalRole(MUNI_A, MUNICIPAL_ADMIN, address(municipalityA));
        hub.renounceMunicipalRole(MUNI_A, MUNICIPAL_ADMIN);
    }

    /// @dev admin-timelock.ts: the platform timelock becomes registrar and the pending admin of
    /// the hub and eKrone; the deployer gives up everything but the admin it cannot yet hand over.
    function _handOverThePlatform() private {
        platform = new AdminTimelock(
            TIMELOCK_DELAY, _pair(platformAdmin1, platformAdmin2), _pair(platformAdmin1, platformAdmin2)
        );
        vm.label(address(platform), "PlatformAdminTimelock");
        hub.grantRole(REGISTRAR, address(platform));
        ekrone.grantRole(PARTICIPANT_MANAGER, address(platform));
        hub.beginDefaultAdminTransfer(address(platform));
        ekrone.beginDefaultAdminTransfer(address(platform));
        hub.renounceRole(REGISTRAR, deployer);
        ekrone.renounceRole(PARTICIPANT_MANAGER, deployer);
    }

    // ================================================================== helpers

    function _pair(address a, address b) private pure returns (address[] memory list) {
        list = new address[](2);
        list[0] = a;
        list[1] = b;
    }

    function _expectUnauthorized(address account, bytes32 role) private {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role)
        );
    }

    function _expectMunicipalUnauthorized(address account) private {
        vm.expectRevert(
            abi.encodeWithSelector(
                IMunicipalAccess.MunicipalUnauthorizedAccount.selector, MUNI_A, MUNICIPAL_ADMIN, account
            )
        );
    }
}
