// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PeriodId, ProviderId} from "../../src/types/Ids.sol";
import {Redemption, SignedRedemption} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @dev Gas snapshots, committed under contracts/snapshots/ and checked on every run
/// (`gas_snapshot_check`): a change in cost fails until the snapshot is updated on purpose
/// with `FORGE_SNAPSHOT_CHECK=false forge test --match-contract GasTest`.
/// With `isolate = true` each figure is a whole transaction: 21,000 base, calldata and
/// execution, after refunds.
contract GasTest is BaseTest {
    uint256 private constant BATCH = 200;
    uint256 private constant REDEEM_BATCH = 100;

    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    /// @dev Ethereum's contract size limit (EIP-170); the local chain runs with anvil's default
    /// limit, so a hub over it could not be deployed at all.
    function test_hubFitsTheContractSizeLimit() public view {
        assertLe(address(hub).code.length, 24_576, "hub runtime code over EIP-170's 24,576 bytes");
        assertLe(hub.periodsExtension().code.length, 24_576, "extension over EIP-170's 24,576 bytes");
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
