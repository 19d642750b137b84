// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IVoucherHubPeriods} from "../../../src/interfaces/IVoucherHubPeriods.sol";
import {IVoucherHubEvents} from "../../../src/interfaces/IVoucherHubEvents.sol";
import {Test} from "forge-std/Test.sol";

import {EKrone} from "../../../src/EKrone.sol";
import {IMunicipalAccess} from "../../../src/interfaces/IMunicipalAccess.sol";
import {IVoucherHub} from "../../../src/interfaces/IVoucherHub.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../../../src/types/Ids.sol";
import {
    AccountStatus,
    ProgramConfig,
    ProgramKind,
    Redemption,
    SettlementStatus
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
    /// @dev All the hub holds for the program: funded - redeemed - reclaimed.
    uint256 escrow;
    /// @dev The part of it no grant holds.
    uint256 free;
}

/// @dev What the handler believes about one account's grant in one program. Amounts are øre
/// (Credit) or uses (Uses), like the contract's `Grant.remaining`.
struct GrantModel {
    bool exists;
    uint64 remaining;
    uint256 granted;
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

/// @title Voucher handler
/// @notice Drives random sequences through the voucher hub as the real actors of three
/// municipalities would, over bounded inputs. Every call's outcome is first predicted from the
/// handler's own model of the rules (ghost state); the call is then made, and any difference
/// between prediction and outcome (an unexpected success, an unexpected revert or the wrong
/// custom error) is counted as a surprise, which an invariant reports. Reverting calls change
/// no ghost state. Now and then a municipal call is made by the same role of another
/// municipality, or by a global actor, and must be refused with the municipal-role error.
/// @dev Accounts and providers belong to municipality `index % MUNICIPALITIES`.
contract VoucherHandler is Test {
    uint256 internal constant M = MUNICIPALITIES;
    uint256 internal constant ACCOUNTS = 6;
    uint256 internal constant PROVIDERS = 3;
    uint256 internal constant TERMINALS_PER_PROVIDER = 2;
    uint64 internal constant MAX_PROGRAMS = 9;

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

    MunicipalityId[M] public municipalityIds;
    MunicipalActors[M] internal _staff;

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
    /// @dev Uses counted per (account, program, usage window), as the handler saw them.
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
    mapping(uint256 muni => mapping(uint32 period => uint256)) public periodPaid;
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        claimAccrued;
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        claimPaidAmount;
    mapping(uint256 muni => mapping(uint32 period => mapping(uint256 providerIdx => uint256))) public
        timesPaid;
    mapping(uint256 muni => mapping(uint32 period => SettlementStatus)) public settlementStatus;
    mapping(uint256 muni => mapping(uint32 period => address)) public proposerOf;

    // ------------------------------------------------------------------ redemption ids
    mapping(address terminal => mapping(uint256 id => bool)) public idUsed;
    mapping(address terminal => uint256[]) internal _usedIds;
    mapping(address terminal => uint256) internal _nextId;
    uint256 public redeemedCount;
    uint256 public distinctRedemptionIds;

    // ------------------------------------------------------------------ money
    uint256 public minted;
    uint256 public burned;
    /// @dev eKrone sent to the hub outside any program: it belongs to no municipality.
    uint256 public donated;
    uint256[M] public treasuryBalance;
    /// @dev What each municipality's reclaim destination received.
    uint256[M] public reclaimedBalance;
    /// @dev What the hub holds for each municipality, moved only by that municipality's own
    /// funding, payouts and reclaims; the chain's `escrowOre` must always equal it.
    uint256[M] public escrowModel;
    mapping(uint256 providerIdx => uint256) public providerPaid;
    mapping(uint256 providerIdx => uint256) public providerBurned;

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
        for (uint256 m; m < M; ++m) {
            municipalityIds[m] = ids[m];
            _staff[m] = staff_[m];
            openPeriod[m] = 1;
        }
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
        fundProgram(0, 2_000_000, 1);
        fundProgram(1, 2_000_000, 1);
        fundProgram(2, 2_000_000, 1);
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

    function fundProgram(uint256 programSeed, uint128 amountOre, uint256 actorSeed) public {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        ProgramModel storage pm = _programs[program];
        uint256 m = pm.muni;
        amountOre = uint128(_bound(amountOre, 0, 5_000_000));
        _mintToTreasury(m, amountOre);
        vm.prank(_staff[m].treasury);
        ekrone.approve(address(hub), amountOre);
        (address actor, bytes memory expected) = _actor(m, treasuryRole, actorSeed);
        if (expected.length == 0 && block.timestamp >= pm.validUntil) {
            expected = abi.encodeWithSelector(IVoucherHubEvents.ProgramEnded.selector, program, pm.validUntil);
        }
        bool ok = _call(
            actor,
            abi.encodeCall(IVoucherHub.fundProgram, (ProgramId.wrap(program), amountOre)),
            expected,
            "fundProgram"
        );
        if (ok) {
            pm.escrow += amountOre;
            pm.free += amountOre;
            treasuryBalance[m] -= amountOre;
            escrowModel[m] += amountOre;
        }
    }

    /// @dev Reclaims the free budget and a list of grants to the municipality's reclaim
    /// destination: mostly existing grants, sometimes with an account that has none (the call
    /// must revert), sometimes one listed twice.
    function reclaim(uint256 programSeed, uint256 listSeed) external {
        if (programCount == 0) return;
        uint64 program = _pickProgram(programSeed);
        ProgramModel storage pm = _programs[program];
        uint256 m = pm.muni;
        // Often the treasury waits for the end first, so reclaims of live grants do happen.
        if ((listSeed >> 24) % 3 == 0 && block.timestamp < pm.validUntil) vm.warp(pm.validUntil);
        (bytes32[] memory listed, uint256[] memory idx) = _listAccounts(program, listSeed);
        (address actor, bytes memory expected) = _actor(m, treasuryRole, listSeed);
        if (expected.length != 0) {
            // refused by the wall
        } else if (block.timestamp < pm.validUntil) {
            expected = abi.encodeWithSelector(
                IVoucherHubEvents.ProgramStillRunning.selector, program, pm.validUntil
            );
        } else {
            expected = _predictListed(program, idx);
        }
        uint256 amount = pm.free;
        bool[ACCOUNTS] memory seen;
        for (uint256 k; k < idx.length; ++k) {
            if (seen[idx[k]]) continue;
            seen[idx[k]] = true;
            amount += _escrowOf(program, _grants[idx[k]][program]);
        }
        address to = _staff[m].reclaimTo;
        uint256 before = ekrone.balanceOf(to);
        bool ok = _call(
            actor, abi.encodeCall(IVoucherHub.reclaim, (ProgramId.wrap(program), listed)), expected, "reclaim"
        );
        if (!ok) return;
        _check(ekrone.balanceOf(to) - before == amount, "reclaim: destination got other than predicted");
        if (amount > pm.free) okCalls[keccak256("reclaimWithGrants")]++;
        reclaimedBalance[m] += amount;
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
        if (!ok) return;
        periodAccrued[m][openPeriod[m]] = openAccrued[m];
        openAccrued[m] = 0;
        openPeriod[m] += 1;
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
    /// must revert.
    function payout(uint256 muniSeed, uint256 officerSeed, uint256 periodSeed, uint256 chunkSeed) external {
        uint256 m = muniSeed % M;
        uint32 period = _pickPeriod(m, periodSeed);
        uint256[] memory chunk = _chunk(m, period, chunkSeed);
        ProviderId[] memory ids = new ProviderId[](chunk.length);
        for (uint256 k; k < chunk.length; ++k) {
            ids[k] = _providerId(chunk[k]);
        }
        (address officer, bytes memory expected) = _actor(m, financeOfficerRole, officerSeed);
        if (expected.length == 0) expected = _predictPayout(m, period, chunk);
        uint256[PROVIDERS] memory before;
        for (uint256 p; p < PROVIDERS; ++p) {
            before[p] = ekrone.balanceOf(payouts[p]);
        }
        bool ok = _call(
            officer,
            abi.encodeCall(IVoucherHubPeriods.payout, (municipalityIds[m], PeriodId.wrap(period), ids)),
            expected,
            "payout"
        );
        if (!ok) return;
        for (uint256 k; k < chunk.length; ++k) {
            uint256 p = chunk[k];
            uint256 amount = claimAccrued[m][period][p];
            _check(
                ekrone.balanceOf(payouts[p]) - before[p] == amount,
                "payout: provider got other than its claim"
            );
            timesPaid[m][period][p] += 1;
            claimPaidAmount[m][period][p] = amount;
            periodPaid[m][period] += amount;
            providerPaid[p] += amount;
            escrowModel[m] -= amount;
        }
        if (periodPaid[m][period] == periodAccrued[m][period]) {
            settlementStatus[m][period] = SettlementStatus.Paid;
        }
    }

    // =================================================================== money outside the hub

    /// @dev A provider takes eKrone out to its bank account: the payout address burns it.
    function bankPayout(uint256 providerSeed, uint256 amountOre) external {
        uint256 p = providerSeed % PROVIDERS;
        amountOre = _bound(amountOre, 0, ekrone.balanceOf(payouts[p]));
        vm.prank(payouts[p]);
        ekrone.burn(amountOre);
        burned += amountOre;
        providerBurned[p] += amountOre;
        okCalls[keccak256("bankPayout")]++;
    }

    /// @dev eKrone sent straight to the hub belongs to no program and no municipality; it must
    /// not count as anyone's escrow.
    function donate(uint256 amountOre) external {
        amountOre = _bound(amountOre, 1, 10_000);
        _mintToTreasury(0, amountOre);
        vm.prank(_staff[0].treasury);
        // forge-lint: disable-next-line(erc20-unchecked-transfer)
        ekrone.transfer(address(hub), amountOre);
        treasuryBalance[0] -= amountOre;
        donated += amountOre;
        okCalls[keccak256("donate")]++;
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

    /// @dev One (municipality, period, provider) as the handler saw it: accrued, paid, and how
    /// often paid.
    function claimGhost(uint256 m, uint32 period, uint256 p)
        external
        view
        returns (uint256 accrued, uint256 paidAmount, uint256 times)
    {
        return (claimAccrued[m][period][p], claimPaidAmount[m][period][p], timesPaid[m][period][p]);
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
        _applyRedemption(a);
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
            uint32 index = _windowIndex(pm);
            if (windowUses[a.account][a.program][index] >= pm.usesPerWindow) {
                uint40 next = uint40(pm.validFrom + uint256(index + 1) * pm.windowSeconds);
                return abi.encodeWithSelector(
                    IVoucherHubEvents.VoucherWindowLimitReached.selector, r.account, a.program, next
                );
            }
        }
        return "";
    }

    function _applyRedemption(Attempt memory a) internal {
        ProgramModel storage pm = _programs[a.program];
        GrantModel storage g = _grants[a.account][a.program];
        uint64 amount = a.r.amountOre;
        if (pm.kind == ProgramKind.Credit) {
            g.remaining -= amount;
            g.spent += amount;
        } else {
            g.remaining -= 1;
            g.spent += 1;
            g.slack += pm.cap - amount;
        }
        if (pm.usesPerWindow != 0) {
            uint32 index = _windowIndex(pm);
            if (g.windowIndex != index) {
                g.windowIndex = index;
                g.usedInWindow = 0;
            }
            g.usedInWindow += 1;
            uint16 uses = ++windowUses[a.account][a.program][index];
            if (uses > g.maxUsedInWindow) g.maxUsedInWindow = uses;
        }
        // The amount moves from the program's escrow to a claim in the same municipality.
        pm.escrow -= amount;

        uint256 m = a.muni;
        uint256 p = ProviderId.unwrap(a.r.provider) - 1;
        claimAccrued[m][openPeriod[m]][p] += amount;
        periodRedeemed[m][openPeriod[m]] += amount;
        openAccrued[m] += amount;
        if (p % M != m) okCalls[keccak256("redeemAcrossTheBorder")]++;

        redeemedCount += 1;
        if (!idUsed[a.terminal][a.r.id]) distinctRedemptionIds += 1;
        idUsed[a.terminal][a.r.id] = true;
        _usedIds[a.terminal].push(a.r.id);
        if (a.r.id > _nextId[a.terminal]) _nextId[a.terminal] = a.r.id;
        _lastPair = a.pair;
    }

    function _windowIndex(ProgramModel storage pm) internal view returns (uint32) {
        return uint32((block.timestamp - pm.validFrom) / pm.windowSeconds);
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
            free: 0
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

    function _mintToTreasury(uint256 m, uint256 amountOre) internal {
        address treasury = _staff[m].treasury;
        vm.prank(treasury);
        ekrone.mint(treasury, amountOre);
        minted += amountOre;
        treasuryBalance[m] += amountOre;
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
        string[29] memory actions = [
            "createProgram",
            "setProgramPartner",
            "fundProgram",
            "reclaim",
            "reclaimWithGrants",
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
            "admitProvider",
            "revokeTerminal",
            "setPaused",
            "setProgramSuspended",
            "refusedByTheWall",
            "warp",
            "bankPayout",
            "donate"
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
