// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {PasskeySigning} from "./PasskeySigning.sol";

import {EKrone} from "../../src/EKrone.sol";
import {PasskeyVerifier} from "../../src/PasskeyVerifier.sol";
import {VoucherHub} from "../../src/VoucherHub.sol";
import {VoucherHubOfficers} from "../../src/VoucherHubOfficers.sol";
import {VoucherHubPeriods} from "../../src/VoucherHubPeriods.sol";
import {VoucherHubProviders} from "../../src/VoucherHubProviders.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {
    OfficerSignature,
    ProgramConfig,
    ProgramKind,
    Redemption,
    Reversal,
    SignedRedemption
} from "../../src/types/Records.sol";

/// @dev Who holds which role inside one municipality.
struct Staff {
    address admin;
    address treasury;
    address programManager;
    address enrolment;
    address registrar;
    address officer1;
    address officer2;
    address pauser;
    /// @dev Where the municipality's reclaimed escrow goes (not a role).
    address reclaimTo;
    /// @dev Officers who sign with passkeys (P-256 private keys; their accounts hold the role).
    Passkey treasuryKey1;
    Passkey treasuryKey2;
    Passkey financeKey1;
    Passkey financeKey2;
}

/// @dev A passkey as a test holds it: the P-256 private key and the account it acts as.
struct Passkey {
    uint256 privateKey;
    address account;
}

