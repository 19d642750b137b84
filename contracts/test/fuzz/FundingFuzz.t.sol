// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMunicipalAccess} from "../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHubEvents} from "../../src/interfaces/IVoucherHubEvents.sol";
import {MunicipalityId, ProgramId} from "../../src/types/Ids.sol";
import {Funding, Ledger, OfficerSignature} from "../../src/types/Records.sol";
import {BaseTest, Passkey} from "../utils/BaseTest.sol";

/// @notice Fuzzed signed funding: treasury officers' passkeys, the single-officer limit, and
/// idempotency keys.
contract FundingFuzzTest is BaseTest {
    bytes32 internal constant KEY = keccak256("funding fuzz key");

    function setUp() public override {
        super.setUp();
        createProgram(FRITIDSPAS, fritidspasConfig());
        createProgram(SOMMERPAS, sommerpasConfig());
    }

    /// @dev Up to the limit one officer mints; above it the first signature only proposes, the
    /// proposer again is refused, and a second officer mints. The same key again changes
    /// nothing, by either officer; with another amount or program it is refused. Whatever the
    /// path, the program is funded once, the hub mints exactly that to itself, and the ledger's
    /// minted - burned is the escrow.
    function testFuzz_fundProgramSigned_oneOrTwoOfficers(
        uint128 amountOre,
        uint128 limitOre,
        uint128 otherOre
    ) public {
        uint128 amount = uint128(bound(amountOre, 1, 1e15));
        uint128 limit = uint128(bound(limitOre, 0, 2e15));
        vm.prank(staffA.admin);
        hub.setFundingLimit(MUNI_A, limit);
        Passkey memory first = staffA.treasuryKey1;
        Passkey memory second = staffA.treasuryKey2;

        _fund(first, FRITIDSPAS, amount, KEY);
        bool one = amount <= limit;
        assertEq(
            hub.programFunds(FRITIDSPAS).fundedOre, one ? amount : 0, "one officer mints up to the limit"
        );
        Funding memory f = hub.fundingOf(MUNI_A, KEY);
        assertEq(f.proposer, first.account, "the first signature proposes");
        assertEq(f.executed, one, "executed only up to the limit");
        if (!one) {
            OfficerSignature memory again = _sign(first, FRITIDSPAS, amount, KEY);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IVoucherHubEvents.FundingSelfApproval.selector, MUNI_A, KEY, first.account
                )
            );
            _submit(FRITIDSPAS, amount, KEY, again);
            assertEq(hub.programFunds(FRITIDSPAS).fundedOre, 0, "nothing minted by the proposer alone");
            _fund(second, FRITIDSPAS, amount, KEY);
        }
        // The same funding again, by either officer: nothing happens.
        _fund(first, FRITIDSPAS, amount, KEY);
        _fund(second, FRITIDSPAS, amount, KEY);
        // The key for another amount or another program is refused.
        uint128 other = uint128(bound(otherOre, 1, 1e15));
        if (other == amount) other = amount + 1;
        OfficerSignature memory sig = _sign(first, FRITIDSPAS, other, KEY);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.FundingKeyConflict.selector, MUNI_A, KEY));
        _submit(FRITIDSPAS, other, KEY, sig);
        createProgram(BORNEPAKKE, bornepakkeConfig());
        sig = _sign(second, BORNEPAKKE, amount, KEY);
        vm.expectRevert(abi.encodeWithSelector(IVoucherHubEvents.FundingKeyConflict.selector, MUNI_A, KEY));
        _submit(BORNEPAKKE, amount, KEY, sig);

        assertEq(hub.programFunds(FRITIDSPAS).fundedOre, amount, "funded once");
        assertEq(hub.programFunds(FRITIDSPAS).freeOre, amount, "all of it free budget");
        Ledger memory l = hub.ledgerOf(MUNI_A);
        assertEq(l.mintedOre, amount, "minted once");
        assertEq(
            uint256(l.mintedOre) - l.burnedOre,
            hub.municipalityOf(MUNI_A).escrowOre,
            "minted - burned == escrow"
        );
        assertEq(ekrone.balanceOf(address(hub)), amount, "minted to the hub");
        assertEq(ekrone.totalSupply(), amount, "and nowhere else");
    }

    /// @dev A funding key is the municipality's own: B's treasury may use the same key for its
    /// own program, and B's officer cannot fund A's program with any key.
    function testFuzz_fundProgramSigned_keysAndOfficersStayHome(uint128 amountOre, bytes32 key) public {
        uint128 amount = uint128(bound(amountOre, 1, 1e15));
        _fund(staffA.treasuryKey1, FRITIDSPAS, amount, key);
        _fund(staffB.treasuryKey1, SOMMERPAS, amount, key);
        assertEq(hub.programFunds(SOMMERPAS).fundedOre, amount, "B funded with the same key");
        Passkey memory keyOfB = staffB.treasuryKey1;
        bytes32 otherKey = keccak256(abi.encode(key));
        OfficerSignature memory sig = _sign(keyOfB, FRITIDSPAS, amount, otherKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                IMunicipalAccess.MunicipalUnauthorizedAccount.selector,
                MUNI_A,
                hub.TREASURY_ROLE(),
                keyOfB.account
            )
        );
        _submit(FRITIDSPAS, amount, otherKey, sig);
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, amount, "A minted its own funding only");
        assertEq(hub.ledgerOf(MUNI_B).mintedOre, amount, "B minted its own funding only");
        assertEq(hub.municipalityOf(MUNI_A).escrowOre, amount, "A's escrow");
        assertEq(hub.municipalityOf(MUNI_B).escrowOre, amount, "B's escrow");
    }

    /// @dev `officer` signs the funding on their device and the relayer submits it.
    function _fund(Passkey memory officer, ProgramId program, uint128 amount, bytes32 key) internal {
        _submit(program, amount, key, _sign(officer, program, amount, key));
    }

    /// @dev `officer`'s device signs the funding (a second later each time, so each signature
    /// names a fresh deadline and is a new one).
    function _sign(Passkey memory officer, ProgramId program, uint128 amount, bytes32 key)
        internal
        returns (OfficerSignature memory)
    {
        vm.warp(block.timestamp + 1);
        MunicipalityId m = hub.programMunicipality(program);
        return officerSign(officer, hub.FUND_PROGRAM(), m, program, key, amount);
    }

    function _submit(ProgramId program, uint128 amount, bytes32 key, OfficerSignature memory sig) internal {
        vm.prank(relayer);
        hub.fundProgramSigned(program, amount, key, sig);
    }
}
