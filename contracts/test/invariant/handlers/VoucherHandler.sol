// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {PasskeySigning} from "../../utils/PasskeySigning.sol";

import {IVoucherHubOfficers} from "../../../src/interfaces/IVoucherHubOfficers.sol";
import {IVoucherHubPeriods} from "../../../src/interfaces/IVoucherHubPeriods.sol";
import {IVoucherHubEvents} from "../../../src/interfaces/IVoucherHubEvents.sol";

import {EKrone} from "../../../src/EKrone.sol";
import {IMunicipalAccess} from "../../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHub} from "../../../src/interfaces/IVoucherHub.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../../src/types/Ids.sol";
import {
    AccountStatus,
    Funding,
    Ledger,
    OfficerSignature,
    ProgramConfig,
    ProgramKind,
    Redemption,
    Reversal,
    SettlementStatus,
    SignedRedemption
} from "../../../src/types/Records.sol";

/// @dev How many municipalities the handler runs: A, B and C, each with its own staff.
uint256 constant MUNICIPALITIES = 3;

/// @dev The platform's people; none holds a role inside any municipality.
struct Actors {
    address relayer;
    address stranger;
    address municipalityRegistrar;
    address platformAdmin;
}

/// @dev One municipality's people; each holds the role its name says, there only.
struct MunicipalActors {
    address admin;
    address treasury;
    address programManager;
    address enrolment;
    address registrar;
    address pauser;
    address reclaimTo;
    address[] officers;
}

/// @dev What the handler believes about a program.
struct ProgramModel {
    /// @dev Index of the program's municipality (0..MUNICIPALITIES-1).
    uint8 muni;
    ProgramKind kind;
    uint64 cap;
    uint16 usesPerWindow;
    uint32 windowSeconds;
    uint32 categories;
    bool restricted;
    bool suspended;
    bool reclaimed;
    uint40 validFrom;
    uint40 validUntil;
    /// @dev All the hub holds for the program: funded - redeemed + reversed - reclaimed.
    uint256 escrow;
    /// @dev The part of it no grant holds.
    uint256 free;
    /// @dev Σ fundings executed (minted) for the program.
    uint256 funded;
}

/// @dev An officer's passkey as the handler holds it: the P-256 private key and the account
/// it acts as on the hub.
struct OfficerKey {
    uint256 privateKey;
    address account;
}

/// @dev A funding idempotency key of one municipality, as the handler saw it used.
struct FundingModel {
    bool exists;
    uint64 program;
    uint128 amount;
    address proposer;
    bool executed;
}

/// @dev One bank confirmation, as built and signed before it is sent.
struct Confirmation {
    uint256 m;
    uint32 period;
    /// @dev Provider indices, as listed.
    uint256[] chunk;
    ProviderId[] ids;
    /// @dev What is in transit for the listed providers (up to the first refused one).
    uint256 total;
    /// @dev The total the officer signed.
    uint256 signedTotal;
    OfficerSignature sig;
    bytes32 digest;
}

/// @dev One signed funding, as built before it is sent.
struct FundingAttempt {
    uint256 m;
    uint256 keyIndex;
    uint64 program;
    uint128 amount;
    OfficerKey key;
    OfficerSignature sig;
    bytes32 digest;
}

/// @dev The last officer-signed call that took effect, to send again byte for byte.
struct SignedCall {
    bytes data;
    bytes32 digest;
    address signer;
    uint40 deadline;
}

/// @dev What the handler believes about one account's grant in one program. Amounts are øre
/// (Credit) or uses (Uses), like the contract's `Grant.remaining`.
struct GrantModel {
    bool exists;
    uint64 remaining;
    uint256 granted;
    /// @dev Spent and not given back: a reversal that restores credit (or a use) to the grant
    /// takes it off again; one that goes to the program's free budget does not.
    uint256 spent;
    uint256 revoked;
    /// @dev What reclaim voided after the program's end.
    uint256 expired;
    /// @dev Øre of uses that cost less than the cap, still held by the grant.
    uint256 slack;
    uint32 windowIndex;
    uint16 usedInWindow;
    uint16 maxUsedInWindow;
}

struct GrantPair {
    uint8 account;
    uint64 program;
}

/// @dev One redemption attempt, as built before it is sent.
struct Attempt {
    uint256 pair;
    uint8 account;
    uint64 program;
    uint8 muni;
    uint8 terminalIdx;
    uint256 key;
    address terminal;
    address submitter;
    Redemption r;
}

/// @dev A redemption the hub took, as its terminal signed it, and what was given back of it.
struct Taken {
    SignedRedemption signed;
    uint8 terminalIdx;
    uint8 account;
    uint8 muni;
    /// @dev The period it accrued to.
    uint32 period;
    /// @dev The usage window it was counted in (windowed programs).
    uint32 window;
    /// @dev Øre given back so far, by voids and refunds.
    uint64 reversed;
}

/// @dev One void or refund attempt, as built and signed before it is sent.
struct ReversalAttempt {
    /// @dev Index in the handler's list of redemptions taken.
    uint256 taken;
    SignedRedemption original;
    /// @dev Whom the original's signature recovers to (its terminal, unless altered).
    address originalTerminal;
    Reversal v;
    uint8 signerIdx;
    address signer;
    address submitter;
    bytes32 sigR;
    bytes32 sigVs;
}

/// @dev One provider's money with one municipality, as the handler saw it move. Over all
/// periods: paid + unpaid claims == redeemed - reversed + receivable + settled, and paid ==
/// in transit + confirmed by the bank.
struct ProviderLedger {
    uint256 redeemed;
    uint256 reversed;
    /// @dev Paid by payouts: put in transit to its bank account.
    uint256 paid;
    /// @dev Of that, what the bank confirmed (burned).
    uint256 confirmed;
    /// @dev Kept from payouts to pay off the receivable.
    uint256 setOff;
    /// @dev Brought in by the treasury (settleReceivable).
    uint256 settled;
}