/// @dev Deploys eKrone and the hub with two municipalities, A (København, 101) and B
/// (Frederiksberg, 147), each with labelled actors holding each municipal role, and the global
/// actors (platform admin, municipality registrar, relayer). Offers the steps most tests start
/// from: a funded program, an admitted provider with a terminal, an account with a grant, and a
/// terminal-signed redemption. A's actors also go by the short names (`treasury`, `officerA`, …).
abstract contract BaseTest is PasskeySigning {
    uint32 internal constant SPORT = 1;
    uint32 internal constant CULTURE = 2;
    uint32 internal constant CLOTHING = 4;
    uint32 internal constant BOOKS = 8;

    MunicipalityId internal constant MUNI_A = MunicipalityId.wrap(101);
    MunicipalityId internal constant MUNI_B = MunicipalityId.wrap(147);
    uint32 internal constant DAYS_30 = 30 days;
    uint64 internal constant KR_150 = 15_000; // øre
    uint40 internal constant START = 1_798_761_600; // 2027-01-01T00:00:00Z
    uint40 internal constant END = 1_830_297_600; // 2028-01-01T00:00:00Z

    ProgramId internal constant FRITIDSPAS = ProgramId.wrap(1);
    ProgramId internal constant BORNEPAKKE = ProgramId.wrap(2);
    /// @dev B's program.
    ProgramId internal constant SOMMERPAS = ProgramId.wrap(3);
    ProviderId internal constant CLUB = ProviderId.wrap(1);
    ProviderId internal constant BOOKSHOP = ProviderId.wrap(2);
    /// @dev B's provider.
    ProviderId internal constant POOL = ProviderId.wrap(3);

    EKrone internal ekrone;
    /// @dev The hub with its periods extension behind one address and one interface.
    IVoucherHub internal hub;

    // Global actors.
    address internal admin = makeAddr("PlatformAdmin");
    address internal municipalityRegistrar = makeAddr("MunicipalityRegistrar");
    address internal relayer = makeAddr("Relayer");
    address internal stranger = makeAddr("Stranger");

    Staff internal staffA;
    Staff internal staffB;
    // A's staff by short names.
    address internal municipalAdmin;
    address internal treasury;
    address internal programManager;
    address internal enrolment;
    address internal registrar;
    address internal officerA;
    address internal officerB;
    address internal pauser;
    address internal reclaimA;
    address internal reclaimB;

    address internal clubPayout = makeAddr("ClubPayout");
    address internal bookshopPayout = makeAddr("BookshopPayout");
    address internal poolPayout = makeAddr("PoolPayout");

    address internal clubTerminal;
    uint256 internal clubTerminalKey;
    address internal bookshopTerminal;
    uint256 internal bookshopTerminalKey;
    address internal poolTerminal;
    uint256 internal poolTerminalKey;

    // The actions officers and providers sign, spelled out here rather than read from the hub,
    // so a renamed action in the contracts fails the tests.
    bytes32 internal constant CLOSE = keccak256("ClosePeriod");
    bytes32 internal constant PROPOSE = keccak256("ProposeSettlement");
    bytes32 internal constant APPROVE = keccak256("ApproveSettlement");
    bytes32 internal constant FUND = keccak256("FundProgram");
    bytes32 internal constant RECLAIM = keccak256("ReclaimProgram");
    bytes32 internal constant CONFIRM = keccak256("ConfirmBankTransfers");
    bytes32 internal constant SETTLE = keccak256("SettleReceivable");
    bytes32 internal constant ADD_TERMINAL = keccak256("AddTerminal");
    bytes32 internal constant UPDATE_PAYOUT = keccak256("UpdatePayout");
    bytes32 internal constant REPLACE_ADMIN_KEY = keccak256("ReplaceAdminKey");
    bytes32 internal constant CANCEL = keccak256("CancelAnnouncement");

    bytes32 internal constant ALICE = keccak256("pseudonymous account 1");
    bytes32 internal constant BOB = keccak256("pseudonymous account 2");
    /// @dev Enrolled in B.
    bytes32 internal constant CARL = keccak256("pseudonymous account 3");

    uint256 private _nextRedemptionId = 1;
    /// @dev Recorded by the helpers, so they make no hub call of their own (which would take a
    /// pending vm.expectRevert meant for the call they wrap).
    mapping(ProgramId => MunicipalityId) private _programMunicipality;
    mapping(ProviderId => MunicipalityId) private _providerHome;

    /// @dev The extensions behind the hub last deployed by {deployHub}.
    address internal officersExtension;
    address internal providersExtension;

    /// @dev A hub and its extensions, as the deploy script makes them.
    function deployHub(address hubAdmin) internal returns (IVoucherHub) {
        PasskeyVerifier verifier = new PasskeyVerifier();
        VoucherHubProviders providers = new VoucherHubProviders(ekrone, hubAdmin, verifier);
        VoucherHubOfficers officers = new VoucherHubOfficers(ekrone, hubAdmin, verifier, address(providers));
        VoucherHubPeriods periods = new VoucherHubPeriods(ekrone, hubAdmin, address(officers));
        officersExtension = address(officers);
        providersExtension = address(providers);
        return IVoucherHub(address(new VoucherHub(ekrone, hubAdmin, 0, address(periods))));
    }

    function setUp() public virtual {
        vm.warp(START + 1 days);
        (clubTerminal, clubTerminalKey) = makeAddrAndKey("ClubTerminal");
        (bookshopTerminal, bookshopTerminalKey) = makeAddrAndKey("BookshopTerminal");
        (poolTerminal, poolTerminalKey) = makeAddrAndKey("PoolTerminal");
        staffA = makeStaff("A.");
        staffB = makeStaff("B.");
        municipalAdmin = staffA.admin;
        treasury = staffA.treasury;
        programManager = staffA.programManager;
        enrolment = staffA.enrolment;
        registrar = staffA.registrar;
        officerA = staffA.officer1;
        officerB = staffA.officer2;
        pauser = staffA.pauser;
        reclaimA = staffA.reclaimTo;
        reclaimB = staffB.reclaimTo;

        ekrone = new EKrone(admin, 0);
        hub = deployHub(admin);
        vm.label(address(ekrone), "eKrone");
        vm.label(address(hub), "VoucherHub");

        vm.startPrank(admin);
        ekrone.grantRole(ekrone.TREASURY_ROLE(), treasury);
        ekrone.grantRole(ekrone.TREASURY_ROLE(), staffB.treasury);
        ekrone.grantRole(ekrone.PAUSER_ROLE(), pauser);
        ekrone.grantRole(ekrone.PARTICIPANT_MANAGER_ROLE(), admin);
        ekrone.grantRole(ekrone.PARTICIPANT_MANAGER_ROLE(), address(hub));
        // The hub mints for fundings its officers approved and burns what leaves the scheme.
        ekrone.grantRole(ekrone.TREASURY_ROLE(), address(hub));
        ekrone.setParticipant(treasury, true);
        ekrone.setParticipant(staffB.treasury, true);
        ekrone.setParticipant(reclaimA, true);
        ekrone.setParticipant(reclaimB, true);
        ekrone.setParticipant(address(hub), true);
        hub.grantRole(hub.MUNICIPALITY_REGISTRAR_ROLE(), municipalityRegistrar);
        hub.grantRole(hub.RELAYER_ROLE(), relayer);
        vm.stopPrank();

        createMunicipalityWith(MUNI_A, staffA);
        createMunicipalityWith(MUNI_B, staffB);
    }

    // ------------------------------------------------------------------ passkeys

    /// @dev A P-256 key made from `name`, published on the hub.
    function makePasskey(string memory name) internal returns (Passkey memory p) {
        (uint256 privateKey, bytes32 qx, bytes32 qy) = p256Key(name);
        p.privateKey = privateKey;
        p.account = hub.registerPasskey(qx, qy);
        vm.label(p.account, name);
    }

    /// @dev What an officer's device produces: a WebAuthn assertion over the hub's digest of the
    /// action, as a browser returns it (authenticator data with user present and verified,
    /// client data naming the challenge), signed with the passkey, s in its low form.
    function officerSign(
        Passkey memory p,
        bytes32 action,
        MunicipalityId m,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre
    ) internal view returns (OfficerSignature memory) {
        return officerSignFor(p, action, m, program, subject, amountOre, 1 hours);
    }

    /// @dev {officerSign} with a signature valid for `validFor` seconds from now.
    function officerSignFor(
        Passkey memory p,
        bytes32 action,
        MunicipalityId m,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre,
        uint256 validFor
    ) internal view returns (OfficerSignature memory) {
        // vm.getBlockTimestamp: under via-IR a block.timestamp read before a vm.warp may be reused.
        uint40 deadline = uint40(vm.getBlockTimestamp() + validFor);
        bytes32 digest = hub.officerActionDigest(action, m, program, subject, amountOre, deadline);
        return OfficerSignature({
            signer: p.account, deadline: deadline, auth: webAuthnAssertion(p.privateKey, digest)
        });
    }

    /// @dev What a provider admin's device produces: a WebAuthn assertion over the hub's digest
    /// of the provider action, valid for an hour.
    function providerSign(Passkey memory p, bytes32 action, ProviderId provider, bytes32 subject)
        internal
        view
        returns (OfficerSignature memory)
    {
        return providerSignFor(p, action, provider, subject, 1 hours);
    }

    function providerSignFor(
        Passkey memory p,
        bytes32 action,
        ProviderId provider,
        bytes32 subject,
        uint256 validFor
    ) internal view returns (OfficerSignature memory) {
        uint40 deadline = uint40(vm.getBlockTimestamp() + validFor);
        bytes32 digest = hub.providerActionDigest(action, provider, subject, deadline);
        return OfficerSignature({
            signer: p.account, deadline: deadline, auth: webAuthnAssertion(p.privateKey, digest)
        });
    }

    /// @dev The provider's admin passkey made from `name`, set by its home registrar (the first
    /// key takes effect at once; a replacement is only announced).
    function makeProviderAdmin(ProviderId provider, string memory name) internal returns (Passkey memory p) {
        (uint256 privateKey, bytes32 qx, bytes32 qy) = p256Key(name);
        p.privateKey = privateKey;
        vm.prank(staffOf(_providerHome[provider]).registrar);
        p.account = hub.setProviderAdminKey(provider, qx, qy);
        vm.label(p.account, name);
    }

    function periodSubject(PeriodId period) internal pure returns (bytes32) {
        return bytes32(uint256(PeriodId.unwrap(period)));
    }

    function makeStaff(string memory prefix) internal returns (Staff memory s) {
        s.admin = makeAddr(string.concat(prefix, "MunicipalAdmin"));
        s.treasury = makeAddr(string.concat(prefix, "Treasury"));
        s.programManager = makeAddr(string.concat(prefix, "ProgramManager"));
        s.enrolment = makeAddr(string.concat(prefix, "Enrolment"));
        s.registrar = makeAddr(string.concat(prefix, "ProviderRegistrar"));
        s.officer1 = makeAddr(string.concat(prefix, "FinanceOfficer1"));
        s.officer2 = makeAddr(string.concat(prefix, "FinanceOfficer2"));
        s.pauser = makeAddr(string.concat(prefix, "Pauser"));
        s.reclaimTo = makeAddr(string.concat(prefix, "ReclaimTo"));
    }

    /// @dev Creates `m` (by the municipality registrar) and has its admin hand out each role.
    function createMunicipalityWith(MunicipalityId m, Staff memory s) internal {
        vm.prank(municipalityRegistrar);
        hub.createMunicipality(m, s.admin, s.reclaimTo);
        vm.startPrank(s.admin);
        hub.grantMunicipalRole(m, hub.TREASURY_ROLE(), s.treasury);
        hub.grantMunicipalRole(m, hub.PROGRAM_MANAGER_ROLE(), s.programManager);
        hub.grantMunicipalRole(m, hub.ENROLMENT_ROLE(), s.enrolment);
        hub.grantMunicipalRole(m, hub.PROVIDER_REGISTRAR_ROLE(), s.registrar);
        hub.grantMunicipalRole(m, hub.FINANCE_OFFICER_ROLE(), s.officer1);
        hub.grantMunicipalRole(m, hub.FINANCE_OFFICER_ROLE(), s.officer2);
        hub.grantMunicipalRole(m, hub.PAUSER_ROLE(), s.pauser);
        vm.stopPrank();
        string memory code = vm.toString(MunicipalityId.unwrap(m));
        Passkey[4] memory keys = [
            makePasskey(string.concat(code, ".TreasuryPasskey1")),
            makePasskey(string.concat(code, ".TreasuryPasskey2")),
            makePasskey(string.concat(code, ".FinancePasskey1")),
            makePasskey(string.concat(code, ".FinancePasskey2"))
        ];
        vm.startPrank(s.admin);
        hub.grantMunicipalRole(m, hub.TREASURY_ROLE(), keys[0].account);
        hub.grantMunicipalRole(m, hub.TREASURY_ROLE(), keys[1].account);
        hub.grantMunicipalRole(m, hub.FINANCE_OFFICER_ROLE(), keys[2].account);
        hub.grantMunicipalRole(m, hub.FINANCE_OFFICER_ROLE(), keys[3].account);
        // Most tests fund with one officer; the funding tests lower the limit.
        hub.setFundingLimit(m, type(uint128).max);
        vm.stopPrank();
        if (!(m == MUNI_A) && !(m == MUNI_B)) return;
        Staff storage stored = m == MUNI_A ? staffA : staffB;
        stored.treasuryKey1 = keys[0];
        stored.treasuryKey2 = keys[1];
        stored.financeKey1 = keys[2];
        stored.financeKey2 = keys[3];
    }

    function staffOf(MunicipalityId m) internal view returns (Staff memory) {
        if (m == MUNI_A) return staffA;
        if (m == MUNI_B) return staffB;
        revert("BaseTest: no staff for this municipality");
    }

    /// @dev The actor of `m` holding `role` (the first finance officer for FINANCE_OFFICER_ROLE).
    function holderOf(MunicipalityId m, bytes32 role) internal view returns (address) {
        Staff memory s = staffOf(m);
        if (role == hub.MUNICIPAL_ADMIN_ROLE()) return s.admin;
        if (role == hub.TREASURY_ROLE()) return s.treasury;
        if (role == hub.PROGRAM_MANAGER_ROLE()) return s.programManager;
        if (role == hub.ENROLMENT_ROLE()) return s.enrolment;
        if (role == hub.PROVIDER_REGISTRAR_ROLE()) return s.registrar;
        if (role == hub.FINANCE_OFFICER_ROLE()) return s.officer1;
        if (role == hub.PAUSER_ROLE()) return s.pauser;
        revert("BaseTest: unknown role");
    }

    /// @dev Expects the next call to be refused because `account` lacks `role` in `m`.
    function expectMunicipalUnauthorized(MunicipalityId m, bytes32 role, address account) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IMunicipalAccess.MunicipalUnauthorizedAccount.selector, m, role, account)
        );
    }

    // ------------------------------------------------------------------ programs

    /// @dev "Fritidspas" of A: 2 uses per 30 days, up to 150 kr each, sport only.
    function fritidspasConfig() internal pure returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: MUNI_A,
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

    /// @dev "Børnepakke" of A: 1,500 kr credit for clothes, books and sport, no per-window limit.
    function bornepakkeConfig() internal pure returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: MUNI_A,
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

    /// @dev "Sommerpas" of B: 1,000 kr credit for sport and culture.
    function sommerpasConfig() internal pure returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: MUNI_B,
            kind: ProgramKind.Credit,
            maxPerUseOre: 50_000,
            usesPerWindow: 0,
            windowSeconds: 0,
            categories: SPORT | CULTURE,
            restrictedToProviders: false,
            validFrom: START,
            validUntil: END
        });
    }

    function createProgram(ProgramId program, ProgramConfig memory config) internal {
        _programMunicipality[program] = config.municipality;
        vm.prank(staffOf(config.municipality).programManager);
        hub.createProgram(program, config);
    }

    uint256 private _nextFundingKey = 1;

    /// @dev Funds the program: its municipality's first treasury officer signs with their
    /// passkey and the relayer submits it; the hub mints.
    function fund(ProgramId program, uint128 amountOre) internal {
        MunicipalityId m = _programMunicipality[program];
        bytes32 key = bytes32(_nextFundingKey++);
        OfficerSignature memory sig =
            officerSign(staffOf(m).treasuryKey1, hub.FUND_PROGRAM(), m, program, key, amountOre);
        vm.prank(relayer);
        hub.fundProgramSigned(program, amountOre, key, sig);
    }

    // ------------------------------------------------------------------ providers, accounts, grants

    /// @dev Registers the provider with A as its home.
    function registerProvider(ProviderId provider, address payoutAddress, uint32 categories) internal {
        registerProviderIn(MUNI_A, provider, payoutAddress, categories);
    }

    function registerProviderIn(
        MunicipalityId m,
        ProviderId provider,
        address payoutAddress,
        uint32 categories
    ) internal {
        _providerHome[provider] = m;
        vm.prank(staffOf(m).registrar);
        hub.registerProvider(m, provider, payoutAddress, categories);
    }

    function admit(MunicipalityId m, ProviderId provider, uint32 categories, bool active) internal {
        vm.prank(staffOf(m).registrar);
        hub.admitProvider(m, provider, categories, active);
    }

    function addTerminal(ProviderId provider, address terminal) internal {
        vm.prank(staffOf(_providerHome[provider]).registrar);
        hub.addTerminal(provider, terminal);
    }

    /// @dev Enrols the account in A.
    function registerAccount(bytes32 account) internal {
        registerAccountIn(MUNI_A, account);
    }

    function registerAccountIn(MunicipalityId m, bytes32 account) internal {
        vm.prank(staffOf(m).enrolment);
        hub.registerAccount(m, account);
    }

    function grant(bytes32 account, ProgramId program, uint64 amount) internal {
        vm.prank(staffOf(_programMunicipality[program]).enrolment);
        hub.grant(account, program, amount);
    }

    /// @dev Both of A's programs funded, the club (sport) and the bookshop (books) with a
    /// terminal each, Alice with 5 Fritidspas uses and 1,500 kr of Børnepakke.
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

    /// @dev B's side of the world: Sommerpas funded, the pool (sport, home B) with a terminal,
    /// Carl (enrolled in B) with 1,000 kr of Sommerpas.
    function setUpWorldB() internal {
        createProgram(SOMMERPAS, sommerpasConfig());
        fund(SOMMERPAS, 10_000_000);
        registerProviderIn(MUNI_B, POOL, poolPayout, SPORT);
        addTerminal(POOL, poolTerminal);
        registerAccountIn(MUNI_B, CARL);
        grant(CARL, SOMMERPAS, 100_000);
    }

    // ------------------------------------------------------------------ periods

    /// @dev Closes `m`'s open period, proposes it with `total` (officer 1) and approves it
    /// (officer 2).
    function settle(MunicipalityId m, uint256 total) internal returns (PeriodId period) {
        Staff memory s = staffOf(m);
        vm.prank(s.officer1);
        period = hub.closePeriod(m);
        vm.prank(s.officer1);
        hub.proposeSettlement(m, period, total);
        vm.prank(s.officer2);
        hub.approveSettlement(m, period);
    }

    /// @dev What the provider was paid on chain over all periods of A and B and is in transit
    /// to its bank account (the bank has not confirmed it yet).
    function paidTo(ProviderId provider) internal view returns (uint256 total) {
        MunicipalityId[2] memory ms = [MUNI_A, MUNI_B];
        for (uint256 i; i < 2; ++i) {
            (PeriodId openPeriod,,) = hub.openPeriod(ms[i]);
            uint32 open = PeriodId.unwrap(openPeriod);
            for (uint32 p = 1; p < open; ++p) {
                total += hub.inTransitOf(ms[i], PeriodId.wrap(p), provider);
            }
        }
    }

    function providerList(ProviderId provider) internal pure returns (ProviderId[] memory list) {
        list = new ProviderId[](1);
        list[0] = provider;
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

    // ------------------------------------------------------------------ corrections

    /// @dev Redeems at the club through the relayer and returns the redemption as signed, which
    /// a void or refund must name.
    function redeemSignedAtClub(bytes32 account, ProgramId program, uint64 amountOre)
        internal
        returns (SignedRedemption memory original)
    {
        Redemption memory r = redemption(account, program, CLUB, amountOre);
        (bytes32 sigR, bytes32 sigVs) = sign(clubTerminalKey, r);
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
        original = SignedRedemption({redemption: r, sigR: sigR, sigVs: sigVs});
    }

    /// @dev A reversal with the next id of the terminals' shared counter: a void names `period`,
    /// a refund names period 0.
    function reversal(uint64 amountOre, PeriodId period) internal returns (Reversal memory v) {
        v = Reversal({
            id: _nextRedemptionId++,
            amountOre: amountOre,
            period: period,
            deadline: uint40(block.timestamp + 2 minutes)
        });
    }

    function signReversal(uint256 terminalKey, SignedRedemption memory original, Reversal memory v)
        internal
        view
        returns (bytes32 sigR, bytes32 sigVs)
    {
        (sigR, sigVs) = vm.signCompact(terminalKey, hub.reversalDigest(original.redemption, v));
    }

    function reverseAs(
        address submitter,
        uint256 terminalKey,
        SignedRedemption memory original,
        Reversal memory v
    ) internal returns (PeriodId) {
        (bytes32 sigR, bytes32 sigVs) = signReversal(terminalKey, original, v);
        vm.prank(submitter);
        return hub.reverse(original, v, sigR, sigVs);
    }
}
