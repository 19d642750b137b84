// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "../types/Ids.sol";
import {Funding, Ledger, OfficerSignature, Passkey} from "../types/Records.sol";
import {IVoucherHubEvents} from "./IVoucherHubEvents.sol";

/// @title Voucher hub: what officers sign with their passkeys
/// @notice The steps that move money, each authorised on chain by a finance or treasury
/// officer's own passkey: the service relays the signature and cannot produce it. Clients call
/// these on the hub's address (it forwards them to its {VoucherHubOfficers} extension).
interface IVoucherHubOfficers is IVoucherHubEvents {
    // Officers sign on their own device: a WebAuthn (P-256) assertion whose challenge is the
    // EIP-712 digest (domain "VoucherHub" "1") of
    //   OfficerAction(bytes32 action, uint16 municipality, uint64 program, bytes32 subject,
    //                 uint256 amountOre, uint40 deadline)
    // with `action` one of CLOSE_PERIOD, PROPOSE_SETTLEMENT, APPROVE_SETTLEMENT, FUND_PROGRAM,
    // RECLAIM_PROGRAM, CONFIRM_BANK_TRANSFERS, SETTLE_RECEIVABLE. Anyone (the service) may relay
    // it; each signature is used once (per signer: two officers signing the same action and
    // deadline each sign their own), and the passkey's account must hold the role in the
    // municipality, given by its admin: that grant is the admin's approval of the officer's key.

    /// @notice Publishes a P-256 public key; returns the account it acts as. Gives no power.
    function registerPasskey(bytes32 qx, bytes32 qy) external returns (address account);

    /// @notice Closes the open period `period` (subject = period). Finance officer.
    function closePeriodSigned(MunicipalityId municipality, PeriodId period, OfficerSignature calldata sig)
        external
        returns (PeriodId closed);

    /// @notice {proposeSettlement} with the officer's signature (subject = period, amount = total).
    function proposeSettlementSigned(
        MunicipalityId municipality,
        PeriodId period,
        uint256 expectedTotalOre,
        OfficerSignature calldata sig
    ) external;

    /// @notice {approveSettlement} with a second officer's signature over the same total.
    function approveSettlementSigned(
        MunicipalityId municipality,
        PeriodId period,
        uint256 totalOre,
        OfficerSignature calldata sig
    ) external;

    /// @notice Funds a program with eKrone minted for kroner paid into the scheme's bank
    /// account (subject = the idempotency key, amount, program). Treasury officers. Up to the
    /// municipality's single-officer limit one signature mints; above it the first proposes and
    /// a different officer's signature over the same key, program and amount mints. The same
    /// key again changes nothing; with another program or amount it is refused.
    function fundProgramSigned(
        ProgramId program,
        uint128 amountOre,
        bytes32 fundingKey,
        OfficerSignature calldata sig
    ) external;

    /// @notice {IVoucherHub-reclaim} with a treasury officer's signature (subject =
    /// keccak256(abi.encodePacked(accounts))).
    function reclaimSigned(ProgramId program, bytes32[] calldata accounts, OfficerSignature calldata sig)
        external
        returns (uint256 amountOre);

    /// @notice The bank confirmed paying these providers' payouts of the period: their eKrone is
    /// burned. Finance officer (subject = keccak256(abi.encode(period, providers)), amount =
    /// their total).
    function confirmBankTransfers(
        MunicipalityId municipality,
        PeriodId period,
        ProviderId[] calldata providers,
        uint256 totalOre,
        OfficerSignature calldata sig
    ) external;

    /// @notice {IVoucherHubPeriods-settleReceivable} with a treasury officer's signature: a
    /// provider paid back `amountOre` of its receivable by bank; the hub mints it. Subject =
    /// keccak256(abi.encode(provider, requestKey)), amount = `amountOre`. Each request key of
    /// the municipality settles once (ReceivableRequestUsed after).
    function settleReceivableSigned(
        MunicipalityId municipality,
        ProviderId provider,
        uint128 amountOre,
        bytes32 requestKey,
        OfficerSignature calldata sig
    ) external;

    /// @notice Fundings up to this amount need one treasury officer; above it, two. The
    /// municipality's admin.
    function setFundingLimit(MunicipalityId municipality, uint128 singleOfficerLimitOre) external;

    // ------------------------------------------------------------------ views
    function passkeyAccount(bytes32 qx, bytes32 qy) external pure returns (address);
    function passkeyOf(address account) external view returns (Passkey memory);
    /// @notice Whether `signer`'s passkey signature over `digest` was used (each is used once).
    function isSignatureUsed(address signer, bytes32 digest) external view returns (bool);
    function isReceivableRequestUsed(MunicipalityId municipality, bytes32 requestKey)
        external
        view
        returns (bool);
    /// @notice The digest an officer's passkey signs (the WebAuthn challenge).
    function officerActionDigest(
        bytes32 action,
        MunicipalityId municipality,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre,
        uint40 deadline
    ) external view returns (bytes32);
    function fundingOf(MunicipalityId municipality, bytes32 fundingKey) external view returns (Funding memory);
    /// @notice The municipality's eKrone minted, burned, in transit, and its funding limit.
    function ledgerOf(MunicipalityId municipality) external view returns (Ledger memory);
    function inTransitOf(MunicipalityId municipality, PeriodId period, ProviderId provider)
        external
        view
        returns (uint256);
    function CLOSE_PERIOD() external view returns (bytes32);
    function PROPOSE_SETTLEMENT() external view returns (bytes32);
    function APPROVE_SETTLEMENT() external view returns (bytes32);
    function FUND_PROGRAM() external view returns (bytes32);
    function RECLAIM_PROGRAM() external view returns (bytes32);
    function CONFIRM_BANK_TRANSFERS() external view returns (bytes32);
    function SETTLE_RECEIVABLE() external view returns (bytes32);
}
