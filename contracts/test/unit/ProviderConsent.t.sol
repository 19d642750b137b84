// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {ProviderId} from "../../src/types/Ids.sol";
import {Announcement, OfficerSignature, ProviderChange, Redemption} from "../../src/types/Records.sol";
import {BaseTest, Passkey} from "../utils/BaseTest.sol";

/// @dev Providers' consent ({IVoucherHubProviders}): for a provider with an admin key, a new
/// terminal, payout account or admin key takes effect at once only with that key's signature;
/// the registrar's own change is announced, takes effect after the notice, and the provider can
/// object. Without an admin key the registrar's changes take effect at once, as before.
contract ProviderConsentTest is BaseTest {
    uint256 private constant NOTICE = 72 hours;

    Passkey private clubAdmin;
    address private newTerminal;
    uint256 private newTerminalKey;
    address private newPayout = makeAddr("ClubNewPayout");

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
        clubAdmin = makeProviderAdmin(CLUB, "Club.AdminPasskey");
        (newTerminal, newTerminalKey) = makeAddrAndKey("ClubNewTerminal");
    }

    // ================================================================== the admin key

    function test_constants_areTheHubs() public view {
        assertEq(hub.ADD_TERMINAL(), ADD_TERMINAL, "add terminal");
        assertEq(hub.UPDATE_PAYOUT(), UPDATE_PAYOUT, "update payout");
        assertEq(hub.REPLACE_ADMIN_KEY(), REPLACE_ADMIN_KEY, "replace admin key");
        assertEq(hub.CANCEL_ANNOUNCEMENT(), CANCEL, "cancel");
        assertEq(hub.PROVIDER_NOTICE(), NOTICE, "72 hours");
        assertEq(
            hub.PROVIDER_ACTION_TYPEHASH(),
            keccak256("ProviderAction(bytes32 action,uint32 provider,bytes32 subject,uint40 deadline)"),
            "type hash"
        );
        assertEq(
            hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal),
            keccak256(abi.encode(CLUB, ProviderChange.Terminal, newTerminal)),
            "announcement id"
        );
    }

    function test_setProviderAdminKey_theFirstKeyAtOnce() public {
        (, bytes32 qx, bytes32 qy) = p256Key("Bookshop.AdminPasskey");
        address account = hub.passkeyAccount(qx, qy);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.PasskeyRegistered(account, qx, qy);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdminKeySet(BOOKSHOP, account);
        vm.prank(registrar);
        assertEq(hub.setProviderAdminKey(BOOKSHOP, qx, qy), account, "the key's account");
        assertEq(hub.providerAdminOf(BOOKSHOP), account, "set");
        assertEq(hub.passkeyOf(account).qx, qx, "published");
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "the club's");
    }

    function test_setProviderAdminKey_revertsForAnotherRegistrarAnUnknownProviderOrAnInvalidKey() public {
        (, bytes32 qx, bytes32 qy) = p256Key("Bookshop.AdminPasskey");
        bytes32 role = hub.PROVIDER_REGISTRAR_ROLE();
        address[2] memory callers = [stranger, staffB.registrar];
        for (uint256 i; i < 2; ++i) {
            expectMunicipalUnauthorized(MUNI_A, role, callers[i]);
            vm.prank(callers[i]);
            hub.setProviderAdminKey(BOOKSHOP, qx, qy);
        }
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderUnknown.selector, ProviderId.wrap(99))
        );
        vm.prank(registrar);
        hub.setProviderAdminKey(ProviderId.wrap(99), qx, qy);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.PasskeyInvalid.selector));
        vm.prank(registrar);
        hub.setProviderAdminKey(BOOKSHOP, qx, bytes32(uint256(qy) ^ 1));
        assertEq(hub.providerAdminOf(BOOKSHOP), address(0), "none set");
    }

    function test_setProviderAdminKey_replacement_isAnnouncedAndTakesEffectAfterTheNotice() public {
        (uint256 newKey, bytes32 qx, bytes32 qy) = p256Key("Club.NewAdminPasskey");
        address account = hub.passkeyAccount(qx, qy);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.AdminKey, account);
        uint40 due = uint40(vm.getBlockTimestamp() + NOTICE);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeAnnounced(CLUB, id, ProviderChange.AdminKey, account, due);
        vm.prank(registrar);
        hub.setProviderAdminKey(CLUB, qx, qy);
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "not yet");
        Announcement memory a = hub.announcementOf(id);
        assertTrue(a.provider == CLUB, "provider");
        assertEq(uint8(a.change), uint8(ProviderChange.AdminKey), "change");
        assertEq(a.effectiveAt, due, "due");
        assertEq(a.subject, account, "subject");

        _wait(NOTICE - 1);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementNotDue.selector, id, due));
        vm.prank(stranger);
        hub.activateAnnouncement(id);

        _wait(1);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeActivated(CLUB, id);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdminKeySet(CLUB, account);
        vm.prank(stranger);
        hub.activateAnnouncement(id);
        assertEq(hub.providerAdminOf(CLUB), account, "replaced");
        assertEq(uint8(hub.announcementOf(id).change), uint8(ProviderChange.None), "done");
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        hub.activateAnnouncement(id);

        // The old key signs nothing any more; the new one does.
        OfficerSignature memory old = _sign(clubAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, old);
        Passkey memory replaced = Passkey({privateKey: newKey, account: account});
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, _sign(replaced, ADD_TERMINAL, CLUB, _word(newTerminal)));
        assertTrue(hub.terminalOf(newTerminal).active, "paired by the new key");
    }

    function test_replaceProviderAdminKeySigned_atOnce() public {
        (uint256 newKey, bytes32 qx, bytes32 qy) = p256Key("Club.NewAdminPasskey");
        address account = hub.passkeyAccount(qx, qy);
        OfficerSignature memory sig = _sign(clubAdmin, REPLACE_ADMIN_KEY, CLUB, _word(account));
        bytes32 digest = hub.providerActionDigest(REPLACE_ADMIN_KEY, CLUB, _word(account), sig.deadline);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdminSigned(CLUB, clubAdmin.account, REPLACE_ADMIN_KEY, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdminKeySet(CLUB, account);
        vm.prank(relayer);
        assertEq(hub.replaceProviderAdminKeySigned(CLUB, qx, qy, sig), account, "the new key's account");
        assertEq(hub.providerAdminOf(CLUB), account, "replaced");
        assertTrue(hub.isSignatureUsed(clubAdmin.account, digest), "used");

        // The new key replaces itself back the same way; the old one cannot.
        Passkey memory replaced = Passkey({privateKey: newKey, account: account});
        (, bytes32 oldQx, bytes32 oldQy) = p256Key("Club.AdminPasskey");
        OfficerSignature memory byOld = _sign(clubAdmin, REPLACE_ADMIN_KEY, CLUB, _word(clubAdmin.account));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.replaceProviderAdminKeySigned(CLUB, oldQx, oldQy, byOld);
        vm.prank(relayer);
        hub.replaceProviderAdminKeySigned(
            CLUB, oldQx, oldQy, _sign(replaced, REPLACE_ADMIN_KEY, CLUB, _word(clubAdmin.account))
        );
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "back");
    }

    function test_replaceProviderAdminKeySigned_revertsForAnotherKeyThanSigned() public {
        (, bytes32 qx, bytes32 qy) = p256Key("Club.NewAdminPasskey");
        (, bytes32 otherQx, bytes32 otherQy) = p256Key("Service.Key");
        OfficerSignature memory sig =
            _sign(clubAdmin, REPLACE_ADMIN_KEY, CLUB, _word(hub.passkeyAccount(qx, qy)));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.replaceProviderAdminKeySigned(CLUB, otherQx, otherQy, sig);
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "unchanged");
    }

    // ================================================================== terminals

    function test_addTerminal_withoutAnAdminKey_takesEffectAtOnce() public {
        address terminal = makeAddr("BookshopSecondTerminal");
        vm.recordLogs();
        vm.prank(registrar);
        hub.addTerminal(BOOKSHOP, terminal);
        assertEq(vm.getRecordedLogs().length, 1, "TerminalAdded only, no announcement");
        assertTrue(hub.terminalOf(terminal).active, "active");
        assertTrue(hub.terminalOf(terminal).provider == BOOKSHOP, "the bookshop's");
    }

    function test_addTerminal_withAnAdminKey_isAnnouncedAndRedeemsOnlyAfterTheNotice() public {
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal);
        uint40 due = uint40(vm.getBlockTimestamp() + NOTICE);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeAnnounced(CLUB, id, ProviderChange.Terminal, newTerminal, due);
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        assertFalse(hub.terminalOf(newTerminal).active, "not yet");
        _expectRedeemRefused(newTerminal, newTerminalKey);

        // Announcing it again, or a terminal already paired.
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementPending.selector, id));
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.TerminalAlreadyRegistered.selector, clubTerminal)
        );
        vm.prank(registrar);
        hub.addTerminal(CLUB, clubTerminal);

        _wait(NOTICE - 1);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementNotDue.selector, id, due));
        hub.activateAnnouncement(id);
        _expectRedeemRefused(newTerminal, newTerminalKey);

        _wait(1);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeActivated(CLUB, id);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.TerminalAdded(CLUB, newTerminal);
        vm.prank(stranger);
        hub.activateAnnouncement(id);
        assertTrue(hub.terminalOf(newTerminal).active, "active");
        _redeemAtNewTerminal();
    }

    function test_addTerminal_announced_revertsForNonRegistrarOrAnUnknownProvider() public {
        expectMunicipalUnauthorized(MUNI_A, hub.PROVIDER_REGISTRAR_ROLE(), staffB.registrar);
        vm.prank(staffB.registrar);
        hub.addTerminal(CLUB, newTerminal);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderUnknown.selector, ProviderId.wrap(99))
        );
        vm.prank(registrar);
        hub.addTerminal(ProviderId.wrap(99), newTerminal);
    }

    function test_activateAnnouncement_revertsWhenTheTerminalWasPairedMeanwhile() public {
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal);
        // The bookshop (no admin key) gets the address first.
        vm.prank(registrar);
        hub.addTerminal(BOOKSHOP, newTerminal);
        _wait(NOTICE);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.TerminalAlreadyRegistered.selector, newTerminal)
        );
        hub.activateAnnouncement(id);
    }

    function test_addTerminalSigned_atOnce() public {
        OfficerSignature memory sig = _sign(clubAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        bytes32 digest = hub.providerActionDigest(ADD_TERMINAL, CLUB, _word(newTerminal), sig.deadline);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderAdminSigned(CLUB, clubAdmin.account, ADD_TERMINAL, digest);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.TerminalAdded(CLUB, newTerminal);
        vm.prank(stranger);
        hub.addTerminalSigned(CLUB, newTerminal, sig);
        assertTrue(hub.terminalOf(newTerminal).active, "active");
        _redeemAtNewTerminal();

        // Once.
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, sig);
    }

    function test_addTerminalSigned_revertsForAnotherTerminalProviderOrSigner() public {
        OfficerSignature memory sig = _sign(clubAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        address other = makeAddr("AnotherTerminal");
        vm.startPrank(relayer);
        // Another terminal.
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        hub.addTerminalSigned(CLUB, other, sig);
        // A provider without an admin key.
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderAdminUnknown.selector, BOOKSHOP));
        hub.addTerminalSigned(BOOKSHOP, newTerminal, sig);
        vm.stopPrank();

        // A provider with another admin key; then one with the same key (one person running
        // both): the digest names the provider.
        Passkey memory bookshopAdmin = makeProviderAdmin(BOOKSHOP, "Bookshop.AdminPasskey");
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignerNotAdmin.selector, BOOKSHOP, clubAdmin.account
            )
        );
        vm.prank(relayer);
        hub.addTerminalSigned(BOOKSHOP, newTerminal, sig);
        OfficerSignature memory byBookshop = _sign(bookshopAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, bookshopAdmin.account
            )
        );
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, byBookshop);

        ProviderId shop = ProviderId.wrap(7);
        registerProvider(shop, makeAddr("ShopPayout"), BOOKS);
        makeProviderAdmin(shop, "Club.AdminPasskey");
        assertEq(hub.providerAdminOf(shop), clubAdmin.account, "the same key");
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.addTerminalSigned(shop, newTerminal, sig);

        // An officer's passkey, and a signature whose assertion was altered.
        OfficerSignature memory byOfficer = _sign(staffA.treasuryKey1, ADD_TERMINAL, CLUB, _word(newTerminal));
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, staffA.treasuryKey1.account
            )
        );
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, byOfficer);
        OfficerSignature memory altered = _sign(clubAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        altered.auth[40] = altered.auth[40] ^ bytes1(0x01);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, altered);
        assertFalse(hub.terminalOf(newTerminal).active, "never paired");
    }

    function test_addTerminalSigned_revertsAfterTheDeadline() public {
        OfficerSignature memory sig = _sign(clubAdmin, ADD_TERMINAL, CLUB, _word(newTerminal));
        _wait(1 hours + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignatureExpired.selector, clubAdmin.account, sig.deadline
            )
        );
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, newTerminal, sig);
    }

    function test_revokeTerminal_staysImmediate() public {
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.TerminalRevoked(CLUB, clubTerminal);
        vm.prank(registrar);
        hub.revokeTerminal(clubTerminal);
        assertFalse(hub.terminalOf(clubTerminal).active, "revoked at once");
    }

    // ================================================================== payout

    function test_updateProviderPayout_withAnAdminKey_isAnnounced() public {
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Payout, newPayout);
        uint40 due = uint40(vm.getBlockTimestamp() + NOTICE);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeAnnounced(CLUB, id, ProviderChange.Payout, newPayout, due);
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, newPayout);
        assertEq(hub.providerOf(CLUB).payout, clubPayout, "not yet");
        assertFalse(ekrone.isParticipant(newPayout), "not a participant yet");

        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(registrar);
        hub.updateProviderPayout(CLUB, address(0));

        _wait(NOTICE);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPayoutUpdated(CLUB, newPayout);
        hub.activateAnnouncement(id);
        assertEq(hub.providerOf(CLUB).payout, newPayout, "changed");
        assertTrue(ekrone.isParticipant(newPayout), "the new one is a participant");
        assertFalse(ekrone.isParticipant(clubPayout), "the old one no longer");
    }

    function test_updateProviderPayout_withoutAnAdminKey_takesEffectAtOnce() public {
        vm.prank(registrar);
        hub.updateProviderPayout(BOOKSHOP, newPayout);
        assertEq(hub.providerOf(BOOKSHOP).payout, newPayout, "at once");
    }

    function test_updateProviderPayoutSigned_atOnce() public {
        OfficerSignature memory sig = _sign(clubAdmin, UPDATE_PAYOUT, CLUB, _word(newPayout));
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderPayoutUpdated(CLUB, newPayout);
        vm.prank(relayer);
        hub.updateProviderPayoutSigned(CLUB, newPayout, sig);
        assertEq(hub.providerOf(CLUB).payout, newPayout, "changed");
        assertTrue(ekrone.isParticipant(newPayout), "participant");

        // Another address than signed, or zero.
        OfficerSignature memory again = _sign(clubAdmin, UPDATE_PAYOUT, CLUB, _word(newPayout));
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        vm.prank(relayer);
        hub.updateProviderPayoutSigned(CLUB, stranger, again);
        OfficerSignature memory zero = _sign(clubAdmin, UPDATE_PAYOUT, CLUB, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderPayoutInvalid.selector, address(0)));
        vm.prank(relayer);
        hub.updateProviderPayoutSigned(CLUB, address(0), zero);
    }

    // ================================================================== objecting

    function test_cancelAnnouncementSigned_dropsTheChange() public {
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal);
        _wait(1 hours);
        OfficerSignature memory sig = _sign(clubAdmin, CANCEL, CLUB, id);
        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.ProviderChangeCancelled(CLUB, id, clubAdmin.account);
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, sig);
        assertEq(uint8(hub.announcementOf(id).change), uint8(ProviderChange.None), "gone");

        _wait(NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        hub.activateAnnouncement(id);
        _expectRedeemRefused(newTerminal, newTerminalKey);

        // Announced again, it needs a new objection: the old signature has expired by now (and
        // is used; see the next test).
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        vm.expectRevert(
            abi.encodeWithSelector(
                IVoucherHubEvents.ProviderSignatureExpired.selector, clubAdmin.account, sig.deadline
            )
        );
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, sig);
    }

    function test_cancelAnnouncementSigned_usedOnce() public {
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal);
        OfficerSignature memory sig = _sign(clubAdmin, CANCEL, CLUB, id);
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, sig);
        // Announced again at once: the same id and deadline, the same digest, already used.
        vm.prank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        bytes32 digest = hub.providerActionDigest(CANCEL, CLUB, id, sig.deadline);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureUsed.selector, digest));
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, sig);
        assertEq(uint8(hub.announcementOf(id).change), uint8(ProviderChange.Terminal), "still pending");
    }

    function test_cancelAnnouncementSigned_revertsForUnknownAnotherAnnouncementOrSigner() public {
        vm.startPrank(registrar);
        hub.addTerminal(CLUB, newTerminal);
        hub.updateProviderPayout(CLUB, newPayout);
        vm.stopPrank();
        bytes32 terminalId = hub.announcementId(CLUB, ProviderChange.Terminal, newTerminal);
        bytes32 payoutId = hub.announcementId(CLUB, ProviderChange.Payout, newPayout);
        OfficerSignature memory sig = _sign(clubAdmin, CANCEL, CLUB, terminalId);

        vm.startPrank(relayer);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, bytes32("none"))
        );
        hub.cancelAnnouncementSigned(bytes32("none"), sig);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignatureInvalid.selector, clubAdmin.account)
        );
        hub.cancelAnnouncementSigned(payoutId, sig);
        vm.stopPrank();

        Passkey memory notAdmin = makePasskey("Service.Key");
        OfficerSignature memory bySomeone = _sign(notAdmin, CANCEL, CLUB, terminalId);
        vm.expectRevert(
            abi.encodeWithSelector(IVoucherHubEvents.ProviderSignerNotAdmin.selector, CLUB, notAdmin.account)
        );
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(terminalId, bySomeone);
        assertEq(uint8(hub.announcementOf(terminalId).change), uint8(ProviderChange.Terminal), "pending");
        assertEq(uint8(hub.announcementOf(payoutId).change), uint8(ProviderChange.Payout), "pending");
    }

    function test_cancelAnnouncementSigned_ofAnAdminKeyReplacement() public {
        (, bytes32 qx, bytes32 qy) = p256Key("Club.NewAdminPasskey");
        vm.prank(registrar);
        hub.setProviderAdminKey(CLUB, qx, qy);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.AdminKey, hub.passkeyAccount(qx, qy));
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, _sign(clubAdmin, CANCEL, CLUB, id));
        _wait(NOTICE);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.AnnouncementUnknown.selector, id));
        hub.activateAnnouncement(id);
        assertEq(hub.providerAdminOf(CLUB), clubAdmin.account, "kept");
    }

    // ================================================================== helpers

    function _sign(Passkey memory p, bytes32 action, ProviderId provider, bytes32 subject)
        private
        view
        returns (OfficerSignature memory)
    {
        return providerSign(p, action, provider, subject);
    }

    function _word(address account) private pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }

    function _wait(uint256 seconds_) private {
        vm.warp(vm.getBlockTimestamp() + seconds_);
    }

    /// @dev A redemption at the new terminal, its deadline read from the cheatcode: after a warp
    /// via-IR may reuse an earlier `block.timestamp`.
    function _redeemAtNewTerminal() private {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        r.deadline = uint40(vm.getBlockTimestamp() + 2 minutes);
        redeemAs(relayer, newTerminalKey, r);
    }

    /// @dev Signs first (a view call), so the expected revert is the redemption's.
    function _expectRedeemRefused(address terminal, uint256 terminalKey) private {
        Redemption memory r = redemption(ALICE, FRITIDSPAS, CLUB, 10_000);
        r.deadline = uint40(vm.getBlockTimestamp() + 2 minutes);
        (bytes32 sigR, bytes32 sigVs) = sign(terminalKey, r);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, terminal));
        vm.prank(relayer);
        hub.redeem(r, sigR, sigVs);
    }
}
