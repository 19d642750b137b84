// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Vm} from "forge-std/Vm.sol";

import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {PeriodId} from "../../src/types/Ids.sol";
import {Grant, Redemption, SignedRedemption} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @dev The relayer's batch: each redemption stands or falls on its own, exactly as a single
/// `redeem` would.
contract RedeemBatchTest is BaseTest {
    function setUp() public override {
        super.setUp();
        setUpVoucherWorld();
    }

    function test_redeemBatch_redeemsEveryValidRedemption() public {
        SignedRedemption[] memory batch = new SignedRedemption[](3);
        batch[0] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        batch[1] = signed(bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 29_900));
        batch[2] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 12_000));

        vm.prank(relayer);
        uint256 refused = hub.redeemBatch(batch);

        assertEq(refused, 0, "nothing refused");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 3, "two uses taken");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 150_000 - 29_900, "credit taken");
        assertEq(
            hub.claimOf(MUNI_A, PeriodId.wrap(1), CLUB).accruedOre, 22_000, "the club is owed both visits"
        );
        assertEq(hub.claimOf(MUNI_A, PeriodId.wrap(1), BOOKSHOP).accruedOre, 29_900, "the bookshop is owed");
        (,, uint128 openAccrued) = hub.openPeriod(MUNI_A);
        assertEq(openAccrued, 51_900, "the open period counts all three");
    }

    function test_redeemBatch_refusesOneAndKeepsTheOthers() public {
        SignedRedemption[] memory batch = new SignedRedemption[](3);
        batch[0] = signed(bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 100_000));
        // Only 50,000 øre of credit is left after the first.
        Redemption memory tooMuch = redemption(ALICE, BORNEPAKKE, BOOKSHOP, 60_000);
        batch[1] = signed(bookshopTerminalKey, tooMuch);
        batch[2] = signed(bookshopTerminalKey, redemption(ALICE, BORNEPAKKE, BOOKSHOP, 50_000));

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionRefused(
            1,
            abi.encodeWithSelector(
                IVoucherHubEvents.VoucherCreditInsufficient.selector, ALICE, BORNEPAKKE, 60_000, 50_000
            )
        );
        vm.prank(relayer);
        uint256 refused = hub.redeemBatch(batch);

        assertEq(refused, 1, "one refused");
        assertEq(hub.grantOf(ALICE, BORNEPAKKE).remaining, 0, "the first and third took all the credit");
        assertEq(
            hub.claimOf(MUNI_A, PeriodId.wrap(1), BOOKSHOP).accruedOre,
            150_000,
            "the refused one accrued nothing"
        );
        assertFalse(hub.isRedemptionUsed(bookshopTerminal, tooMuch.id), "a refused id stays unused");
    }

    function test_redeemBatch_refusesASecondUseOfTheSameIdInOneBatch() public {
        SignedRedemption memory once = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        SignedRedemption[] memory batch = new SignedRedemption[](2);
        batch[0] = once;
        batch[1] = once;

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionRefused(
            1,
            abi.encodeWithSelector(
                IVoucherHubEvents.RedemptionAlreadyUsed.selector, clubTerminal, once.redemption.id
            )
        );
        vm.prank(relayer);
        assertEq(hub.redeemBatch(batch), 1, "the copy is refused");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 4, "one use taken, not two");
    }

    function test_redeemBatch_refusesAForgedSignatureOnly() public {
        SignedRedemption[] memory batch = new SignedRedemption[](2);
        // Signed by a key that is no terminal.
        (address forger, uint256 forgerKey) = makeAddrAndKey("Forger");
        batch[0] = signed(forgerKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        batch[1] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionRefused(
            0, abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, forger)
        );
        vm.prank(relayer);
        assertEq(hub.redeemBatch(batch), 1, "the forged one is refused");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 4, "the genuine one counted");
    }

    function test_redeemBatch_onlyARelayerMaySubmit() public {
        SignedRedemption[] memory batch = new SignedRedemption[](1);
        batch[0] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));

        // Not even the terminal that signed: a batch is the relayer's tool.
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, clubTerminal, hub.RELAYER_ROLE()
            )
        );
        vm.prank(clubTerminal);
        hub.redeemBatch(batch);
    }

    /// @dev A pause stops its own municipality's redemptions; the batch's others count.
    function test_redeemBatch_refusesOnlyThePausedMunicipalitysRedemptions() public {
        setUpWorldB();
        vm.prank(pauser);
        hub.setPaused(MUNI_A, true);
        SignedRedemption[] memory batch = new SignedRedemption[](2);
        batch[0] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        batch[1] = signed(poolTerminalKey, redemption(CARL, SOMMERPAS, POOL, 10_000));

        vm.expectEmit(address(hub));
        emit IVoucherHubEvents.RedemptionRefused(
            0, abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, MUNI_A)
        );
        vm.prank(relayer);
        assertEq(hub.redeemBatch(batch), 1, "A's redemption refused");
        assertEq(hub.grantOf(ALICE, FRITIDSPAS).remaining, 5, "A's grant untouched");
        assertEq(hub.grantOf(CARL, SOMMERPAS).remaining, 90_000, "B's redemption counted");
        assertEq(hub.claimOf(MUNI_B, PeriodId.wrap(1), POOL).accruedOre, 10_000, "and accrued in B");
    }

    /// @dev With too little gas an inner call fails without a reason; counting that as a
    /// refusal would let a low gas limit refuse valid redemptions.
    function test_redeemBatch_revertsWholeWhenGasRunsOut() public {
        SignedRedemption[] memory batch = new SignedRedemption[](2);
        batch[0] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        batch[1] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));

        vm.prank(relayer);
        (bool ok, bytes memory reason) =
            address(hub).call{gas: 60_000}(abi.encodeCall(IVoucherHub.redeemBatch, (batch)));

        assertFalse(ok, "the batch failed as a whole");
        assertEq(bytes4(reason), IVoucherHubEvents.RedemptionBatchOutOfGas.selector, "named as out of gas");
        Grant memory g = hub.grantOf(ALICE, FRITIDSPAS);
        assertEq(g.remaining, 5, "no use was taken");
    }

    function test_redeemBatch_emitsRedeemedForEachAndRefusedForNone() public {
        SignedRedemption[] memory batch = new SignedRedemption[](2);
        batch[0] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 10_000));
        batch[1] = signed(clubTerminalKey, redemption(ALICE, FRITIDSPAS, CLUB, 11_000));

        vm.recordLogs();
        vm.prank(relayer);
        hub.redeemBatch(batch);

        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 redeemed;
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != IVoucherHubEvents.RedemptionRefused.selector, "no refusal");
            if (logs[i].topics[0] == IVoucherHubEvents.Redeemed.selector) ++redeemed;
        }
        assertEq(redeemed, 2, "one Redeemed event per redemption, as the indexer expects");
    }

    function signed(uint256 terminalKey, Redemption memory r)
        internal
        view
        returns (SignedRedemption memory)
    {
        (bytes32 sigR, bytes32 sigVs) = sign(terminalKey, r);
        return SignedRedemption({redemption: r, sigR: sigR, sigVs: sigVs});
    }
}