/// @title Voucher handler
/// @notice Drives random sequences through the voucher hub as the real actors of three
/// municipalities would, over bounded inputs. Every call's outcome is first predicted from the
/// handler's own model of the rules (ghost state); the call is then made, and any difference
/// between prediction and outcome (an unexpected success, an unexpected revert or the wrong
/// custom error) is counted as a surprise, which an invariant reports. Reverting calls change
/// no ghost state. Now and then a municipal call is made by the same role of another
/// municipality, or by a global actor, and must be refused with the municipal-role error.
/// Redemptions the hub took are kept, with their signatures, so that voids and refunds of
/// them (whole, in part, beyond what is left, in the wrong period, by the wrong terminal, sent
/// twice) are part of the walk, and with them receivables, their set-off at payout and their
/// repayment to the bank. Money follows the hub's ledger: programs are funded with eKrone the
/// hub mints on treasury officers' passkey signatures (one officer up to the municipality's
/// limit, two above it, once per idempotency key); repayments are minted; reclaims burn;
/// payouts put each provider's amount in transit, and finance officers' signed bank
/// confirmations burn it. Officer signatures are made with forge's P-256 cheatcodes as a
/// device would (WebAuthn assertions); now and then one is expired, made by another key, by an
/// unregistered key, by a key without the role or of another municipality, or sent again.
/// @dev Accounts and providers belong to municipality `index % MUNICIPALITIES`.
contract VoucherHandler is PasskeySigning {
    uint256 internal constant M = MUNICIPALITIES;
    uint256 internal constant ACCOUNTS = 6;
    uint256 internal constant PROVIDERS = 3;
    uint256 internal constant TERMINALS_PER_PROVIDER = 2;
    uint64 internal constant MAX_PROGRAMS = 9;
    /// @dev Treasury officers' passkeys per municipality (so that two-officer fundings vary).
    uint256 internal constant TREASURY_KEYS = 3;
    /// @dev Finance officers' passkeys per municipality.
    uint256 internal constant FINANCE_KEYS = 2;
    /// @dev Funding idempotency keys per municipality: few, so that keys are used again.
    uint256 internal constant FUNDING_KEYS = 24;
    uint256 internal constant MAX_FUNDING_ORE = 5_000_000;

    IVoucherHub public immutable hub;
    EKrone public immutable ekrone;

    address internal immutable relayer;
    address internal immutable stranger;
    address internal immutable municipalityRegistrar;
    address internal immutable platformAdmin;

    bytes32 internal immutable treasuryRole;
    bytes32 internal immutable programManagerRole;
    bytes32 internal immutable enrolmentRole;
    bytes32 internal immutable registrarRole;
    bytes32 internal immutable financeOfficerRole;
    bytes32 internal immutable pauserRole;
    bytes32 internal immutable adminRole;
    bytes32 internal immutable fundAction;
    bytes32 internal immutable reclaimAction;
    bytes32 internal immutable confirmAction;

    MunicipalityId[M] public municipalityIds;
    MunicipalActors[M] internal _staff;

    // ------------------------------------------------------------------ officers' passkeys
    OfficerKey[TREASURY_KEYS][M] internal _treasuryKeys;
    OfficerKey[FINANCE_KEYS][M] internal _financeKeys;
    /// @dev Registered on the hub, but no municipality gave it a role.
    OfficerKey internal _rolelessKey;
    /// @dev Never registered on the hub.
    OfficerKey internal _unknownKey;
    /// @dev Officer-action digests used by calls that took effect: each signature works once.
    mapping(bytes32 digest => bool) public digestUsed;
    /// @dev Makes each signature's deadline, and so its digest, distinct.
    uint40 internal _signatureNonce;
    SignedCall internal _lastSigned;
    bool internal _hasLastSigned;

    // ------------------------------------------------------------------ world
    bytes32[ACCOUNTS] public accounts;
    AccountStatus[ACCOUNTS] public accountStatus;
    address[PROVIDERS] public payouts;
    uint32[PROVIDERS] public providerCategories;
    /// @dev admitted[m][p]: municipality m admits provider p, active, for admittedCategories[m][p].
    bool[PROVIDERS][M] public admitted;
    uint32[PROVIDERS][M] public admittedCategories;
    address[] public terminals;
    uint256[] internal terminalKeys;
    mapping(address terminal => bool) public terminalActive;
    bool[M] public paused;

    // ------------------------------------------------------------------ programs and grants
    uint64 public programCount;
    mapping(uint64 program => ProgramModel) internal _programs;
    mapping(uint64 program => mapping(uint256 providerIdx => bool)) public programAllows;
    mapping(uint64 program => mapping(uint256 muni => bool)) public programPartner;
    mapping(uint256 account => mapping(uint64 program => GrantModel)) internal _grants;
    /// @dev Uses that stand per (account, program, usage window), as the handler saw them: the
    /// redemptions made in the window, less those given back whole with the use restored.
    mapping(uint256 account => mapping(uint64 program => mapping(uint32 window => uint16))) public windowUses;
    GrantPair[] internal _grantPairs;
    uint256 internal _lastPair;
    /// @dev While seeding, every call is made by its rightful holder.
    bool internal _seeding;

    // ------------------------------------------------------------------ periods and settlement, per municipality
    uint32[M] public openPeriod;
    uint256[M] public openAccrued;
    mapping(uint256 muni => mapping(uint32 period => uint256)) public periodAccrued;
    /// @dev Σ amounts of successful redemptions that landed in the period.
    mapping(uint256 muni => mapping(uint32 period => uint256)) public periodRedeemed;
    /// @dev Σ parts of reversals that landed in the period and were taken from its claims.
    mapping(uint256 muni => mapping(uint32 period => uint256)) public periodTakenBack;
    mapping(uint256 muni => mapping(uint32 period => uint256)) public periodPaid;
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        claimAccrued;
    /// @dev What a payout paid for the claim (put in transit to the provider's bank).
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        claimPaidAmount;
    /// @dev What a payout kept of the claim to pay off the provider's receivable.
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        claimSetOff;
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        timesPaid;
    mapping(uint256 muni => mapping(uint32 period => SettlementStatus)) public settlementStatus;
    mapping(uint256 muni => mapping(uint32 period => address)) public proposerOf;

    // ------------------------------------------------------------------ redemption and reversal ids
    /// @dev Ids a terminal used: for redemptions and for reversals alike (one id space).
    mapping(address terminal => mapping(uint256 id => bool)) public idUsed;
    mapping(address terminal => uint256[]) internal _usedIds;
    mapping(address terminal => uint256) internal _nextId;
    uint256 public redeemedCount;
    uint256 public reversalCount;
    uint256 public distinctIdsUsed;

    // ------------------------------------------------------------------ corrections
    Taken[] internal _taken;
    /// @dev The last reversal that took effect, to send again.
    ReversalAttempt internal _lastReversal;
    bool internal _hasLastReversal;
    /// @dev Σ amounts of all reversals that took effect.
    uint256 public reversedTotal;
    mapping(uint256 muni => mapping(uint256 providerIdx => uint256)) public receivable;
    uint256[M] public receivableTotal;
    /// @dev What providers paid back of receivables (set off at payout or repaid into the bank),
    /// not yet reclaimed.
    uint256[M] public recoveredOre;
    mapping(uint256 muni => mapping(uint256 providerIdx => ProviderLedger)) internal _ledgers;

    // ------------------------------------------------------------------ money
    /// @dev eKrone the hub minted (fundings, repayments) and burned (reclaims, bank
    /// confirmations), in all and per municipality: the chain's token counters and ledgers
    /// must equal them.
    uint256 public minted;
    uint256 public burned;
    uint256[M] public mintedOf;
    uint256[M] public burnedOf;
    /// @dev What the hub holds for each municipality, moved only by that municipality's own
    /// funding, payouts, reclaims and repayments; the chain's `escrowOre` must always equal it.
    uint256[M] public escrowModel;
    /// @dev What each funding idempotency key did, per municipality.
    mapping(uint256 muni => mapping(uint256 keyIndex => FundingModel)) internal _fundings;
    uint256[M] public fundingKeysUsed;
    uint128[M] public fundingLimit;
    /// @dev Paid on chain and waiting for the bank's confirmation, per claim and in total.
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        inTransit;
    uint256[M] public inTransitTotal;
    /// @dev What the bank confirmed of each claim's payout (its eKrone burned).
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        confirmed;

    // ------------------------------------------------------------------ surprises and call summary
    uint256 public surprises;
    string public lastSurprise;
    bytes public lastSurpriseData;
    mapping(bytes32 action => uint256) public okCalls;
    mapping(bytes32 action => uint256) public revertedCalls;

    constructor(
        IVoucherHub hub_,
        EKrone ekrone_,
        Actors memory a,
        MunicipalityId[M] memory ids,
        MunicipalActors[M] memory staff_
    ) {
        hub = hub_;
        ekrone = ekrone_;
        relayer = a.relayer;
        stranger = a.stranger;
        municipalityRegistrar = a.municipalityRegistrar;
        platformAdmin = a.platformAdmin;
        treasuryRole = hub_.TREASURY_ROLE();
        programManagerRole = hub_.PROGRAM_MANAGER_ROLE();
        enrolmentRole = hub_.ENROLMENT_ROLE();
        registrarRole = hub_.PROVIDER_REGISTRAR_ROLE();
        financeOfficerRole = hub_.FINANCE_OFFICER_ROLE();
        pauserRole = hub_.PAUSER_ROLE();
        adminRole = hub_.MUNICIPAL_ADMIN_ROLE();
        fundAction = hub_.FUND_PROGRAM();
        reclaimAction = hub_.RECLAIM_PROGRAM();
        confirmAction = hub_.CONFIRM_BANK_TRANSFERS();
        for (uint256 m; m < M; ++m) {
            municipalityIds[m] = ids[m];
            _staff[m] = staff_[m];
            openPeriod[m] = 1;
            string memory code = vm.toString(MunicipalityId.unwrap(ids[m]));
            for (uint256 k; k < TREASURY_KEYS; ++k) {
                _treasuryKeys[m][k] =
                    _officerKey(string.concat(code, ".HandlerTreasuryPasskey", vm.toString(k)));
            }
            for (uint256 k; k < FINANCE_KEYS; ++k) {
                _financeKeys[m][k] =
                    _officerKey(string.concat(code, ".HandlerFinancePasskey", vm.toString(k)));
            }
        }
        _rolelessKey = _officerKey("HandlerRolelessPasskey");
        _unknownKey = _officerKey("HandlerUnregisteredPasskey");
        for (uint256 i; i < ACCOUNTS; ++i) {
            accounts[i] = keccak256(abi.encode("invariant account", i));
        }
        providerCategories = [uint32(1), uint32(8), uint32(2 | 4)];
        for (uint256 p; p < PROVIDERS; ++p) {
            payouts[p] = makeAddr(string.concat("Payout", vm.toString(p + 1)));
            for (uint256 t; t < TERMINALS_PER_PROVIDER; ++t) {
                (address terminal, uint256 key) =
                    makeAddrAndKey(string.concat("Terminal", vm.toString(p + 1), "-", vm.toString(t)));
                terminals.push(terminal);
                terminalKeys.push(key);
            }
        }
    }

    /// @dev Registers each provider at its home with its terminals, admits the club (A) in B
    /// and B's bookshop in A, enrols four accounts, and creates, funds and grants a program in
    /// each municipality (C's names B as a partner), so that random sequences reach redemption
    /// and settlement quickly. Not a fuzz target.
    function seedWorld() external {
        // Officers' passkeys: published, and given their roles by each municipality's admin;
        // one published key holds no role anywhere; one is never published.
        for (uint256 m; m < M; ++m) {
            for (uint256 k; k < TREASURY_KEYS; ++k) {
                _publish(_treasuryKeys[m][k]);
                vm.prank(_staff[m].admin);
                hub.grantMunicipalRole(municipalityIds[m], treasuryRole, _treasuryKeys[m][k].account);
            }
            for (uint256 k; k < FINANCE_KEYS; ++k) {
                _publish(_financeKeys[m][k]);
                vm.prank(_staff[m].admin);
                hub.grantMunicipalRole(municipalityIds[m], financeOfficerRole, _financeKeys[m][k].account);
            }
        }
        _publish(_rolelessKey);
        for (uint256 p; p < PROVIDERS; ++p) {
            uint256 home = p % M;
            vm.prank(_staff[home].registrar);
            hub.registerProvider(municipalityIds[home], _providerId(p), payouts[p], providerCategories[p]);
            admitted[home][p] = true;
            admittedCategories[home][p] = providerCategories[p];
            for (uint256 t; t < TERMINALS_PER_PROVIDER; ++t) {
                address terminal = terminals[p * TERMINALS_PER_PROVIDER + t];
                vm.prank(_staff[home].registrar);
                hub.addTerminal(_providerId(p), terminal);
                terminalActive[terminal] = true;
            }
        }
        _seeding = true;
        admitProvider(1, 0, true, 1 | 2); // the club in B, for sport and culture
        admitProvider(0, 1, true, 8); // B's bookshop in A, for books
        for (uint256 i; i < 4; ++i) {
            registerAccount(i);
        }
        uint40 start = uint40(block.timestamp - 1 days);
        // A's "Fritidspas": 2 uses per 7 days, up to 150 kr, sport and culture, 90 days.
        _create(_config(0, ProgramKind.Uses, 15_000, 2, 7 days, 1 | 2, start, start + 90 days));
        // B's "Børnepakke": credit for books, clothes and sport, up to 500 kr a time, 25 days.
        _create(_config(1, ProgramKind.Credit, 50_000, 0, 0, 1 | 4 | 8, start, start + 25 days));
        // C's "Kulturpas": credit for culture and books, up to 300 kr a time, 60 days, with B as
        // a partner, so B's bookshop (admitted only in A and B) takes it.
        _create(_config(2, ProgramKind.Credit, 30_000, 0, 0, 2 | 8, start, start + 60 days));
        setProgramPartner(2, 1, true);
        // One treasury officer may fund up to 30,000 kr; the seed fundings are below that.
        for (uint256 m; m < M; ++m) {
            setFundingLimit(m, 3_000_000);
        }
        fundProgramSigned(0, 2_000_000, 0, 0);
        fundProgramSigned(1, 2_000_000, 0, 0);
        fundProgramSigned(2, 2_000_000, 0, 0);
        grant(0, 0, 6); // account 0 (A): 6 Fritidspas uses
        grant(3, 0, 3); // account 3 (A): 3 uses
        grant(1, 1, 200_000); // account 1 (B): 2,000 kr of Børnepakke
        grant(2, 2, 60_000); // account 2 (C): 600 kr of Kulturpas
        _seeding = false;
    }

    // =================================================================== programs

    function createProgram(uint256 seed, uint64 cap, uint16 uses, uint32 window, uint32 duration) external {
        if (programCount == MAX_PROGRAMS) return;
        ProgramConfig memory c;
        // forge-lint: disable-next-line(unsafe-typecast)
        uint8 muni = uint8(seed % M);
        c.municipality = municipalityIds[muni];
        c.kind = (seed >> 2) % 2 == 0 ? ProgramKind.Uses : ProgramKind.Credit;
        c.maxPerUseOre = uint64(_bound(cap, 100, 30_000));
        c.usesPerWindow = uint16(_bound(uses, 0, 3));
        c.windowSeconds = uint32(_bound(window, 1 hours, 20 days));
        c.categories = uint32(_bound(seed >> 8, 1, 15));
        c.restrictedToProviders = (seed >> 16) % 4 == 0;
        c.validFrom = uint40(block.timestamp - _bound(seed >> 24, 0, 10 days));
        if ((seed >> 40) % 3 == 0) c.validFrom = uint40(block.timestamp + _bound(seed >> 48, 1, 5 days));
        c.validUntil = c.validFrom + uint40(_bound(duration, 2 days, 90 days));
        (address actor, bytes memory authError) = _actor(muni, programManagerRole, seed);
        if (authError.length != 0 || (seed >> 64) % 16 == 0) {
            // Another municipality's manager is refused; an end at or before the start is
            // rejected. Neither creates anything.
            if (authError.length == 0) c.validUntil = c.validFrom;
            bytes memory expected = authError.length != 0
                ? authError
                : abi.encodeWithSelector(IVoucherHubEvents.ProgramConfigInvalid.selector, programCount + 1);
            _call(
                actor,
                abi.encodeCall(IVoucherHub.createProgram, (ProgramId.wrap(programCount + 1), c)),
                expected,
                "createProgram"
            );
            return;
        }
        uint64 program = _create(c);
        if (c.restrictedToProviders) {
            for (uint256 p; p < PROVIDERS; ++p) {
                if ((seed >> (72 + p)) & 1 == 0) continue;
                vm.prank(_staff[muni].programManager);
                hub.setProgramProvider(ProgramId.wrap(program), _providerId(p), true);
                programAllows[program][p] = true;
            }
        }
    }

    function setProgramSuspended(uint256 programSeed, bool suspended) external {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        // Mostly resume: a suspension should be an interlude, not the rest of the run.
        if (programSeed % 4 != 0) suspended = false;
        (address actor, bytes memory authError) =
            _actor(_programs[program].muni, programManagerRole, programSeed);
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.setProgramSuspended, (ProgramId.wrap(program), suspended)),
            authError,
            "setProgramSuspended"
        );
        if (ok) _programs[program].suspended = suspended;
    }

    /// @dev Names another municipality as a partner of a program, or drops it; naming the
    /// program's own municipality is refused.
    function setProgramPartner(uint256 programSeed, uint256 partnerSeed, bool accepted) public {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        uint256 partner = partnerSeed % M;
        ProgramModel storage pm = _programs[program];
        (address actor, bytes memory expected) = _actor(pm.muni, programManagerRole, partnerSeed);
        if (expected.length == 0 && partner == pm.muni) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.ProgramPartnerInvalid.selector, program, municipalityIds[partner]
            );
        }
        bool ok = _call(
            actor,
            abi.encodeCall(
                IVoucherHub.setProgramPartner, (ProgramId.wrap(program), municipalityIds[partner], accepted)
            ),
            expected,
            "setProgramPartner"
        );
        if (ok) programPartner[program][partner] = accepted;
    }

    /// @dev A treasury officer signs a funding on their device and the relayer submits it; the
    /// hub mints. Mostly a new idempotency key; otherwise a key already used: the same funding
    /// again (a second officer completes one above the limit, its proposer again is refused, one
    /// already minted changes nothing), or the key for another amount or program (refused). Now
    /// and then nothing to fund, or the signature is at fault (see {_sign}).
    /// @param keySeed Mod 8: 0-2 a new key (while any are left), 3-6 a used key with its own
    /// funding (3-4 one waiting for its second officer in any municipality, when there is one),
    /// 7 a used key with another amount or program. Bits 8+ pick the used key, bit 16
    /// another program over another amount, bits 40+ (mod 16 = 15) an amount of zero.
    /// @param signerSeed Picks the officer (bits 0+), whether a pending funding's proposer
    /// signs again (bits 8+ mod 4 = 3), and a fault (bits 16+, see {_sign}).
    function fundProgramSigned(uint256 programSeed, uint128 amountOre, uint256 keySeed, uint256 signerSeed)
        public
    {
        if (programCount == 0) return;
        FundingAttempt memory a;
        a.program = _pickRunningProgram(programSeed);
        a.m = _programs[a.program].muni;
        a.keyIndex = fundingKeysUsed[a.m];
        a.amount = uint128(_bound(amountOre, 1, MAX_FUNDING_ORE));
        a.key = _treasuryKeys[a.m][signerSeed % TREASURY_KEYS];
        uint256 mode = keySeed % 8;
        // Mostly complete a funding that waits for its second officer, wherever one does.
        if (mode == 3 || mode == 4) _pickPendingMunicipality(a, programSeed, signerSeed);
        if ((mode >= 3 || a.keyIndex == FUNDING_KEYS) && a.keyIndex != 0) {
            _reuseFundingKey(a, mode, keySeed, signerSeed);
        }
        if (!_seeding && (keySeed >> 40) % 16 == 15) a.amount = 0;
        bytes memory expected;
        (a.sig, a.digest, expected) = _sign(
            a.m,
            treasuryRole,
            a.key,
            fundAction,
            a.program,
            _fundingKey(a.m, a.keyIndex),
            a.amount,
            signerSeed >> 16
        );
        string memory outcome;
        if (expected.length == 0) (expected, outcome) = _predictFunding(a);
        uint256 before = surprises;
        bool ok = _callSigned(
            relayer,
            abi.encodeCall(
                IVoucherHubOfficers.fundProgramSigned,
                (ProgramId.wrap(a.program), a.amount, _fundingKey(a.m, a.keyIndex), a.sig)
            ),
            expected,
            "fundProgramSigned",
            a.digest,
            a.sig
        );
        if (bytes(outcome).length != 0 && surprises == before) {
            if (ok) okCalls[keccak256(bytes(outcome))]++;
            else revertedCalls[keccak256(bytes(outcome))]++;
        }
        if (ok) _applyFunding(a);
    }

    /// @dev A used key, with its own funding, or (mode 7) another amount or program: mostly
    /// (modes 3-5) one waiting for its second officer, else (mode 7) one of a program still
    /// running, when there is one. For a funding still waiting for its second officer: mostly
    /// another officer signs, now and then the proposer again.
    function _reuseFundingKey(FundingAttempt memory a, uint256 mode, uint256 keySeed, uint256 signerSeed)
        internal
        view
    {
        uint256 n = a.keyIndex;
        a.keyIndex = (keySeed >> 8) % n;
        for (uint256 j; j < n && mode != 6; ++j) {
            uint256 candidate = (a.keyIndex + j) % n;
            FundingModel storage f = _fundings[a.m][candidate];
            if (block.timestamp < _programs[f.program].validUntil && (mode == 7 || !f.executed)) {
                a.keyIndex = candidate;
                break;
            }
        }
        FundingModel storage used = _fundings[a.m][a.keyIndex];
        (a.program, a.amount) = (used.program, used.amount);
        if (mode == 7) {
            uint64 other = _otherProgramOf(a.m, a.program, keySeed >> 17);
            if ((keySeed >> 16) % 2 == 0 && other != 0) a.program = other;
            else a.amount = a.amount == MAX_FUNDING_ORE ? a.amount - 1 : a.amount + 1;
        } else if (!used.executed) {
            if ((signerSeed >> 8) % 4 == 3) {
                a.key = _keyOf(a.m, used.proposer);
            } else if (a.key.account == used.proposer) {
                a.key = _treasuryKeys[a.m][(signerSeed % TREASURY_KEYS + 1) % TREASURY_KEYS];
            }
        }
    }

    /// @dev A funding took effect: a new key is recorded (and minted when one officer may);
    /// a pending one is minted; one already minted changes nothing.
    function _applyFunding(FundingAttempt memory a) internal {
        uint256 m = a.m;
        FundingModel storage f = _fundings[m][a.keyIndex];
        if (!f.exists) {
            if (a.keyIndex == fundingKeysUsed[m]) fundingKeysUsed[m] += 1;
            _fundings[m][a.keyIndex] = FundingModel({
                exists: true, program: a.program, amount: a.amount, proposer: a.sig.signer, executed: false
            });
            if (a.amount > fundingLimit[m]) return;
        } else if (f.executed) {
            return;
        }
        f.executed = true;
        ProgramModel storage pm = _programs[a.program];
        pm.escrow += a.amount;
        pm.free += a.amount;
        pm.funded += a.amount;
        minted += a.amount;
        mintedOf[m] += a.amount;
        escrowModel[m] += a.amount;
    }

    /// @dev Moves the attempt to a municipality with a funding waiting for its second officer
    /// (its program still running), when there is one.
    function _pickPendingMunicipality(FundingAttempt memory a, uint256 seed, uint256 signerSeed)
        internal
        view
    {
        for (uint256 k; k < M; ++k) {
            uint256 m = (seed % M + k) % M;
            for (uint256 i; i < fundingKeysUsed[m]; ++i) {
                FundingModel storage f = _fundings[m][i];
                if (f.executed || block.timestamp >= _programs[f.program].validUntil) continue;
                a.m = m;
                a.program = f.program;
                a.keyIndex = fundingKeysUsed[m];
                a.key = _treasuryKeys[m][signerSeed % TREASURY_KEYS];
                return;
            }
        }
    }

    /// @dev What a funding with a good signature does: the refusal, or "" and what it does.
    function _predictFunding(FundingAttempt memory a)
        internal
        view
        returns (bytes memory expected, string memory outcome)
    {
        ProgramModel storage pm = _programs[a.program];
        if (a.amount == 0) return (abi.encodeWithSelector(IVoucherHubEvents.FundingAmountZero.selector), "");
        if (block.timestamp >= pm.validUntil) {
            return (
                abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, a.program, pm.validUntil),
                "fundingAfterTheEnd"
            );
        }
        FundingModel storage f = _fundings[a.m][a.keyIndex];
        if (!f.exists) return ("", a.amount > fundingLimit[a.m] ? "fundingProposed" : "fundingByOneOfficer");
        bytes32 key = _fundingKey(a.m, a.keyIndex);
        if (f.program != a.program || f.amount != a.amount) {
            return (
                abi.encodeWithSelector(
                    IVoucherHubEvents.FundingKeyConflict.selector, municipalityIds[a.m], key
                ),
                "fundingKeyConflict"
            );
        }
        if (f.executed) return ("", "fundingRepeated");
        if (f.proposer == a.sig.signer) {
            return (
                abi.encodeWithSelector(
                    IVoucherHubEvents.FundingSelfApproval.selector, municipalityIds[a.m], key, a.sig.signer
                ),
                "fundingSelfApproval"
            );
        }
        return ("", "fundingBySecondOfficer");
    }

    /// @dev The municipality's admin sets how much one treasury officer may fund alone; another
    /// municipality's admin or a global actor is refused.
    function setFundingLimit(uint256 muniSeed, uint128 limitOre) public {
        uint256 m = muniSeed % M;
        uint128 limit = uint128(_bound(limitOre, 0, MAX_FUNDING_ORE));
        (address actor, bytes memory expected) = _actor(m, adminRole, muniSeed);
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHubOfficers.setFundingLimit, (municipalityIds[m], limit)),
            expected,
            "setFundingLimit"
        );
        if (ok) fundingLimit[m] = limit;
    }

    /// @dev Ends a program's money: the free budget and a list of grants go back to the
    /// municipality's own account, so the hub burns them. Mostly existing grants, sometimes
    /// with an account that has none (the call must revert), sometimes one listed twice. By
    /// the treasury's account, or (bits 32+ mod 3 = 0) signed by a treasury officer's passkey
    /// and relayed.
    function reclaim(uint256 programSeed, uint256 listSeed) external {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        ProgramModel storage pm = _programs[program];
        uint256 m = pm.muni;
        // Often the treasury waits for the end first, so reclaims of live grants do happen.
        if ((listSeed >> 24) % 3 == 0 && block.timestamp < pm.validUntil) vm.warp(pm.validUntil);
        (bytes32[] memory listed, uint256[] memory idx) = _listAccounts(program, listSeed);
        uint256 amount = pm.free;
        bool[ACCOUNTS] memory seen;
        for (uint256 k; k < idx.length; ++k) {
            if (seen[idx[k]]) continue;
            seen[idx[k]] = true;
            amount += _escrowOf(program, _grants[idx[k]][program]);
        }
        uint256 supply = ekrone.totalSupply();
        bool ok = (listSeed >> 32) % 3 == 0
            ? _reclaimSigned(program, listed, idx, listSeed)
            : _reclaimAsTreasury(program, listed, idx, listSeed);
        if (!ok) return;
        _check(supply - ekrone.totalSupply() == amount, "reclaim: burned other than predicted");
        if (amount > pm.free) okCalls[keccak256("reclaimWithGrants")]++;
        burned += amount;
        burnedOf[m] += amount;
        escrowModel[m] -= amount;
        pm.escrow -= amount;
        pm.free = 0;
        pm.reclaimed = true;
        for (uint256 k; k < idx.length; ++k) {
            GrantModel storage g = _grants[idx[k]][program];
            g.expired += g.remaining;
            g.remaining = 0;
            g.slack = 0;
        }
    }

    function _reclaimAsTreasury(uint64 program, bytes32[] memory listed, uint256[] memory idx, uint256 seed)
        internal
        returns (bool)
    {
        (address actor, bytes memory expected) = _actor(_programs[program].muni, treasuryRole, seed);
        if (expected.length == 0) expected = _predictReclaim(program, idx);
        return _call(
            actor, abi.encodeCall(IVoucherHub.reclaim, (ProgramId.wrap(program), listed)), expected, "reclaim"
        );
    }

    function _reclaimSigned(uint64 program, bytes32[] memory listed, uint256[] memory idx, uint256 seed)
        internal
        returns (bool ok)
    {
        uint256 m = _programs[program].muni;
        (OfficerSignature memory sig, bytes32 digest, bytes memory expected) = _sign(
            m,
            treasuryRole,
            _treasuryKeys[m][(seed >> 40) % TREASURY_KEYS],
            reclaimAction,
            program,
            keccak256(abi.encodePacked(listed)),
            0,
            seed >> 48
        );
        if (expected.length == 0) expected = _predictReclaim(program, idx);
        ok = _callSigned(
            relayer,
            abi.encodeCall(IVoucherHubOfficers.reclaimSigned, (ProgramId.wrap(program), listed, sig)),
            expected,
            "reclaim",
            digest,
            sig
        );
        if (ok) okCalls[keccak256("reclaimSigned")]++;
    }

    /// @dev A reclaim by the right officer: refused while the program runs, or when a listed
    /// account has no grant in it.
    function _predictReclaim(uint64 program, uint256[] memory idx) internal view returns (bytes memory) {
        ProgramModel storage pm = _programs[program];
        if (block.timestamp < pm.validUntil) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.ProgramStillRunning.selector, program, pm.validUntil);
        }
        return _predictListed(program, idx);
    }

    /// @dev The treasury returns what providers paid back of their receivables to the
    /// municipality's own account: the hub burns it (nothing, when nothing was recovered).
    function reclaimRecovered(uint256 muniSeed) external {
        uint256 m = muniSeed % M;
        (address actor, bytes memory expected) = _actor(m, treasuryRole, muniSeed);
        uint256 amount = recoveredOre[m];
        uint256 supply = ekrone.totalSupply();
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHubPeriods.reclaimRecovered, (municipalityIds[m])),
            expected,
            "reclaimRecovered"
        );
        if (!ok) return;
        _check(supply - ekrone.totalSupply() == amount, "reclaimRecovered: burned other than recovered");
        if (amount != 0) okCalls[keccak256("reclaimRecoveredNonZero")]++;
        recoveredOre[m] = 0;
        burned += amount;
        burnedOf[m] += amount;
        escrowModel[m] -= amount;
    }

    /// @dev Returns listed grants' slack to the free budget, at any time.
    function releaseSlack(uint256 programSeed, uint256 listSeed) external {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        (bytes32[] memory listed, uint256[] memory idx) = _listAccounts(program, listSeed);
        (address actor, bytes memory expected) = _actor(_programs[program].muni, treasuryRole, listSeed);
        if (expected.length == 0) expected = _predictListed(program, idx);
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.releaseSlack, (ProgramId.wrap(program), listed)),
            expected,
            "releaseSlack"
        );
        if (!ok) return;
        for (uint256 k; k < idx.length; ++k) {
            GrantModel storage g = _grants[idx[k]][program];
            if (g.slack != 0) okCalls[keccak256("releaseSlackNonZero")]++;
            _programs[program].free += g.slack;
            g.slack = 0;
        }
    }

    // =================================================================== accounts and grants

    /// @dev Enrols an account in its municipality; an account already enrolled is refused, by
    /// its own municipality and by another alike.
    function registerAccount(uint256 accountSeed) public {
        uint256 i = accountSeed % ACCOUNTS;
        uint256 m = _accountMuni(i);
        bool registered = accountStatus[i] != AccountStatus.None;
        if (registered && (accountSeed >> 8) % 2 == 0) m = (m + 1 + (accountSeed >> 9) % (M - 1)) % M;
        (address actor, bytes memory expected) = _actor(m, enrolmentRole, accountSeed);
        if (expected.length == 0 && registered) {
            expected =
                abi.encodeWithSelector(IVoucherHubEvents.AccountAlreadyRegistered.selector, accounts[i]);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.registerAccount, (municipalityIds[m], accounts[i])),
            expected,
            "registerAccount"
        );
        if (ok) accountStatus[i] = AccountStatus.Active;
    }

    function setAccountStatus(uint256 accountSeed, uint8 statusSeed) external {
        uint256 i = accountSeed % ACCOUNTS;
        // Mostly reactivate; sometimes suspend; rarely close, which is final.
        AccountStatus status = statusSeed % 16 == 0
            ? AccountStatus.Closed
            : statusSeed % 3 == 0 ? AccountStatus.Suspended : AccountStatus.Active;
        AccountStatus current = accountStatus[i];
        (address actor, bytes memory expected) = _actor(_accountMuni(i), enrolmentRole, accountSeed);
        if (current == AccountStatus.None) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.AccountUnknown.selector, accounts[i]);
        } else if (expected.length == 0 && current == AccountStatus.Closed) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.AccountClosed.selector, accounts[i]);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.setAccountStatus, (accounts[i], status)),
            expected,
            "setAccountStatus"
        );
        if (ok) accountStatus[i] = status;
    }

    /// @dev Mostly an account of the program's municipality; now and then any account, which
    /// another municipality's program must refuse.
    function grant(uint256 accountSeed, uint256 programSeed, uint64 amount) public {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        uint256 m = _programs[program].muni;
        uint256 i = (accountSeed >> 8) % 4 == 0 ? accountSeed % ACCOUNTS : _accountOf(m, accountSeed);
        GrantModel storage g = _grants[i][program];
        amount = _boundGrantAmount(program, amount);
        (address actor, bytes memory expected) = _actor(m, enrolmentRole, accountSeed);
        if (expected.length != 0) {
            // refused by the wall
        } else if (g.exists) {
            expected =
                abi.encodeWithSelector(IVoucherHubEvents.GrantAlreadyExists.selector, accounts[i], program);
        } else {
            expected = _predictAccountFor(i, m);
            if (expected.length == 0) expected = _predictCommit(program, amount);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.grant, (accounts[i], ProgramId.wrap(program), amount)),
            expected,
            "grant"
        );
        if (!ok) return;
        g.exists = true;
        g.remaining = amount;
        g.granted = amount;
        _programs[program].free -= _commitmentOf(program, amount);
        // forge-lint: disable-next-line(unsafe-typecast)
        _grantPairs.push(GrantPair({account: uint8(i), program: program}));
    }

    function topUp(uint256 pairSeed, uint256 accountSeed, uint256 programSeed, uint64 amount) external {
        if (programCount == 0) return;
        uint256 i = accountSeed % ACCOUNTS;
        uint64 program = _pickProgram(programSeed);
        // Mostly an existing grant, sometimes whatever the seeds name.
        if (_grantPairs.length != 0 && pairSeed % 4 != 0) {
            GrantPair memory pair = _grantPairs[pairSeed % _grantPairs.length];
            (i, program) = (pair.account, pair.program);
        }
        uint256 m = _programs[program].muni;
        GrantModel storage g = _grants[i][program];
        amount = _boundGrantAmount(program, amount);
        (address actor, bytes memory expected) = _actor(m, enrolmentRole, pairSeed);
        if (expected.length != 0) {
            // refused by the wall
        } else if (!g.exists) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, accounts[i], program);
        } else {
            expected = _predictAccountFor(i, m);
            if (expected.length == 0) expected = _predictCommit(program, amount);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.topUp, (accounts[i], ProgramId.wrap(program), amount)),
            expected,
            "topUp"
        );
        if (!ok) return;
        g.remaining += amount;
        g.granted += amount;
        _programs[program].free -= _commitmentOf(program, amount);
    }

    function revoke(uint256 pairSeed, uint256 accountSeed, uint256 programSeed) external {
        if (programCount == 0) return;
        uint256 i = accountSeed % ACCOUNTS;
        uint64 program = _pickProgram(programSeed);
        if (_grantPairs.length != 0 && pairSeed % 4 != 0) {
            GrantPair memory pair = _grantPairs[pairSeed % _grantPairs.length];
            (i, program) = (pair.account, pair.program);
        }
        GrantModel storage g = _grants[i][program];
        (address actor, bytes memory expected) = _actor(_programs[program].muni, enrolmentRole, pairSeed);
        if (expected.length == 0 && !g.exists) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, accounts[i], program);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.revoke, (accounts[i], ProgramId.wrap(program))),
            expected,
            "revoke"
        );
        if (!ok) return;
        _programs[program].free += _escrowOf(program, g);
        g.revoked += g.remaining;
        g.remaining = 0;
        g.slack = 0;
    }

    // =================================================================== providers and terminals

    /// @dev A municipality admits a provider, suspends it there, or changes its categories
    /// there (the high byte of `categoriesSeed` keeps them or picks new ones).
    function admitProvider(uint256 muniSeed, uint256 providerSeed, bool active, uint256 categoriesSeed)
        public
    {
        uint256 m = muniSeed % M;
        uint256 p = providerSeed % PROVIDERS;
        // Mostly active: a suspended provider should be an interlude.
        if (providerSeed % 4 != 0) active = true;
        uint32 categories = admittedCategories[m][p];
        if (categories == 0 || (categoriesSeed >> 8) % 4 == 0) {
            // forge-lint: disable-next-line(unsafe-typecast)
            categories = uint32(categoriesSeed % 16);
            if (categories == 0) categories = providerCategories[p];
        }
        (address actor, bytes memory expected) = _actor(m, registrarRole, muniSeed);
        bool ok = _call(
            actor,
            abi.encodeCall(
                IVoucherHub.admitProvider, (municipalityIds[m], _providerId(p), categories, active)
            ),
            expected,
            "admitProvider"
        );
        if (!ok) return;
        admitted[m][p] = active;
        admittedCategories[m][p] = categories;
    }

    /// @dev Revokes a provider's second terminal; the first always stays, so each provider
    /// can still redeem. Only the provider's home may.
    function revokeTerminal(uint256 providerSeed) external {
        uint256 p = providerSeed % PROVIDERS;
        address terminal = terminals[p * TERMINALS_PER_PROVIDER + 1];
        (address actor, bytes memory expected) = _actor(p % M, registrarRole, providerSeed);
        if (!terminalActive[terminal]) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, terminal);
        }
        bool ok =
            _call(actor, abi.encodeCall(IVoucherHub.revokeTerminal, (terminal)), expected, "revokeTerminal");
        if (ok) terminalActive[terminal] = false;
    }

    // =================================================================== redemption

    /// @dev An honest attempt: an existing grant, a provider the program takes when one does,
    /// a fresh id and an amount within the cap and credit. It may still fail for a reason the
    /// model knows (window full, program over, account suspended, municipality paused, ...).
    function redeem(uint256 pairSeed, uint256 providerSeed, uint256 amountSeed, uint256 submitterSeed)
        external
    {
        if (_grantPairs.length == 0) return;
        Attempt memory a = _honestAttempt(pairSeed, providerSeed, amountSeed);
        uint256 s = submitterSeed % 16;
        if (s < 4) a.submitter = a.terminal;
        else if (s == 15) a.submitter = stranger;
        _redeem(a, false, "redeem");
    }

    /// @dev The same account at the same program again, straight after its last redemption:
    /// drives grants to exhaustion and usage windows to their limit.
    function redeemAgain(uint256 providerSeed, uint256 amountSeed) external {
        if (_grantPairs.length == 0) return;
        Attempt memory a = _honestAttempt(_lastPair, providerSeed, amountSeed);
        _redeem(a, false, "redeemAgain");
    }

    /// @dev A faulty attempt: the wrong provider, a reused id, an expired deadline, an amount
    /// over the cap or over the remaining credit. It must revert and change nothing.
    function redeemWithFault(uint256 pairSeed, uint256 providerSeed, uint256 amountSeed, uint256 faultSeed)
        external
    {
        if (_grantPairs.length == 0) return;
        Attempt memory a = _honestAttempt(pairSeed, providerSeed, amountSeed);
        ProgramModel storage pm = _programs[a.program];
        uint256 fault = faultSeed % 5;
        if (fault == 1) {
            uint256[] storage used = _usedIds[a.terminal];
            if (used.length == 0) fault = 2;
            else a.r.id = used[(faultSeed >> 8) % used.length];
        }
        if (fault == 4) {
            GrantModel storage g = _grants[a.account][a.program];
            if (pm.kind == ProgramKind.Credit && g.remaining < pm.cap) {
                a.r.amountOre = uint64(_bound(faultSeed >> 8, g.remaining + 1, pm.cap));
            } else {
                fault = 3;
            }
        }
        if (fault == 0) {
            uint256 own = a.terminalIdx / TERMINALS_PER_PROVIDER;
            a.r.provider = _providerId((own + 1 + (faultSeed >> 8) % (PROVIDERS - 1)) % PROVIDERS);
        } else if (fault == 2) {
            a.r.deadline = uint40(block.timestamp - _bound(faultSeed >> 8, 1, 1 days));
        } else if (fault == 3) {
            a.r.amountOre = uint64(_bound(faultSeed >> 8, uint256(pm.cap) + 1, uint256(pm.cap) + 100_000));
        }
        _redeem(a, true, "redeemWithFault");
    }

    // =================================================================== corrections

    /// @dev Gives back (part of) a redemption the hub took, mostly a recent one: the whole of
    /// what is left, a part, or more than is left (or nothing); as a refund (period 0) or a
    /// void naming the redemption's period (refused once that closed), the open period, or on
    /// purpose a closed or future one. Mostly signed by an active terminal of the redemption's
    /// provider; sometimes by another provider's terminal or one that may be revoked. Now and
    /// then expired, for an original the hub never took or one altered under its signature, or
    /// the last reversal that took effect sent again byte for byte.
    /// Seeds near 0, which the fuzzer favours, make a reversal that takes effect.
    /// @param modeSeed Lowest byte mod 10: 0-4 refund, 5-7 void of the redemption's period, 8
    /// void of the open period, 9 a wrong period (bits 40+ pick it). Bits 8+ (mod 32): 29
    /// another provider's terminal signs, 30 the provider's second terminal, 31 the original's
    /// terminal (either maybe revoked), else an active terminal of the provider. Bits 16+
    /// (mod 32): 27 expired, 28 an original never taken, 29 an altered original, 30-31 the last
    /// reversal that took effect again.
    /// @param amountSeed Mod 32: 0-14 all that is left, 15-28 a part (bits 8+), 29-30 more
    /// than is left, 31 nothing.
    /// @param submitterSeed Mod 16: 0-3 the signing terminal, 15 a stranger, else the relayer.
    function reverse(uint256 takenSeed, uint256 amountSeed, uint256 modeSeed, uint256 submitterSeed)
        external
    {
        if (_taken.length == 0) return;
        uint256 special = (modeSeed >> 16) % 32;
        if (special >= 30 && _hasLastReversal) {
            _reverse(_lastReversal, "reverseResent");
            return;
        }
        ReversalAttempt memory a;
        a.taken = _pickTaken(takenSeed);
        Taken storage t = _taken[a.taken];
        a.original = t.signed;
        a.originalTerminal = terminals[t.terminalIdx];
        a.signerIdx = _pickReversalSigner(t.terminalIdx, modeSeed);
        a.signer = terminals[a.signerIdx];
        a.v = Reversal({
            id: _nextId[a.signer] + 1,
            amountOre: _pickReversalAmount(t, amountSeed),
            period: PeriodId.wrap(_pickReversalPeriod(t, modeSeed)),
            deadline: uint40(block.timestamp + _bound(amountSeed >> 64, 0, 10 minutes))
        });
        if (special == 27) a.v.deadline = uint40(block.timestamp - _bound(amountSeed >> 64, 1, 1 days));
        if (special == 28) {
            // Signed by its terminal but never sent: an id no redemption ever uses.
            a.original.redemption.id = type(uint128).max - (amountSeed >> 96) % 1000;
            (a.original.sigR, a.original.sigVs) =
                vm.signCompact(terminalKeys[t.terminalIdx], hub.redemptionDigest(a.original.redemption));
        } else if (special == 29) {
            // A bigger amount under the original signature recovers to some other address.
            a.original.redemption.amountOre += 1;
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(
                hub.redemptionDigest(a.original.redemption), a.original.sigR, a.original.sigVs
            );
            if (err == ECDSA.RecoverError.NoError) a.originalTerminal = recovered;
            else a.original = t.signed;
        }
        uint256 s = submitterSeed % 16;
        a.submitter = s < 4 ? a.signer : s == 15 ? stranger : relayer;
        (a.sigR, a.sigVs) =
            vm.signCompact(terminalKeys[a.signerIdx], hub.reversalDigest(a.original.redemption, a.v));
        _reverse(a, "reverse");
    }

    /// @dev A provider paid back (part of) what it owes into the bank and the treasury records
    /// it: the hub mints it. Mostly a provider that owes; sometimes nothing, or more than is
    /// owed (`amountSeed` mod 8: 7, 6).
    function settleReceivable(uint256 muniSeed, uint256 providerSeed, uint256 amountSeed) external {
        uint256 m = muniSeed % M;
        uint256 p = providerSeed % PROVIDERS;
        for (uint256 k; k < M * PROVIDERS && receivable[m][p] == 0; ++k) {
            if (++p == PROVIDERS) (m, p) = ((m + 1) % M, 0);
        }
        uint256 owed = receivable[m][p];
        // While nobody owes anything, only now and then try (and be refused).
        if (owed == 0 && (amountSeed >> 200) % 4 != 0) return;
        uint256 pick = amountSeed % 8;
        uint256 amount = pick == 7
            ? 0
            : pick == 6 || owed == 0
                ? owed + _bound(amountSeed >> 8, 1, 1000)
                : _bound(amountSeed >> 8, 1, owed);
        (address actor, bytes memory expected) = _actor(m, treasuryRole, amountSeed);
        if (expected.length == 0 && (amount == 0 || amount > owed)) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.ReceivableExceeded.selector, municipalityIds[m], _providerId(p), owed
            );
        }
        uint256 supply = ekrone.totalSupply();
        bool ok = _call(
            actor,
            abi.encodeCall(
                IVoucherHubPeriods.settleReceivable,
                // forge-lint: disable-next-line(unsafe-typecast)
                (municipalityIds[m], _providerId(p), uint128(amount))
            ),
            expected,
            "settleReceivable"
        );
        if (!ok) return;
        _check(ekrone.totalSupply() - supply == amount, "settleReceivable: minted other than repaid");
        receivable[m][p] -= amount;
        receivableTotal[m] -= amount;
        recoveredOre[m] += amount;
        _ledgers[m][p].settled += amount;
        minted += amount;
        mintedOf[m] += amount;
        escrowModel[m] += amount;
    }

    // =================================================================== time

    function warp(uint256 secondsSeed) external {
        // Mostly short steps within a window; sometimes long ones past windows and program ends.
        uint256 step = secondsSeed % 4 == 0
            ? _bound(secondsSeed >> 2, 5 days, 30 days)
            : _bound(secondsSeed >> 2, 1 minutes, 2 days);
        vm.warp(block.timestamp + step);
        okCalls[keccak256("warp")]++;
    }

    // =================================================================== periods and settlement

    function closePeriod(uint256 muniSeed, uint256 officerSeed) external {
        uint256 m = muniSeed % M;
        (address officer, bytes memory expected) = _actor(m, financeOfficerRole, officerSeed);
        bool ok = _call(
            officer,
            abi.encodeCall(IVoucherHubPeriods.closePeriod, (municipalityIds[m])),
            expected,
            "closePeriod"
        );
        if (ok) _applyClose(m);
    }

    function proposeSettlement(uint256 muniSeed, uint256 officerSeed, uint256 periodSeed, uint256 totalSeed)
        external
    {
        uint256 m = muniSeed % M;
        MunicipalityId id = municipalityIds[m];
        (address officer, bytes memory expected) = _actor(m, financeOfficerRole, officerSeed);
        uint32 period = _pickPeriod(m, periodSeed);
        uint256 accrued = periodAccrued[m][period];
        uint256 total = accrued;
        if (totalSeed % 5 == 0) {
            // A wrong total, as if the officer's reconciliation were off.
            total = accrued != 0 && (totalSeed >> 8) % 2 == 0
                ? accrued - 1
                : accrued + _bound(totalSeed >> 9, 1, 1e6);
        }
        if (expected.length != 0) {
            // refused by the wall
        } else if (period == 0 || period >= openPeriod[m]) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.PeriodNotClosed.selector, id, period);
        } else if (settlementStatus[m][period] != SettlementStatus.None) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.SettlementNotProposable.selector,
                id,
                period,
                uint8(settlementStatus[m][period])
            );
        } else if (total != accrued) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.SettlementTotalMismatch.selector, id, period, total, accrued
            );
        }
        bool ok = _call(
            officer,
            abi.encodeCall(IVoucherHubPeriods.proposeSettlement, (id, PeriodId.wrap(period), total)),
            expected,
            "proposeSettlement"
        );
        if (!ok) return;
        settlementStatus[m][period] = SettlementStatus.Proposed;
        proposerOf[m][period] = officer;
    }

    function approveSettlement(uint256 muniSeed, uint256 officerSeed, uint256 periodSeed) external {
        uint256 m = muniSeed % M;
        MunicipalityId id = municipalityIds[m];
        uint32 period = _pickPeriod(m, periodSeed);
        (address officer, bytes memory expected) = _actor(m, financeOfficerRole, officerSeed);
        // Sometimes the proposer tries to approve their own proposal.
        if (expected.length == 0 && officerSeed % 5 == 0 && proposerOf[m][period] != address(0)) {
            officer = proposerOf[m][period];
        }
        if (expected.length != 0) {
            // refused by the wall
        } else if (settlementStatus[m][period] != SettlementStatus.Proposed) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.SettlementNotProposed.selector, id, period);
        } else if (proposerOf[m][period] == officer) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.SettlementSelfApproval.selector, id, period, officer
            );
        }
        bool ok = _call(
            officer,
            abi.encodeCall(IVoucherHubPeriods.approveSettlement, (id, PeriodId.wrap(period))),
            expected,
            "approveSettlement"
        );
        if (!ok) return;
        settlementStatus[m][period] =
            periodAccrued[m][period] == 0 ? SettlementStatus.Paid : SettlementStatus.Approved;
    }

    function cancelSettlement(uint256 muniSeed, uint256 officerSeed, uint256 periodSeed) external {
        // Rarely: a cancelled proposal has to be proposed and approved again.
        if (periodSeed % 4 != 0) return;
        uint256 m = muniSeed % M;
        MunicipalityId id = municipalityIds[m];
        uint32 period = _pickPeriod(m, periodSeed >> 2);
        (address officer, bytes memory expected) = _actor(m, financeOfficerRole, officerSeed);
        if (expected.length == 0 && settlementStatus[m][period] != SettlementStatus.Proposed) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.SettlementNotProposed.selector, id, period);
        }
        bool ok = _call(
            officer,
            abi.encodeCall(IVoucherHubPeriods.cancelSettlement, (id, PeriodId.wrap(period))),
            expected,
            "cancelSettlement"
        );
        if (!ok) return;
        settlementStatus[m][period] = SettlementStatus.None;
        proposerOf[m][period] = address(0);
    }

    /// @dev Pays a random chunk of a municipality's period's providers. Sometimes the chunk
    /// repeats a provider or names one already paid or with nothing accrued: the whole chunk
    /// must revert. While the municipality has receivables, each provider's is set off against
    /// its claim first, and only the rest is paid. Anyone may carry out an approved settlement
    /// (nothing leaves the hub): the officer, mostly, else another municipality's officer or a
    /// global actor, who must not be refused.
    function payout(uint256 muniSeed, uint256 officerSeed, uint256 periodSeed, uint256 chunkSeed) external {
        uint256 m = muniSeed % M;
        uint32 period = _pickPeriod(m, periodSeed);
        uint256[] memory chunk = _chunk(m, period, chunkSeed);
        (address caller, bytes memory notAnOfficer) = _actor(m, financeOfficerRole, officerSeed);
        if (_payout(m, period, chunk, caller) && notAnOfficer.length != 0) {
            okCalls[keccak256("payoutByAnyone")]++;
        }
    }

    /// @dev Takes a municipality's oldest period not yet paid through every step of settlement
    /// left in one call, each by its rightful holder, as the finance office would: closes the
    /// open period when no closed one is unpaid, proposes it with the right total, has another
    /// officer approve it and pays every provider still owed. Each step is still predicted
    /// (a paused municipality's payout must be refused). Without it random calls rarely get as
    /// far as a payout, and so never to the set-off of receivables.
    function settleOldestPeriod(uint256 muniSeed, uint256 officerSeed) external {
        uint256 m = muniSeed % M;
        MunicipalityId id = municipalityIds[m];
        address[] storage officers = _staff[m].officers;
        address officer = officers[officerSeed % officers.length];
        uint32 period = _pickPeriod(m, 1);
        if (period == openPeriod[m]) {
            if (!_call(officer, abi.encodeCall(IVoucherHubPeriods.closePeriod, (id)), "", "closePeriod")) {
                return;
            }
            _applyClose(m);
        }
        if (settlementStatus[m][period] == SettlementStatus.None) {
            bytes memory data = abi.encodeCall(
                IVoucherHubPeriods.proposeSettlement, (id, PeriodId.wrap(period), periodAccrued[m][period])
            );
            if (!_call(officer, data, "", "proposeSettlement")) return;
            settlementStatus[m][period] = SettlementStatus.Proposed;
            proposerOf[m][period] = officer;
        }
        if (settlementStatus[m][period] == SettlementStatus.Proposed) {
            address approver = officer;
            if (approver == proposerOf[m][period]) {
                approver = officers[(officerSeed % officers.length + 1) % officers.length];
            }
            bytes memory data =
                abi.encodeCall(IVoucherHubPeriods.approveSettlement, (id, PeriodId.wrap(period)));
            if (!_call(approver, data, "", "approveSettlement")) return;
            settlementStatus[m][period] =
                periodAccrued[m][period] == 0 ? SettlementStatus.Paid : SettlementStatus.Approved;
        }
        if (settlementStatus[m][period] != SettlementStatus.Approved) return;
        // Everyone still owed: no fault bits. Anyone may carry it out: mostly the officer,
        // now and then the relayer.
        address caller = (officerSeed >> 8) % 4 == 3 ? relayer : officer;
        if (_payout(m, period, _chunk(m, period, 7 | (2 << 8)), caller) && caller == relayer) {
            okCalls[keccak256("payoutByAnyone")]++;
        }
    }

    function _applyClose(uint256 m) internal {
        periodAccrued[m][openPeriod[m]] = openAccrued[m];
        openAccrued[m] = 0;
        openPeriod[m] += 1;
    }

    /// @dev Pays a chunk as `caller`, as predicted here: each provider's amount goes in transit
    /// inside the hub; no eKrone moves.
    function _payout(uint256 m, uint32 period, uint256[] memory chunk, address caller)
        internal
        returns (bool ok)
    {
        ProviderId[] memory ids = new ProviderId[](chunk.length);
        for (uint256 k; k < chunk.length; ++k) {
            ids[k] = _providerId(chunk[k]);
        }
        bytes memory expected = _predictPayout(m, period, chunk);
        uint256 held = ekrone.balanceOf(address(hub));
        ok = _call(
            caller,
            abi.encodeCall(IVoucherHubPeriods.payout, (municipalityIds[m], PeriodId.wrap(period), ids)),
            expected,
            "payout"
        );
        if (!ok) return false;
        _check(ekrone.balanceOf(address(hub)) == held, "payout: eKrone left the hub");
        // The chain looks receivables up only while the municipality has any.
        bool offsetting = receivableTotal[m] != 0;
        for (uint256 k; k < chunk.length; ++k) {
            uint256 p = chunk[k];
            uint256 claim = claimAccrued[m][period][p];
            uint256 owed = offsetting ? receivable[m][p] : 0;
            uint256 kept = owed < claim ? owed : claim;
            uint256 amount = claim - kept;
            _check(
                hub.inTransitOf(municipalityIds[m], PeriodId.wrap(period), _providerId(p)) == amount,
                "payout: in transit other than the claim less the receivable"
            );
            if (kept != 0) {
                okCalls[keccak256("payoutSetOff")]++;
                receivable[m][p] -= kept;
                receivableTotal[m] -= kept;
                recoveredOre[m] += kept;
            }
            timesPaid[m][period][p] += 1;
            claimPaidAmount[m][period][p] = amount;
            claimSetOff[m][period][p] = kept;
            periodPaid[m][period] += claim;
            inTransit[m][period][p] = amount;
            inTransitTotal[m] += amount;
            ProviderLedger storage ledger = _ledgers[m][p];
            ledger.paid += amount;
            ledger.setOff += kept;
        }
        if (periodPaid[m][period] == periodAccrued[m][period]) {
            settlementStatus[m][period] = SettlementStatus.Paid;
        }
    }

    // =================================================================== the bank

    /// @dev A finance officer signs that the bank paid a chunk of a period's in-transit payouts
    /// and the relayer (or anyone) submits it; the hub burns them. Mostly the oldest period
    /// with payouts in transit and some of them; sometimes a provider twice or one with nothing
    /// in transit (refused as a whole), a wrong total, or a faulty signature (see {_sign}).
    /// @param chunkSeed Bits 0-2 leave providers out; bits 8+ (mod 6) 4 the first twice, 5 any
    /// provider added; bits 24+ (mod 6 = 5) a wrong total.
    function confirmBankTransfers(uint256 muniSeed, uint256 periodSeed, uint256 chunkSeed, uint256 signerSeed)
        external
    {
        Confirmation memory c;
        c.m = muniSeed % M;
        for (uint256 k; k < M && inTransitTotal[c.m] == 0; ++k) {
            c.m = (c.m + 1) % M;
        }
        // While nothing is in transit anywhere, only now and then confirm (nothing, or refused).
        if (inTransitTotal[c.m] == 0 && (chunkSeed >> 200) % 4 != 0) return;
        c.period = _pickTransitPeriod(c.m, periodSeed);
        c.chunk = _transitChunk(c.m, c.period, chunkSeed);
        bytes memory listError = _predictConfirmationList(c);
        c.signedTotal = c.total;
        if ((chunkSeed >> 24) % 6 == 5) {
            // The officer read another total off the bank statement.
            c.signedTotal = c.total != 0 && (chunkSeed >> 27) % 2 == 0
                ? c.total - 1
                : c.total + _bound(chunkSeed >> 28, 1, 1e6);
        }
        bytes memory expected;
        (c.sig, c.digest, expected) = _sign(
            c.m,
            financeOfficerRole,
            _financeKeys[c.m][signerSeed % FINANCE_KEYS],
            confirmAction,
            0,
            keccak256(abi.encode(PeriodId.wrap(c.period), c.ids)),
            c.signedTotal,
            signerSeed >> 8
        );
        if (expected.length == 0) expected = listError;
        if (expected.length == 0 && c.signedTotal != c.total) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.BankTransferTotalMismatch.selector,
                municipalityIds[c.m],
                c.period,
                c.signedTotal,
                c.total
            );
        }
        _confirm(c, expected, (signerSeed >> 4) % 4 == 0 ? stranger : relayer);
    }

    /// @dev Sends the confirmation and, when it took effect, burns the chunk in the ghosts.
    function _confirm(Confirmation memory c, bytes memory expected, address submitter) internal {
        uint256 supply = ekrone.totalSupply();
        uint256 before = surprises;
        bool ok = _callSigned(
            submitter,
            abi.encodeCall(
                IVoucherHubOfficers.confirmBankTransfers,
                (municipalityIds[c.m], PeriodId.wrap(c.period), c.ids, c.signedTotal, c.sig)
            ),
            expected,
            "confirmBankTransfers",
            c.digest,
            c.sig
        );
        if (!ok) {
            // Safe: a refusal's first four bytes are its selector.
            // forge-lint: disable-next-line(unsafe-typecast)
            if (
                surprises == before
                    && bytes4(expected) == IVoucherHubEvents.BankTransferTotalMismatch.selector
            ) {
                revertedCalls[keccak256("bankTransferTotalMismatch")]++;
            }
            return;
        }
        _check(supply - ekrone.totalSupply() == c.total, "confirmBankTransfers: burned other than in transit");
        if (c.total != 0) okCalls[keccak256("bankTransfersBurned")]++;
        uint256 m = c.m;
        for (uint256 k; k < c.chunk.length; ++k) {
            uint256 p = c.chunk[k];
            uint256 amount = inTransit[m][c.period][p];
            inTransit[m][c.period][p] = 0;
            confirmed[m][c.period][p] += amount;
            _ledgers[m][p].confirmed += amount;
        }
        inTransitTotal[m] -= c.total;
        burned += c.total;
        burnedOf[m] += c.total;
        escrowModel[m] -= c.total;
    }

    /// @dev Fills in the chunk's provider ids and what is in transit for them; returns the
    /// refusal of the first listed provider with nothing (left) in transit, in list order.
    function _predictConfirmationList(Confirmation memory c) internal view returns (bytes memory listError) {
        c.ids = new ProviderId[](c.chunk.length);
        bool[PROVIDERS] memory seen;
        for (uint256 k; k < c.chunk.length; ++k) {
            uint256 p = c.chunk[k];
            c.ids[k] = _providerId(p);
            if (listError.length != 0) continue;
            if (seen[p] || inTransit[c.m][c.period][p] == 0) {
                listError = abi.encodeWithSelector(
                    IVoucherHubEvents.BankTransferUnknown.selector,
                    municipalityIds[c.m],
                    c.period,
                    _providerId(p)
                );
                continue;
            }
            seen[p] = true;
            c.total += inTransit[c.m][c.period][p];
        }
    }

    /// @dev The last officer-signed call that took effect, sent again byte for byte: refused as
    /// used (or as expired, once its deadline passed).
    function resendOfficerAction(uint256 submitterSeed) external {
        if (!_hasLastSigned) return;
        SignedCall memory c = _lastSigned;
        bytes memory expected = block.timestamp > c.deadline
            ? abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureExpired.selector, c.signer, c.deadline)
            : abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, c.digest);
        _call(submitterSeed % 2 == 0 ? relayer : stranger, c.data, expected, "resendOfficerAction");
    }

    /// @dev Mostly the municipality's oldest period with a payout in transit; sometimes any
    /// period up to its open one.
    function _pickTransitPeriod(uint256 m, uint256 seed) internal view returns (uint32) {
        if (seed % 4 == 0) return uint32(_bound(seed >> 2, 1, openPeriod[m]));
        for (uint32 period = 1; period < openPeriod[m]; ++period) {
            for (uint256 p; p < PROVIDERS; ++p) {
                if (inTransit[m][period][p] != 0) return period;
            }
        }
        return uint32(_bound(seed >> 2, 1, openPeriod[m]));
    }

    function _transitChunk(uint256 m, uint32 period, uint256 chunkSeed)
        internal
        view
        returns (uint256[] memory chunk)
    {
        uint256[] memory picked = new uint256[](PROVIDERS + 1);
        uint256 n;
        uint256 first = PROVIDERS;
        for (uint256 p; p < PROVIDERS; ++p) {
            if (inTransit[m][period][p] == 0) continue;
            if (first == PROVIDERS) first = p;
            if ((chunkSeed >> p) & 1 == 0) picked[n++] = p;
        }
        // Mostly at least one, when any is in transit.
        if (n == 0 && first != PROVIDERS && (chunkSeed >> 3) % 4 != 0) picked[n++] = first;
        uint256 fault = (chunkSeed >> 8) % 6;
        if (fault == 4 && n != 0) {
            picked[n++] = picked[0]; // the same provider twice: its transfer is confirmed once
        } else if (fault == 5) {
            picked[n++] = (chunkSeed >> 16) % PROVIDERS; // maybe confirmed already, or never paid
        }
        chunk = new uint256[](n);
        for (uint256 k; k < n; ++k) {
            chunk[k] = picked[k];
        }
    }

    function setPaused(uint256 seed) external {
        uint256 m = seed % M;
        // Pause now and then; otherwise resume.
        bool pause = (seed >> 8) % 5 == 0;
        (address actor, bytes memory expected) = _actor(m, pauserRole, seed);
        bool ok = _call(
            actor, abi.encodeCall(IVoucherHub.setPaused, (municipalityIds[m], pause)), expected, "setPaused"
        );
        if (ok) paused[m] = pause;
    }

    // =================================================================== views for the invariants

    function programModel(uint64 program) external view returns (ProgramModel memory) {
        return _programs[program];
    }

    function grantModel(uint256 account, uint64 program) external view returns (GrantModel memory) {
        return _grants[account][program];
    }

    /// @dev One (municipality, period, provider) as the handler saw it: accrued (net of what
    /// reversals took from it), paid (put in transit), kept against a receivable, and how
    /// often paid.
    function claimGhost(uint256 m, uint32 period, uint256 p)
        external
        view
        returns (uint256 accrued, uint256 paidAmount, uint256 setOff, uint256 times)
    {
        return (
            claimAccrued[m][period][p],
            claimPaidAmount[m][period][p],
            claimSetOff[m][period][p],
            timesPaid[m][period][p]
        );
    }

    function takenCount() external view returns (uint256) {
        return _taken.length;
    }

    function taken(uint256 k) external view returns (Taken memory) {
        return _taken[k];
    }

    function providerLedger(uint256 m, uint256 p) external view returns (ProviderLedger memory) {
        return _ledgers[m][p];
    }

    function usedIds(address terminal) external view returns (uint256[] memory) {
        return _usedIds[terminal];
    }

    function terminalCount() external view returns (uint256) {
        return terminals.length;
    }

    function providerId(uint256 p) external pure returns (ProviderId) {
        return _providerId(p);
    }

    function staff(uint256 m) external view returns (MunicipalActors memory) {
        return _staff[m];
    }

    function fundingModel(uint256 m, uint256 keyIndex) external view returns (FundingModel memory) {
        return _fundings[m][keyIndex];
    }

    function fundingKey(uint256 m, uint256 keyIndex) external pure returns (bytes32) {
        return _fundingKey(m, keyIndex);
    }

    /// @dev The accounts of municipality `m`'s treasury officers' passkeys.
    function treasuryKeyAccounts(uint256 m) external view returns (address[] memory list) {
        list = new address[](TREASURY_KEYS);
        for (uint256 k; k < TREASURY_KEYS; ++k) {
            list[k] = _treasuryKeys[m][k].account;
        }
    }

    // =================================================================== internals: redemption

    function _honestAttempt(uint256 pairSeed, uint256 providerSeed, uint256 amountSeed)
        internal
        view
        returns (Attempt memory a)
    {
        a.pair = pairSeed % _grantPairs.length;
        GrantPair memory pair = _grantPairs[a.pair];
        a.account = pair.account;
        a.program = pair.program;
        ProgramModel storage pm = _programs[pair.program];
        a.muni = pm.muni;
        // Prefer a provider the program takes: admitted by its municipality or a partner.
        uint256 p = providerSeed % PROVIDERS;
        for (uint256 k; k < PROVIDERS; ++k) {
            uint256 q = (p + k) % PROVIDERS;
            (bool accepted,) = _accepts(pair.program, q);
            if (accepted && (!pm.restricted || programAllows[pair.program][q])) {
                p = q;
                break;
            }
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        a.terminalIdx = uint8(p * TERMINALS_PER_PROVIDER + (providerSeed >> 8) % TERMINALS_PER_PROVIDER);
        // forge-lint: disable-next-line(unsafe-typecast)
        if (!terminalActive[terminals[a.terminalIdx]]) a.terminalIdx = uint8(p * TERMINALS_PER_PROVIDER);
        a.terminal = terminals[a.terminalIdx];
        a.key = terminalKeys[a.terminalIdx];
        a.submitter = relayer;
        uint256 maxAmount = pm.cap;
        uint64 remaining = _grants[pair.account][pair.program].remaining;
        if (pm.kind == ProgramKind.Credit && remaining != 0 && remaining < maxAmount) maxAmount = remaining;
        a.r = Redemption({
            // Ids count up per terminal, now and then skipping ahead past a block of 128 ids.
            id: _nextId[a.terminal] + 1 + ((amountSeed >> 128) % 8 == 0 ? 256 : 0),
            account: accounts[pair.account],
            program: ProgramId.wrap(pair.program),
            provider: _providerId(p),
            amountOre: uint64(_bound(amountSeed, 1, maxAmount)),
            deadline: uint40(block.timestamp + _bound(amountSeed >> 64, 0, 10 minutes))
        });
        // Now and then an id sent late, from an older block: one a skip left unused, or a
        // used one (then the model expects RedemptionAlreadyUsed).
        uint256 next = _nextId[a.terminal];
        if ((amountSeed >> 136) % 8 == 1 && next > 300) a.r.id = next - 128 - (amountSeed >> 140) % 160;
    }

    /// @dev Whether a program takes provider `p`: its municipality, or failing that one of its
    /// partners, admits it active for one of the program's categories. `activeSomewhere` tells
    /// a category refusal from a provider not active in any municipality the program accepts.
    function _accepts(uint64 program, uint256 p) internal view returns (bool accepted, bool activeSomewhere) {
        ProgramModel storage pm = _programs[program];
        for (uint256 m; m < M; ++m) {
            if (m != pm.muni && !programPartner[program][m]) continue;
            if (!admitted[m][p]) continue;
            if (admittedCategories[m][p] & pm.categories != 0) return (true, true);
            activeSomewhere = true;
        }
    }

    function _redeem(Attempt memory a, bool mustFail, string memory label) internal {
        bytes memory expected = _predictRedeem(a);
        if (mustFail && expected.length == 0) {
            _surprise("redeemWithFault: the model expects a faulty redemption to succeed", "");
        }
        (bytes32 sigR, bytes32 sigVs) = vm.signCompact(a.key, hub.redemptionDigest(a.r));
        vm.prank(a.submitter);
        (bool ok, bytes memory ret) =
            address(hub).call(abi.encodeCall(IVoucherHub.redeem, (a.r, sigR, sigVs)));
        _compare(ok, ret, expected, label);
        if (!ok || expected.length != 0) return;
        _check(
            abi.decode(ret, (uint32)) == openPeriod[a.muni],
            "redeem: accrued to a period other than its municipality's open one"
        );
        _applyRedemption(a, SignedRedemption({redemption: a.r, sigR: sigR, sigVs: sigVs}));
    }

    function _predictRedeem(Attempt memory a) internal view returns (bytes memory) {
        Redemption memory r = a.r;
        if (paused[a.muni]) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, municipalityIds[a.muni]);
        }
        if (block.timestamp > r.deadline) {
            return abi.encodeWithSelector(IVoucherHubEvents.RedemptionExpired.selector, r.id, r.deadline);
        }
        if (a.submitter != a.terminal && a.submitter != relayer) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.RedemptionSubmitterNotAllowed.selector, a.submitter);
        }
        if (!terminalActive[a.terminal]) {
            return abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, a.terminal);
        }
        ProviderId own = _providerId(a.terminalIdx / TERMINALS_PER_PROVIDER);
        if (!(own == r.provider)) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, a.terminal, r.provider, own
            );
        }
        if (idUsed[a.terminal][r.id]) {
            return abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, a.terminal, r.id);
        }
        bytes memory programError = _predictProgramChecks(a);
        if (programError.length != 0) return programError;
        return _predictSpend(a);
    }

    function _predictProgramChecks(Attempt memory a) internal view returns (bytes memory) {
        ProgramModel storage pm = _programs[a.program];
        uint256 p = ProviderId.unwrap(a.r.provider) - 1;
        if (pm.suspended) {
            return abi.encodeWithSelector(IVoucherHubEvents.ProgramSuspended.selector, a.program);
        }
        if (block.timestamp < pm.validFrom) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.ProgramNotStarted.selector, a.program, pm.validFrom);
        }
        if (block.timestamp >= pm.validUntil) {
            return abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, a.program, pm.validUntil);
        }
        (bool accepted, bool activeSomewhere) = _accepts(a.program, p);
        if (!accepted && activeSomewhere) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.ProgramCategoryNotAllowed.selector, a.program, a.r.provider
            );
        }
        if (!accepted) {
            return abi.encodeWithSelector(IVoucherHubEvents.ProviderNotActive.selector, a.r.provider);
        }
        if (pm.restricted && !programAllows[a.program][p]) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.ProgramProviderNotAllowed.selector, a.program, a.r.provider
            );
        }
        return "";
    }

    function _predictSpend(Attempt memory a) internal view returns (bytes memory) {
        ProgramModel storage pm = _programs[a.program];
        Redemption memory r = a.r;
        if (r.amountOre > pm.cap) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.VoucherAmountOverCap.selector, a.program, r.amountOre, pm.cap
            );
        }
        AccountStatus status = accountStatus[a.account];
        if (status != AccountStatus.Active) {
            return abi.encodeWithSelector(IVoucherHubEvents.AccountNotActive.selector, r.account, status);
        }
        GrantModel storage g = _grants[a.account][a.program];
        if (pm.kind == ProgramKind.Credit && r.amountOre > g.remaining) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.VoucherCreditInsufficient.selector,
                r.account,
                a.program,
                r.amountOre,
                g.remaining
            );
        }
        if (pm.kind == ProgramKind.Uses && g.remaining == 0) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.VoucherUsesExhausted.selector, r.account, a.program);
        }
        if (pm.usesPerWindow != 0) {
            // The chain's counter: the grant's uses in its window, which starts over in a new one.
            uint32 index = _windowIndex(pm);
            uint16 used = g.windowIndex == index ? g.usedInWindow : 0;
            if (used >= pm.usesPerWindow) {
                uint40 next = uint40(pm.validFrom + uint256(index + 1) * pm.windowSeconds);
                return abi.encodeWithSelector(
                    IVoucherHubEvents.VoucherWindowLimitReached.selector, r.account, a.program, next
                );
            }
        }
        return "";
    }

    function _applyRedemption(Attempt memory a, SignedRedemption memory signed) internal {
        ProgramModel storage pm = _programs[a.program];
        GrantModel storage g = _grants[a.account][a.program];
        uint64 amount = a.r.amountOre;
        uint32 window;
        if (pm.kind == ProgramKind.Credit) {
            g.remaining -= amount;
            g.spent += amount;
        } else {
            g.remaining -= 1;
            g.spent += 1;
            g.slack += pm.cap - amount;
        }
        if (pm.usesPerWindow != 0) {
            window = _windowIndex(pm);
            if (g.windowIndex != window) {
                g.windowIndex = window;
                g.usedInWindow = 0;
            }
            g.usedInWindow += 1;
            uint16 uses = ++windowUses[a.account][a.program][window];
            if (uses > g.maxUsedInWindow) g.maxUsedInWindow = uses;
        }
        // The amount moves from the program's escrow to a claim in the same municipality.
        pm.escrow -= amount;

        uint256 m = a.muni;
        uint256 p = ProviderId.unwrap(a.r.provider) - 1;
        claimAccrued[m][openPeriod[m]][p] += amount;
        periodRedeemed[m][openPeriod[m]] += amount;
        openAccrued[m] += amount;
        _ledgers[m][p].redeemed += amount;
        if (p % M != m) okCalls[keccak256("redeemAcrossTheBorder")]++;

        redeemedCount += 1;
        _useId(a.terminal, a.r.id);
        _lastPair = a.pair;
        _taken.push(
            Taken({
                signed: signed,
                terminalIdx: a.terminalIdx,
                account: a.account,
                muni: a.muni,
                period: openPeriod[m],
                window: window,
                reversed: 0
            })
        );
    }

    /// @dev A terminal's id took effect (a redemption or a reversal: one id space).
    function _useId(address terminal, uint256 id) internal {
        if (!idUsed[terminal][id]) distinctIdsUsed += 1;
        idUsed[terminal][id] = true;
        _usedIds[terminal].push(id);
        if (id > _nextId[terminal]) _nextId[terminal] = id;
    }

    function _windowIndex(ProgramModel storage pm) internal view returns (uint32) {
        return uint32((block.timestamp - pm.validFrom) / pm.windowSeconds);
    }

    // =================================================================== internals: corrections

    /// @dev Mostly one of the last four redemptions, so voids meet their period still open;
    /// one given back in full only when none before it has anything left.
    function _pickTaken(uint256 seed) internal view returns (uint256 k) {
        uint256 n = _taken.length;
        k = seed % 2 == 0 ? n - 1 - (seed >> 1) % (n < 4 ? n : 4) : (seed >> 1) % n;
        for (
            uint256 tries; tries < n && _taken[k].reversed == _taken[k].signed.redemption.amountOre; ++tries) {
            k = k == 0 ? n - 1 : k - 1;
        }
    }

    function _pickReversalAmount(Taken storage t, uint256 seed) internal view returns (uint64) {
        uint256 left = t.signed.redemption.amountOre - t.reversed;
        uint256 pick = seed % 32;
        if (pick == 31) return 0;
        if (pick >= 29 || left == 0) return uint64(left + _bound(seed >> 8, 1, 1000));
        // Safe cast: left is at most the redemption's 64-bit amount.
        // forge-lint: disable-next-line(unsafe-typecast)
        if (pick <= 14) return uint64(left);
        return uint64(_bound(seed >> 8, 1, left));
    }

    function _pickReversalPeriod(Taken storage t, uint256 seed) internal view returns (uint32) {
        uint256 kind = (seed & 0xff) % 10;
        uint32 open = openPeriod[t.muni];
        if (kind < 5) return 0;
        if (kind < 8) return t.period;
        if (kind == 8) return open;
        if (open > 1 && (seed >> 40) % 2 == 0) return uint32(_bound(seed >> 41, 1, open - 1));
        return open + 1;
    }

    function _pickReversalSigner(uint8 terminalIdx, uint256 seed) internal view returns (uint8) {
        uint256 p = terminalIdx / TERMINALS_PER_PROVIDER;
        uint256 pick = (seed >> 8) % 32;
        uint256 idx;
        if (pick == 29) {
            uint256 other = (p + 1 + (seed >> 24) % (PROVIDERS - 1)) % PROVIDERS;
            idx = other * TERMINALS_PER_PROVIDER + (seed >> 32) % TERMINALS_PER_PROVIDER;
        } else if (pick == 30) {
            idx = p * TERMINALS_PER_PROVIDER + 1;
        } else if (pick == 31) {
            idx = terminalIdx;
        } else {
            idx = terminalIdx;
            if (!terminalActive[terminals[idx]]) idx = p * TERMINALS_PER_PROVIDER;
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint8(idx);
    }

    function _reverse(ReversalAttempt memory a, string memory label) internal {
        bytes memory expected = _predictReverse(a);
        vm.prank(a.submitter);
        (bool ok, bytes memory ret) =
            address(hub).call(abi.encodeCall(IVoucherHubPeriods.reverse, (a.original, a.v, a.sigR, a.sigVs)));
        _compare(ok, ret, expected, label);
        if (!ok || expected.length != 0) return;
        uint256 m = _taken[a.taken].muni;
        _check(
            abi.decode(ret, (uint32)) == openPeriod[m],
            "reverse: landed in a period other than its municipality's open one"
        );
        _applyReversal(a);
        _lastReversal = a;
        _hasLastReversal = true;
    }

    /// @dev The refusal `reverse` must give, in the order the hub checks, or "" for success.
    function _predictReverse(ReversalAttempt memory a) internal view returns (bytes memory) {
        Redemption memory r = a.original.redemption;
        Reversal memory v = a.v;
        uint256 m = _programs[ProgramId.unwrap(r.program)].muni;
        MunicipalityId id = municipalityIds[m];
        if (paused[m]) return abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, id);
        if (block.timestamp > v.deadline) {
            return abi.encodeWithSelector(IVoucherHubEvents.ReversalExpired.selector, v.id, v.deadline);
        }
        if (v.amountOre == 0) return abi.encodeWithSelector(IVoucherHubEvents.ReversalAmountZero.selector);
        uint32 open = openPeriod[m];
        uint32 period = PeriodId.unwrap(v.period);
        if (period != 0 && period != open) {
            return abi.encodeWithSelector(IVoucherHubEvents.ReversalPeriodClosed.selector, id, period, open);
        }
        if (!idUsed[a.originalTerminal][r.id]) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.RedemptionUnknown.selector, a.originalTerminal, r.id);
        }
        if (a.submitter != a.signer && a.submitter != relayer) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.RedemptionSubmitterNotAllowed.selector, a.submitter);
        }
        if (!terminalActive[a.signer]) {
            return abi.encodeWithSelector(IVoucherHubEvents.TerminalNotRegistered.selector, a.signer);
        }
        ProviderId own = _providerId(a.signerIdx / TERMINALS_PER_PROVIDER);
        if (!(own == r.provider)) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.TerminalProviderMismatch.selector, a.signer, r.provider, own
            );
        }
        if (idUsed[a.signer][v.id]) {
            return abi.encodeWithSelector(IVoucherHubEvents.RedemptionAlreadyUsed.selector, a.signer, v.id);
        }
        uint256 before = _taken[a.taken].reversed;
        if (before + v.amountOre > r.amountOre) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.ReversalExceedsRedemption.selector,
                a.originalTerminal,
                r.id,
                r.amountOre,
                before
            );
        }
        return _predictAdvance(a, m);
    }

    /// @dev What the claim does not cover is advanced from the program's free budget, as it
    /// stands after the give-back (which adds the amount when the program ended or the account
    /// is not active).
    function _predictAdvance(ReversalAttempt memory a, uint256 m) internal view returns (bytes memory) {
        Redemption memory r = a.original.redemption;
        uint64 program = ProgramId.unwrap(r.program);
        uint256 claim = claimAccrued[m][openPeriod[m]][ProviderId.unwrap(r.provider) - 1];
        uint256 owed = claim < a.v.amountOre ? a.v.amountOre - claim : 0;
        ProgramModel storage pm = _programs[program];
        uint256 free = pm.free;
        if (
            block.timestamp >= pm.validUntil || accountStatus[_taken[a.taken].account] != AccountStatus.Active
        ) {
            free += a.v.amountOre;
        }
        if (owed > free) {
            return
                abi.encodeWithSelector(IVoucherHubEvents.ReversalNotCovered.selector, r.program, owed, free);
        }
        return "";
    }

    /// @dev In the open period of the program's municipality, the provider's claim shrinks by
    /// what it covers and the rest becomes its receivable; the citizen gets the amount back
    /// while the program runs and the account is active, else the program's free budget does.
    function _applyReversal(ReversalAttempt memory a) internal {
        Taken storage t = _taken[a.taken];
        Redemption memory r = a.original.redemption;
        uint64 amount = a.v.amountOre;
        bool whole = t.reversed == 0 && amount == r.amountOre;
        t.reversed += amount;
        reversalCount += 1;
        reversedTotal += amount;
        _useId(a.signer, a.v.id);

        uint256 m = t.muni;
        uint32 open = openPeriod[m];
        uint256 p = ProviderId.unwrap(r.provider) - 1;
        uint256 claim = claimAccrued[m][open][p];
        uint256 fromClaim = claim < amount ? claim : amount;
        claimAccrued[m][open][p] = claim - fromClaim;
        openAccrued[m] -= fromClaim;
        periodTakenBack[m][open] += fromClaim;
        uint256 owed = amount - fromClaim;
        if (owed != 0) {
            okCalls[keccak256("reverseOwed")]++;
            receivable[m][p] += owed;
            receivableTotal[m] += owed;
        }
        _ledgers[m][p].reversed += amount;

        okCalls[keccak256(PeriodId.unwrap(a.v.period) == 0 ? bytes("reverseRefund") : bytes("reverseVoid"))]++;
        if (whole) okCalls[keccak256("reverseWhole")]++;
        // What the claim covered comes back to the program; the rest the program advances from
        // its free budget (the provider owes it). No eKrone moves.
        _programs[ProgramId.unwrap(r.program)].escrow += fromClaim;
        _giveBack(t, r, amount, whole);
        _programs[ProgramId.unwrap(r.program)].free -= owed;
    }

    function _giveBack(Taken storage t, Redemption memory r, uint64 amount, bool whole) internal {
        uint64 program = ProgramId.unwrap(r.program);
        ProgramModel storage pm = _programs[program];
        GrantModel storage g = _grants[t.account][program];
        if (block.timestamp >= pm.validUntil || accountStatus[t.account] != AccountStatus.Active) {
            okCalls[keccak256("reverseToBudget")]++;
            pm.free += amount;
            return;
        }
        bool restored;
        if (pm.kind == ProgramKind.Credit) {
            g.remaining += amount;
            g.spent -= amount;
            restored = true;
        } else {
            uint256 unusedPart = pm.cap - r.amountOre;
            if (whole && g.slack >= unusedPart) {
                okCalls[keccak256("reverseRestoredUse")]++;
                g.remaining += 1;
                g.spent -= 1;
                g.slack -= unusedPart;
                restored = true;
            } else {
                g.slack += amount;
            }
        }
        if (!whole || !restored || pm.usesPerWindow == 0) return;
        // The use no longer stands in the window it was counted in; the chain takes it off
        // its counter only when the whole span the redemption can have happened in (its
        // deadline less the longest lead, to its deadline or now) lies in the grant's current
        // window.
        windowUses[t.account][program][t.window] -= 1;
        uint256 latest = r.deadline < block.timestamp ? r.deadline : block.timestamp;
        uint256 lead = hub.MAX_DEADLINE_LEAD();
        uint256 earliest = r.deadline > lead ? r.deadline - lead : 0;
        if (earliest < pm.validFrom) earliest = pm.validFrom;
        if (latest < earliest) return;
        uint32 index = uint32((latest - pm.validFrom) / pm.windowSeconds);
        if (uint32((earliest - pm.validFrom) / pm.windowSeconds) != index) return;
        if (g.windowIndex == index && g.usedInWindow != 0) {
            okCalls[keccak256("reverseUncountedUse")]++;
            g.usedInWindow -= 1;
        }
    }

    // =================================================================== internals: settlement

    function _chunk(uint256 m, uint32 period, uint256 chunkSeed)
        internal
        view
        returns (uint256[] memory chunk)
    {
        uint256[] memory picked = new uint256[](PROVIDERS + 1);
        uint256 n;
        // The providers still owed something, filtered by the seed's bits.
        for (uint256 p; p < PROVIDERS; ++p) {
            if (claimAccrued[m][period][p] != 0 && timesPaid[m][period][p] == 0 && (chunkSeed >> p) & 1 == 1)
            {
                picked[n++] = p;
            }
        }
        uint256 fault = (chunkSeed >> 8) % 6;
        if (fault == 0 && n != 0) {
            picked[n++] = picked[0]; // the same provider twice in one chunk
        } else if (fault == 1) {
            picked[n++] = (chunkSeed >> 16) % PROVIDERS; // maybe paid already, or owed nothing
        }
        chunk = new uint256[](n);
        for (uint256 k; k < n; ++k) {
            chunk[k] = picked[k];
        }
    }

    function _predictPayout(uint256 m, uint32 period, uint256[] memory chunk)
        internal
        view
        returns (bytes memory)
    {
        MunicipalityId id = municipalityIds[m];
        if (paused[m]) return abi.encodeWithSelector(IVoucherHubEvents.MunicipalityPaused.selector, id);
        if (settlementStatus[m][period] != SettlementStatus.Approved) {
            return abi.encodeWithSelector(IVoucherHubEvents.SettlementNotApproved.selector, id, period);
        }
        bool[PROVIDERS] memory paidHere;
        for (uint256 k; k < chunk.length; ++k) {
            uint256 p = chunk[k];
            if (timesPaid[m][period][p] != 0 || paidHere[p]) {
                return abi.encodeWithSelector(
                    IVoucherHubEvents.SettlementAlreadyPaid.selector, id, period, _providerId(p)
                );
            }
            if (claimAccrued[m][period][p] == 0) {
                return abi.encodeWithSelector(
                    IVoucherHubEvents.SettlementNothingAccrued.selector, id, period, _providerId(p)
                );
            }
            paidHere[p] = true;
        }
        return "";
    }

    /// @dev Mostly the municipality's oldest period not yet paid, so settlement makes progress;
    /// sometimes any period up to its open one.
    function _pickPeriod(uint256 m, uint256 seed) internal view returns (uint32) {
        if (seed % 3 == 0) return uint32(_bound(seed >> 2, 1, openPeriod[m]));
        for (uint32 period = 1; period < openPeriod[m]; ++period) {
            if (settlementStatus[m][period] != SettlementStatus.Paid) return period;
        }
        return openPeriod[m];
    }

    // =================================================================== internals: officers' signatures

    /// @dev `key`'s device signs the officer action for municipality `m`, which needs `role`;
    /// returns the signature, its digest and the refusal it must get, in the order the hub
    /// checks (expired, used, unknown key, not the key's signature, role), or "". Unless
    /// seeding, `seed` (mod 32) now and then puts a fault in: 26 expired, 27 made by another
    /// key, 28 an unpublished key, 29 a published key with no role, 30 the same role's key of
    /// another municipality, 31 the municipality's key of the other officer role.
    function _sign(
        uint256 m,
        bytes32 role,
        OfficerKey memory key,
        bytes32 action,
        uint64 program,
        bytes32 subject,
        uint256 amount,
        uint256 seed
    ) internal returns (OfficerSignature memory sig, bytes32 digest, bytes memory expected) {
        uint256 fault = _seeding ? type(uint256).max : seed % 32;
        uint256 signingKey = key.privateKey;
        if (fault == 28) {
            key = _unknownKey;
        } else if (fault == 29) {
            key = _rolelessKey;
        } else if (fault == 30) {
            uint256 other = (m + 1 + (seed >> 8) % (M - 1)) % M;
            key = role == treasuryRole
                ? _treasuryKeys[other][(seed >> 16) % TREASURY_KEYS]
                : _financeKeys[other][(seed >> 16) % FINANCE_KEYS];
        } else if (fault == 31) {
            key = role == treasuryRole ? _financeKeys[m][0] : _treasuryKeys[m][0];
        }
        // Made by another key than the one it names: the roleless key's.
        signingKey = fault == 27 ? _rolelessKey.privateKey : key.privateKey;
        _signatureNonce += 1;
        uint40 deadline = fault == 26
            ? uint40(block.timestamp - _bound(seed >> 8, 1, 1 days))
            : uint40(block.timestamp + 10 minutes + _signatureNonce);
        digest = hub.officerActionDigest(
            action, municipalityIds[m], ProgramId.wrap(program), subject, amount, deadline
        );
        sig = OfficerSignature({
            signer: key.account, deadline: deadline, auth: webAuthnAssertion(signingKey, digest)
        });
        if (fault == 26) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.OfficerSignatureExpired.selector, key.account, deadline
            );
        } else if (digestUsed[digest]) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureUsed.selector, digest);
        } else if (fault == 28) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.PasskeyUnknown.selector, key.account);
        } else if (fault == 27) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.OfficerSignatureInvalid.selector, key.account);
        } else if (fault >= 29 && fault <= 31) {
            expected = abi.encodeWithSelector(
                IMunicipalAccess.MunicipalUnauthorizedAccount.selector, municipalityIds[m], role, key.account
            );
        }
        if (expected.length != 0) revertedCalls[keccak256("officerSignatureFault")]++;
    }

    /// @dev {_call} for an officer-signed call; one that took effect used up its signature.
    function _callSigned(
        address submitter,
        bytes memory data,
        bytes memory expected,
        string memory action,
        bytes32 digest,
        OfficerSignature memory sig
    ) internal returns (bool ok) {
        ok = _call(submitter, data, expected, action);
        if (!ok) return false;
        digestUsed[digest] = true;
        _lastSigned = SignedCall({data: data, digest: digest, signer: sig.signer, deadline: sig.deadline});
        _hasLastSigned = true;
        okCalls[keccak256("officerSigned")]++;
    }

    /// @dev A P-256 key made from `name` and the account it acts as (as the hub derives it).
    function _officerKey(string memory name) internal returns (OfficerKey memory key) {
        (uint256 privateKey, bytes32 qx, bytes32 qy) = p256Key(name);
        key.privateKey = privateKey;
        key.account = address(uint160(uint256(keccak256(abi.encode(qx, qy)))));
        vm.label(key.account, name);
    }

    function _publish(OfficerKey memory key) internal {
        (uint256 x, uint256 y) = vm.publicKeyP256(key.privateKey);
        address account = hub.registerPasskey(bytes32(x), bytes32(y));
        _check(account == key.account, "registerPasskey: another account than the key's");
    }

    /// @dev The treasury passkey of municipality `m` that acts as `account`.
    function _keyOf(uint256 m, address account) internal view returns (OfficerKey memory) {
        for (uint256 k; k < TREASURY_KEYS; ++k) {
            if (_treasuryKeys[m][k].account == account) return _treasuryKeys[m][k];
        }
        revert("VoucherHandler: not a treasury passkey of the municipality");
    }

    function _fundingKey(uint256 m, uint256 keyIndex) internal pure returns (bytes32) {
        return keccak256(abi.encode("invariant funding", m, keyIndex));
    }

    /// @dev Another program of municipality `m` than `program`, or 0 when it has none.
    function _otherProgramOf(uint256 m, uint64 program, uint256 seed) internal view returns (uint64) {
        uint64 n = programCount;
        for (uint64 k; k < n; ++k) {
            // forge-lint: disable-next-line(unsafe-typecast)
            uint64 candidate = uint64((seed % n + k) % n) + 1;
            if (candidate != program && _programs[candidate].muni == m) return candidate;
        }
        return 0;
    }

    // =================================================================== internals: misc

    function _config(
        uint256 muni,
        ProgramKind kind,
        uint64 cap,
        uint16 usesPerWindow,
        uint32 windowSeconds,
        uint32 categories,
        uint40 validFrom,
        uint40 validUntil
    ) internal view returns (ProgramConfig memory) {
        return ProgramConfig({
            municipality: municipalityIds[muni],
            kind: kind,
            maxPerUseOre: cap,
            usesPerWindow: usesPerWindow,
            windowSeconds: windowSeconds,
            categories: categories,
            restrictedToProviders: false,
            validFrom: validFrom,
            validUntil: validUntil
        });
    }

    function _create(ProgramConfig memory c) internal returns (uint64 program) {
        program = programCount + 1;
        uint8 muni = _muniIndex(c.municipality);
        bool ok = _call(
            _staff[muni].programManager,
            abi.encodeCall(IVoucherHub.createProgram, (ProgramId.wrap(program), c)),
            "",
            "createProgram"
        );
        if (!ok) return program;
        programCount = program;
        _programs[program] = ProgramModel({
            muni: muni,
            kind: c.kind,
            cap: c.maxPerUseOre,
            usesPerWindow: c.usesPerWindow,
            windowSeconds: c.usesPerWindow == 0 ? 0 : c.windowSeconds,
            categories: c.categories,
            restricted: c.restrictedToProviders,
            suspended: false,
            reclaimed: false,
            validFrom: c.validFrom,
            validUntil: c.validUntil,
            escrow: 0,
            free: 0,
            funded: 0
        });
    }

    /// @dev The refusal a grant or top-up gets for account `i` in municipality `m`'s program,
    /// if any: an account of another municipality, then an account that is not active.
    function _predictAccountFor(uint256 i, uint256 m) internal view returns (bytes memory) {
        AccountStatus status = accountStatus[i];
        if (status != AccountStatus.None && _accountMuni(i) != m) {
            return abi.encodeWithSelector(
                IVoucherHubEvents.AccountMunicipalityMismatch.selector,
                accounts[i],
                municipalityIds[_accountMuni(i)],
                municipalityIds[m]
            );
        }
        if (status != AccountStatus.Active) {
            return abi.encodeWithSelector(IVoucherHubEvents.AccountNotActive.selector, accounts[i], status);
        }
        return "";
    }

    function _predictCommit(uint64 program, uint64 amount) internal view returns (bytes memory) {
        ProgramModel storage pm = _programs[program];
        if (amount == 0) return abi.encodeWithSelector(IVoucherHubEvents.GrantAmountZero.selector);
        if (block.timestamp >= pm.validUntil) {
            return abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, program, pm.validUntil);
        }
        uint256 needed = _commitmentOf(program, amount);
        uint256 free = pm.free;
        if (needed > free) {
            return
                abi.encodeWithSelector(
                    IVoucherHubEvents.ProgramBudgetExceeded.selector, program, needed, free
                );
        }
        return "";
    }

    /// @dev Bounded around the free budget, so both fitting and too-large grants happen.
    function _boundGrantAmount(uint64 program, uint64 amount) internal view returns (uint64) {
        ProgramModel storage pm = _programs[program];
        uint256 free = pm.free;
        if (pm.kind == ProgramKind.Credit) return uint64(_bound(amount, 0, free / 4 + 1000));
        return uint64(_bound(amount, 0, free / pm.cap / 4 + 2));
    }

    function _commitmentOf(uint64 program, uint256 amount) internal view returns (uint256) {
        ProgramModel storage pm = _programs[program];
        return pm.kind == ProgramKind.Credit ? amount : amount * pm.cap;
    }

    /// @dev The escrow a grant holds: its promise plus its slack.
    function _escrowOf(uint64 program, GrantModel storage g) internal view returns (uint256) {
        return _commitmentOf(program, g.remaining) + g.slack;
    }

    /// @dev A list of accounts for reclaim / releaseSlack: mostly those with a grant in the
    /// program, chosen by the seed's bits; sometimes any account, or the first one twice.
    function _listAccounts(uint64 program, uint256 seed)
        internal
        view
        returns (bytes32[] memory listed, uint256[] memory idx)
    {
        uint256[] memory picked = new uint256[](ACCOUNTS + 1);
        uint256 n;
        bool anyAccount = (seed >> 8) % 5 == 0;
        for (uint256 i; i < ACCOUNTS; ++i) {
            if ((seed >> i) & 1 == 0) continue;
            if (!anyAccount && !_grants[i][program].exists) continue;
            picked[n++] = i;
        }
        if (n != 0 && (seed >> 16) % 6 == 0) picked[n++] = picked[0];
        listed = new bytes32[](n);
        idx = new uint256[](n);
        for (uint256 k; k < n; ++k) {
            idx[k] = picked[k];
            listed[k] = accounts[picked[k]];
        }
    }

    /// @dev The first listed account without a grant makes the call revert.
    function _predictListed(uint64 program, uint256[] memory idx) internal view returns (bytes memory) {
        for (uint256 k; k < idx.length; ++k) {
            if (!_grants[idx[k]][program].exists) {
                return
                    abi.encodeWithSelector(IVoucherHubEvents.GrantUnknown.selector, accounts[idx[k]], program);
            }
        }
        return "";
    }

    /// @dev Mostly a program still running, when there is one; now and then any.
    function _pickRunningProgram(uint256 seed) internal view returns (uint64 program) {
        program = _pickProgram(seed);
        if (seed % 8 == 7) return program;
        for (uint64 k; k < programCount; ++k) {
            // forge-lint: disable-next-line(unsafe-typecast)
            uint64 candidate = uint64((seed % programCount + k) % programCount) + 1;
            if (block.timestamp < _programs[candidate].validUntil) return candidate;
        }
    }

    function _pickProgram(uint256 seed) internal view returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(seed % programCount) + 1;
    }

    /// @dev An account of municipality `m` (accounts belong to `index % M`).
    function _accountOf(uint256 m, uint256 seed) internal pure returns (uint256) {
        return m + M * (seed % (ACCOUNTS / M));
    }

    function _accountMuni(uint256 i) internal pure returns (uint256) {
        return i % M;
    }

    function _muniIndex(MunicipalityId id) internal view returns (uint8) {
        for (uint8 m; m < M; ++m) {
            if (municipalityIds[m] == id) return m;
        }
        revert("VoucherHandler: not one of the handler's municipalities");
    }

    function _providerId(uint256 p) internal pure returns (ProviderId) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return ProviderId.wrap(uint32(p + 1));
    }

    /// @dev Who makes a municipal call of municipality `m` that needs `role`: mostly the holder;
    /// now and then the same role of another municipality, or a global actor (relayer,
    /// municipality registrar, platform admin, a stranger). Then `authError` is the refusal the
    /// wall between municipalities must give, which the caller expects unless an earlier check
    /// of the function fails first.
    function _actor(uint256 m, bytes32 role, uint256 seed)
        internal
        view
        returns (address actor, bytes memory authError)
    {
        uint256 mix = uint256(keccak256(abi.encode(seed, role, "actor")));
        uint256 pick = _seeding ? type(uint256).max : mix % 24;
        if (pick == 0) {
            uint256 other = (m + 1 + (mix >> 8) % (M - 1)) % M;
            actor = _holder(other, role, mix >> 16);
        } else if (pick == 1) {
            uint256 g = (mix >> 8) % 4;
            actor = g == 0 ? relayer : g == 1 ? municipalityRegistrar : g == 2 ? platformAdmin : stranger;
        } else {
            return (_holder(m, role, seed), "");
        }
        authError = abi.encodeWithSelector(
            IMunicipalAccess.MunicipalUnauthorizedAccount.selector, municipalityIds[m], role, actor
        );
    }

    function _holder(uint256 m, bytes32 role, uint256 seed) internal view returns (address) {
        MunicipalActors storage s = _staff[m];
        if (role == treasuryRole) return s.treasury;
        if (role == programManagerRole) return s.programManager;
        if (role == enrolmentRole) return s.enrolment;
        if (role == registrarRole) return s.registrar;
        if (role == pauserRole) return s.pauser;
        if (role == adminRole) return s.admin;
        return s.officers[seed % s.officers.length];
    }

    /// @dev Calls the hub as `actor` and compares the outcome with the prediction: `expected`
    /// empty means success, otherwise the exact revert data. Returns whether the call succeeded
    /// as predicted, so the caller updates its ghosts only then.
    function _call(address actor, bytes memory data, bytes memory expected, string memory action)
        internal
        returns (bool)
    {
        vm.prank(actor);
        (bool ok, bytes memory ret) = address(hub).call(data);
        _compare(ok, ret, expected, action);
        if (!ok && bytes4(ret) == IMunicipalAccess.MunicipalUnauthorizedAccount.selector) {
            revertedCalls[keccak256("refusedByTheWall")]++;
        }
        return ok && expected.length == 0;
    }

    function _compare(bool ok, bytes memory ret, bytes memory expected, string memory action) internal {
        bytes32 key = keccak256(bytes(action));
        if (ok) okCalls[key]++;
        else revertedCalls[key]++;
        if (expected.length == 0 && !ok) {
            _surprise(string.concat(action, ": reverted where the model expected success"), ret);
        } else if (expected.length != 0 && ok) {
            _surprise(string.concat(action, ": succeeded where the model expected a revert"), expected);
        } else if (!ok && keccak256(ret) != keccak256(expected)) {
            _surprise(string.concat(action, ": reverted with another error than expected"), ret);
        }
    }

    function _check(bool condition, string memory what) internal {
        if (!condition) _surprise(what, "");
    }

    function _surprise(string memory what, bytes memory data) internal {
        surprises += 1;
        lastSurprise = what;
        lastSurpriseData = data;
    }

    function callSummary() external view returns (string memory) {
        string[56] memory actions = [
            "createProgram",
            "setProgramPartner",
            "setFundingLimit",
            "fundProgramSigned",
            "fundingByOneOfficer",
            "fundingProposed",
            "fundingBySecondOfficer",
            "fundingRepeated",
            "fundingSelfApproval",
            "fundingKeyConflict",
            "fundingAfterTheEnd",
            "officerSigned",
            "officerSignatureFault",
            "resendOfficerAction",
            "reclaim",
            "reclaimSigned",
            "reclaimWithGrants",
            "reclaimRecovered",
            "reclaimRecoveredNonZero",
            "releaseSlack",
            "releaseSlackNonZero",
            "registerAccount",
            "setAccountStatus",
            "grant",
            "topUp",
            "revoke",
            "redeem",
            "redeemWithFault",
            "redeemAgain",
            "redeemAcrossTheBorder",
            "closePeriod",
            "proposeSettlement",
            "approveSettlement",
            "cancelSettlement",
            "payout",
            "payoutByAnyone",
            "payoutSetOff",
            "confirmBankTransfers",
            "bankTransfersBurned",
            "bankTransferTotalMismatch",
            "admitProvider",
            "revokeTerminal",
            "setPaused",
            "setProgramSuspended",
            "refusedByTheWall",
            "warp",
            "reverse",
            "reverseResent",
            "reverseVoid",
            "reverseRefund",
            "reverseWhole",
            "reverseRestoredUse",
            "reverseUncountedUse",
            "reverseToBudget",
            "reverseOwed",
            "settleReceivable"
        ];
        string memory s;
        for (uint256 i; i < actions.length; ++i) {
            bytes32 key = keccak256(bytes(actions[i]));
            s = string.concat(
                s,
                actions[i],
                " ok=",
                vm.toString(okCalls[key]),
                " reverted=",
                vm.toString(revertedCalls[key]),
                "\n"
            );
        }
        return s;
    }
}
