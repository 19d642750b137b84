// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {EKrone} from "../../src/EKrone.sol";
import {VoucherHub} from "../../src/VoucherHub.sol";
import {PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {ProgramConfig, ProgramKind, Redemption} from "../../src/types/Records.sol";

/// @dev Deploys eKrone and the hub with labelled actors holding each role, and offers the
/// steps most tests start from: a funded program, an approved provider with a terminal, an
/// account with a grant, and a terminal-signed redemption.
abstract contract BaseTest is Test {
    uint32 internal constant SPORT = 1;
    uint32 internal constant CULTURE = 2;
    uint32 internal constant CLOTHING = 4;
    uint32 internal constant BOOKS = 8;

    uint32 internal constant MUNICIPALITY = 101;
    uint32 internal constant DAYS_30 = 30 days;
    uint64 internal constant KR_150 = 15_000; // øre
    uint40 internal constant START = 1_798_761_600; // 2027-01-01T00:00:00Z
    uint40 internal constant END = 1_830_297_600; // 2028-01-01T00:00:00Z

    ProgramId internal constant FRITIDSPAS = ProgramId.wrap(1);
    ProgramId internal constant BORNEPAKKE = ProgramId.wrap(2);
    ProviderId internal constant CLUB = ProviderId.wrap(1);
    ProviderId internal constant BOOKSHOP = ProviderId.wrap(2);

    EKrone internal ekrone;
    VoucherHub internal hub;

    address internal admin = makeAddr("Admin");
    address internal treasury = makeAddr("Treasury");
    address internal programManager = makeAddr("ProgramManager");
    address internal enrolment = makeAddr("Enrolment");
    address internal registrar = makeAddr("Registrar");
    address internal relayer = makeAddr("Relayer");
    address internal officerA = makeAddr("FinanceOfficerA");
    address internal officerB = makeAddr("FinanceOfficerB");
    address internal pauser = makeAddr("Pauser");
    address internal stranger = makeAddr("Stranger");
    address internal clubPayout = makeAddr("ClubPayout");
    address internal bookshopPayout = makeAddr("BookshopPayout");

    address internal clubTerminal;
    uint256 internal clubTerminalKey;
    address internal bookshopTerminal;
    uint256 internal bookshopTerminalKey;

    bytes32 internal constant ALICE = keccak256("pseudonymous account 1");
    bytes32 internal constant BOB = keccak256("pseudonymous account 2");

    uint256 private _nextRedemptionId = 1;

    function setUp() public virtual {
        vm.warp(START + 1 days);
        (clubTerminal, clubTerminalKey) = makeAddrAndKey("ClubTerminal");
        (bookshopTerminal, bookshopTerminalKey) = makeAddrAndKey("BookshopTerminal");

        ekrone = new EKrone(admin, 0);
        hub = new VoucherHub(ekrone, admin, 0);
        vm.label(address(ekrone), "eKrone");
        vm.label(address(hub), "VoucherHub");

        vm.startPrank(admin);
        ekrone.grantRole(ekrone.TREASURY_ROLE(), treasury);
        ekrone.grantRole(ekrone.PAUSER_ROLE(), pauser);
        ekrone.grantRole(ekrone.PARTICIPANT_MANAGER_ROLE(), admin);
        ekrone.grantRole(ekrone.PARTICIPANT_MANAGER_ROLE(), address(hub));
        ekrone.setParticipant(treasury, true);
        ekrone.setParticipant(address(hub), true);
        hub.grantRole(hub.TREASURY_ROLE(), treasury);
        hub.grantRole(hub.PROGRAM_MANAGER_ROLE(), programManager);
        hub.grantRole(hub.ENROLMENT_ROLE(), enrolment);
        hub.grantRole(hub.PROVIDER_REGISTRAR_ROLE(), registrar);
        hub.grantRole(hub.RELAYER_ROLE(), relayer);
        hub.grantRole(hub.FINANCE_OFFICER_ROLE(), officerA);
        hub.grantRole(hub.FINANCE_OFFICER_ROLE(), officerB);
        hub.grantRole(hub.PAUSER_ROLE(), pauser);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ programs

    /// @dev "Fritidspas": 2 uses per 30 days, up to 150 kr each, sport only.
    function fritidspasConfig() internal pure returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: MUNICIPALITY,
            kind: ProgramKind.Uses,
            maxPerUseOre: KR_150,
            usesPerWindow: 2,
            windowSeconds: DAYS_30,
            categories: SPORT,
            restrictedToProviders: false,
            validFrom: START,
            validUntil: END
        });
    }

    /// @dev "Børnepakke": 1,500 kr credit for clothes, books and sport, no per-window limit.
    function bornepakkeConfig() internal pure returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: MUNICIPALITY,
            kind: ProgramKind.Credit,
            maxPerUseOre: 150_000,
            usesPerWindow: 0,
            windowSeconds: 0,
            categories: CLOTHING | BOOKS | SPORT,
            restrictedToProviders: false,
            validFrom: START,
            validUntil: END
        });
    }

    function createProgram(ProgramId program, ProgramConfig memory config) internal {
        vm.prank(programManager);
        hub.createProgram(program, config);
    }

    function fund(ProgramId program, uint128 amountOre) internal {
        vm.startPrank(treasury);
        ekrone.mint(treasury, amountOre);
        ekrone.approve(address(hub), amountOre);
        hub.fundProgram(program, amountOre);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ providers, accounts, grants

    function registerProvider(ProviderId provider, address payoutAddress, uint32 categories) internal {
        vm.prank(registrar);
        hub.registerProvider(provider, payoutAddress, categories);
    }

    function addTerminal(ProviderId provider, address terminal) internal {
        vm.prank(registrar);
        hub.addTerminal(provider, terminal);
    }

    function registerAccount(bytes32 account) internal {
        vm.prank(enrolment);
        hub.registerAccount(account);
    }

    function grant(bytes32 account, ProgramId program, uint64 amount) internal {
        vm.prank(enrolment);
        hub.grant(account, program, amount);
    }

    /// @dev Both programs funded, the club (sport) and the bookshop (books) with a terminal
    /// each, Alice with 5 Fritidspas uses and 1,500 kr of Børnepakke.
    function setUpVoucherWorld() internal {
        createProgram(FRITIDSPAS, fritidspasConfig());
        createProgram(BORNEPAKKE, bornepakkeConfig());
        fund(FRITIDSPAS, 100_000_000);
        fund(BORNEPAKKE, 100_000_000);
        registerProvider(CLUB, clubPayout, SPORT);
        registerProvider(BOOKSHOP, bookshopPayout, BOOKS);
        addTerminal(CLUB, clubTerminal);
        addTerminal(BOOKSHOP, bookshopTerminal);
        registerAccount(ALICE);
        grant(ALICE, FRITIDSPAS, 5);
        grant(ALICE, BORNEPAKKE, 150_000);
    }

    // ------------------------------------------------------------------ redemption

    function redemption(bytes32 account, ProgramId program, ProviderId provider, uint64 amountOre)
        internal
        returns (Redemption memory r)
    {
        r = Redemption({
            id: _nextRedemptionId++,
            account: account,
            program: program,
            provider: provider,
            amountOre: amountOre,
            deadline: uint40(block.timestamp + 2 minutes)
        });
    }

    function sign(uint256 terminalKey, Redemption memory r)
        internal
        view
        returns (bytes32 sigR, bytes32 sigVs)
    {
        (sigR, sigVs) = vm.signCompact(terminalKey, hub.redemptionDigest(r));
    }

    function redeemAs(address submitter, uint256 terminalKey, Redemption memory r)
        internal
        returns (PeriodId)
    {
        (bytes32 sigR, bytes32 sigVs) = sign(terminalKey, r);
        vm.prank(submitter);
        return hub.redeem(r, sigR, sigVs);
    }

    function redeemAtClub(bytes32 account, ProgramId program, uint64 amountOre) internal returns (PeriodId) {
        return redeemAs(relayer, clubTerminalKey, redemption(account, program, CLUB, amountOre));
    }
}
