// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {console} from "forge-std/console.sol";

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../src/types/Ids.sol";
import {
    Claim,
    Funding,
    Grant,
    Ledger,
    PeriodTotals,
    ProgramFunds,
    ProgramKind,
    Settlement,
    SettlementStatus
} from "../../src/types/Records.sol";
import {BaseTest, Staff} from "../utils/BaseTest.sol";
import {
    Actors,
    FundingModel,
    GrantModel,
    MUNICIPALITIES,
    MunicipalActors,
    ProgramModel,
    ProviderLedger,
    Taken,
    VoucherHandler
} from "./handlers/VoucherHandler.sol";

/// @title Voucher invariants
/// @notice Random sequences of programs, fundings signed by treasury officers' passkeys,
/// grants, redemptions, voids and refunds, periods, settlements, the bank's signed
/// confirmations of payouts and reclaims by the random actors of three municipalities (see
/// {VoucherHandler}); after every call the rules of DESIGN.md "Invariants" must hold per
/// municipality, both against the chain's own books and against what the handler saw happen;
/// no eKrone may move between municipalities, the hub is the only holder of eKrone, and what
/// it minted less what it burned for a municipality is exactly what it holds for it.
/// @dev The handler never reverts on purpose (it predicts and catches every revert), so any
/// revert in it is a bug in the model and fails the run.
/// forge-config: default.invariant.fail-on-revert = true
/// forge-config: ci.invariant.fail-on-revert = true
contract VoucherInvariantsTest is BaseTest {
    uint256 internal constant M = MUNICIPALITIES;
    uint256 internal constant ACCOUNTS = 6;
    uint256 internal constant PROVIDERS = 3;
    MunicipalityId internal constant MUNI_C = MunicipalityId.wrap(157);
    // Seeds of the handler's `reverse` (see there): modes, then amounts.
    uint256 internal constant REFUND = 0;
    uint256 internal constant VOID = 5;
    uint256 internal constant WRONG_PERIOD = 9;
    uint256 internal constant OTHER_PROVIDER = 29 << 8;
    uint256 internal constant EXPIRED = 27 << 16;
    uint256 internal constant NEVER_TAKEN = 28 << 16;
    uint256 internal constant ALTERED = 29 << 16;
    uint256 internal constant SENT_AGAIN = 30 << 16;
    uint256 internal constant ALL_LEFT = 0;
    uint256 internal constant PART = 15;
    uint256 internal constant MORE_THAN_LEFT = 29;
    uint256 internal constant NOTHING = 31;

    VoucherHandler internal handler;
    bytes32[ACCOUNTS] internal accounts;
    MunicipalityId[M] internal ids;

    function setUp() public override {
        super.setUp();
        Staff memory staffC = makeStaff("C.");
        createMunicipalityWith(MUNI_C, staffC);
        // A third finance officer in A, so proposer and approver vary.
        address officerA3 = makeAddr("A.FinanceOfficer3");
        bytes32 financeOfficer = hub.FINANCE_OFFICER_ROLE();
        vm.prank(municipalAdmin);
        hub.grantMunicipalRole(MUNI_A, financeOfficer, officerA3);

        ids = [MUNI_A, MUNI_B, MUNI_C];
        MunicipalActors[M] memory staff;
        staff[0] = _actorsOf(staffA);
        staff[0].officers = new address[](3);
        (staff[0].officers[0], staff[0].officers[1], staff[0].officers[2]) =
        (staffA.officer1, staffA.officer2, officerA3);
        staff[1] = _actorsOf(staffB);
        staff[2] = _actorsOf(staffC);
        handler = new VoucherHandler(
            hub,
            ekrone,
            Actors({
                relayer: relayer,
                stranger: stranger,
                municipalityRegistrar: municipalityRegistrar,
                platformAdmin: admin
            }),
            ids,
            staff
        );
        vm.label(address(handler), "VoucherHandler");
        handler.seedWorld();
        for (uint256 i; i < ACCOUNTS; ++i) {
            accounts[i] = handler.accounts(i);
        }
        assertEq(handler.surprises(), 0, handler.lastSurprise());

        bytes4[] memory selectors = new bytes4[](45);
        selectors[0] = VoucherHandler.createProgram.selector;
        selectors[1] = VoucherHandler.setProgramSuspended.selector;
        selectors[2] = VoucherHandler.fundProgramSigned.selector;
        selectors[3] = VoucherHandler.reclaim.selector;
        selectors[4] = VoucherHandler.registerAccount.selector;
        selectors[5] = VoucherHandler.setAccountStatus.selector;
        selectors[6] = VoucherHandler.grant.selector;
        selectors[7] = VoucherHandler.topUp.selector;
        selectors[8] = VoucherHandler.revoke.selector;
        selectors[9] = VoucherHandler.admitProvider.selector;
        selectors[10] = VoucherHandler.revokeTerminal.selector;
        selectors[11] = VoucherHandler.redeem.selector;
        selectors[12] = VoucherHandler.redeemWithFault.selector;
        selectors[13] = VoucherHandler.warp.selector;
        selectors[14] = VoucherHandler.closePeriod.selector;
        selectors[15] = VoucherHandler.proposeSettlement.selector;
        selectors[16] = VoucherHandler.approveSettlement.selector;
        selectors[17] = VoucherHandler.cancelSettlement.selector;
        selectors[18] = VoucherHandler.payout.selector;
        selectors[19] = VoucherHandler.confirmBankTransfers.selector;
        selectors[20] = VoucherHandler.reclaimRecovered.selector;
        selectors[21] = VoucherHandler.setPaused.selector;
        selectors[22] = VoucherHandler.setProgramPartner.selector;
        // Listed again to weigh them up: redemption and settlement are what the suite is about.
        selectors[23] = VoucherHandler.redeem.selector;
        selectors[24] = VoucherHandler.redeem.selector;
        selectors[25] = VoucherHandler.payout.selector;
        selectors[26] = VoucherHandler.closePeriod.selector;
        selectors[27] = VoucherHandler.redeemAgain.selector;
        selectors[28] = VoucherHandler.redeemAgain.selector;
        selectors[29] = VoucherHandler.releaseSlack.selector;
        selectors[30] = VoucherHandler.proposeSettlement.selector;
        // Corrections: voids and refunds of earlier redemptions, and repayments of what
        // providers owe.
        selectors[31] = VoucherHandler.reverse.selector;
        selectors[32] = VoucherHandler.reverse.selector;
        selectors[33] = VoucherHandler.reverse.selector;
        selectors[34] = VoucherHandler.reverse.selector;
        selectors[35] = VoucherHandler.reverse.selector;
        selectors[36] = VoucherHandler.settleReceivable.selector;
        // A whole settlement step by the finance office, so payouts (and set-offs) happen.
        selectors[37] = VoucherHandler.settleOldestPeriod.selector;
        selectors[38] = VoucherHandler.settleOldestPeriod.selector;
        // Money in and out through officers' passkeys: fundings by one or two treasury
        // officers, the bank's confirmations of payouts, signatures sent again.
        selectors[39] = VoucherHandler.fundProgramSigned.selector;
        selectors[40] = VoucherHandler.fundProgramSigned.selector;
        selectors[41] = VoucherHandler.setFundingLimit.selector;
        selectors[42] = VoucherHandler.confirmBankTransfers.selector;
        selectors[43] = VoucherHandler.confirmBankTransfers.selector;
        selectors[44] = VoucherHandler.resendOfficerAction.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _actorsOf(Staff memory s) private pure returns (MunicipalActors memory a) {
        a.admin = s.admin;
        a.treasury = s.treasury;
        a.programManager = s.programManager;
        a.enrolment = s.enrolment;
        a.registrar = s.registrar;
        a.pauser = s.pauser;
        a.reclaimTo = s.reclaimTo;
        a.officers = new address[](2);
        (a.officers[0], a.officers[1]) = (s.officer1, s.officer2);
    }

    /// @notice Every call did what the rules say: the predicted success, or the predicted
    /// custom error with its exact arguments. Faulty redemptions (wrong provider, reused id,
    /// expired, over cap, over credit), faulty settlement steps and calls by the same role of
    /// another municipality (or by a global role) are among them.
    function invariant_handlerPredictedEveryOutcome() public view {
        assertEq(
            handler.surprises(),
            0,
            string.concat(handler.lastSurprise(), " | data: ", vm.toString(handler.lastSurpriseData()))
        );
    }

    /// @notice DESIGN invariant 5, per municipality and exactly: what the hub holds for a
    /// municipality (`escrowOre`) is its programs' free budgets, plus what its grants hold, plus
    /// its providers' unpaid claims, plus what providers paid back of receivables and the
    /// treasury has not reclaimed, plus what payouts put in transit and the bank has not yet
    /// confirmed, all read from the chain. A refund beyond a provider's claim is advanced from a
    /// budget, so the hub never owes more than it holds, whatever providers owe it.
    function invariant_municipalityEscrowIsBudgetsGrantsClaimsRecoveredAndInTransit() public view {
        uint64 programs = handler.programCount();
        for (uint256 m; m < M; ++m) {
            uint256 held;
            for (uint64 program = 1; program <= programs; ++program) {
                if (!(hub.programMunicipality(ProgramId.wrap(program)) == ids[m])) continue;
                held += hub.programFunds(ProgramId.wrap(program)).freeOre;
                for (uint256 i; i < ACCOUNTS; ++i) {
                    held += hub.grantEscrowOf(accounts[i], ProgramId.wrap(program));
                }
            }
            uint256 recovered = hub.municipalityOf(ids[m]).recoveredOre;
            assertEq(recovered, handler.recoveredOre(m), "recovered differs from the handler's");
            assertEq(
                hub.municipalityOf(ids[m]).escrowOre,
                held + _unpaidClaims(m) + recovered + hub.ledgerOf(ids[m]).inTransitOre,
                "escrow != free budgets + grant escrow + unpaid claims + recovered + in transit"
            );
        }
    }

    /// @notice What a municipality's providers owe it, in total, is the sum of what each owes,
    /// on chain and by the handler's count (refunds its claims did not cover, less set-offs at
    /// payout and repayments through the treasury).
    function invariant_receivableTotalIsTheSumOfProviders() public view {
        for (uint256 m; m < M; ++m) {
            uint256 sum;
            for (uint256 p; p < PROVIDERS; ++p) {
                uint256 owed = hub.receivableOf(ids[m], handler.providerId(p));
                assertEq(owed, handler.receivable(m, p), "a receivable differs from the handler's");
                sum += owed;
            }
            assertEq(_receivables(m), sum, "receivable total != sum of providers' receivables");
            assertEq(sum, handler.receivableTotal(m), "receivable total differs from the handler's");
        }
    }

    /// @notice The hub is the only holder of eKrone, and holds the municipalities' escrow and
    /// exactly that: supply == the hub's balance == Σ escrow. Providers, treasuries and reclaim
    /// destinations hold none: payouts stay in the hub until the bank confirms them, reclaims
    /// and bank confirmations burn.
    function invariant_supplyIsTheHubsBalanceIsTheSumOfEscrow() public view {
        uint256 sum;
        for (uint256 m; m < M; ++m) {
            sum += hub.municipalityOf(ids[m]).escrowOre;
            MunicipalActors memory s = handler.staff(m);
            assertEq(ekrone.balanceOf(s.treasury), 0, "a treasury holds eKrone");
            assertEq(ekrone.balanceOf(s.reclaimTo), 0, "a reclaim destination holds eKrone");
        }
        for (uint256 p; p < PROVIDERS; ++p) {
            assertEq(ekrone.balanceOf(handler.payouts(p)), 0, "a provider holds eKrone");
        }
        assertEq(ekrone.balanceOf(address(hub)), sum, "hub balance != sum of escrow");
        assertEq(ekrone.totalSupply(), sum, "supply != sum of escrow");
    }

    /// @notice Per municipality, the hub's ledger: what it minted for the municipality less
    /// what it burned is exactly what it holds for it, and both equal the handler's count of
    /// the fundings and repayments it saw minted and the reclaims and bank confirmations it saw
    /// burned.
    function invariant_ledgerMintedMinusBurnedIsEscrow() public view {
        for (uint256 m; m < M; ++m) {
            Ledger memory l = hub.ledgerOf(ids[m]);
            assertEq(l.mintedOre, handler.mintedOf(m), "minted differs from the handler's");
            assertEq(l.burnedOre, handler.burnedOf(m), "burned differs from the handler's");
            assertEq(
                uint256(l.mintedOre) - l.burnedOre,
                hub.municipalityOf(ids[m]).escrowOre,
                "minted - burned != escrow"
            );
            assertEq(l.singleOfficerFundingLimitOre, handler.fundingLimit(m), "funding limit differs");
        }
    }

    /// @notice Per municipality, what is in transit to providers' banks is the sum of the
    /// payouts not yet confirmed, claim by claim, on chain and by the handler's count.
    function invariant_inTransitIsTheSumOfUnconfirmedPayouts() public view {
        for (uint256 m; m < M; ++m) {
            uint32 open = handler.openPeriod(m);
            uint256 sum;
            for (uint32 period = 1; period <= open; ++period) {
                for (uint256 p; p < PROVIDERS; ++p) {
                    uint256 onChain = hub.inTransitOf(ids[m], PeriodId.wrap(period), handler.providerId(p));
                    assertEq(
                        onChain, handler.inTransit(m, period, p), "in transit differs from the handler's"
                    );
                    sum += onChain;
                }
            }
            assertEq(hub.ledgerOf(ids[m]).inTransitOre, sum, "in transit != sum of unconfirmed payouts");
            assertEq(sum, handler.inTransitTotal(m), "in transit total differs from the handler's");
        }
    }

    /// @notice Each funding idempotency key mints at most once: the chain's record of each key
    /// the handler used is what the handler saw (program, amount, proposing officer, executed),
    /// its proposer is a treasury officer's passkey of the municipality, and what each program
    /// was funded is the sum of its executed fundings.
    function invariant_eachFundingKeyMintsOnce() public view {
        uint64 programs = handler.programCount();
        uint256[] memory executed = new uint256[](programs + 1);
        bytes32 treasuryRole = hub.TREASURY_ROLE();
        for (uint256 m; m < M; ++m) {
            uint256 used = handler.fundingKeysUsed(m);
            for (uint256 k; k < used; ++k) {
                FundingModel memory fm = handler.fundingModel(m, k);
                Funding memory f = hub.fundingOf(ids[m], handler.fundingKey(m, k));
                assertTrue(fm.exists, "a funding key counted as used was not");
                assertEq(ProgramId.unwrap(f.program), fm.program, "funding's program differs");
                assertEq(f.amountOre, fm.amount, "funding's amount differs");
                assertEq(f.proposer, fm.proposer, "funding's proposer differs");
                assertEq(f.executed, fm.executed, "funding's execution differs");
                assertTrue(
                    hub.hasMunicipalRole(ids[m], treasuryRole, f.proposer), "proposer not its treasury"
                );
                assertTrue(hub.passkeyOf(f.proposer).qx != 0, "proposer is no passkey");
                if (f.executed) executed[fm.program] += f.amountOre;
            }
            // A key the handler never used has no funding.
            assertEq(hub.fundingOf(ids[m], handler.fundingKey(m, used)).amountOre, 0, "an unused key funded");
        }
        for (uint64 program = 1; program <= programs; ++program) {
            uint256 funded = hub.programFunds(ProgramId.wrap(program)).fundedOre;
            assertEq(funded, executed[program], "funded != sum of executed fundings");
            assertEq(funded, handler.programModel(program).funded, "funded differs from the handler's");
        }
    }

    /// @notice No eKrone moves between municipalities: each one's escrow equals the handler's
    /// count, which only that municipality's own funding, bank confirmations, reclaims and
    /// repayments of receivables move. It also equals its programs' escrow (funded - redeemed +
    /// what reversals took off claims - reclaimed) plus its unpaid claims plus what was
    /// recovered plus what is in transit.
    function invariant_noEKroneMovesBetweenMunicipalities() public view {
        uint64 programs = handler.programCount();
        for (uint256 m; m < M; ++m) {
            uint256 escrow = hub.municipalityOf(ids[m]).escrowOre;
            assertEq(escrow, handler.escrowModel(m), "a municipality's escrow moved by another's action");
            uint256 programEscrow;
            for (uint64 program = 1; program <= programs; ++program) {
                ProgramModel memory pm = handler.programModel(program);
                if (pm.muni == m) programEscrow += pm.escrow;
            }
            assertEq(
                escrow,
                programEscrow + _unpaidClaims(m) + handler.recoveredOre(m) + handler.inTransitTotal(m),
                "escrow != programs' escrow + unpaid claims + recovered + in transit"
            );
        }
    }

    /// @notice DESIGN invariant 5, per program: what the hub holds for it (funded - redeemed +
    /// reversed - reclaimed, by the handler's count) equals its free budget plus what each grant holds
    /// (remaining credit, or remaining uses at the cap, plus slack), grant by grant.
    function invariant_programEscrowCoversGrants() public view {
        uint64 programs = handler.programCount();
        for (uint64 program = 1; program <= programs; ++program) {
            ProgramFunds memory funds = hub.programFunds(ProgramId.wrap(program));
            ProgramModel memory m = handler.programModel(program);
            assertEq(funds.freeOre, m.free, "free budget differs from the handler's");
            assertTrue(
                hub.programMunicipality(ProgramId.wrap(program)) == ids[m.muni], "program's municipality"
            );
            uint256 grantsHold;
            for (uint256 i; i < ACCOUNTS; ++i) {
                GrantModel memory gm = handler.grantModel(i, program);
                Grant memory g = hub.grantOf(accounts[i], ProgramId.wrap(program));
                uint256 held = hub.grantEscrowOf(accounts[i], ProgramId.wrap(program));
                uint256 promised = m.kind == ProgramKind.Credit ? gm.remaining : uint256(gm.remaining) * m.cap;
                assertEq(held, promised + gm.slack, "grant escrow differs from the handler's");
                assertEq(g.slackOre, gm.slack, "grant slack differs from the handler's");
                if (m.kind == ProgramKind.Credit) assertEq(g.slackOre, 0, "a credit grant has slack");
                if (gm.exists) assertEq(i % M, m.muni, "a grant to an account of another municipality");
                grantsHold += held;
            }
            assertEq(m.free + grantsHold, m.escrow, "program escrow != free + what its grants hold");
        }
    }

    /// @notice Per (municipality, period), payouts (paid and set off) never exceed accruals and
    /// equal them once Paid; the chain's totals equal what the handler saw redeemed there less
    /// what reversals took from its claims while it was open, and what it saw paid there.
    function invariant_periodPaidNeverExceedsAccrued() public view {
        for (uint256 m; m < M; ++m) {
            uint32 open = handler.openPeriod(m);
            (PeriodId chainOpen,, uint128 openAccrued) = hub.openPeriod(ids[m]);
            assertEq(PeriodId.unwrap(chainOpen), open, "open period differs from the handler's");
            assertEq(openAccrued, handler.openAccrued(m), "open accrual differs from the handler's");
            assertEq(
                openAccrued,
                handler.periodRedeemed(m, open) - handler.periodTakenBack(m, open),
                "open accrual != its redemptions - what reversals took from its claims"
            );
            for (uint32 period = 1; period < open; ++period) {
                PeriodTotals memory totals = hub.periodTotals(ids[m], PeriodId.wrap(period));
                Settlement memory s = hub.settlementOf(ids[m], PeriodId.wrap(period));
                assertLe(totals.paidOre, totals.accruedOre, "period paid more than it accrued");
                assertEq(
                    totals.accruedOre,
                    handler.periodAccrued(m, period),
                    "period accrual differs from the handler's"
                );
                assertEq(
                    totals.accruedOre,
                    handler.periodRedeemed(m, period) - handler.periodTakenBack(m, period),
                    "period accrual != its redemptions - what reversals took from its claims"
                );
                assertEq(
                    totals.paidOre, handler.periodPaid(m, period), "period payouts differ from the handler's"
                );
                assertEq(
                    uint8(s.status), uint8(handler.settlementStatus(m, period)), "settlement status differs"
                );
                if (s.status == SettlementStatus.Paid) {
                    assertEq(totals.paidOre, totals.accruedOre, "a Paid period paid other than it accrued");
                } else {
                    assertTrue(
                        totals.paidOre < totals.accruedOre || totals.accruedOre == 0,
                        "fully paid yet not Paid"
                    );
                }
            }
        }
    }

    /// @notice eKrone supply = minted - burned, on the token's own counters and the handler's;
    /// the hub minted and burned all of it, so the token's counters are the sums of the
    /// municipalities' ledgers.
    function invariant_supplyEqualsMintedMinusBurned() public view {
        uint256 supply = ekrone.totalSupply();
        assertEq(supply, ekrone.totalMinted() - ekrone.totalBurned(), "supply != minted - burned");
        assertEq(ekrone.totalMinted(), handler.minted(), "minted differs from the handler's");
        assertEq(ekrone.totalBurned(), handler.burned(), "burned differs from the handler's");
        uint256 mintedSum;
        uint256 burnedSum;
        for (uint256 m; m < M; ++m) {
            Ledger memory l = hub.ledgerOf(ids[m]);
            mintedSum += l.mintedOre;
            burnedSum += l.burnedOre;
        }
        assertEq(ekrone.totalMinted(), mintedSum, "token minted != sum of the ledgers' minted");
        assertEq(ekrone.totalBurned(), burnedSum, "token burned != sum of the ledgers' burned");
    }

    /// @notice DESIGN invariant 3: no account ever spends more than it was granted (what is
    /// left on chain is granted - spent - revoked, where a reversal that gives credit or a use
    /// back unspends it) nor uses more than its program allows in one usage window: by the
    /// handler's count of the uses that stand per window (a use given back whole no longer
    /// does), and by the chain's grant counter, which counts exactly the uses that stand in its
    /// window.
    function invariant_noAccountExceedsGrantOrWindowLimit() public view {
        uint64 programs = handler.programCount();
        for (uint64 program = 1; program <= programs; ++program) {
            uint16 limit = handler.programModel(program).usesPerWindow;
            for (uint256 i; i < ACCOUNTS; ++i) {
                GrantModel memory gm = handler.grantModel(i, program);
                Grant memory g = hub.grantOf(accounts[i], ProgramId.wrap(program));
                assertLe(gm.spent, gm.granted, "an account spent more than its grant");
                assertEq(
                    gm.spent + gm.revoked + gm.expired + gm.remaining,
                    gm.granted,
                    "grant ledger does not add up"
                );
                bool ended = block.timestamp >= handler.programModel(program).validUntil;
                assertEq(g.remaining, ended ? 0 : gm.remaining, "grant remaining differs from the handler's");
                assertEq(g.exists, gm.exists, "grant existence differs from the handler's");
                if (limit == 0) continue;
                assertLe(gm.maxUsedInWindow, limit, "an account exceeded its window limit");
                assertLe(g.usedInWindow, limit, "chain counts more uses than the window allows");
                assertEq(g.usedInWindow, gm.usedInWindow, "window counter differs from the handler's");
                assertEq(g.windowIndex, gm.windowIndex, "window index differs from the handler's");
                assertEq(
                    gm.usedInWindow,
                    handler.windowUses(i, program, gm.windowIndex),
                    "the window counter differs from the uses that stand in its window"
                );
            }
        }
    }

    /// @notice DESIGN invariant 2: no redemption or reversal id is counted twice (they share
    /// the terminal's id space); every id that took effect is marked used on chain.
    function invariant_idsCountedOnce() public view {
        assertEq(
            handler.redeemedCount() + handler.reversalCount(),
            handler.distinctIdsUsed(),
            "a redemption or reversal id took effect twice"
        );
        uint256 recorded;
        uint256 terminals = handler.terminalCount();
        for (uint256 t; t < terminals; ++t) {
            address terminal = handler.terminals(t);
            uint256[] memory used = handler.usedIds(terminal);
            recorded += used.length;
            for (uint256 k; k < used.length; ++k) {
                assertTrue(hub.isRedemptionUsed(terminal, used[k]), "a redeemed id is not marked used");
            }
        }
        assertEq(
            recorded,
            handler.redeemedCount() + handler.reversalCount(),
            "ids recorded differ from redemptions and reversals counted"
        );
    }

    /// @notice No redemption is ever given back beyond its amount, however many voids and
    /// refunds name it: what the chain records as reversed is what the handler saw take effect,
    /// and all reversals together are the sum of what each redemption had given back.
    function invariant_noRedemptionReversedBeyondItsAmount() public view {
        uint256 n = handler.takenCount();
        uint256 sum;
        for (uint256 k; k < n; ++k) {
            Taken memory t = handler.taken(k);
            uint256 onChain = hub.reversedOf(handler.terminals(t.terminalIdx), t.signed.redemption.id);
            assertLe(onChain, t.signed.redemption.amountOre, "a redemption was reversed beyond its amount");
            assertEq(onChain, t.reversed, "reversed amount differs from the handler's");
            sum += onChain;
        }
        assertEq(sum, handler.reversedTotal(), "reversals taking effect != what redemptions gave back");
    }

    /// @notice Per municipality and provider, over all periods: what it was paid (in transit
    /// on chain plus what the bank confirmed) plus its claims still unpaid equal what it
    /// redeemed less what it gave back, plus what it still owes and what it repaid into the
    /// bank. So a provider is never paid more than its net (redeemed - reversed) beyond what it
    /// owes or has repaid, and exactly its net once its receivable is settled by set-off alone.
    function invariant_providerNeverPaidMoreThanItsNet() public view {
        for (uint256 m; m < M; ++m) {
            (PeriodId open,,) = hub.openPeriod(ids[m]);
            for (uint256 p; p < PROVIDERS; ++p) {
                ProviderId provider = handler.providerId(p);
                ProviderLedger memory l = handler.providerLedger(m, p);
                uint256 unpaid;
                uint256 inTransit;
                for (uint32 period = 1; period <= PeriodId.unwrap(open); ++period) {
                    unpaid += hub.claimOf(ids[m], PeriodId.wrap(period), provider).accruedOre;
                    inTransit += hub.inTransitOf(ids[m], PeriodId.wrap(period), provider);
                }
                assertEq(l.paid, inTransit + l.confirmed, "paid != in transit + confirmed by the bank");
                uint256 owed = hub.receivableOf(ids[m], provider);
                assertLe(l.reversed, l.redeemed, "a provider gave back more than it took");
                uint256 net = l.redeemed - l.reversed;
                assertEq(l.paid + unpaid, net + owed + l.settled, "provider ledger does not add up");
                assertLe(l.paid, net + owed + l.settled, "a provider was paid more than its net");
                if (owed == 0 && l.settled == 0) assertLe(l.paid, net, "paid beyond its net, owing nothing");
            }
        }
    }

    /// @notice DESIGN invariant 6: each (municipality, period, provider) is paid at most once,
    /// and exactly its accrued claim (net of reversals while it was open): put in transit, or
    /// kept against what the provider owed; what is in transit for it plus what the bank
    /// confirmed of it is what was paid, and the bank confirms it at most once.
    function invariant_eachClaimPaidAtMostOnce() public view {
        for (uint256 m; m < M; ++m) {
            uint32 open = handler.openPeriod(m);
            for (uint32 period = 1; period <= open; ++period) {
                for (uint256 p; p < PROVIDERS; ++p) {
                    Claim memory c = hub.claimOf(ids[m], PeriodId.wrap(period), handler.providerId(p));
                    (uint256 accrued, uint256 paidAmount, uint256 setOff, uint256 times) =
                        handler.claimGhost(m, period, p);
                    assertLe(times, 1, "a (municipality, period, provider) was paid twice");
                    assertEq(c.paid, times == 1, "claim paid flag differs from payouts seen");
                    // Paying clears the stored claim; the handler saw the amount paid.
                    assertEq(c.accruedOre, c.paid ? 0 : accrued, "claim differs from the handler's");
                    if (c.paid) assertEq(paidAmount + setOff, accrued, "paid other than the claim");
                    else assertEq(paidAmount + setOff, 0, "paid without being marked paid");
                    uint256 inTransit = hub.inTransitOf(ids[m], PeriodId.wrap(period), handler.providerId(p));
                    uint256 confirmed = handler.confirmed(m, period, p);
                    assertEq(inTransit + confirmed, paidAmount, "in transit + confirmed != paid");
                    assertTrue(inTransit == 0 || confirmed == 0, "confirmed in part");
                }
            }
        }
    }

    /// @notice DESIGN invariants 6 and 7: once a period is settled, what was paid for it (and
    /// set off) equals what was redeemed in it less what reversals took from its claims while it
    /// was open; an approval came from a second officer of the same municipality.
    function invariant_settledPeriodPaysWhatWasRedeemed() public view {
        bytes32 financeOfficer = hub.FINANCE_OFFICER_ROLE();
        for (uint256 m; m < M; ++m) {
            uint32 open = handler.openPeriod(m);
            for (uint32 period = 1; period < open; ++period) {
                Settlement memory s = hub.settlementOf(ids[m], PeriodId.wrap(period));
                if (s.status == SettlementStatus.Approved || s.status == SettlementStatus.Paid) {
                    assertTrue(s.approver != s.proposer, "a settlement was approved by its proposer");
                    assertTrue(s.approver != address(0), "an approved settlement has no approver");
                    assertTrue(
                        hub.hasMunicipalRole(ids[m], financeOfficer, s.approver), "approver not its officer"
                    );
                }
                if (s.status != SettlementStatus.Paid) continue;
                uint256 paid;
                for (uint256 p; p < PROVIDERS; ++p) {
                    (, uint256 paidAmount, uint256 setOff, uint256 times) = handler.claimGhost(m, period, p);
                    if (times != 0) paid += paidAmount + setOff;
                }
                assertEq(
                    paid,
                    handler.periodRedeemed(m, period) - handler.periodTakenBack(m, period),
                    "a settled period paid other than was redeemed net of reversals"
                );
                assertEq(
                    paid,
                    hub.periodTotals(ids[m], PeriodId.wrap(period)).accruedOre,
                    "settled period != accrued"
                );
            }
        }
    }

    /// @notice The handler's model of releaseSlack and of reclaiming live grants agrees with
    /// the chain on their success paths too, which random runs reach less often.
    function test_handlerModelsSlackAndReclaimOfLiveGrants() public {
        handler.redeem(0, 0, 5000, 5); // a Fritidspas use of 50 kr in A: 100 kr slack
        handler.releaseSlack(0, 1);
        handler.reclaim(0, 9); // waits for the end, then lists both Fritidspas grants
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        assertEq(handler.okCalls(keccak256("releaseSlackNonZero")), 1, "slack released");
        assertEq(handler.okCalls(keccak256("reclaimWithGrants")), 1, "live grants reclaimed");
        assertEq(hub.grantEscrowOf(accounts[0], ProgramId.wrap(1)), 0, "the grant holds nothing");
        assertGt(hub.ledgerOf(MUNI_A).burnedOre, 0, "what A reclaimed was burned");
        assertEq(ekrone.balanceOf(staffA.reclaimTo), 0, "nothing went to A's reclaim destination");
        invariant_programEscrowCoversGrants();
        invariant_municipalityEscrowIsBudgetsGrantsClaimsRecoveredAndInTransit();
        invariant_noEKroneMovesBetweenMunicipalities();
        invariant_supplyEqualsMintedMinusBurned();
        invariant_ledgerMintedMinusBurnedIsEscrow();
        invariant_supplyIsTheHubsBalanceIsTheSumOfEscrow();
    }

    /// @notice The partner path on its success side: B's bookshop, admitted in A and B but not
    /// in C, redeems C's Kulturpas because C names B as a partner; the claim accrues in C.
    function test_handlerModelsRedemptionThroughAPartner() public {
        // The grant pairs are, in order: (0, Fritidspas), (3, Fritidspas), (1, Børnepakke),
        // (2, Kulturpas). Provider seed 1 is B's bookshop.
        handler.redeem(3, 1, 5000, 5);
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        assertEq(handler.okCalls(keccak256("redeemAcrossTheBorder")), 1, "redeemed through the partner");
        assertEq(hub.claimOf(MUNI_C, PeriodId.wrap(1), ProviderId.wrap(2)).accruedOre, 5000, "claim in C");
        invariant_noEKroneMovesBetweenMunicipalities();
        invariant_municipalityEscrowIsBudgetsGrantsClaimsRecoveredAndInTransit();
    }

    /// @notice Voids, refunds, set-off and repayment on their success paths, through the
    /// handler, in B's Børnepakke (credit): a void while the period is open shrinks the claim;
    /// a refund after payout makes the club owe; the next payout keeps what it owes; a later
    /// refund makes it owe again, and the provider repays part of it (minted); the treasury
    /// returns what was recovered to the municipality (burned).
    function test_handlerModelsVoidsRefundsAndSetOff() public {
        ProviderId club = handler.providerId(0);
        MunicipalityId b = ids[1];
        // Grant pair 2 is account 1 in B's Børnepakke; provider seed 0 is the club.
        handler.redeem(2, 0, 5000, 5);
        handler.reverse(0, ALL_LEFT, VOID, 5); // all of it, voided in its own period
        assertEq(_ok("reverseVoid"), 1, "voided");
        assertEq(hub.claimOf(b, PeriodId.wrap(1), club).accruedOre, 0, "the club's claim is gone");

        handler.redeem(2, 0, 8000, 5);
        handler.settleOldestPeriod(1, 0); // closes, settles and pays B's period
        handler.reverse(0, PART | (3000 << 8), REFUND, 5); // a refund of 30 kr in period 2
        assertEq(_ok("reverseRefund"), 1, "refunded");
        assertEq(hub.receivableOf(b, club), 3000, "the club owes what its open claim did not cover");

        handler.redeem(2, 0, 5000, 5);
        handler.settleOldestPeriod(1, 0); // closes, settles and pays B's period
        assertEq(_ok("payoutSetOff"), 1, "set off");
        assertEq(hub.receivableOf(b, club), 0, "paid off by the set-off");
        assertEq(
            hub.inTransitOf(b, PeriodId.wrap(1), club) + hub.inTransitOf(b, PeriodId.wrap(2), club),
            8000 + 2000,
            "paid its net for periods 1 and 2, in transit to its bank"
        );
        assertEq(ekrone.balanceOf(handler.payouts(0)), 0, "no eKrone left the hub");

        handler.reverse(3, ALL_LEFT, REFUND, 5); // the 50 kr left of the 80 kr, refunded
        assertEq(hub.receivableOf(b, club), 5000, "owes again");
        for (uint256 k; k < 20 && _ok("settleReceivable") == 0; ++k) {
            handler.settleReceivable(1, 0, 2 | (2000 << 8) | (k << 40));
        }
        assertEq(_ok("settleReceivable"), 1, "repaid in part");
        assertLt(hub.receivableOf(b, club), 5000, "owes less");
        uint256 recovered = hub.municipalityOf(b).recoveredOre;
        assertGt(recovered, 3000, "the set-off and the repayment were recovered");
        uint256 burnedBefore = hub.ledgerOf(b).burnedOre;
        for (uint256 k; k < 20 && _ok("reclaimRecoveredNonZero") == 0; ++k) {
            handler.reclaimRecovered(1 + 3 * k);
        }
        assertEq(hub.municipalityOf(b).recoveredOre, 0, "all of it returned");
        assertEq(hub.ledgerOf(b).burnedOre - burnedBefore, recovered, "and burned");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        _checkCorrections();
    }

    /// @notice A whole void of a Fritidspas use gives the use and its window count back; the
    /// same void sent again, another provider's terminal, an expired reversal, a stranger
    /// submitting, an original never taken or altered, or more than is left are refused; after
    /// the program's end a refund goes to the free budget.
    function test_handlerModelsUseVoidsRefusalsAndRefundAfterTheEnd() public {
        handler.redeem(0, 0, 5000, 5); // account 0 in A's Fritidspas at the club: 100 kr slack
        handler.reverse(0, ALL_LEFT, VOID, 5);
        assertEq(_ok("reverseRestoredUse"), 1, "the use is back");
        assertEq(_ok("reverseUncountedUse"), 1, "and no longer counts in its window");
        assertEq(hub.grantOf(accounts[0], ProgramId.wrap(1)).usedInWindow, 0, "window count back");

        handler.reverse(0, ALL_LEFT, SENT_AGAIN, 5); // the same reversal again
        assertEq(handler.revertedCalls(keccak256("reverseResent")), 1, "refused when sent again");
        handler.redeem(0, 0, 12_000, 5);
        handler.reverse(0, ALL_LEFT, OTHER_PROVIDER | VOID, 5); // another provider's terminal signs
        handler.reverse(0, ALL_LEFT, REFUND, 15); // a stranger submits
        handler.reverse(0, ALL_LEFT, EXPIRED, 5); // expired
        handler.reverse(0, ALL_LEFT, NEVER_TAKEN, 5); // an original never taken
        handler.reverse(0, ALL_LEFT, ALTERED, 5); // an altered original
        handler.reverse(0, MORE_THAN_LEFT, REFUND, 5); // more than the redemption took
        handler.reverse(0, NOTHING, REFUND, 5); // nothing
        handler.reverse(0, ALL_LEFT, WRONG_PERIOD, 5); // a period that is not open
        assertEq(handler.revertedCalls(keccak256("reverse")), 8, "all refused");
        assertEq(_ok("reverse"), 1, "only the first void took effect");

        // The program ends; a refund of part of the 120 kr visit goes to its free budget.
        vm.warp(handler.programModel(1).validUntil);
        uint256 free = hub.programFunds(ProgramId.wrap(1)).freeOre;
        handler.reverse(0, PART | (4000 << 8), REFUND, 5);
        assertEq(_ok("reverseToBudget"), 1, "to the budget");
        assertEq(hub.programFunds(ProgramId.wrap(1)).freeOre, free + 4000, "the budget got it");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        _checkCorrections();
    }

    /// @notice Signed funding on its paths, through the handler, in A: one treasury officer
    /// funds up to the limit; above it the first signature only proposes, the proposer signing
    /// again is refused, a second officer's signature mints; the same key again changes nothing,
    /// with another amount it is refused; a signature sent again is refused as used.
    function test_handlerModelsSignedFunding() public {
        uint256 limitsSet = _ok("setFundingLimit"); // the seed set each municipality's
        for (uint256 k; k < 20 && _ok("setFundingLimit") == limitsSet; ++k) {
            handler.setFundingLimit(3 * k, 1_000_000); // A's admin: 10,000 kr for one officer
        }
        assertEq(hub.ledgerOf(MUNI_A).singleOfficerFundingLimitOre, 1_000_000, "limit set");
        uint256 funded = hub.programFunds(FRITIDSPAS).fundedOre;
        uint256 minted = hub.ledgerOf(MUNI_A).mintedOre;
        uint256 single = _ok("fundingByOneOfficer"); // the seed's fundings

        handler.fundProgramSigned(0, 500_000, 0, 0); // key 1: one officer, below the limit
        assertEq(_ok("fundingByOneOfficer"), single + 1, "one officer funds below the limit");
        handler.fundProgramSigned(0, 2_000_000, 0, 0); // key 2: above the limit, proposed
        assertEq(_ok("fundingProposed"), 1, "proposed above the limit");
        assertEq(hub.programFunds(FRITIDSPAS).fundedOre, funded + 500_000, "a proposal mints nothing");

        uint256 key2 = 4 | (2 << 8);
        handler.fundProgramSigned(0, 0, key2, 3 << 8); // the proposer signs again
        assertEq(handler.revertedCalls(keccak256("fundingSelfApproval")), 1, "the proposer cannot approve");
        handler.fundProgramSigned(0, 0, key2, 0); // a second officer
        assertEq(_ok("fundingBySecondOfficer"), 1, "a second officer mints");
        handler.fundProgramSigned(0, 0, key2, 1); // the same funding again: nothing happens
        assertEq(_ok("fundingRepeated"), 1, "the same key again is a no-op");
        handler.fundProgramSigned(0, 0, key2 | 3, 0); // the key for another amount (A has no other program)
        assertEq(handler.revertedCalls(keccak256("fundingKeyConflict")), 1, "another amount refused");
        handler.resendOfficerAction(0);
        assertEq(handler.revertedCalls(keccak256("resendOfficerAction")), 1, "a used signature refused");

        assertEq(hub.programFunds(FRITIDSPAS).fundedOre, funded + 2_500_000, "minted once per key");
        assertEq(hub.ledgerOf(MUNI_A).mintedOre, minted + 2_500_000, "A's ledger minted it");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        _checkCorrections();
    }

    /// @notice Bank confirmations on their paths, through the handler, in B: a payout goes in
    /// transit; a confirmation with the wrong total or listing the provider twice is refused
    /// whole; the right one burns it; the same signature sent again is refused.
    function test_handlerModelsBankConfirmations() public {
        ProviderId club = handler.providerId(0);
        MunicipalityId b = ids[1];
        handler.redeem(2, 0, 7000, 5); // account 1's Børnepakke at the club
        handler.settleOldestPeriod(1, 0); // closes, settles and pays B's period 1
        assertEq(hub.inTransitOf(b, PeriodId.wrap(1), club), 7000, "in transit");
        assertEq(hub.ledgerOf(b).inTransitOre, 7000, "B's ledger has it in transit");
        uint256 escrow = hub.municipalityOf(b).escrowOre;

        handler.confirmBankTransfers(1, 1, 5 << 24, 0); // a wrong total
        assertEq(handler.revertedCalls(keccak256("bankTransferTotalMismatch")), 1, "wrong total refused");
        handler.confirmBankTransfers(1, 1, 4 << 8, 0); // the club twice
        assertEq(handler.revertedCalls(keccak256("confirmBankTransfers")), 2, "both refused");
        assertEq(hub.inTransitOf(b, PeriodId.wrap(1), club), 7000, "still in transit");

        handler.confirmBankTransfers(1, 1, 0, 0);
        assertEq(_ok("bankTransfersBurned"), 1, "confirmed");
        assertEq(hub.inTransitOf(b, PeriodId.wrap(1), club), 0, "no longer in transit");
        assertEq(hub.ledgerOf(b).inTransitOre, 0, "nothing in transit in B");
        assertEq(hub.municipalityOf(b).escrowOre, escrow - 7000, "burned from B's escrow");
        handler.resendOfficerAction(1);
        assertEq(handler.revertedCalls(keccak256("resendOfficerAction")), 1, "a used signature refused");
        assertEq(handler.providerLedger(1, 0).confirmed, 7000, "the club's payout confirmed");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        _checkCorrections();
    }

    function afterInvariant() external view {
        console.log(handler.callSummary());
        console.log("redemptions", handler.redeemedCount());
        console.log("reversals", handler.reversalCount());
    }

    function _unpaidClaims(uint256 m) private view returns (uint256 unpaid) {
        (PeriodId open,, uint128 openAccrued) = hub.openPeriod(ids[m]);
        for (uint32 period = 1; period < PeriodId.unwrap(open); ++period) {
            PeriodTotals memory totals = hub.periodTotals(ids[m], PeriodId.wrap(period));
            unpaid += totals.accruedOre - totals.paidOre;
        }
        unpaid += openAccrued;
    }

    function _ok(string memory action) private view returns (uint256) {
        return handler.okCalls(keccak256(bytes(action)));
    }

    function _checkCorrections() private view {
        invariant_handlerPredictedEveryOutcome();
        invariant_municipalityEscrowIsBudgetsGrantsClaimsRecoveredAndInTransit();
        invariant_receivableTotalIsTheSumOfProviders();
        invariant_noEKroneMovesBetweenMunicipalities();
        invariant_programEscrowCoversGrants();
        invariant_periodPaidNeverExceedsAccrued();
        invariant_supplyEqualsMintedMinusBurned();
        invariant_noAccountExceedsGrantOrWindowLimit();
        invariant_idsCountedOnce();
        invariant_noRedemptionReversedBeyondItsAmount();
        invariant_providerNeverPaidMoreThanItsNet();
        invariant_eachClaimPaidAtMostOnce();
        invariant_settledPeriodPaysWhatWasRedeemed();
        invariant_supplyIsTheHubsBalanceIsTheSumOfEscrow();
        invariant_ledgerMintedMinusBurnedIsEscrow();
        invariant_inTransitIsTheSumOfUnconfirmedPayouts();
        invariant_eachFundingKeyMintsOnce();
    }

    function _receivables(uint256 m) private view returns (uint256) {
        return hub.municipalityOf(ids[m]).receivableOre;
    }
}
