// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {OfficerSignature, ProviderChange, Redemption, SignedRedemption} from "../../src/types/Records.sol";
import {BaseTest, Passkey} from "../utils/BaseTest.sol";

/// @dev Gas snapshots, committed under contracts/snapshots/ and checked on every run
/// (`gas_snapshot_check`): a change in cost fails until the snapshot is updated on purpose
/// with `FORGE_SNAPSHOT_CHECK=false forge test --match-contract GasTest`.
/// With `isolate = true` each figure is a whole transaction: 21,000 base, calldata and
/// execution, after refunds.
contract GasTest is BaseTest {
    uint256 private constant BATCH = 200;
    uint256 private constant REDEEM_BATCH = 100;
    uint256 private constant CONFIRM_BATCH = 20;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    /// @dev Ethereum's contract size limit (EIP-170); the local chain runs with anvil's default
    /// limit, so a hub over it could not be deployed at all.
    function test_hubFitsTheContractSizeLimit() public view {
        assertLe(address(hub).code.length, 24_576, "hub runtime code over EIP-170's 24,576 bytes");
        assertLe(hub.periodsExtension().code.length, 24_576, "extension over EIP-170's 24,576 bytes");
        assertLe(officersExtension.code.length, 24_576, "officers' extension over EIP-170's 24,576 bytes");
        assertLe(providersExtension.code.length, 24_576, "providers' extension over EIP-170's 24,576 bytes");
    }

    function test_gas_grant() public {
        registerAccount(BOB);
        vm.prank(enrolment);
        hub.grant(BOB, FRITIDSPAS, 24);
        vm.snapshotGasLastCall("grant");
    }

    /// @dev The typical counter case: the provider already has claims this period, the
    /// terminal counts its ids up and the grant has been used before.
    function test_gas_redeem_warm() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.snapshotGasLastCall("redeem_warm");
    }

    function test_gas_redeem_creditWarm() public {
        Redemption memory first = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 10_000);
        redeemAs(relayer, bookshopTerminalKey, first);
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 10_000));
        vm.snapshotGasLastCall("redeem_credit_warm");
    }

    /// @dev The first redemption of a provider in a period (a fresh claim slot).
    function test_gas_redeem_cold() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.snapshotGasLastCall("redeem_cold");
    }

    /// @dev A busy counter: 100 citizens' Børnepakke at the bookshop's terminal in one relayed
    /// transaction, each a warm redemption (the bookshop already has claims this period).
    function test_gas_redeemBatch_of100() public {
        redeemAs(relayer, bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 10_000));
        SignedRedemption[] memory batch = new SignedRedemption[](REDEEM_BATCH);
        for (uint256 i; i < REDEEM_BATCH; ++i) {
            bytes32 account = keccak256(abi.encode("counter account", i));
            registerAccount(account);
            grant(account, BORNEPAKKE, 50_000);
            Redemption memory r = redemption(account, BORNEPAKKE, BOOKSHOP, 10_000);
            (bytes32 sigR, bytes32 sigVs) = sign(bookshopTerminalKey, r);
            batch[i] = SignedRedemption({redemption: r, sigR: sigR, sigVs: sigVs});
        }

        vm.prank(relayer);
        assertEq(hub.redeemBatch(batch), 0, "every redemption counted");
        uint256 batchGas = vm.snapshotGasLastCall("redeemBatch_of100");
        vm.snapshotValue("redeem_perRedemption_in_batch100", batchGas / REDEEM_BATCH);
    }

    function test_gas_payout_batchOf200() public {
        ProviderId[] memory providers = new ProviderId[](BATCH);
        for (uint256 i; i < BATCH; ++i) {
            providers[i] = ProviderId.wrap(uint32(100 + i));
            accrueOneRedemption(providers[i], i);
        }
        PeriodId period = settle(MUNI_A, uint256(BATCH) * 10_000);

        vm.prank(officerA);
        hub.payout(MUNI_A, period, providers);
        uint256 batchGas = vm.snapshotGasLastCall("payout_batch200");
        vm.snapshotValue("payout_perProvider_in_batch200", batchGas / BATCH);
        assertLt(batchGas, 10_000_000, "a 200-provider batch fits well inside a block");
    }

    function test_gas_payout_single() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        PeriodId period = settle(MUNI_A, 10_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, period, providerList(CLUB));
        vm.snapshotGasLastCall("payout_single");
    }

    /// @dev A cashier voids a mistyped amount at the counter: the whole redemption, in its
    /// period, relayed by the service.
    function test_gas_void() public {
        SignedRedemption memory typo = redeemSignedAtClub(ALICE, BORNEPAKKE, 15_000);
        redeemAtClub(ALICE, BORNEPAKKE, 1500);
        reverseAs(relayer, clubTerminalKey, typo, reversal(15_000, PeriodId.wrap(1)));
        vm.snapshotGasLastCall("reverse_void");
    }

    /// @dev A partial refund after the period was paid, larger than the provider's open claim,
    /// so part of it becomes a receivable.
    function test_gas_refund_withReceivable() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        PeriodId period = settle(MUNI_A, 60_000);
        vm.prank(officerA);
        hub.payout(MUNI_A, period, providerList(CLUB));
        redeemAtClub(ALICE, BORNEPAKKE, 10_000);
        reverseAs(relayer, clubTerminalKey, course, reversal(40_000, PeriodId.wrap(0)));
        vm.snapshotGasLastCall("reverse_refund_with_receivable");
    }

    // ------------------------------------------------------------------ officers' passkey calls
    // forge runs evm_version "cancun", which has no P-256 precompile (P256VERIFY at 0x100,
    // RIP-7212, EIP-7951 in Osaka), so OpenZeppelin's P256 falls back to verifying in Solidity:
    // each figure below carries some 300,000-350,000 gas of that verification, and moves when a
    // signed digest changes (the fallback's cost depends on the signature). With the precompile
    // (anvil's default hardfork, or this suite run with --evm-version osaka) the same calls cost
    // about: closePeriodSigned 119,500; proposeSettlementSigned 116,400; approveSettlementSigned
    // 120,100; fundProgramSigned 188,800 (one officer), 140,900 (proposal), 146,300 (second
    // officer); confirmBankTransfers 148,200 (1 provider), 249,100 (20); reclaimSigned 156,500.

    function test_gas_registerPasskey() public {
        (, bytes32 qx, bytes32 qy) = p256Key("gas: a new officer");
        vm.prank(relayer);
        hub.registerPasskey(qx, qy);
        vm.snapshotGasLastCall("registerPasskey");
    }

    function test_gas_closePeriodSigned() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        OfficerSignature memory sig = signedAction(
            staffA.financeKey1, hub.CLOSE_PERIOD(), ProgramId.wrap(0), periodSubject(PeriodId.wrap(1)), 0
        );
        vm.prank(relayer);
        hub.closePeriodSigned(MUNI_A, PeriodId.wrap(1), sig);
        vm.snapshotGasLastCall("closePeriodSigned");
    }

    function test_gas_proposeSettlementSigned() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.prank(officerA);
        PeriodId period = hub.closePeriod(MUNI_A);
        proposeSigned(period, 10_000);
        vm.snapshotGasLastCall("proposeSettlementSigned");
    }

    function test_gas_approveSettlementSigned() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.prank(officerA);
        PeriodId period = hub.closePeriod(MUNI_A);
        proposeSigned(period, 10_000);
        OfficerSignature memory sig = signedAction(
            staffA.financeKey2, hub.APPROVE_SETTLEMENT(), ProgramId.wrap(0), periodSubject(period), 10_000
        );
        vm.prank(relayer);
        hub.approveSettlementSigned(MUNI_A, period, 10_000, sig);
        vm.snapshotGasLastCall("approveSettlementSigned");
    }

    /// @dev Up to the municipality's limit: one treasury officer's signature mints.
    function test_gas_fundProgramSigned_oneOfficer() public {
        fundSigned(staffA.treasuryKey1, 1_000_000, "gas invoice");
        vm.snapshotGasLastCall("fundProgramSigned_oneOfficer");
    }

    /// @dev Above the limit: the first officer's signature only records the proposal.
    function test_gas_fundProgramSigned_proposal() public {
        vm.prank(municipalAdmin);
        hub.setFundingLimit(MUNI_A, 100_000);
        fundSigned(staffA.treasuryKey1, 1_000_000, "gas invoice");
        vm.snapshotGasLastCall("fundProgramSigned_proposal");
    }

    /// @dev Above the limit: a second officer's signature over the same funding mints.
    function test_gas_fundProgramSigned_secondOfficer() public {
        vm.prank(municipalAdmin);
        hub.setFundingLimit(MUNI_A, 100_000);
        fundSigned(staffA.treasuryKey1, 1_000_000, "gas invoice");
        vm.warp(vm.getBlockTimestamp() + 5 minutes);
        fundSigned(staffA.treasuryKey2, 1_000_000, "gas invoice");
        vm.snapshotGasLastCall("fundProgramSigned_secondOfficer");
    }

    function test_gas_confirmBankTransfers_single() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        PeriodId period = settle(MUNI_A, 10_000);
        hub.payout(MUNI_A, period, providerList(CLUB));
        confirmSigned(period, providerList(CLUB), 10_000);
        vm.snapshotGasLastCall("confirmBankTransfers_single");
    }

    function test_gas_confirmBankTransfers_batchOf20() public {
        ProviderId[] memory providers = new ProviderId[](CONFIRM_BATCH);
        for (uint256 i; i < CONFIRM_BATCH; ++i) {
            providers[i] = ProviderId.wrap(uint32(100 + i));
            accrueOneRedemption(providers[i], i);
        }
        PeriodId period = settle(MUNI_A, CONFIRM_BATCH * 10_000);
        hub.payout(MUNI_A, period, providers);
        confirmSigned(period, providers, CONFIRM_BATCH * 10_000);
        vm.snapshotGasLastCall("confirmBankTransfers_batch20");
    }

    /// @dev After the end: the free budget and one grant, burned.
    function test_gas_reclaimSigned() public {
        redeemAtClub(ALICE, FRITIDSPAS, 10_000);
        vm.warp(END);
        bytes32[] memory accounts = new bytes32[](1);
        accounts[0] = ALICE;
        OfficerSignature memory sig = signedAction(
            staffA.treasuryKey1, hub.RECLAIM_PROGRAM(), FRITIDSPAS, keccak256(abi.encodePacked(accounts)), 0
        );
        vm.prank(relayer);
        hub.reclaimSigned(FRITIDSPAS, accounts, sig);
        vm.snapshotGasLastCall("reclaimSigned");
    }

    /// @dev A provider paid back 200 kr of a refund by bank; a treasury officer's signature
    /// brings it in (mints).
    function test_gas_settleReceivableSigned() public {
        SignedRedemption memory course = redeemSignedAtClub(ALICE, BORNEPAKKE, 60_000);
        PeriodId period = settle(MUNI_A, 60_000);
        hub.payout(MUNI_A, period, providerList(CLUB));
        reverseAs(relayer, clubTerminalKey, course, reversal(60_000, PeriodId.wrap(0)));
        bytes32 subject = keccak256(abi.encode(CLUB, bytes32("gas request")));
        OfficerSignature memory sig =
            signedAction(staffA.treasuryKey1, hub.SETTLE_RECEIVABLE(), ProgramId.wrap(0), subject, 20_000);
        vm.prank(relayer);
        hub.settleReceivableSigned(MUNI_A, CLUB, 20_000, bytes32("gas request"), sig);
        vm.snapshotGasLastCall("settleReceivableSigned");
    }

    // ------------------------------------------------------------------ providers' consent
    // These run in the providers' extension, three forwards behind the hub.

    function test_gas_addTerminal_withoutAdminKey() public {
        vm.prank(registrar);
        hub.addTerminal(BOOKSHOP, makeAddr("gas: terminal"));
        vm.snapshotGasLastCall("addTerminal_withoutAdminKey");
    }

    function test_gas_setProviderAdminKey_first() public {
        (, bytes32 qx, bytes32 qy) = p256Key("gas: club admin");
        vm.prank(registrar);
        hub.setProviderAdminKey(CLUB, qx, qy);
        vm.snapshotGasLastCall("setProviderAdminKey_first");
    }

    function test_gas_addTerminal_announced() public {
        makeProviderAdmin(CLUB, "gas: club admin");
        vm.prank(registrar);
        hub.addTerminal(CLUB, makeAddr("gas: terminal"));
        vm.snapshotGasLastCall("addTerminal_announced");
    }

    function test_gas_activateAnnouncement_terminal() public {
        makeProviderAdmin(CLUB, "gas: club admin");
        address terminal = makeAddr("gas: terminal");
        vm.prank(registrar);
        hub.addTerminal(CLUB, terminal);
        vm.warp(vm.getBlockTimestamp() + hub.PROVIDER_NOTICE());
        hub.activateAnnouncement(hub.announcementId(CLUB, ProviderChange.Terminal, terminal));
        vm.snapshotGasLastCall("activateAnnouncement_terminal");
    }

    function test_gas_cancelAnnouncementSigned() public {
        Passkey memory admin_ = makeProviderAdmin(CLUB, "gas: club admin");
        address terminal = makeAddr("gas: terminal");
        vm.prank(registrar);
        hub.addTerminal(CLUB, terminal);
        bytes32 id = hub.announcementId(CLUB, ProviderChange.Terminal, terminal);
        OfficerSignature memory sig = providerSign(admin_, hub.CANCEL_ANNOUNCEMENT(), CLUB, id);
        vm.prank(relayer);
        hub.cancelAnnouncementSigned(id, sig);
        vm.snapshotGasLastCall("cancelAnnouncementSigned");
    }

    function test_gas_addTerminalSigned() public {
        Passkey memory admin_ = makeProviderAdmin(CLUB, "gas: club admin");
        address terminal = makeAddr("gas: terminal");
        OfficerSignature memory sig =
            providerSign(admin_, hub.ADD_TERMINAL(), CLUB, bytes32(uint256(uint160(terminal))));
        vm.prank(relayer);
        hub.addTerminalSigned(CLUB, terminal, sig);
        vm.snapshotGasLastCall("addTerminalSigned");
    }

    function test_gas_updateProviderPayoutSigned() public {
        Passkey memory admin_ = makeProviderAdmin(CLUB, "gas: club admin");
        address payout = makeAddr("gas: payout");
        OfficerSignature memory sig =
            providerSign(admin_, hub.UPDATE_PAYOUT(), CLUB, bytes32(uint256(uint160(payout))));
        vm.prank(relayer);
        hub.updateProviderPayoutSigned(CLUB, payout, sig);
        vm.snapshotGasLastCall("updateProviderPayoutSigned");
    }

    function test_gas_replaceProviderAdminKeySigned() public {
        Passkey memory admin_ = makeProviderAdmin(CLUB, "gas: club admin");
        (, bytes32 qx, bytes32 qy) = p256Key("gas: club admin 2");
        OfficerSignature memory sig = providerSign(
            admin_, hub.REPLACE_ADMIN_KEY(), CLUB, bytes32(uint256(uint160(hub.passkeyAccount(qx, qy))))
        );
        vm.prank(relayer);
        hub.replaceProviderAdminKeySigned(CLUB, qx, qy, sig);
        vm.snapshotGasLastCall("replaceProviderAdminKeySigned");
    }

    /// @dev An officer of A signs on their device; the deadline is read from the cheatcode, as
    /// via-IR may reuse an earlier `block.timestamp` after a warp.
    function signedAction(
        Passkey memory key,
        bytes32 action,
        ProgramId program,
        bytes32 subject,
        uint256 amount
    ) private view returns (OfficerSignature memory) {
        uint40 deadline = uint40(vm.getBlockTimestamp() + 1 hours);
        MunicipalityId m = MUNI_A;
        bytes32 digest = hub.officerActionDigest(action, m, program, subject, amount, deadline);
        return OfficerSignature({
            signer: key.account, deadline: deadline, auth: webAuthnAssertion(key.privateKey, digest)
        });
    }

    function proposeSigned(PeriodId period, uint256 total) private {
        OfficerSignature memory sig = signedAction(
            staffA.financeKey1, hub.PROPOSE_SETTLEMENT(), ProgramId.wrap(0), periodSubject(period), total
        );
        vm.prank(relayer);
        hub.proposeSettlementSigned(MUNI_A, period, total, sig);
    }

    function fundSigned(Passkey memory key, uint128 amount, bytes32 fundingKey) private {
        OfficerSignature memory sig = signedAction(key, hub.FUND_PROGRAM(), FRITIDSPAS, fundingKey, amount);
        vm.prank(relayer);
        hub.fundProgramSigned(FRITIDSPAS, amount, fundingKey, sig);
    }

    function confirmSigned(PeriodId period, ProviderId[] memory providers, uint256 total) private {
        OfficerSignature memory sig = signedAction(
            staffA.financeKey1,
            hub.CONFIRM_BANK_TRANSFERS(),
            ProgramId.wrap(0),
            keccak256(abi.encode(period, providers)),
            total
        );
        vm.prank(relayer);
        hub.confirmBankTransfers(MUNI_A, period, providers, total, sig);
    }

    function accrueOneRedemption(ProviderId provider, uint256 i) private {
        (address terminal, uint256 key) = makeAddrAndKey(string.concat("terminal", vm.toString(i)));
        registerProvider(provider, makeAddr(string.concat("payout", vm.toString(i))), SPORT);
        addTerminal(provider, terminal);
        bytes32 account = keccak256(abi.encode("batch account", i));
        registerAccount(account);
        grant(account, FRITIDSPAS, 1);
        redeemAs(relayer, key, redemption(account, FRITIDSPAS, provider, 10_000));
    }
}
