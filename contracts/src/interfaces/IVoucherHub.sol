// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../types/Ids.sol";
import {
    AccountStatus,
    Admission,
    Claim,
    Grant,
    PeriodTotals,
    ProgramConfig,
    ProgramFunds,
    ProgramRules,
    Provider,
    Redemption,
    Settlement,
    SignedRedemption,
    Terminal
} from "../types/Records.sol";
import {IVoucherHubOfficers} from "./IVoucherHubOfficers.sol";
import {IVoucherHubPeriods} from "./IVoucherHubPeriods.sol";
import {IVoucherHubProviders} from "./IVoucherHubProviders.sol";

/// @title Voucher hub
/// @notice The rules that must hold even if the service around them is compromised: who may
/// redeem, how much, how often, and that every redemption is paid exactly once. Citizens are
/// known here only by a 32-byte pseudonymous account id; nothing personal is stored or logged.
/// One hub serves many municipalities, each walled off from the others: its own roles,
/// programs, accounts, periods, claims, settlements and escrow (see {IMunicipalAccess}).
/// Providers are registered once, by their home municipality, and admitted per municipality.
/// @dev Amounts are øre of eKrone. The hub holds, per municipality, its programs' escrow plus
/// the accrued, unpaid claims of its providers.
interface IVoucherHub is IVoucherHubPeriods, IVoucherHubOfficers, IVoucherHubProviders {
    /// @notice keccak256 of the EIP-712 Redemption type a terminal signs.
    function REDEMPTION_TYPEHASH() external view returns (bytes32);

    /// @notice How far ahead of the block a redemption's deadline may lie.
    function MAX_DEADLINE_LEAD() external view returns (uint256);

    /// @notice The {VoucherHubPeriods} the hub forwards periods, settlement and corrections to.
    function periodsExtension() external view returns (address);

    // ------------------------------------------------------------------ programs
    /// @notice Creates a program of `config.municipality` with the id the service chose.
    /// Program-manager role of that municipality.
    function createProgram(ProgramId program, ProgramConfig memory config) external;

    /// @notice Suspends or resumes redemption in a program. Program-manager role of its
    /// municipality, as for every program function below.
    function setProgramSuspended(ProgramId program, bool suspended) external;

    /// @notice Adds or removes a provider from a restricted program's allow-list.
    function setProgramProvider(ProgramId program, ProviderId provider, bool allowed) external;

    /// @notice Lets the program also accept providers that `partner` admits (a club across the
    /// border), or stops it. At most eight partners per program. Program-manager role.
    function setProgramPartner(ProgramId program, MunicipalityId partner, bool accepted) external;

    /// @notice Funds a program with eKrone the hub mints for kroner paid into the scheme's bank
    /// account, on one treasury account's call. Treasury role of the program's municipality.
    /// Where treasury officers hold passkeys instead, {IVoucherHubOfficers-fundProgramSigned}
    /// needs two of them above the municipality's limit and an idempotency key.
    function fundProgram(ProgramId program, uint128 amountOre) external;

    /// @notice After the program ends, returns its free budget and the escrow still held by the
    /// listed accounts' grants to the municipality's own account: the eKrone is burned; those
    /// grants are void. Programs are funded with {IVoucherHubPeriods-fundProgramSigned}. Call it in chunks until every grant is listed; a grant already reclaimed or
    /// revoked adds nothing. Treasury role of the program's municipality.
    function reclaim(ProgramId program, bytes32[] calldata accounts) external returns (uint256 amountOre);

    /// @notice Returns the listed grants' slack (what uses cost below the cap) to the program's
    /// free budget, so it can be granted again. Treasury role of the program's municipality.
    function releaseSlack(ProgramId program, bytes32[] calldata accounts) external;

    // ------------------------------------------------------------------ accounts and grants
    /// @notice Enrols a pseudonymous account in a municipality. Enrolment role of it.
    function registerAccount(MunicipalityId municipality, bytes32 account) external;

    /// @notice Suspends, reactivates or closes an account. Closing is final. Enrolment role of
    /// the account's municipality.
    function setAccountStatus(bytes32 account, AccountStatus status) external;

