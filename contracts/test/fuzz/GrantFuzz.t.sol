// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {IVoucherHub} from "../../src/interfaces/IVoucherHub.sol";
import {ProgramId} from "../../src/types/Ids.sol";
import {ProgramConfig, ProgramFunds, ProgramKind} from "../../src/types/Records.sol";
import {BaseTest} from "../utils/BaseTest.sol";

/// @notice Fuzzed grants, top-ups and revocations against a program's free budget.
contract GrantFuzzTest is BaseTest {
    ProgramId internal constant PROGRAM = ProgramId.wrap(7);

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 4; ++i) {
            registerAccount(_account(i));
        }
    }

    function testFuzz_grant_neverExceedsFreeBudget(uint128 escrowOre, uint64[4] memory amounts, bool uses)
        public
    {
        escrowOre = uint128(bound(escrowOre, 0, 10_000_000));
        ProgramConfig memory c = uses ? fritidspasConfig() : bornepakkeConfig();
        createProgram(PROGRAM, c);
        // A funding of nothing is refused; the program then has no budget at all.
        if (escrowOre != 0) fund(PROGRAM, escrowOre);
        uint256 committed;
        for (uint256 i; i < amounts.length; ++i) {
            uint64 amount = uses ? uint64(bound(amounts[i], 0, 400)) : uint64(bound(amounts[i], 0, 5_000_000));
            uint256 needed = uses ? uint256(amount) * c.maxPerUseOre : amount;
            uint256 free = escrowOre - committed;
            if (amount == 0) {
                vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.GrantAmountZero.selector));
            } else if (needed > free) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IVoucherHubEvents.ProgramBudgetExceeded.selector, PROGRAM, needed, free
                    )
                );
            } else {
                committed += needed;
            }
            grant(_account(i), PROGRAM, amount);
            ProgramFunds memory funds = hub.programFunds(PROGRAM);
            assertEq(funds.freeOre, escrowOre - committed, "free budget after a grant");
            assertEq(funds.fundedOre, escrowOre, "funding unchanged by grants");
        }
    }

    function testFuzz_topUp_neverExceedsFreeBudget(uint128 escrowOre, uint64 first, uint64 more) public {
        escrowOre = uint128(bound(escrowOre, 1, 10_000_000));
        createProgram(PROGRAM, bornepakkeConfig());
        fund(PROGRAM, escrowOre);
        first = uint64(bound(first, 1, escrowOre));
        more = uint64(bound(more, 1, 20_000_000));
        grant(_alice(), PROGRAM, first);
        uint256 free = escrowOre - first;
        if (more > free) {
            vm.expectRevert(
                abi.encodeWithSelector(IVoucherHubEvents.ProgramBudgetExceeded.selector, PROGRAM, more, free)
            );
        }
        vm.prank(enrolment);
        hub.topUp(_alice(), PROGRAM, more);
        uint256 expected = more > free ? first : uint256(first) + more;
        assertEq(hub.grantOf(_alice(), PROGRAM).remaining, expected, "grant after top-up");
        assertEq(hub.programFunds(PROGRAM).freeOre, escrowOre - expected, "free budget after top-up");
    }

    function testFuzz_revoke_returnsUnspentToFreeBudget(uint64 uses, uint8 spent) public {
        ProgramConfig memory c = fritidspasConfig();
        c.usesPerWindow = 0;
        createProgram(PROGRAM, c);
        registerProvider(CLUB, clubPayout, SPORT);
        addTerminal(CLUB, clubTerminal);
        uses = uint64(bound(uses, 1, 20));
        spent = uint8(bound(spent, 0, uses));
        fund(PROGRAM, uint128(uses) * KR_150);
        grant(_alice(), PROGRAM, uses);
        for (uint256 i; i < spent; ++i) {
            redeemAs(relayer, clubTerminalKey, redemption(_alice(), PROGRAM, CLUB, 1000));
        }
        vm.prank(enrolment);
        hub.revoke(_alice(), PROGRAM);
        uint256 unspent = uint256(uses) * KR_150 - uint256(spent) * 1000;
        assertEq(hub.programFunds(PROGRAM).freeOre, unspent, "unused uses and slack are free budget again");
        assertEq(ekrone.balanceOf(address(hub)), unspent + uint256(spent) * 1000, "escrow + the club's claim");
        assertEq(
            ekrone.totalSupply(), uint256(uses) * KR_150, "the hub holds all eKrone, minted by the funding"
        );
        assertEq(hub.grantOf(_alice(), PROGRAM).remaining, 0, "revoked grant has nothing left");
        assertEq(hub.grantEscrowOf(_alice(), PROGRAM), 0, "revoked grant holds nothing");
    }

    function _account(uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode("grant fuzz account", i));
    }

    function _alice() internal pure returns (bytes32) {
        return _account(0);
    }
}
