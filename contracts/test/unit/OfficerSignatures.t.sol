// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Vm} from "forge-std/Vm.sol";

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {
    Funding,
    Ledger,
    OfficerSignature,
    ProgramConfig,
    Redemption,
    Settlement,
    SettlementStatus,
    SignedRedemption
} from "../../src/types/Records.sol";
import {BaseTest, Passkey, Staff} from "../utils/BaseTest.sol";

/// @dev What officers sign with their passkeys ({IVoucherHubOfficers}): each call works with the
/// right officer's WebAuthn signature over exactly that action, once, before its deadline, and
/// is refused with its own error otherwise. The money it moves is minted into and burned out of
/// the hub only, so per municipality minted - burned is what the hub holds for it.
contract OfficerSignaturesTest is BaseTest {
    bytes32 private constant REQUEST = bytes32("repayment 2027-0001");

    ProgramId private constant NO_PROGRAM = ProgramId.wrap(0);
    PeriodId private constant FIRST = PeriodId.wrap(1);
    PeriodId private constant SECOND = PeriodId.wrap(2);
    /// @dev What `_accrueFirstPeriod` redeems in A's period 1: 100 kr at the club, 200 kr at the
    /// bookshop.
    uint256 private constant CLUB_OWED = 10_000;
    uint256 private constant BOOKSHOP_OWED = 20_000;
    uint256 private constant PERIOD_TOTAL = CLUB_OWED + BOOKSHOP_OWED;
    /// @dev Both of A's programs as `setUpVoucherWorld` funds them.
    uint256 private constant FUNDED_A = 200_000_000;
    uint128 private constant LIMIT = 1_000_000;

    bytes32 private constant INVOICE = bytes32("invoice 2027-0001");

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    // ================================================================== registerPasskey

    function test_actionIds_areTheHubs() public view {
        assertEq(hub.CLOSE_PERIOD(), CLOSE, "close");
        assertEq(hub.PROPOSE_SETTLEMENT(), PROPOSE, "propose");
        assertEq(hub.APPROVE_SETTLEMENT(), APPROVE, "approve");
        assertEq(hub.FUND_PROGRAM(), FUND, "fund");
        assertEq(hub.RECLAIM_PROGRAM(), RECLAIM, "reclaim");
        assertEq(hub.CONFIRM_BANK_TRANSFERS(), CONFIRM, "confirm");
        assertEq(hub.SETTLE_RECEIVABLE(), SETTLE, "settle receivable");
    }

    function test_registerPasskey_revertsForPointNotOnTheCurve() public {
        (, bytes32 qx, bytes32 qy) = p256Key("off the curve");
        bytes32[2][4] memory invalid = [
            [bytes32(uint256(1)), bytes32(uint256(2))],
            [bytes32(0), bytes32(0)],
            [qx, bytes32(uint256(qy) ^ 1)],
            [bytes32(uint256(qx) ^ 1), qy]
        ];
        for (uint256 i; i < invalid.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PasskeyInvalid.selector));
            vm.prank(stranger);
            hub.registerPasskey(invalid[i][0], invalid[i][1]);
        }
        assertEq(hub.passkeyOf(hub.passkeyAccount(qx, qy ^ bytes32(uint256(1)))).qx, 0, "nothing stored");
    }

    function test_registerPasskey_twiceGivesTheSameAccountAndOneEvent() public {
        (, bytes32 qx, bytes32 qy) = p256Key("a new officer's laptop");
        address expected = address(uint160(uint256(keccak256(abi.encode(qx, qy)))));
        assertEq(hub.passkeyAccount(qx, qy), expected, "the account is the hash of the key");

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PasskeyRegistered(expected, qx, qy);
        vm.prank(stranger);
        address first = hub.registerPasskey(qx, qy);

        vm.recordLogs();
        vm.prank(relayer);
        address second = hub.registerPasskey(qx, qy);
        assertEq(vm.getRecordedLogs().length, 0, "no second event");

        assertEq(first, expected, "first registration");
        assertEq(second, expected, "the same account again");
        assertEq(hub.passkeyOf(expected).qx, qx, "qx stored");
        assertEq(hub.passkeyOf(expected).qy, qy, "qy stored");
    }

    function test_registerPasskey_givesNoRole() public {
        Passkey memory p = makePasskey("published, never granted");
        bytes32[7] memory roles = [
            hub.MUNICIPAL_ADMIN_ROLE(),
            hub.TREASURY_ROLE(),
            hub.PROGRAM_MANAGER_ROLE(),
            hub.ENROLMENT_ROLE(),
            hub.PROVIDER_REGISTRAR_ROLE(),
            hub.FINANCE_OFFICER_ROLE(),
            hub.PAUSER_ROLE()
        ];
        for (uint256 i; i < roles.length; ++i) {
            assertFalse(hub.hasMunicipalRole(MUNI_A, roles[i], p.account), "no role in A");
            assertFalse(hub.hasMunicipalRole(MUNI_B, roles[i], p.account), "no role in B");
        }
        assertFalse(hub.hasRole(hub.RELAYER_ROLE(), p.account), "not a relayer");

        // Its valid signature closes nothing: the admin never granted the key.
        OfficerSignature memory sig = officerSign(p, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), p.account);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    // ================================================================== settlement, signed

    function test_signedSettlement_twoFinancePasskeys() public {
        _accrueFirstPeriod();
        Passkey memory k1 = staffA.financeKey1;
        Passkey memory k2 = staffA.financeKey2;

        OfficerSignature memory closeSig = officerSign(k1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        bytes32 digest = _digestOf(closeSig, CLOSE, FIRST, 0);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.OfficerSigned(MUNI_A, k1.account, CLOSE, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PeriodClosed(MUNI_A, FIRST, PERIOD_TOTAL);
        vm.prank(relayer);
        PeriodId closed = hub.closePeriodSigned(MUNI_A, FIRST, closeSig);
        assertEq(PeriodId.unwrap(closed), 1, "period 1 closed");
        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        assertEq(PeriodId.unwrap(open), 2, "period 2 open");

        OfficerSignature memory proposeSig =
            officerSign(k1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        digest = _digestOf(proposeSig, PROPOSE, FIRST, PERIOD_TOTAL);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.OfficerSigned(MUNI_A, k1.account, PROPOSE, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.SettlementProposed(MUNI_A, FIRST, k1.account, PERIOD_TOTAL);
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, proposeSig);

        OfficerSignature memory approveSig =
            officerSign(k2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        digest = _digestOf(approveSig, APPROVE, FIRST, PERIOD_TOTAL);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.OfficerSigned(MUNI_A, k2.account, APPROVE, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.SettlementApproved(MUNI_A, FIRST, k2.account);
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, approveSig);

        Settlement memory s = hub.settlementOf(MUNI_A, FIRST);
        assertEq(s.proposer, k1.account, "the first passkey proposed");
        assertEq(s.approver, k2.account, "the second passkey approved");
        assertEq(uint8(s.status), uint8(SettlementStatus.Approved), "approved");
        assertEq(s.proposedAt, block.timestamp, "proposed now");
        assertEq(s.approvedAt, block.timestamp, "approved now");
    }

    function test_proposeSettlementSigned_revertsForADifferentTotal() public {
        _accrueFirstPeriod();
        _closeSigned();
        OfficerSignature memory sig = officerSign(
            staffA.financeKey1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL + 1
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementTotalMismatch.selector,
                MUNI_A,
                FIRST,
                PERIOD_TOTAL + 1,
                PERIOD_TOTAL
            )
        );
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL + 1, sig);
    }

    function test_proposeSettlementSigned_revertsForTheOpenPeriod() public {
        _accrueFirstPeriod();
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PeriodNotClosed.selector, MUNI_A, FIRST));
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, 0, sig);
    }

    function test_approveSettlementSigned_revertsForTheProposersOwnPasskey() public {
        _accrueFirstPeriod();
        _closeSigned();
        _proposeSigned(staffA.financeKey1);
        Passkey memory k1 = staffA.financeKey1;
        OfficerSignature memory sig =
            officerSign(k1, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementSelfApproval.selector, MUNI_A, FIRST, k1.account
            )
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
    }

    function test_approveSettlementSigned_revertsWhenTheApproverSignsAnotherTotal() public {
        _accrueFirstPeriod();
        _closeSigned();
        _proposeSigned(staffA.financeKey1);
        uint256 other = PERIOD_TOTAL - 1;
        OfficerSignature memory sig =
            officerSign(staffA.financeKey2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), other);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.SettlementTotalMismatch.selector, MUNI_A, FIRST, other, PERIOD_TOTAL
            )
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, other, sig);
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Proposed), "still proposed"
        );
    }

    function test_approveSettlementSigned_revertsWithoutAProposal() public {
        _accrueFirstPeriod();
        _closeSigned();
        OfficerSignature memory sig =
            officerSign(staffA.financeKey2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.SettlementNotProposed.selector, MUNI_A, FIRST)
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
    }

    // ================================================================== one signature, one call

    function test_closePeriodSigned_revertsWhenTheSignatureIsUsedTwice() public {
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        bytes32 digest = _digestOf(sig, CLOSE, FIRST, 0);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);

        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    /// @dev A cancelled proposal can be proposed again, but not with the signature it used.
    function test_proposeSettlementSigned_revertsWhenASignatureIsReplayedAfterCancel() public {
        _accrueFirstPeriod();
        _closeSigned();
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
        vm.prank(officerA);
        hub.cancelSettlement(MUNI_A, FIRST);

        bytes32 digest = _digestOf(sig, PROPOSE, FIRST, PERIOD_TOTAL);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
        assertEq(uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.None), "not proposed");
    }

    function test_signature_revertsAfterItsDeadline() public {
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.warp(uint256(sig.deadline) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureExpired.selector, staffA.financeKey1.account, sig.deadline
            )
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    function test_signature_worksAtItsDeadline() public {
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.warp(sig.deadline);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        assertEq(PeriodId.unwrap(open), 2, "closed at the last second");
    }

    // ================================================================== a signature is for one action

    function test_proposalSignature_cannotApprove() public {
        _accrueFirstPeriod();
        _closeSigned();
        Passkey memory k1 = staffA.financeKey1;
        OfficerSignature memory proposal =
            officerSign(k1, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, proposal);

        // Relayed as it is, and as if the second officer had made it.
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k1.account)
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, proposal);
        proposal.signer = staffA.financeKey2.account;
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.financeKey2.account
            )
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, proposal);
        assertEq(
            uint8(hub.settlementOf(MUNI_A, FIRST).status), uint8(SettlementStatus.Proposed), "not approved"
        );
    }

    function test_approvalSignature_cannotPropose() public {
        _accrueFirstPeriod();
        _closeSigned();
        Passkey memory k2 = staffA.financeKey2;
        OfficerSignature memory approval =
            officerSign(k2, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k2.account)
        );
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, approval);
    }

    function test_closeSignatureForPeriod1_cannotClosePeriod2() public {
        Passkey memory k1 = staffA.financeKey1;
        OfficerSignature memory forFirst = officerSign(k1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        // Period 1 is closed another way (its officer's own call) before the signature is relayed.
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.PeriodNotOpen.selector, MUNI_A, FIRST, SECOND)
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, forFirst);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k1.account)
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, SECOND, forFirst);

        (PeriodId open,,) = hub.openPeriod(MUNI_A);
        assertEq(PeriodId.unwrap(open), 2, "period 2 still open");
    }

    function test_closeSignature_cannotProposeOrCloseAnotherMunicipality() public {
        Passkey memory k1 = staffA.financeKey1;
        OfficerSignature memory close = officerSign(k1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.prank(officerA);
        hub.closePeriod(MUNI_A);

        // Same subject (period 1) and amount (0), another action.
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k1.account)
        );
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, 0, close);

        // Same action, another municipality: B even gives the key B's role, still refused.
        bytes32 finance = hub.FINANCE_OFFICER_ROLE();
        vm.prank(staffB.admin);
        hub.grantMunicipalRole(MUNI_B, finance, k1.account);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k1.account)
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_B, FIRST, close);
    }

    function test_fundingSignature_cannotReclaimOrConfirm() public {
        vm.warp(END);
        Passkey memory t1 = staffA.treasuryKey1;
        OfficerSignature memory funding = officerSign(t1, FUND, MUNI_A, FRITIDSPAS, INVOICE, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1.account)
        );
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, new bytes32[](0), funding);

        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1.account)
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, new ProviderId[](0), 0, funding);
    }

    // ================================================================== tampered after signing

    function test_fundProgramSigned_revertsForTamperedAmountKeyProgramOrDeadline() public {
        Passkey memory t1 = staffA.treasuryKey1;
        OfficerSignature memory sig = officerSign(t1, FUND, MUNI_A, FRITIDSPAS, INVOICE, 50_000);
        bytes memory invalid =
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1.account);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 50_001, INVOICE, sig);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 50_000, bytes32("invoice 2027-0002"), sig);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.fundProgramSigned(BORNEPAKKE, 50_000, INVOICE, sig);

        sig.deadline += 1;
        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 50_000, INVOICE, sig);

        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A, "nothing minted");
    }

    function test_confirmBankTransfers_revertsForTamperedProvidersOrTotal() public {
        _paidOutFirstPeriod();
        Passkey memory k1 = staffA.financeKey1;
        ProviderId[] memory both = _providers(CLUB, BOOKSHOP);
        OfficerSignature memory sig = _confirmSig(k1, FIRST, both, PERIOD_TOTAL);
        bytes memory invalid =
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, k1.account);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, providerList(CLUB), PERIOD_TOTAL, sig);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, both, PERIOD_TOTAL - 1, sig);

        vm.expectRevert(invalid);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, SECOND, both, PERIOD_TOTAL, sig);

        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, PERIOD_TOTAL, "still in transit");
    }

    function test_reclaimSigned_revertsForTamperedAccounts() public {
        vm.warp(END);
        Passkey memory t1 = staffA.treasuryKey1;
        bytes32[] memory none = new bytes32[](0);
        OfficerSignature memory sig = officerSign(t1, RECLAIM, MUNI_A, FRITIDSPAS, keccak256(""), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1.account)
        );
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, _accounts(ALICE), sig);

        // The same signature works for the list it names; then on a program it does not name, no.
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, none, sig);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, t1.account)
        );
        vm.prank(relayer);
        hub.reclaimSigned(BORNEPAKKE, none, sig);
    }

    // ================================================================== who signed

    function test_signerField_pointingAtAnotherOfficer_isRefused() public {
        _accrueFirstPeriod();
        _closeSigned();
        _proposeSigned(staffA.financeKey1);
        // The proposer signs an approval and names the second officer as its signer.
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, APPROVE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        sig.signer = staffA.financeKey2.account;
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.financeKey2.account
            )
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
    }

    function test_signer_unknownPasskey_isRefused() public {
        (uint256 privateKey, bytes32 qx, bytes32 qy) = p256Key("never published");
        address account = hub.passkeyAccount(qx, qy);
        Passkey memory unpublished = Passkey({privateKey: privateKey, account: account});
        OfficerSignature memory sig =
            officerSign(unpublished, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PasskeyUnknown.selector, account));
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);

        // Any other address, even one holding the role by its own key, is no passkey.
        sig.signer = officerA;
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PasskeyUnknown.selector, officerA));
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    function test_passkeyWithAnotherRole_isRefused() public {
        _accrueFirstPeriod();
        // A treasury passkey closes no period; a finance passkey funds no program.
        Passkey memory t1 = staffA.treasuryKey1;
        OfficerSignature memory close = officerSign(t1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), t1.account);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, close);

        Passkey memory f1 = staffA.financeKey1;
        OfficerSignature memory funding = officerSign(f1, FUND, MUNI_A, FRITIDSPAS, INVOICE, 100);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), f1.account);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 100, INVOICE, funding);
    }

    function test_revokedPasskey_isRefused() public {
        Passkey memory f1 = staffA.financeKey1;
        bytes32 finance = hub.FINANCE_OFFICER_ROLE();
        vm.prank(municipalAdmin);
        hub.revokeMunicipalRole(MUNI_A, finance, f1.account);
        OfficerSignature memory sig = officerSign(f1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), f1.account);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    function test_eoaSignatureOrGarbageAuth_isRefused() public {
        Passkey memory f1 = staffA.financeKey1;
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes32 digest = hub.officerActionDigest(CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(uint256(keccak256("some EOA")), digest);

        bytes[] memory auths = new bytes[](9);
        auths[0] = abi.encodePacked(r, s, v); // an EOA's signature over the very digest
        auths[1] = "";
        auths[2] = hex"deadbeef";
        auths[3] = new bytes(0x200); // all zeros, long enough to decode
        auths[4] = abi.encode(r, s, uint256(23), uint256(1), bytes(""), ""); // empty assertion
        // The right key over the right challenge, but: the user was not verified (UV unset) ...
        auths[5] = _assertion(f1.privateKey, digest, 0x01, "webauthn.get", false);
        // ... the high-s twin of a valid signature ...
        auths[6] = _assertion(f1.privateKey, digest, 0x05, "webauthn.get", true);
        // ... a registration instead of an assertion ...
        auths[7] = _assertion(f1.privateKey, digest, 0x05, "webauthn.create", false);
        // ... another key's assertion of the same challenge.
        auths[8] = webAuthnAssertion(staffA.financeKey2.privateKey, digest);

        for (uint256 i; i < auths.length; ++i) {
            OfficerSignature memory sig =
                OfficerSignature({signer: f1.account, deadline: deadline, auth: auths[i]});
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, f1.account)
            );
            vm.prank(relayer);
            hub.closePeriodSigned(MUNI_A, FIRST, sig);
        }

        // The same challenge, properly signed, does close the period.
        OfficerSignature memory good = OfficerSignature({
            signer: f1.account,
            deadline: deadline,
            auth: _assertion(f1.privateKey, digest, 0x05, "webauthn.get", false)
        });
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, good);
    }

    function test_eoaHoldingTheRole_cannotSignForAPasskey() public {
        // officerA holds the finance role by its own key; an officer signature must name a passkey.
        uint40 deadline = uint40(block.timestamp + 1 hours);
        bytes32 digest = hub.officerActionDigest(CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(uint256(keccak256("A.FinanceOfficer1")), digest);
        OfficerSignature memory sig =
            OfficerSignature({signer: officerA, deadline: deadline, auth: abi.encodePacked(r, s, v)});
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PasskeyUnknown.selector, officerA));
        vm.prank(officerA);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    // ================================================================== fundProgramSigned

    function test_fundProgramSigned_belowTheLimit_oneSignatureMints() public {
        _setLimit(LIMIT);
        Passkey memory t1 = staffA.treasuryKey1;
        uint128 amount = LIMIT; // at the limit one officer suffices
        uint256 freeBefore = hub.programFunds(FRITIDSPAS).freeOre;
        OfficerSignature memory sig = officerSign(t1, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.FundingProposed(MUNI_A, INVOICE, FRITIDSPAS, amount, t1.account);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.FundingExecuted(MUNI_A, INVOICE, FRITIDSPAS, amount, t1.account);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProgramFunded(FRITIDSPAS, amount, freeBefore + amount);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, sig);

        Ledger memory ledger = hub.ledgerOf(MUNI_A);
        assertEq(ledger.mintedOre, FUNDED_A + amount, "minted for A");
        assertEq(ledger.burnedOre, 0, "nothing burned");
        assertEq(ekrone.totalSupply(), FUNDED_A + amount, "total supply");
        assertEq(ekrone.balanceOf(address(hub)), FUNDED_A + amount, "the hub holds it");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, FUNDED_A + amount, "held for A");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, freeBefore + amount, "free to grant");
        Funding memory f = hub.fundingOf(MUNI_A, INVOICE);
        assertTrue(f.program == FRITIDSPAS, "program");
        assertEq(f.amountOre, amount, "amount");
        assertEq(f.proposer, t1.account, "proposer");
        assertTrue(f.executed, "executed");
        _assertLedgers();
    }

    function test_fundProgramSigned_aboveTheLimit_needsASecondOfficer() public {
        _setLimit(LIMIT);
        Passkey memory t1 = staffA.treasuryKey1;
        Passkey memory t2 = staffA.treasuryKey2;
        uint128 amount = LIMIT + 1;
        OfficerSignature memory first = officerSign(t1, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
        vm.recordLogs();
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, first);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(_count(logs, IVoucherHubEvents.FundingExecuted.selector), 0, "not executed");
        assertEq(_count(logs, IVoucherHubEvents.FundingProposed.selector), 1, "proposed");

        Funding memory f = hub.fundingOf(MUNI_A, INVOICE);
        assertEq(f.proposer, t1.account, "the first officer proposed");
        assertEq(f.amountOre, amount, "amount");
        assertFalse(f.executed, "waiting for a second officer");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A, "nothing minted");
        assertEq(ekrone.totalSupply(), FUNDED_A, "no supply");

        // The second officer signs a few minutes later on their own device.
        _wait(5 minutes);
        uint256 freeBefore = hub.programFunds(FRITIDSPAS).freeOre;
        OfficerSignature memory second = officerSign(t2, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.FundingExecuted(MUNI_A, INVOICE, FRITIDSPAS, amount, t2.account);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProgramFunded(FRITIDSPAS, amount, freeBefore + amount);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, second);

        f = hub.fundingOf(MUNI_A, INVOICE);
        assertEq(f.proposer, t1.account, "proposer kept");
        assertTrue(f.executed, "executed");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A + amount, "minted once");
        assertEq(ekrone.totalSupply(), FUNDED_A + amount, "supply");
        _assertLedgers();
    }

    function test_fundProgramSigned_aboveTheLimit_revertsForTheSameOfficerAgain() public {
        _setLimit(LIMIT);
        Passkey memory t1 = staffA.treasuryKey1;
        uint128 amount = 5_000_000;
        _fundSigned(t1, FRITIDSPAS, amount, INVOICE);
        _wait(1 minutes);
        OfficerSignature memory again = officerSign(t1, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.FundingSelfApproval.selector, MUNI_A, INVOICE, t1.account
            )
        );
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, again);
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A, "nothing minted");
    }

    function test_fundProgramSigned_theSameKeyAfterExecution_mintsNothingMore() public {
        _setLimit(LIMIT);
        uint128 amount = 5_000_000;
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, amount, INVOICE);
        _wait(1 minutes);
        _fundSigned(staffA.treasuryKey2, FRITIDSPAS, amount, INVOICE);
        uint256 minted = hub.ledgerOf(MUNI_A).mintedOre;
        assertEq(minted, FUNDED_A + amount, "executed once");

        // Either officer sending the same funding again (a retried request) changes nothing.
        for (uint256 i; i < 2; ++i) {
            _wait(1 minutes);
            Passkey memory k = i == 0 ? staffA.treasuryKey1 : staffA.treasuryKey2;
            OfficerSignature memory retry = officerSign(k, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
            vm.recordLogs();
            vm.prank(relayer);
            hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, retry);
            Vm.Log[] memory logs = vm.getRecordedLogs();
            assertEq(_count(logs, IVoucherHubEvents.FundingExecuted.selector), 0, "not executed again");
            assertEq(_count(logs, IVoucherHubEvents.ProgramFunded.selector), 0, "not funded again");
            assertEq(_count(logs, IVoucherHubEvents.OfficerSigned.selector), 1, "the signature is used up");
        }
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, minted, "nothing more minted");
        assertEq(ekrone.totalSupply(), minted, "nothing more supplied");

        // Below the limit too: one officer's retry mints nothing more.
        bytes32 small = bytes32("invoice 2027-0002");
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 100, small);
        _wait(1 minutes);
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 100, small);
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, minted + 100, "the small funding once");
        _assertLedgers();
    }

    function test_fundProgramSigned_revertsForTheSameKeyWithAnotherAmountOrProgram() public {
        _setLimit(LIMIT);
        Passkey memory t2 = staffA.treasuryKey2;
        // Pending (above the limit) and executed (below it): the key is taken either way.
        bytes32 executed = bytes32("invoice 2027-0002");
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 5_000_000, INVOICE);
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 100, executed);

        bytes32[2] memory keys = [INVOICE, executed];
        uint128[2] memory amounts = [uint128(5_000_000), 100];
        for (uint256 i; i < 2; ++i) {
            _wait(1 minutes);
            OfficerSignature memory otherAmount =
                officerSign(t2, FUND, MUNI_A, FRITIDSPAS, keys[i], amounts[i] + 1);
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.FundingKeyConflict.selector, MUNI_A, keys[i])
            );
            vm.prank(relayer);
            hub.fundProgramSigned(FRITIDSPAS, amounts[i] + 1, keys[i], otherAmount);

            OfficerSignature memory otherProgram =
                officerSign(t2, FUND, MUNI_A, BORNEPAKKE, keys[i], amounts[i]);
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.FundingKeyConflict.selector, MUNI_A, keys[i])
            );
            vm.prank(relayer);
            hub.fundProgramSigned(BORNEPAKKE, amounts[i], keys[i], otherProgram);
        }
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A + 100, "only the small funding");
    }

    function test_fundProgramSigned_keysAreKeptPerMunicipality() public {
        setUpWorldB();
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 100, INVOICE);
        _fundSigned(staffB.treasuryKey1, SOMMERPAS, 200, INVOICE);
        assertEq(hub.fundingOf(MUNI_A, INVOICE).amountOre, 100, "A's invoice");
        assertEq(hub.fundingOf(MUNI_B, INVOICE).amountOre, 200, "B's invoice of the same number");
        _assertLedgers();
    }

    function test_fundProgramSigned_revertsForAmountZero() public {
        OfficerSignature memory sig = officerSign(staffA.treasuryKey1, FUND, MUNI_A, FRITIDSPAS, INVOICE, 0);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.FundingAmountZero.selector));
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 0, INVOICE, sig);
    }

    function test_fundProgramSigned_revertsAfterTheProgramsEnd() public {
        vm.warp(END);
        OfficerSignature memory sig = officerSign(staffA.treasuryKey1, FUND, MUNI_A, FRITIDSPAS, INVOICE, 100);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, FRITIDSPAS, END));
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 100, INVOICE, sig);
    }

    function test_fundProgramSigned_pendingFundingCannotBeCompletedAfterTheEnd() public {
        _setLimit(LIMIT);
        _fundSigned(staffA.treasuryKey1, FRITIDSPAS, 5_000_000, INVOICE);
        vm.warp(END);
        OfficerSignature memory sig =
            officerSign(staffA.treasuryKey2, FUND, MUNI_A, FRITIDSPAS, INVOICE, 5_000_000);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, FRITIDSPAS, END));
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 5_000_000, INVOICE, sig);
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A, "nothing minted");
    }

    function test_fundProgramSigned_revertsForAnUnknownProgram() public {
        ProgramId unknown = ProgramId.wrap(77);
        OfficerSignature memory sig = officerSign(staffA.treasuryKey1, FUND, MUNI_A, unknown, INVOICE, 100);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProgramUnknown.selector, unknown));
        vm.prank(relayer);
        hub.fundProgramSigned(unknown, 100, INVOICE, sig);
    }

    function test_fundProgramSigned_treasuryKeyOfB_cannotFundAsProgram() public {
        Passkey memory keyOfB = staffB.treasuryKey1;
        // Signed for A (as the hub reads the program) and for B (its own municipality).
        OfficerSignature memory forA = officerSign(keyOfB, FUND, MUNI_A, FRITIDSPAS, INVOICE, 100);
        expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), keyOfB.account);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 100, INVOICE, forA);

        OfficerSignature memory forB = officerSign(keyOfB, FUND, MUNI_B, FRITIDSPAS, INVOICE, 100);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, keyOfB.account)
        );
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, 100, INVOICE, forB);
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A, "nothing minted for A");
        assertEq(hub.ledgerOf(MUNI_B).mintedOre, 0, "nothing minted for B");
    }

    function test_setFundingLimit_onlyTheMunicipalAdmin() public {
        bytes32 adminRole = hub.MUNICIPAL_ADMIN_ROLE();
        address[6] memory others =
            [treasury, officerA, staffB.admin, admin, relayer, staffA.treasuryKey1.account];
        for (uint256 i; i < others.length; ++i) {
            expectMunicipalUnauthorized(MUNI_A, adminRole, others[i]);
            vm.prank(others[i]);
            hub.setFundingLimit(MUNI_A, 0);
        }
        MunicipalityId unknown = MunicipalityId.wrap(999);
        vm.expectRevert(abi.encodeWithSelector(IMunicipalAccess.MunicipalityUnknown.selector, unknown));
        vm.prank(municipalAdmin);
        hub.setFundingLimit(unknown, 0);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.FundingLimitSet(MUNI_A, LIMIT);
        vm.prank(municipalAdmin);
        hub.setFundingLimit(MUNI_A, LIMIT);
        assertEq(hub.ledgerOf(MUNI_A).singleOfficerFundingLimitOre, LIMIT, "stored");
        assertEq(hub.ledgerOf(MUNI_B).singleOfficerFundingLimitOre, type(uint128).max, "B's unchanged");
    }

    // ================================================================== payout and the bank

    function test_payout_byAnyone_putsTheClaimsInTransit() public {
        _settledFirstPeriod();
        uint256 escrow = hub.municipalityOf(MUNI_A).escrowOre;
        vm.prank(stranger);
        uint256 paid = hub.payout(MUNI_A, FIRST, _providers(CLUB, BOOKSHOP));
        assertEq(paid, PERIOD_TOTAL, "paid");
        assertEq(hub.inTransitOf(MUNI_A, FIRST, CLUB), CLUB_OWED, "club in transit");
        assertEq(hub.inTransitOf(MUNI_A, FIRST, BOOKSHOP), BOOKSHOP_OWED, "bookshop in transit");
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, PERIOD_TOTAL, "A's total in transit");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrow, "still held by A");
        assertEq(ekrone.balanceOf(address(hub)), FUNDED_A, "nothing left the hub");
        assertEq(ekrone.balanceOf(clubPayout), 0, "nothing sent to the club");
        assertEq(ekrone.balanceOf(bookshopPayout), 0, "nothing sent to the bookshop");
        _assertLedgers();
    }

    function test_confirmBankTransfers_burnsWhatTheBankPaid() public {
        _paidOutFirstPeriod();
        Passkey memory k1 = staffA.financeKey1;
        uint256 escrow = hub.municipalityOf(MUNI_A).escrowOre;
        ProviderId[] memory both = _providers(CLUB, BOOKSHOP);
        OfficerSignature memory sig = _confirmSig(k1, FIRST, both, PERIOD_TOTAL);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.BankTransferConfirmed(MUNI_A, FIRST, CLUB, CLUB_OWED, k1.account);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.BankTransferConfirmed(MUNI_A, FIRST, BOOKSHOP, BOOKSHOP_OWED, k1.account);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, both, PERIOD_TOTAL, sig);

        Ledger memory ledger = hub.ledgerOf(MUNI_A);
        assertEq(ledger.burnedOre, PERIOD_TOTAL, "burned");
        assertEq(ledger.inTransitOre, 0, "nothing in transit");
        assertEq(hub.inTransitOf(MUNI_A, FIRST, CLUB), 0, "club confirmed");
        assertEq(hub.inTransitOf(MUNI_A, FIRST, BOOKSHOP), 0, "bookshop confirmed");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, escrow - PERIOD_TOTAL, "A holds it no more");
        assertEq(ekrone.totalSupply(), FUNDED_A - PERIOD_TOTAL, "supply dropped");
        assertEq(ekrone.balanceOf(address(hub)), FUNDED_A - PERIOD_TOTAL, "the hub burned it");
        assertEq(ekrone.totalBurned(), PERIOD_TOTAL, "eKrone counts the burn");
        _assertLedgers();
    }

    function test_confirmBankTransfers_oneProviderAtATime() public {
        _paidOutFirstPeriod();
        _confirm(staffA.financeKey1, FIRST, providerList(CLUB), CLUB_OWED);
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, BOOKSHOP_OWED, "the bookshop still in transit");
        _confirm(staffA.financeKey2, FIRST, providerList(BOOKSHOP), BOOKSHOP_OWED);
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, 0, "all confirmed");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, PERIOD_TOTAL, "all burned");
        _assertLedgers();
    }

    function test_confirmBankTransfers_revertsForAnUnknownOrConfirmedProvider() public {
        _paidOutFirstPeriod();
        Passkey memory k1 = staffA.financeKey1;

        // A provider with nothing paid in the period.
        OfficerSignature memory pool = _confirmSig(k1, FIRST, providerList(POOL), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.BankTransferUnknown.selector, MUNI_A, FIRST, POOL)
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, providerList(POOL), 0, pool);

        // A period never paid.
        OfficerSignature memory second = _confirmSig(k1, SECOND, providerList(CLUB), CLUB_OWED);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.BankTransferUnknown.selector, MUNI_A, SECOND, CLUB)
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, SECOND, providerList(CLUB), CLUB_OWED, second);

        // The same provider twice in one list.
        ProviderId[] memory twice = _providers(CLUB, CLUB);
        OfficerSignature memory dup = _confirmSig(k1, FIRST, twice, 2 * CLUB_OWED);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.BankTransferUnknown.selector, MUNI_A, FIRST, CLUB)
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, twice, 2 * CLUB_OWED, dup);

        // Already confirmed, with a fresh signature.
        _confirm(k1, FIRST, providerList(CLUB), CLUB_OWED);
        _wait(1 minutes);
        OfficerSignature memory again = _confirmSig(staffA.financeKey2, FIRST, providerList(CLUB), CLUB_OWED);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.BankTransferUnknown.selector, MUNI_A, FIRST, CLUB)
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, providerList(CLUB), CLUB_OWED, again);
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, CLUB_OWED, "burned once");
        _assertLedgers();
    }

    function test_confirmBankTransfers_revertsForAWrongTotal() public {
        _paidOutFirstPeriod();
        ProviderId[] memory both = _providers(CLUB, BOOKSHOP);
        uint256[2] memory wrong = [PERIOD_TOTAL - 1, PERIOD_TOTAL + 1];
        for (uint256 i; i < 2; ++i) {
            OfficerSignature memory sig = _confirmSig(staffA.financeKey1, FIRST, both, wrong[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVoucherHubEvents.BankTransferTotalMismatch.selector,
                    MUNI_A,
                    FIRST,
                    wrong[i],
                    PERIOD_TOTAL
                )
            );
            vm.prank(relayer);
            hub.confirmBankTransfers(MUNI_A, FIRST, both, wrong[i], sig);
        }
        assertEq(hub.ledgerOf(MUNI_A).inTransitOre, PERIOD_TOTAL, "still in transit");
    }

    function test_confirmBankTransfers_needsAFinancePasskeyOfTheMunicipality() public {
        _paidOutFirstPeriod();
        ProviderId[] memory club = providerList(CLUB);
        Passkey memory t1 = staffA.treasuryKey1;
        OfficerSignature memory byTreasury = _confirmSig(t1, FIRST, club, CLUB_OWED);
        expectMunicipalUnauthorized(MUNI_A, hub.FINANCE_OFFICER_ROLE(), t1.account);
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, FIRST, club, CLUB_OWED, byTreasury);
    }

    // ================================================================== reclaimSigned

    function test_reclaimSigned_afterTheEnd_burns() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        uint256 free = hub.programFunds(FRITIDSPAS).freeOre;
        uint256 alice = hub.grantEscrowOf(ALICE, FRITIDSPAS);
        uint256 expected = free + alice;
        vm.warp(END);
        Passkey memory t1 = staffA.treasuryKey1;
        bytes32[] memory accounts = _accounts(ALICE);
        OfficerSignature memory sig =
            officerSign(t1, RECLAIM, MUNI_A, FRITIDSPAS, keccak256(abi.encodePacked(accounts)), 0);

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.GrantExpired(ALICE, FRITIDSPAS, alice);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProgramReclaimed(FRITIDSPAS, address(0), expected);
        vm.prank(relayer);
        uint256 reclaimed = hub.reclaimSigned(FRITIDSPAS, accounts, sig);

        assertEq(reclaimed, expected, "free budget and Alice's grant");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, expected, "burned");
        assertEq(ekrone.totalSupply(), FUNDED_A - expected, "supply dropped");
        assertEq(ekrone.balanceOf(reclaimA), 0, "sent to no address");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, 0, "no free budget left");
        assertEq(hub.grantEscrowOf(ALICE, FRITIDSPAS), 0, "Alice's grant void");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, FUNDED_A - expected, "the claim and Bornepakke remain");
        _assertLedgers();
    }

    function test_reclaimSigned_revertsWhileTheProgramRuns() public {
        OfficerSignature memory sig =
            officerSign(staffA.treasuryKey1, RECLAIM, MUNI_A, FRITIDSPAS, keccak256(""), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProgramStillRunning.selector, FRITIDSPAS, END)
        );
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, new bytes32[](0), sig);
    }

    function test_reclaimSigned_revertsForFinanceOrBsTreasuryPasskey() public {
        vm.warp(END);
        Passkey[2] memory keys = [staffA.financeKey1, staffB.treasuryKey1];
        for (uint256 i; i < 2; ++i) {
            OfficerSignature memory sig = officerSign(keys[i], RECLAIM, MUNI_A, FRITIDSPAS, keccak256(""), 0);
            expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), keys[i].account);
            vm.prank(relayer);
            hub.reclaimSigned(FRITIDSPAS, new bytes32[](0), sig);
        }
    }

    function test_reclaimSigned_signatureUsedTwice_isRefused() public {
        vm.warp(END);
        OfficerSignature memory sig =
            officerSign(staffA.treasuryKey1, RECLAIM, MUNI_A, FRITIDSPAS, keccak256(""), 0);
        bytes32 digest = hub.officerActionDigest(RECLAIM, MUNI_A, FRITIDSPAS, keccak256(""), 0, sig.deadline);
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, new bytes32[](0), sig);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, new bytes32[](0), sig);
    }

    // ================================================================== one use per signer

    /// @dev Issue #12: a funding above the limit proposed and approved in the same second. Both
    /// officers sign the same action with the same deadline, so the same digest; each
    /// signature is its own signer's, and the second one completes the funding.
    function test_fundProgramSigned_twoOfficersInTheSameSecond_bothCount() public {
        _setLimit(LIMIT);
        uint128 amount = LIMIT + 1;
        OfficerSignature memory first =
            officerSign(staffA.treasuryKey1, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
        OfficerSignature memory second =
            officerSign(staffA.treasuryKey2, FUND, MUNI_A, FRITIDSPAS, INVOICE, amount);
        assertEq(first.deadline, second.deadline, "the same deadline");
        bytes32 digest = hub.officerActionDigest(FUND, MUNI_A, FRITIDSPAS, INVOICE, amount, first.deadline);

        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, first);
        assertTrue(hub.isSignatureUsed(staffA.treasuryKey1.account, digest), "the first officer's is used");
        assertFalse(hub.isSignatureUsed(staffA.treasuryKey2.account, digest), "the second officer's is not");

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.FundingExecuted(
            MUNI_A, INVOICE, FRITIDSPAS, amount, staffA.treasuryKey2.account
        );
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, second);
        assertTrue(hub.fundingOf(MUNI_A, INVOICE).executed, "executed");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A + amount, "minted once");

        // Each officer's signature still works once only.
        OfficerSignature[2] memory sigs = [first, second];
        for (uint256 i; i < 2; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
            vm.prank(relayer);
            hub.fundProgramSigned(FRITIDSPAS, amount, INVOICE, sigs[i]);
        }
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A + amount, "still minted once");
        _assertLedgers();
    }

    /// @dev The same officer's signature cannot be passed off as another's to get a second use.
    function test_signature_usedByOneSigner_isNoOtherSignersSignature() public {
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        bytes32 digest = _digestOf(sig, CLOSE, FIRST, 0);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);

        sig.signer = staffA.financeKey2.account;
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.financeKey2.account
            )
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
        assertFalse(hub.isSignatureUsed(staffA.financeKey2.account, digest), "a refused call uses nothing");
    }

    // ================================================================== settleReceivableSigned

    function test_settleReceivableSigned_bringsTheRepaymentIn() public {
        _owedByClub(60_000);
        uint256 minted = hub.ledgerOf(MUNI_A).mintedOre;
        OfficerSignature memory sig = _settleSig(staffA.treasuryKey1, CLUB, 20_000, REQUEST);
        bytes32 digest = hub.officerActionDigest(
            SETTLE, MUNI_A, NO_PROGRAM, _settleSubject(CLUB, REQUEST), 20_000, sig.deadline
        );

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.OfficerSigned(MUNI_A, staffA.treasuryKey1.account, SETTLE, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ReceivableSettled(MUNI_A, CLUB, 20_000);
        vm.prank(relayer);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, REQUEST, sig);

        assertEq(hub.receivableOf(MUNI_A, CLUB), 40_000, "owes the rest");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, minted + 20_000, "minted for the kroner that came in");
        assertEq(hub.municipalityOf(MUNI_A).recoveredOre, 20_000, "recovered for the treasury");
        assertTrue(hub.isReceivableRequestUsed(MUNI_A, REQUEST), "request used");
        assertFalse(hub.isReceivableRequestUsed(MUNI_B, REQUEST), "in A only");
        _assertLedgers();
    }

    function test_settleReceivableSigned_revertsForAUsedRequestKeyOrSignature() public {
        _owedByClub(60_000);
        OfficerSignature memory sig = _settleSig(staffA.treasuryKey1, CLUB, 20_000, REQUEST);
        vm.prank(relayer);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, REQUEST, sig);

        // The same signature again.
        bytes32 digest = hub.officerActionDigest(
            SETTLE, MUNI_A, NO_PROGRAM, _settleSubject(CLUB, REQUEST), 20_000, sig.deadline
        );
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, REQUEST, sig);

        // The same request key with a fresh signature, by the other officer too.
        Passkey[2] memory keys = [staffA.treasuryKey1, staffA.treasuryKey2];
        for (uint256 i; i < 2; ++i) {
            _wait(1 minutes);
            OfficerSignature memory again = _settleSig(keys[i], CLUB, 20_000, REQUEST);
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.ReceivableRequestUsed.selector, MUNI_A, REQUEST)
            );
            vm.prank(relayer);
            hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, REQUEST, again);
        }
        assertEq(hub.receivableOf(MUNI_A, CLUB), 40_000, "settled once");
    }

    function test_settleReceivableSigned_revertsForAnotherProviderAmountOrKey() public {
        _owedByClub(60_000);
        OfficerSignature memory sig = _settleSig(staffA.treasuryKey1, CLUB, 20_000, REQUEST);
        bytes memory invalid = abi.encodeWithSelector(
            IVoucherHubEvents.OfficerSignatureInvalid.selector, staffA.treasuryKey1.account
        );
        vm.startPrank(relayer);
        vm.expectRevert(invalid);
        hub.settleReceivableSigned(MUNI_A, BOOKSHOP, 20_000, REQUEST, sig);
        vm.expectRevert(invalid);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_001, REQUEST, sig);
        vm.expectRevert(invalid);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, bytes32("another request"), sig);
        vm.expectRevert(invalid);
        hub.settleReceivableSigned(MUNI_B, CLUB, 20_000, REQUEST, sig);
        vm.stopPrank();
        assertEq(hub.receivableOf(MUNI_A, CLUB), 60_000, "nothing settled");
    }

    /// @dev Issue #12: a role alone settles nothing by signature; the passkey must be a treasury
    /// officer's of the municipality (not a finance officer's, not B's treasury's).
    function test_settleReceivableSigned_needsATreasuryPasskeyOfTheMunicipality() public {
        _owedByClub(60_000);
        Passkey[3] memory keys = [staffA.financeKey1, staffB.treasuryKey1, makePasskey("A.RegistrarPasskey")];
        bytes32 registrarRole = hub.PROVIDER_REGISTRAR_ROLE();
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, registrarRole, keys[2].account);
        for (uint256 i; i < keys.length; ++i) {
            OfficerSignature memory sig = _settleSig(keys[i], CLUB, 20_000, REQUEST);
            expectMunicipalUnauthorized(MUNI_A, hub.TREASURY_ROLE(), keys[i].account);
            vm.prank(relayer);
            hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, REQUEST, sig);
        }
        assertEq(hub.receivableOf(MUNI_A, CLUB), 60_000, "nothing settled");
        assertFalse(hub.isReceivableRequestUsed(MUNI_A, REQUEST), "the key is still free");
    }

    function test_settleReceivableSigned_revertsAboveWhatIsOwedOrForZero() public {
        _owedByClub(60_000);
        uint128[2] memory amounts = [uint128(60_001), 0];
        for (uint256 i; i < 2; ++i) {
            bytes32 key = bytes32(i);
            OfficerSignature memory sig = _settleSig(staffA.treasuryKey1, CLUB, amounts[i], key);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVoucherHubEvents.ReceivableExceeded.selector, MUNI_A, CLUB, uint256(60_000)
                )
            );
            vm.prank(relayer);
            hub.settleReceivableSigned(MUNI_A, CLUB, amounts[i], key, sig);
        }
        // All of it.
        OfficerSignature memory all = _settleSig(staffA.treasuryKey1, CLUB, 60_000, REQUEST);
        vm.prank(relayer);
        hub.settleReceivableSigned(MUNI_A, CLUB, 60_000, REQUEST, all);
        assertEq(hub.receivableOf(MUNI_A, CLUB), 0, "paid off");
        assertEq(hub.municipalityOf(MUNI_A).receivableOre, 0, "A is owed nothing");
        _assertLedgers();
    }

    // ================================================================== the ledger, end to end

    /// @dev Funding, redemptions, settlement, payout, the bank's confirmation and reclaim in A and
    /// B: at every step each municipality's minted - burned is what the hub holds for it, and
    /// the hub holds every eKrone there is.
    function test_ledger_mintedLessBurnedIsTheEscrow_throughAWholeCycle() public {
        setUpWorldB();
        _assertLedgers();

        // More funding above a limit, by two officers.
        _setLimit(LIMIT);
        _fundSigned(staffA.treasuryKey1, BORNEPAKKE, 2_000_000, INVOICE);
        _assertLedgers();
        _wait(1 minutes);
        _fundSigned(staffA.treasuryKey2, BORNEPAKKE, 2_000_000, INVOICE);
        _assertLedgers();

        // Redemptions in both.
        _accrueFirstPeriod();
        redeemAs(relayer, poolTerminalKey, redemption(CARL, SOMMERPAS, POOL, 31_000));
        _assertLedgers();

        // Settlement by passkeys, payout by anyone, the bank's confirmation.
        _settleSignedIn(MUNI_A, PERIOD_TOTAL);
        _settleSignedIn(MUNI_B, 31_000);
        vm.prank(stranger);
        hub.payout(MUNI_A, FIRST, _providers(CLUB, BOOKSHOP));
        vm.prank(stranger);
        hub.payout(MUNI_B, FIRST, providerList(POOL));
        _assertLedgers();
        _confirm(staffA.financeKey2, FIRST, _providers(BOOKSHOP, CLUB), PERIOD_TOTAL);
        _assertLedgers();
        _confirmIn(MUNI_B, staffB.financeKey1, FIRST, providerList(POOL), 31_000);
        _assertLedgers();

        // The programs end; the treasury reclaims what is left.
        vm.warp(END);
        _reclaimSigned(staffA.treasuryKey1, FRITIDSPAS, _accounts(ALICE));
        _reclaimSigned(staffA.treasuryKey2, BORNEPAKKE, _accounts(ALICE));
        _reclaimSigned(staffB.treasuryKey1, SOMMERPAS, _accounts(CARL));
        _assertLedgers();

        assertEq(hub.ledgerOf(MUNI_A).mintedOre, FUNDED_A + 2_000_000, "A minted");
        assertEq(hub.ledgerOf(MUNI_A).burnedOre, FUNDED_A + 2_000_000, "A burned all of it");
        assertEq(hub.ledgerOf(MUNI_B).burnedOre, 10_000_000, "B burned all of it");
        assertEq(ekrone.totalSupply(), 0, "nothing left in the scheme");
        assertEq(ekrone.totalMinted(), ekrone.totalBurned(), "every eKrone minted was burned");
    }

    // ================================================================== helpers

    function _assertLedgers() private view {
        MunicipalityId[2] memory ms = [MUNI_A, MUNI_B];
        uint256 escrows;
        for (uint256 i; i < 2; ++i) {
            Ledger memory ledger = hub.ledgerOf(ms[i]);
            uint256 escrow = hub.municipalityOf(ms[i]).escrowOre;
            assertEq(uint256(ledger.mintedOre) - ledger.burnedOre, escrow, "minted - burned == escrow");
            assertLe(ledger.inTransitOre, escrow, "in transit is part of the escrow");
            escrows += escrow;
        }
        assertEq(ekrone.totalSupply(), escrows, "total supply == sum of escrows");
        assertEq(ekrone.balanceOf(address(hub)), escrows, "the hub holds every eKrone");
    }

    /// @dev Moves the clock on. Reads the time from the cheatcode: with via-IR the optimizer may
    /// reuse an earlier `block.timestamp` in the same function.
    function _wait(uint256 seconds_) private {
        vm.warp(vm.getBlockTimestamp() + seconds_);
    }

    /// @dev The club is paid for a 600 kr redemption, then refunds `amount` of it after the
    /// payout: it owes that much to A.
    function _owedByClub(uint64 amount) private {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, FIRST, providerList(CLUB));
        reverseAs(relayer, clubTerminalKey, course, reversal(amount, PeriodId.wrap(0)));
        assertEq(hub.receivableOf(MUNI_A, CLUB), amount, "owed");
    }

    function _settleSubject(ProviderId provider, bytes32 requestKey) private pure returns (bytes32) {
        return keccak256(abi.encode(provider, requestKey));
    }

    function _settleSig(Passkey memory key, ProviderId provider, uint128 amount, bytes32 requestKey)
        private
        view
        returns (OfficerSignature memory)
    {
        return officerSign(key, SETTLE, MUNI_A, NO_PROGRAM, _settleSubject(provider, requestKey), amount);
    }

    function _setLimit(uint128 limit) private {
        vm.prank(municipalAdmin);
        hub.setFundingLimit(MUNI_A, limit);
    }

    function _accrueFirstPeriod() private {
        redeemAtClub(ALICE, FRITIDSPAS, uint64(CLUB_OWED));
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, uint64(BOOKSHOP_OWED)));
    }

    function _closeSigned() private {
        OfficerSignature memory sig =
            officerSign(staffA.financeKey1, CLOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), 0);
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, FIRST, sig);
    }

    function _proposeSigned(Passkey memory key) private {
        OfficerSignature memory sig =
            officerSign(key, PROPOSE, MUNI_A, NO_PROGRAM, periodSubject(FIRST), PERIOD_TOTAL);
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, FIRST, PERIOD_TOTAL, sig);
    }

    /// @dev Closes `m`'s period 1 and settles it with its two finance passkeys.
    function _settleSignedIn(MunicipalityId m, uint256 total) private {
        Staff memory s = staffOf(m);
        bytes32 subject = periodSubject(FIRST);
        OfficerSignature memory close = officerSign(s.financeKey1, CLOSE, m, NO_PROGRAM, subject, 0);
        OfficerSignature memory propose = officerSign(s.financeKey1, PROPOSE, m, NO_PROGRAM, subject, total);
        OfficerSignature memory approve = officerSign(s.financeKey2, APPROVE, m, NO_PROGRAM, subject, total);
        vm.startPrank(relayer);
        hub.closePeriodSigned(m, FIRST, close);
        hub.proposeSettlementSigned(m, FIRST, total, propose);
        hub.approveSettlementSigned(m, FIRST, total, approve);
        vm.stopPrank();
    }

    function _settledFirstPeriod() private {
        _accrueFirstPeriod();
        _settleSignedIn(MUNI_A, PERIOD_TOTAL);
    }

    function _paidOutFirstPeriod() private {
        _settledFirstPeriod();
        vm.prank(stranger);
        hub.payout(MUNI_A, FIRST, _providers(CLUB, BOOKSHOP));
    }

    function _confirmSig(Passkey memory key, PeriodId period, ProviderId[] memory providers, uint256 total)
        private
        view
        returns (OfficerSignature memory)
    {
        return officerSign(key, CONFIRM, MUNI_A, NO_PROGRAM, keccak256(abi.encode(period, providers)), total);
    }

    function _confirm(Passkey memory key, PeriodId period, ProviderId[] memory providers, uint256 total)
        private
    {
        _confirmIn(MUNI_A, key, period, providers, total);
    }

    function _confirmIn(
        MunicipalityId m,
        Passkey memory key,
        PeriodId period,
        ProviderId[] memory providers,
        uint256 total
    ) private {
        OfficerSignature memory sig = officerSign(
            key, CONFIRM, m, NO_PROGRAM, keccak256(abi.encode(period, providers)), total
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(m, period, providers, total, sig);
    }

    function _fundSigned(Passkey memory key, ProgramId program, uint128 amount, bytes32 fundingKey) private {
        MunicipalityId m = hub.programMunicipality(program);
        OfficerSignature memory sig = officerSign(key, FUND, m, program, fundingKey, amount);
        vm.prank(relayer);
        hub.fundProgramSigned(program, amount, fundingKey, sig);
    }

    function _reclaimSigned(Passkey memory key, ProgramId program, bytes32[] memory accounts) private {
        MunicipalityId m = hub.programMunicipality(program);
        OfficerSignature memory sig =
            officerSign(key, RECLAIM, m, program, keccak256(abi.encodePacked(accounts)), 0);
        vm.prank(relayer);
        hub.reclaimSigned(program, accounts, sig);
    }

    /// @dev The digest a period-subject action of A was signed over, from the hub.
    function _digestOf(OfficerSignature memory sig, bytes32 action, PeriodId period, uint256 amount)
        private
        view
        returns (bytes32)
    {
        return hub.officerActionDigest(
            action, MUNI_A, NO_PROGRAM, periodSubject(period), amount, sig.deadline
        );
    }

    /// @dev Like {PasskeySigning-webAuthnAssertion} with the flags, the client data type and
    /// the form of s chosen.
    function _assertion(uint256 privateKey, bytes32 challenge, bytes1 flags, string memory kind, bool highS)
        private
        pure
        returns (bytes memory)
    {
        bytes memory authenticatorData = abi.encodePacked(sha256("localhost"), flags, bytes4(0));
        string memory clientDataJSON = string.concat(
            '{"type":"',
            kind,
            '","challenge":"',
            Base64.encodeURL(abi.encodePacked(challenge)),
            '","origin":"http://localhost"}'
        );
        bytes32 message = sha256(abi.encodePacked(authenticatorData, sha256(bytes(clientDataJSON))));
        (bytes32 r, bytes32 s) = vm.signP256(privateKey, message);
        if ((uint256(s) > P256_N / 2) != highS) s = bytes32(P256_N - uint256(s));
        return
            abi.encode(r, s, uint256(bytes(kind).length + 11), uint256(1), authenticatorData, clientDataJSON);
    }

    /// @dev How many of the hub's events in `logs` have the topic.
    function _count(Vm.Log[] memory logs, bytes32 topic) private view returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(hub) && logs[i].topics.length != 0 && logs[i].topics[0] == topic) {
                ++n;
            }
        }
    }

    function _providers(ProviderId a, ProviderId b) private pure returns (ProviderId[] memory list) {
        list = new ProviderId[](2);
        list[0] = a;
        list[1] = b;
    }

    function _accounts(bytes32 account) private pure returns (bytes32[] memory list) {
        list = new bytes32[](1);
        list[0] = account;
    }
}