    /// @notice Gives an account credit (øre) or uses in a program of its own municipality, within
    /// the program's free budget. Enrolment role of that municipality, as for topUp and revoke.
    function grant(bytes32 account, ProgramId program, uint64 amount) external;

    function topUp(bytes32 account, ProgramId program, uint64 amount) external;

    /// @notice Takes back what is left of a grant; it returns to the program's free budget.
    function revoke(bytes32 account, ProgramId program) external;

    // ------------------------------------------------------------------ providers and terminals
    /// @notice Registers a provider with `municipality` as its home and admits it there, active,
    /// for `categories`. Provider-registrar role of that municipality.
    function registerProvider(
        MunicipalityId municipality,
        ProviderId provider,
        address payoutAddress,
        uint32 categories
    ) external;

    /// @notice Admits a registered provider to the municipality's programs for `categories`, or
    /// changes that admission; `active = false` suspends it in this municipality only.
    /// Provider-registrar role of that municipality.
    function admitProvider(MunicipalityId municipality, ProviderId provider, uint32 categories, bool active)
        external;

    // updateProviderPayout and addTerminal: see {IVoucherHubProviders}.

    /// @notice Revokes a terminal for good. Provider-registrar role of its provider's home.
    function revokeTerminal(address terminal) external;

    // ------------------------------------------------------------------ redemption
    /// @notice Redeems a voucher: `signature` (EIP-2098 compact r, vs) is a registered
    /// terminal's EIP-712 signature over `r`. Submitted by the relayer or by the terminal.
    /// The amount accrues to the provider's claim in the program's municipality.
    /// @return period The open period (of the program's municipality) the amount accrued to.
    function redeem(Redemption calldata r, bytes32 sigR, bytes32 sigVs) external returns (PeriodId period);

    /// @notice Redeems many vouchers in one transaction, for a relayer serving a busy counter.
    /// Each redemption is judged on its own exactly as {redeem} would: one that is refused
    /// changes nothing and emits {RedemptionRefused} with its place in the batch, and the
    /// others still count. Relayer role (global).
    /// @return refused How many of the batch were refused.
    function redeemBatch(SignedRedemption[] calldata batch) external returns (uint256 refused);

    /// @notice Stops or resumes redemption and payout in the municipality. Its pauser role.
    function setPaused(MunicipalityId municipality, bool paused) external;

    // ------------------------------------------------------------------ views
    function ekrone() external view returns (address);
    function openPeriod(MunicipalityId municipality)
        external
        view
        returns (PeriodId period, uint40 openedAt, uint128 accruedOre);
    function programRules(ProgramId program) external view returns (ProgramRules memory);
    function programFunds(ProgramId program) external view returns (ProgramFunds memory);
    function programMunicipality(ProgramId program) external view returns (MunicipalityId);
    function isProgramProvider(ProgramId program, ProviderId provider) external view returns (bool);
    function isProgramPartner(ProgramId program, MunicipalityId partner) external view returns (bool);
    function accountStatus(bytes32 account) external view returns (AccountStatus);
    function accountMunicipality(bytes32 account) external view returns (MunicipalityId);
    /// @notice The grant as the citizen sees it: after the program's end `remaining` reads 0.
    function grantOf(bytes32 account, ProgramId program) external view returns (Grant memory);
    /// @notice Øre escrowed for a grant until it is revoked or reclaimed: its remaining credit
    /// (or remaining uses at the cap) plus its slack.
    function grantEscrowOf(bytes32 account, ProgramId program) external view returns (uint256);
    function providerOf(ProviderId provider) external view returns (Provider memory);
    function admissionOf(MunicipalityId municipality, ProviderId provider)
        external
        view
        returns (Admission memory);
    function terminalOf(address terminal) external view returns (Terminal memory);
    function isRedemptionUsed(address terminal, uint256 id) external view returns (bool);
    /// @notice The start of the usage window after the current one, for "next use possible on".
    function nextWindowStart(ProgramId program) external view returns (uint40);
    function redemptionDigest(Redemption calldata r) external view returns (bytes32);
}
