// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Vm} from "forge-std/Vm.sol";

import {IEKrone} from "../../src/interfaces/IEKrone.sol";
import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {
    OfficerSignature,
    ProgramConfig,
    ProgramKind,
    ProviderChange,
    Redemption,
    SettlementStatus,
    SignedRedemption
} from "../../src/types/Records.sol";
import {BaseTest, Passkey} from "../utils/BaseTest.sol";

/// @title The service alone cannot move money
/// @notice The attacker holds everything the service holds in production and tries, on chain,
/// every way to mint, burn, approve or redirect eKrone; each attempt is refused with the error
/// named and no eKrone is minted, burned or moved.
///
/// What the attacker (`service`) holds here:
/// - the operator key, which relays (RELAYER_ROLE) and holds no global role besides;
/// - the municipal roles it uses day to day, in A and B: ENROLMENT_ROLE, PROGRAM_MANAGER_ROLE,
///   PAUSER_ROLE;
/// - a copy of every officer signature it ever relayed (closes, proposals, approvals, fundings,
///   a reclaim, a bank confirmation), made with deadlines 30 days out so none has expired;
/// - any number of P-256 keys of its own, published with registerPasskey.
/// What it does not hold: a municipal admin's key, the officers' passkeys, the platform admin
/// (hub and eKrone DEFAULT_ADMIN_ROLE).
///
/// Assumed, not enforced on chain (and so not covered here):
/// - Every provider is onboarded with its own admin passkey (setProviderAdminKey, by the real
///   registrar). With PROVIDER_REGISTRAR_ROLE (which the `test_providerConsent_*` tests give
///   the service) a new terminal, payout account or admin key of such a provider is only
///   announced and takes effect after the notice unless the provider objects; the service must
///   tell the provider (the event). For a provider without an admin key the registrar's changes
///   take effect at once ({test_gap_providerWithoutAdminKey_registrarPairsATerminalAtOnce}), and
///   the registrar can always register and admit a provider of its own.
/// - The service never holds TREASURY_ROLE or FINANCE_OFFICER_ROLE as a plain account: the
///   role-checked calls (fundProgram and settleReceivable, which mint (settleReceivableSigned
///   is the signed way); reclaim,
///   reclaimRecovered, which burn; closePeriod, proposeSettlement, approveSettlement,
///   cancelSettlement) take no passkey signature. The API funds through fundProgramSigned and
///   refuses to start while its key holds either role; the municipal admin could still grant
///   one, which is why the admin must stay out of the service's reach (below).
/// - No service key holds eKrone's own TREASURY_ROLE (EKrone.mint), which the deploy script
///   gives besides the hub only to `ekroneTreasury` accounts a roles file names (the API refuses
///   to start holding it).
/// - The platform admin and each municipal admin are kept out of the service's reach: the deploy
///   script makes each an AdminTimelock of named people (DeployedAdmin.t.sol tests that
///   configuration). Here they are plain accounts the service does not hold.
/// - A terminal of a real provider is not colluding with the service: with ENROLMENT_ROLE the
///   service can enrol accounts of its own and grant them a program's free budget, which such a
///   terminal could then redeem (the money still only goes to that provider's claim).
///
/// The municipality-registrar role names any admin for a new municipality, and that admin's
/// officers mint by their own passkeys; so it is not the service's: the deploy script gives it
/// only to the platform admins' timelock, and
/// {test_registrarRole_isNotTheServices_soItCannotOpenAMunicipalityOfItsOwn} shows the service's
/// attempt refused.
contract CompromisedServiceTest is BaseTest {
    uint256 private constant NOTICE = 72 hours;

    ProgramId private constant NO_PROGRAM = ProgramId.wrap(0);
    PeriodId private constant FIRST = PeriodId.wrap(1);
    PeriodId private constant SECOND = PeriodId.wrap(2);
    /// @dev A program of A that has ended, reclaimed once with Bob's grant left out.
    ProgramId private constant KORTPAS = ProgramId.wrap(4);
    uint40 private constant KORTPAS_END = START + 3 days;

    uint128 private constant LIMIT = 1_000_000;
    uint64 private constant FIRST_TOTAL = 10_000;
    uint64 private constant SECOND_TOTAL = 20_000;
    bytes32 private constant INVOICE = bytes32("invoice 2027-0001");
    bytes32 private constant PENDING_INVOICE = bytes32("invoice 2027-0002");
    bytes32 private constant KORTPAS_INVOICE = bytes32("invoice 2027-0003");

    address private service = makeAddr("Service");
    Passkey private own1;
    Passkey private own2;
    /// @dev The club's own admin passkey, on its admin page; the service never holds it.
    Passkey private clubAdmin;

    // Every officer signature the service relayed, kept.
    OfficerSignature private oldClose;
    OfficerSignature private oldPropose;
    OfficerSignature private oldApprove;
    OfficerSignature private oldConfirm;
    OfficerSignature private oldFundProposal;
    OfficerSignature private oldFundApproval;
    OfficerSignature private pendingFund;
    OfficerSignature private kortpasFund;
    OfficerSignature private oldReclaim;
    OfficerSignature private secondClose;
    OfficerSignature private pendingPropose;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        setUpWorldB();
        // Onboarding: the club's registrar sets the club's admin key.
        clubAdmin = makeProviderAdmin(CLUB, "Club.AdminPasskey");

        // What the service holds.
        vm.startPrank(admin);
        hub.grantRole(hub.RELAYER_ROLE(), service);
        vm.stopPrank();
        bytes32[3] memory daily = [hub.ENROLMENT_ROLE(), hub.PROGRAM_MANAGER_ROLE(), hub.PAUSER_ROLE()];
        for (uint256 i; i < daily.length; ++i) {
            vm.prank(staffA.admin);
            hub.grantMunicipalRole(MUNI_A, daily[i], service);
            vm.prank(staffB.admin);
            hub.grantMunicipalRole(MUNI_B, daily[i], service);
        }
        own1 = _publishOwnKey("Service.OwnPasskey1");
        own2 = _publishOwnKey("Service.OwnPasskey2");

        vm.prank(municipalAdmin);
        hub.setFundingLimit(MUNI_A, LIMIT);

        // A's period 1: redeemed, settled by two passkeys, paid out, confirmed by the bank.
        _redeemAtClub(FIRST_TOTAL);
        oldClose = _relayClose(FIRST);
        oldPropose = _sign(staffA.financeKey1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), FIRST_TOTAL);
        vm.prank(service);
        hub.proposeSettlementSigned(MUNI_A, FIRST, FIRST_TOTAL, oldPropose);
        oldApprove = _sign(staffA.financeKey2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), FIRST_TOTAL);
        vm.prank(service);
        hub.approveSettlementSigned(MUNI_A, FIRST, FIRST_TOTAL, oldApprove);
        vm.prank(service);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        oldConfirm = _sign(
            staffA.financeKey1,
            CONFIRM,
            MUNI_A,
            NO_PROGRAM,
            keccak256(abi.encode(FIRST, providerList(CLUB))),
            FIRST_TOTAL
        );
        vm.prank(service);
        hub.confirmBankTransfers(MUNI_A, FIRST, providerList(CLUB), FIRST_TOTAL, oldConfirm);

        // A's fundings above the limit: one completed by a second officer, one waiting for it.
        // Both signed in the same second: the same digest, each officer's own signature.
        oldFundProposal = _relayFund(staffA.treasuryKey1, BORNEPAKKE, 5_000_000, INVOICE);
        oldFundApproval = _relayFund(staffA.treasuryKey2, BORNEPAKKE, 5_000_000, INVOICE);
        pendingFund = _relayFund(staffA.treasuryKey1, BORNEPAKKE, 3_000_000, PENDING_INVOICE);

        // A's period 2: redeemed, closed, proposed, waiting for the second officer.
        _redeemAtClub(SECOND_TOTAL);
        secondClose = _relayClose(SECOND);
        pendingPropose =
            _sign(staffA.financeKey1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), SECOND_TOTAL);
        vm.prank(service);
        hub.proposeSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, pendingPropose);

        // A short program the service manages, funded, granted to Bob, ended, reclaimed once
        // without Bob's grant.
        ProgramConfig memory c = bornepakkeConfig();
        c.validUntil = KORTPAS_END;
        vm.prank(service);
        hub.createProgram(KORTPAS, c);
        kortpasFund = _relayFund(staffA.treasuryKey1, KORTPAS, LIMIT, KORTPAS_INVOICE);
        vm.startPrank(service);
        hub.registerAccount(MUNI_A, BOB);
        hub.grant(BOB, KORTPAS, 50_000);
        vm.stopPrank();
        vm.warp(KORTPAS_END);
        oldReclaim = _sign(staffA.treasuryKey2, RECLAIM, MUNI_A, KORTPAS, keccak256(""), 0);
        vm.prank(service);
        hub.reclaimSigned(KORTPAS, new bytes32[](0), oldReclaim);

        assertEq(hub.grantEscrowOf(BOB, KORTPAS), 50_000, "Bob's grant still escrowed");
        assertEq(uint8(hub.settlementOf(MUNI_A, SECOND).status), uint8(SettlementStatus.Proposed), "waiting");
        assertFalse(hub.fundingOf(MUNI_A, PENDING_INVOICE).executed, "waiting");
        _assertHubHoldsEverything();
    }

    // ================================================================== approve a settlement

    function test_approveSettlement_alone() public {
        bytes32 before = _money();
        bytes32 finance = hub.FINANCE_OFFICER_ROLE();
        vm.startPrank(service);
        expectMunicipalUnauthorized(MUNI_A, finance, service);
        hub.approveSettlement(MUNI_A, SECOND);
        expectMunicipalUnauthorized(MUNI_A, finance, service);
        hub.cancelSettlement(MUNI_A, SECOND);
        expectMunicipalUnauthorized(MUNI_A, finance, service);
        hub.proposeSettlement(MUNI_A, SECOND, SECOND_TOTAL);
        expectMunicipalUnauthorized(MUNI_A, finance, service);
        hub.closePeriod(MUNI_A);
        // Payout is open to anyone, but only for a settlement two officers approved.
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, SECOND)
        );
        hub.payout(MUNI_A, SECOND, providerList(CLUB));
        vm.stopPrank();
        _assertStillProposed();
        _assertNoMoneyMoved(before);
    }

    function test_approveSettlement_withItsOwnPublishedPasskey() public {
        bytes32 before = _money();
        OfficerSignature memory sig =
            _sign(own1, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), SECOND_TOTAL);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), own1.account);
        vm.prank(service);
        hub.approveSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, sig);

        // Nor can its key close and propose a period for another of its keys to approve.
        OfficerSignature memory close =
            _sign(own1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(PeriodId.wrap(3)), 0);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), own1.account);
        vm.prank(service);
        hub.closePeriodSigned(MUNI_A, PeriodId.wrap(3), close);
        _assertStillProposed();
        _assertNoMoneyMoved(before);
    }

    function test_approveSettlement_byReplayingTheProposersSignature() public {
        bytes32 before = _money();
        OfficerSignature memory sig = pendingPropose;
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.financeKey1.account
            )
        );
        vm.prank(service);
        hub.approveSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, sig);

        // Naming the second officer, or its own key, as the signer.
        address[2] memory signers = [staffA.financeKey2.account, own1.account];
        for (uint256 i; i < signers.length; ++i) {
            sig.signer = signers[i];
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, signers[i])
            );
            vm.prank(service);
            hub.approveSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, sig);
        }

        // As the proposal again: used.
        bytes32 digest =
            _digest(pendingPropose, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), SECOND_TOTAL);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(service);
        hub.proposeSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, pendingPropose);
        _assertStillProposed();
        _assertNoMoneyMoved(before);
    }

    function test_approveSettlement_byReplayingAnOldApprovalFromAnotherPeriod() public {
        bytes32 before = _money();
        address approver = staffA.financeKey2.account;
        uint256[2] memory totals = [uint256(FIRST_TOTAL), SECOND_TOTAL];
        for (uint256 i; i < totals.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, approver)
            );
            vm.prank(service);
            hub.approveSettlementSigned(MUNI_A, SECOND, totals[i], oldApprove);
        }
        // Its own period: used.
        bytes32 digest = _digest(oldApprove, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), FIRST_TOTAL);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(service);
        hub.approveSettlementSigned(MUNI_A, FIRST, FIRST_TOTAL, oldApprove);

        // An old close cannot close the period that is open now, nor the one it closed again.
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.financeKey1.account
            )
        );
        vm.prank(service);
        hub.closePeriodSigned(MUNI_A, PeriodId.wrap(3), secondClose);
        bytes32 closeDigest = _digest(secondClose, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), 0);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, closeDigest));
        vm.prank(service);
        hub.closePeriodSigned(MUNI_A, SECOND, secondClose);
        _assertStillProposed();
        _assertNoMoneyMoved(before);
    }

    // ================================================================== mint

    function test_fund_withItsOwnPasskey() public {
        bytes32 before = _money();
        bytes32 treasuryRole = hub.TREASURY_ROLE();
        // A fresh funding, small enough for one officer.
        OfficerSignature memory fresh = _sign(own1, FUND, MUNI_A, BORNEPAKKE, bytes32("service invoice"), 100);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, own1.account);
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 100, bytes32("service invoice"), fresh);

        // The second signature of the pending funding.
        OfficerSignature memory second = _sign(own2, FUND, MUNI_A, BORNEPAKKE, PENDING_INVOICE, 3_000_000);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, own2.account);
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 3_000_000, PENDING_INVOICE, second);

        // A program it manages itself, in B.
        OfficerSignature memory inB = _sign(own1, FUND, MUNI_B, SOMMERPAS, bytes32("service invoice"), 100);
        expectMunicipalUnauthorized(MUNI_B, treasuryRole, own1.account);
        vm.prank(service);
        hub.fundProgramSigned(SOMMERPAS, 100, bytes32("service invoice"), inB);

        assertFalse(hub.fundingOf(MUNI_A, PENDING_INVOICE).executed, "still waiting");
        _assertNoMoneyMoved(before);
    }

    function test_fund_byReplayingFundingSignatures() public {
        bytes32 before = _money();
        address t1 = staffA.treasuryKey1.account;
        bytes memory invalid = abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1);

        // The first officer's proposal with another idempotency key, amount or program.
        vm.expectRevert(invalid);
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 5_000_000, bytes32("invoice 2027-9999"), oldFundProposal);
        vm.expectRevert(invalid);
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 5_000_001, INVOICE, oldFundProposal);
        vm.expectRevert(invalid);
        vm.prank(service);
        hub.fundProgramSigned(FRITIDSPAS, 5_000_000, INVOICE, oldFundProposal);
        vm.expectRevert(invalid);
        vm.prank(service);
        hub.fundProgramSigned(KORTPAS, LIMIT, bytes32("invoice 2027-9999"), kortpasFund);

        // Each as it was signed: used.
        bytes32[4] memory keys = [INVOICE, INVOICE, PENDING_INVOICE, KORTPAS_INVOICE];
        uint128[4] memory amounts = [uint128(5_000_000), 5_000_000, 3_000_000, LIMIT];
        ProgramId[4] memory programs = [BORNEPAKKE, BORNEPAKKE, BORNEPAKKE, KORTPAS];
        OfficerSignature[4] memory used;
        (used[0], used[1], used[2], used[3]) = (oldFundProposal, oldFundApproval, pendingFund, kortpasFund);
        for (uint256 i; i < used.length; ++i) {
            bytes32 digest = _digest(used[i], FUND, MUNI_A, programs[i], keys[i], amounts[i]);
            vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
            vm.prank(service);
            hub.fundProgramSigned(programs[i], amounts[i], keys[i], used[i]);
        }

        // The pending proposal's signature passed off as the second officer's: a signature is
        // used per signer, so for the second officer it is unused, but it is not theirs.
        OfficerSignature memory posing = pendingFund;
        address t2 = staffA.treasuryKey2.account;
        posing.signer = t2;
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t2));
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 3_000_000, PENDING_INVOICE, posing);

        // The completed funding's approval on the pending key: signed in the same second as the
        // pending proposal, so with the same deadline, but over another funding; with any other
        // deadline it verifies no better.
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t2));
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 3_000_000, PENDING_INVOICE, oldFundApproval);
        OfficerSignature memory shifted = oldFundApproval;
        shifted.deadline -= 1;
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t2));
        vm.prank(service);
        hub.fundProgramSigned(BORNEPAKKE, 3_000_000, PENDING_INVOICE, shifted);

        assertFalse(hub.fundingOf(MUNI_A, PENDING_INVOICE).executed, "still waiting");
        _assertNoMoneyMoved(before);
    }

    function test_mint_directlyOnEKroneOrForAReceivable() public {
        bytes32 before = _money();
        bytes32 minter = ekrone.TREASURY_ROLE();
        vm.startPrank(service);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, service, minter)
        );
        ekrone.mint(address(hub), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, service, minter)
        );
        ekrone.mint(service, 1);
        vm.stopPrank();

        // fundProgram mints on a treasury account's own call: not the service's.
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), service);
        vm.prank(service);
        hub.fundProgram(BORNEPAKKE, 100);

        // settleReceivable mints for kroner a provider paid back: treasury only.
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), service);
        vm.prank(service);
        hub.settleReceivable(MUNI_A, CLUB, 1);

        // settleReceivableSigned: a treasury officer's passkey, not one of the service's own
        // keys, nor an officer's signature of something else.
        bytes32 subject = keccak256(abi.encode(CLUB, bytes32("service request")));
        OfficerSignature memory own = _sign(own1, SETTLE, MUNI_A, NO_PROGRAM, subject, 1);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), own1.account);
        vm.prank(service);
        hub.settleReceivableSigned(MUNI_A, CLUB, 1, bytes32("service request"), own);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.treasuryKey1.account
            )
        );
        vm.prank(service);
        hub.settleReceivableSigned(MUNI_A, CLUB, 5_000_000, INVOICE, oldFundProposal);
        _assertNoMoneyMoved(before);
    }

    // ================================================================== reclaim

    function test_reclaim_withoutTheRole() public {
        bytes32 before = _money();
        bytes32 treasuryRole = hub.TREASURY_ROLE();
        bytes32[] memory bob = _accounts(BOB);
        vm.startPrank(service);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, service);
        hub.reclaim(KORTPAS, bob);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, service);
        hub.reclaimRecovered(MUNI_A);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, service);
        hub.releaseSlack(KORTPAS, bob);
        vm.stopPrank();

        OfficerSignature memory sig =
            _sign(own1, RECLAIM, MUNI_A, KORTPAS, keccak256(abi.encodePacked(bob)), 0);
        expectMunicipalUnauthorized(MUNI_A, treasuryRole, own1.account);
        vm.prank(service);
        hub.reclaimSigned(KORTPAS, bob, sig);

        assertEq(hub.grantEscrowOf(BOB, KORTPAS), 50_000, "Bob's grant untouched");
        _assertNoMoneyMoved(before);
    }

    function test_reclaim_byReplay() public {
        bytes32 before = _money();
        bytes32 digest = _digest(oldReclaim, RECLAIM, MUNI_A, KORTPAS, keccak256(""), 0);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(service);
        hub.reclaimSigned(KORTPAS, new bytes32[](0), oldReclaim);

        // With Bob's grant listed, or on another program.
        address t2 = staffA.treasuryKey2.account;
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t2));
        vm.prank(service);
        hub.reclaimSigned(KORTPAS, _accounts(BOB), oldReclaim);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t2));
        vm.prank(service);
        hub.reclaimSigned(BORNEPAKKE, new bytes32[](0), oldReclaim);

        assertEq(hub.grantEscrowOf(BOB, KORTPAS), 50_000, "Bob's grant untouched");
        _assertNoMoneyMoved(before);
    }

    // ================================================================== the bank's confirmation

    function test_confirmBankTransfer_itInvented() public {
        // Period 2 approved by the officers and paid out: 200 kr in transit to the club.
        _approveSecondAndPayOut();
        bytes32 before = _money();
        ProviderId[] memory club = providerList(CLUB);

        // Its own key.
        OfficerSignature memory own =
            _sign(own1, CONFIRM, MUNI_A, NO_PROGRAM, keccak256(abi.encode(SECOND, club)), SECOND_TOTAL);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), own1.account);
        vm.prank(service);
        hub.confirmBankTransfers(MUNI_A, SECOND, club, SECOND_TOTAL, own);

        // The bank's confirmation of period 1, for period 2 and for period 1 again.
        address f1 = staffA.financeKey1.account;
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, f1));
        vm.prank(service);
        hub.confirmBankTransfers(MUNI_A, SECOND, club, SECOND_TOTAL, oldConfirm);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, f1));
        vm.prank(service);
        hub.confirmBankTransfers(MUNI_A, SECOND, club, FIRST_TOTAL, oldConfirm);
        bytes32 digest =
            _digest(oldConfirm, CONFIRM, MUNI_A, NO_PROGRAM, keccak256(abi.encode(FIRST, club)), FIRST_TOTAL);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(service);
        hub.confirmBankTransfers(MUNI_A, FIRST, club, FIRST_TOTAL, oldConfirm);

        assertEq(hub.inTransitOf(MUNI_A, SECOND, CLUB), SECOND_TOTAL, "still waiting for the bank");
        _assertNoMoneyMoved(before);
    }

    // ================================================================== redeem

    function test_redeem_withoutATerminalSignature() public {
        bytes32 before = _money();
        (, uint256 notTerminalKey) = makeAddrAndKey("not a terminal");
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, 10_000);
        (bytes32 sigR, bytes32 sigVs) = vm.signCompact(notTerminalKey, hub.redemptionDigest(r));
        address signer = vm.addr(notTerminalKey);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, signer));
        vm.prank(service);
        hub.redeem(r, sigR, sigVs);

        // A real terminal's signature with the amount raised: it recovers to no terminal.
        Redemption memory real = redemption(ALICE, BORNEPAKKE, CLUB, 100);
        (bytes32 realR, bytes32 realVs) = sign(clubTerminalKey, real);
        real.amountOre = 10_000;
        address nobody = ECDSA.recover(hub.redemptionDigest(real), realR, realVs);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, nobody));
        vm.prank(service);
        hub.redeem(real, realR, realVs);

        // In a batch: refused, nothing counted.
        SignedRedemption[] memory batch = new SignedRedemption[](1);
        batch[0] = SignedRedemption({redemption: r, sigR: sigR, sigVs: sigVs});
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionRefused(
            0, abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, signer)
        );
        vm.prank(service);
        assertEq(hub.redeemBatch(batch), 1, "refused");

        // Nor can it pair a terminal of its own (no provider-registrar role).
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), service);
        vm.prank(service);
        hub.addTerminal(CLUB, signer);

        assertEq(
            hub.grantEscrowOf(ALICE, BORNEPAKKE), 150_000 - FIRST_TOTAL - SECOND_TOTAL, "Alice untouched"
        );
        _assertNoMoneyMoved(before);
    }

    // ================================================================== roles

    function test_grantItselfARole() public {
        bytes32 before = _money();
        bytes32 adminRole = hub.MUNICIPAL_ADMIN_ROLE();
        bytes32[3] memory wanted = [hub.TREASURY_ROLE(), hub.FINANCE_OFFICER_ROLE(), adminRole];
        bytes32 hubAdminRole = bytes32(0); // DEFAULT_ADMIN_ROLE
        bytes32 relayerRole = hub.RELAYER_ROLE();
        bytes32 ekroneAdminRole = ekrone.DEFAULT_ADMIN_ROLE();
        bytes32 minter = ekrone.TREASURY_ROLE();
        bytes32 participantManager = ekrone.PARTICIPANT_MANAGER_ROLE();
        bytes32 treasuryRole = wanted[0];

        vm.startPrank(service);
        for (uint256 i; i < wanted.length; ++i) {
            expectMunicipalUnauthorized(MUNI_A, adminRole, service);
            hub.grantMunicipalRole(MUNI_A, wanted[i], service);
            expectMunicipalUnauthorized(MUNI_A, adminRole, service);
            hub.grantMunicipalRole(MUNI_A, wanted[i], own1.account);
        }
        expectMunicipalUnauthorized(MUNI_A, adminRole, service);
        hub.revokeMunicipalRole(MUNI_A, treasuryRole, staffA.treasuryKey1.account);
        expectMunicipalUnauthorized(MUNI_A, adminRole, service);
        hub.setFundingLimit(MUNI_A, type(uint128).max);
        expectMunicipalUnauthorized(MUNI_A, adminRole, service);
        hub.setReclaimDestination(MUNI_A, service);

        _expectUnauthorized(hubAdminRole);
        hub.grantRole(relayerRole, own1.account);
        _expectUnauthorized(hubAdminRole);
        hub.beginDefaultAdminTransfer(service);
        _expectUnauthorized(ekroneAdminRole);
        ekrone.grantRole(minter, service);
        _expectUnauthorized(ekroneAdminRole);
        ekrone.beginDefaultAdminTransfer(service);
        _expectUnauthorized(participantManager);
        ekrone.setParticipant(service, true);
        vm.stopPrank();

        assertFalse(hub.hasMunicipalRole(MUNI_A, wanted[0], service), "no treasury role");
        assertFalse(hub.hasMunicipalRole(MUNI_A, wanted[1], own1.account), "no finance role for its key");
        assertEq(hub.ledgerOf(MUNI_A).singleOfficerFundingLimitOre, LIMIT, "limit unchanged");
        assertEq(hub.municipalityOf(MUNI_A).reclaimTo, reclaimA, "destination unchanged");
        _assertNoMoneyMoved(before);
    }

    // ================================================================== redirect money

    /// @dev The hub sends eKrone to no one: payout only marks claims in transit, and the only
    /// ways out are burns an officer signs (the bank's confirmation, reclaim).
    function test_redirect_payoutOnlyMovesClaimsInTransit() public {
        uint256 supply = ekrone.totalSupply();
        uint256 escrowA = hub.municipalityOf(MUNI_A).escrowOre;
        _approveSecondAndPayOut();
        assertEq(ekrone.totalSupply(), supply, "nothing minted or burned");
        assertEq(ekrone.balanceOf(address(hub)), supply, "nothing left the hub");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrowA, "A still holds it");
        assertEq(hub.inTransitOf(MUNI_A, SECOND, CLUB), SECOND_TOTAL, "marked in transit");
        assertEq(hub.claimOf(MUNI_A, SECOND, CLUB).accruedOre, 0, "the claim is cleared");
        assertTrue(hub.claimOf(MUNI_A, SECOND, CLUB).paid, "paid once");

        bytes32 before = _money();
        // Paying again, or a period never approved.
        vm.startPrank(service);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, SECOND)
        );
        hub.payout(MUNI_A, SECOND, providerList(CLUB));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, MUNI_A, PeriodId.wrap(3))
        );
        hub.payout(MUNI_A, PeriodId.wrap(3), providerList(CLUB));

        // Taking eKrone from the hub, or moving any.
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, service, 0, 1)
        );
        ekrone.transferFrom(address(hub), service, 1);
        vm.expectRevert(abi.encodeWithSelector(IEKrone.EKroneSenderNotAllowed.selector, service));
        ekrone.transfer(clubPayout, 0);

        // Pointing the provider's payout elsewhere needs the provider registrar.
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), service);
        hub.updateProviderPayout(CLUB, service);
        vm.stopPrank();
        assertEq(hub.providerOf(CLUB).payout, clubPayout, "payout address unchanged");
        _assertNoMoneyMoved(before);

        // No address but the hub ever held eKrone.
        address[8] memory others =
            [service, own1.account, own2.account, clubPayout, bookshopPayout, poolPayout, reclaimA, treasury];
        for (uint256 i; i < others.length; ++i) {
            assertEq(ekrone.balanceOf(others[i]), 0, "holds no eKrone");
        }
    }

    /// @dev The operational roles it does hold move budget between a program and its grants,
    /// inside the municipality's escrow, and stop or start redemption; no eKrone moves.
    function test_dailyRoles_moveNoMoney() public {
        bytes32 before = _money();
        bytes32 account = keccak256("an account of the service's own");
        vm.startPrank(service);
        hub.registerAccount(MUNI_A, account);
        hub.grant(account, BORNEPAKKE, 50_000);
        hub.revoke(account, BORNEPAKKE);
        hub.setProgramSuspended(BORNEPAKKE, true);
        hub.setProgramPartner(BORNEPAKKE, MUNI_B, true);
        hub.setPaused(MUNI_A, true);
        hub.setPaused(MUNI_A, false);
        vm.stopPrank();
        _assertNoMoneyMoved(before);
    }

    /// @dev The extensions run only in the hub's storage: called at their own address they reach
    /// none of the hub's state, whatever the call does there.
    function test_extensionCalledDirectly_touchesNoHubState() public {
        bytes32 before = _money();
        address extension = hub.periodsExtension();
        (, bytes32 qx, bytes32 qy) = p256Key("Service.KeyAtTheExtension");
        // Whatever this does in the extension's own storage, the hub does not see it.
        vm.prank(service);
        (bool ok, bytes memory refusal) =
            extension.call(abi.encodeWithSignature("registerPasskey(bytes32,bytes32)", qx, qy));
        assertFalse(ok, "the periods extension refuses to forward a direct call");
        assertEq(refusal, abi.encodeWithSelector(IVoucherHubEvents.NotThroughHub.selector), "NotThroughHub");
        assertEq(hub.passkeyOf(hub.passkeyAccount(qx, qy)).qx, 0, "not published on the hub");

        OfficerSignature memory sig =
            _sign(staffA.treasuryKey1, FUND, MUNI_A, BORNEPAKKE, bytes32("via the extension"), 100);
        vm.prank(service);
        (ok,) = extension.call(
            abi.encodeWithSignature(
                "fundProgramSigned(uint64,uint128,bytes32,(address,uint40,bytes))",
                BORNEPAKKE,
                uint128(100),
                bytes32("via the extension"),
                sig
            )
        );
        assertFalse(ok, "no funding at the extension");
        vm.prank(service);
        (ok,) = extension.call(
            abi.encodeWithSignature("payout(uint16,uint32,uint32[])", MUNI_A, SECOND, providerList(CLUB))
        );
        assertFalse(ok, "no payout at the extension");
        _assertNoMoneyMoved(before);
    }

    // ================================================================== providers' consent (issue #12)

    /// @dev With the registrar's key the service pairs a terminal of its own with the club: it
    /// is only announced, redeems nothing during the notice, and is gone once the club objects.
    function test_providerConsent_attackersTerminal_waitsForTheNoticeAndIsGoneAfterTheObjection() public {
        _takeRegistrarKey();
        bytes32 before = _money();
        (address rogue, uint256 rogueKey) = makeAddrAndKey("Service.RogueTerminal");
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, rogue);
        uint40 due = uint40(vm.getBlockTimestamp() + NOTICE);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeAnnounced(CLUB, id, ProviderChange.Terminal, rogue, due);
        vm.prank(service);
        hub.addTerminal(CLUB, rogue);
        _expectRogueRedeemRefused(rogue, rogueKey);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementNotDue.selector, id, due));
        vm.prank(service);
        hub.activateAnnouncement(id);

        // Nor does it pair it with a key of its own signing as the club's admin.
        OfficerSignature memory own = providerSignFor(own1, ADD_TERMINAL, CLUB, _word(rogue), 30 days);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, own1.account)
        );
        vm.prank(service);
        hub.addTerminalSigned(CLUB, rogue, own);

        // The club objects on its admin page, a day later; anyone relays it.
        _wait(1 days);
        _expectRogueRedeemRefused(rogue, rogueKey);
        vm.prank(stranger);
        hub.cancelAnnouncementSigned(id, providerSign(clubAdmin, CANCEL, CLUB, id));
        _wait(NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        vm.prank(service);
        hub.activateAnnouncement(id);
        _expectRogueRedeemRefused(rogue, rogueKey);
        assertFalse(hub.terminalOf(rogue).active, "never paired");
        _assertNoMoneyMoved(before);
    }

    function test_providerConsent_payoutCannotBeRedirectedAtOnce() public {
        _takeRegistrarKey();
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Payout, service);
        vm.prank(service);
        hub.updateProviderPayout(CLUB, service);
        assertEq(hub.providerOf(CLUB).payout, clubPayout, "unchanged");
        assertFalse(ekrone.isParticipant(service), "the service's account is no participant");
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.AnnouncementNotDue.selector, id, uint40(vm.getBlockTimestamp() + NOTICE)
            )
        );
        vm.prank(service);
        hub.activateAnnouncement(id);

        // Nor with its own key posing as the club's admin.
        OfficerSignature memory own = providerSignFor(own1, UPDATE_PAYOUT, CLUB, _word(service), 30 days);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, own1.account)
        );
        vm.prank(service);
        hub.updateProviderPayoutSigned(CLUB, service, own);

        // Period 2 is paid out during the notice: to the club's own account.
        OfficerSignature memory approve =
            _sign(staffA.financeKey2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), SECOND_TOTAL);
        vm.prank(service);
        hub.approveSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, approve);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPaid(MUNI_A, SECOND, CLUB, clubPayout, SECOND_TOTAL);
        vm.prank(service);
        hub.payout(MUNI_A, SECOND, providerList(CLUB));

        // The club objects; after the notice nothing takes effect.
        vm.prank(service);
        hub.cancelAnnouncementSigned(id, providerSign(clubAdmin, CANCEL, CLUB, id));
        _wait(NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        vm.prank(service);
        hub.activateAnnouncement(id);
        assertEq(hub.providerOf(CLUB).payout, clubPayout, "still the club's");
    }

    function test_providerConsent_adminKeyCannotBeReplacedAtOnce() public {
        _takeRegistrarKey();
        (, bytes32 qx, bytes32 qy) = p256Key("Service.OwnPasskey1");
        bytes32 id = hub.announcementId(CLUB, ProviderChange.AdminKey, own1.account);
        vm.prank(service);
        hub.setProviderAdminKey(CLUB, qx, qy);
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "unchanged");

        // Its key is not the club's admin during the notice: it pairs nothing, replaces nothing,
        // cancels nothing.
        (address rogue,) = makeAddrAndKey("Service.RogueTerminal");
        bytes memory notAdmin =
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, own1.account);
        OfficerSignature memory pair = providerSignFor(own1, ADD_TERMINAL, CLUB, _word(rogue), 30 days);
        vm.expectRevert(notAdmin);
        vm.prank(service);
        hub.addTerminalSigned(CLUB, rogue, pair);
        OfficerSignature memory replace =
            providerSignFor(own1, REPLACE_ADMIN_KEY, CLUB, _word(own1.account), 30 days);
        vm.expectRevert(notAdmin);
        vm.prank(service);
        hub.replaceProviderAdminKeySigned(CLUB, qx, qy, replace);
        OfficerSignature memory cancel = providerSignFor(own1, CANCEL, CLUB, id, 30 days);
        vm.expectRevert(notAdmin);
        vm.prank(service);
        hub.cancelAnnouncementSigned(id, cancel);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.AnnouncementNotDue.selector, id, uint40(vm.getBlockTimestamp() + NOTICE)
            )
        );
        vm.prank(service);
        hub.activateAnnouncement(id);

        // The club objects; the key stays the club's.
        vm.prank(service);
        hub.cancelAnnouncementSigned(id, providerSign(clubAdmin, CANCEL, CLUB, id));
        _wait(NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        vm.prank(service);
        hub.activateAnnouncement(id);
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "still the club's key");
    }

    /// @dev A signature of the club's admin, kept by the service, works for exactly what it
    /// names, once: not for another terminal, another provider or another change.
    function test_providerConsent_adminSignatureRelayedForAnotherProviderOrTerminal() public {
        _takeRegistrarKey();
        address clubNew = makeAddr("Club.NewTerminal");
        (address rogue,) = makeAddrAndKey("Service.RogueTerminal");
        OfficerSignature memory sig = providerSignFor(clubAdmin, ADD_TERMINAL, CLUB, _word(clubNew), 30 days);
        bytes memory invalid =
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account);

        vm.startPrank(service);
        vm.expectRevert(invalid);
        hub.addTerminalSigned(CLUB, rogue, sig);
        vm.expectRevert(invalid);
        hub.updateProviderPayoutSigned(CLUB, clubNew, sig);
        // The pool (B) has no admin key; the bookshop another one.
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderAdminUnknown.selector, POOL));
        hub.addTerminalSigned(POOL, clubNew, sig);
        vm.stopPrank();
        Passkey memory bookshopAdmin = makeProviderAdmin(BOOKSHOP, "Bookshop.AdminPasskey");
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignerNotAdmin.selector, BOOKSHOP, clubAdmin.account
            )
        );
        vm.prank(service);
        hub.addTerminalSigned(BOOKSHOP, clubNew, sig);
        assertTrue(bookshopAdmin.account != clubAdmin.account, "another key");

        // A provider of its own (it holds the registrar key) given the club's public key as its
        // admin key: the digest names the provider.
        ProviderId own = ProviderId.wrap(66);
        (, bytes32 qx, bytes32 qy) = p256Key("Club.AdminPasskey");
        vm.startPrank(service);
        hub.registerProvider(MUNI_A, own, service, SPORT);
        hub.setProviderAdminKey(own, qx, qy);
        vm.expectRevert(invalid);
        hub.addTerminalSigned(own, clubNew, sig);

        // As signed: once.
        hub.addTerminalSigned(CLUB, clubNew, sig);
        bytes32 digest = hub.providerActionDigest(ADD_TERMINAL, CLUB, _word(clubNew), sig.deadline);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureUsed.selector, digest));
        hub.addTerminalSigned(CLUB, clubNew, sig);
        vm.stopPrank();
        assertTrue(hub.terminalOf(clubNew).provider == CLUB, "the club's terminal");
        assertFalse(hub.terminalOf(rogue).active, "the service's is not paired");
    }

    /// @dev GAP (see the notes at the top): a provider onboarded without an admin key is managed
    /// by its registrar alone, as before issue #12, so the registrar's key pairs a terminal with
    /// it at once. Onboard every provider with an admin key.
    function test_gap_providerWithoutAdminKey_registrarPairsATerminalAtOnce() public {
        _takeRegistrarKey();
        (address rogue,) = makeAddrAndKey("Service.RogueTerminal");
        vm.prank(service);
        hub.addTerminal(BOOKSHOP, rogue);
        assertTrue(hub.terminalOf(rogue).active, "GAP: paired at once");
    }

    // ================================================================== opening a municipality

    /// @dev The registrar names any admin for a new municipality, itself included, whose
    /// officers then mint by their own passkeys; so the deploy script gives the role only to the
    /// platform admins' timelock, never to the service. The service can neither open a
    /// municipality of its own nor give itself the role.
    function test_registrarRole_isNotTheServices_soItCannotOpenAMunicipalityOfItsOwn() public {
        bytes32 before = _money();
        MunicipalityId own = MunicipalityId.wrap(998);
        bytes32 registrarRole = hub.MUNICIPALITY_REGISTRAR_ROLE();
        bytes32 hubAdminRole = bytes32(0); // DEFAULT_ADMIN_ROLE

        vm.startPrank(service);
        _expectUnauthorized(registrarRole);
        hub.createMunicipality(own, service, service);
        _expectUnauthorized(hubAdminRole);
        hub.grantRole(registrarRole, service);
        vm.stopPrank();

        assertFalse(hub.municipalityOf(own).exists, "no municipality of its own");
        assertFalse(hub.hasRole(registrarRole, service), "no registrar role");
        _assertNoMoneyMoved(before);
    }

    // ================================================================== helpers

    /// @dev Everything that would change if eKrone were minted, burned or moved, or a claim or
    /// payout changed: supply, the hub's balance, each municipality's ledger and record, and
    /// A's claims and payouts of periods 2 and 3.
    function _money() private view returns (bytes32) {
        (,, uint128 openAccrued) = hub.openPeriod(MUNI_A);
        return keccak256(
            abi.encode(
                ekrone.totalSupply(),
                ekrone.totalMinted(),
                ekrone.totalBurned(),
                ekrone.balanceOf(address(hub)),
                hub.ledgerOf(MUNI_A),
                hub.ledgerOf(MUNI_B),
                hub.municipalityOf(MUNI_A),
                hub.municipalityOf(MUNI_B),
                hub.inTransitOf(MUNI_A, SECOND, CLUB),
                hub.claimOf(MUNI_A, SECOND, CLUB),
                hub.periodTotals(MUNI_A, SECOND),
                openAccrued
            )
        );
    }

    function _assertNoMoneyMoved(bytes32 before) private view {
        assertEq(_money(), before, "no eKrone minted, burned or moved");
        assertEq(ekrone.balanceOf(service), 0, "nothing to the service");
        assertEq(ekrone.balanceOf(own1.account), 0, "nothing to its keys");
        _assertHubHoldsEverything();
    }

    function _assertHubHoldsEverything() private view {
        uint256 escrows = hub.municipalityOf(MUNI_A).escrowOre + hub.municipalityOf(MUNI_B).escrowOre;
        assertEq(ekrone.totalSupply(), escrows, "supply == the municipalities' escrow");
        assertEq(ekrone.balanceOf(address(hub)), escrows, "the hub holds it all");
        assertEq(
            uint256(hub.ledgerOf(MUNI_A).mintedOre) - hub.ledgerOf(MUNI_A).burnedOre,
            hub.municipalityOf(MUNI_A).escrowOre,
            "A: minted - burned == escrow"
        );
    }

    function _assertStillProposed() private view {
        assertEq(
            uint8(hub.settlementOf(MUNI_A, SECOND).status), uint8(SettlementStatus.Proposed), "not approved"
        );
        assertEq(hub.settlementOf(MUNI_A, SECOND).approver, address(0), "no approver");
    }

    function _expectUnauthorized(bytes32 role) private {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, service, role)
        );
    }

    /// @dev A P-256 key the service made and published itself.
    function _publishOwnKey(string memory name) private returns (Passkey memory p) {
        (uint256 privateKey, bytes32 qx, bytes32 qy) = p256Key(name);
        vm.prank(service);
        p = Passkey({privateKey: privateKey, account: hub.registerPasskey(qx, qy)});
    }

    /// @dev An officer's signature valid for 30 days, the worst case for a replay.
    function _sign(
        Passkey memory p,
        bytes32 action,
        MunicipalityId m,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre
    ) private view returns (OfficerSignature memory) {
        return officerSignFor(p, action, m, program, subject, amountOre, 30 days);
    }

    function _digest(
        OfficerSignature memory sig,
        bytes32 action,
        MunicipalityId m,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre
    ) private view returns (bytes32) {
        return hub.officerActionDigest(action, m, program, subject, amountOre, sig.deadline);
    }

    function _relayClose(PeriodId period) private returns (OfficerSignature memory sig) {
        sig = _sign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(period), 0);
        vm.prank(service);
        hub.closePeriodSigned(MUNI_A, period, sig);
    }

    function _relayFund(Passkey memory key, ProgramId program, uint128 amount, bytes32 fundingKey)
        private
        returns (OfficerSignature memory sig)
    {
        sig = _sign(key, FUND, MUNI_A, program, fundingKey, amount);
        vm.prank(service);
        hub.fundProgramSigned(program, amount, fundingKey, sig);
    }

    function _redeemAtClub(uint64 amountOre) private {
        redeemAs(service, clubTerminalKey, redemption(ALICE, BORNEPAKKE, CLUB, amountOre));
    }

    /// @dev The second finance officer approves period 2; the service pays it out.
    function _approveSecondAndPayOut() private {
        OfficerSignature memory sig =
            _sign(staffA.financeKey2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(SECOND), SECOND_TOTAL);
        vm.startPrank(service);
        hub.approveSettlementSigned(MUNI_A, SECOND, SECOND_TOTAL, sig);
        hub.payout(MUNI_A, SECOND, providerList(CLUB));
        vm.stopPrank();
    }

    /// @dev The service also holds the provider-registrar key, in A and B.
    function _takeRegistrarKey() private {
        bytes32 role = hub.PROVIDER_REGISTRAR_ROLE();
        vm.prank(staffA.admin);
        hub.grantMunicipalRole(MUNI_A, role, service);
        vm.prank(staffB.admin);
        hub.grantMunicipalRole(MUNI_B, role, service);
    }

    function _word(address account) private pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }

    /// @dev Signs first (view calls), so the expected revert is the redemption's.
    function _expectRogueRedeemRefused(address rogue, uint256 rogueKey) private {
        Redemption memory r = redemption(ALICE, BORNEPAKKE, CLUB, 10_000);
        r.deadline = uint40(vm.getBlockTimestamp() + 2 minutes);
        (bytes32 sigR, bytes32 sigVs) = sign(rogueKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, rogue));
        vm.prank(service);
        hub.redeem(r, sigR, sigVs);
    }

    function _wait(uint256 seconds_) private {
        vm.warp(vm.getBlockTimestamp() + seconds_);
    }

    function _accounts(bytes32 account) private pure returns (bytes32[] memory list) {
        list = new bytes32[](1);
        list[0] = account;
    }
}
