// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC7913SignatureVerifier} from "@openzeppelin/contracts/interfaces/IERC7913.sol";

import {HubState} from "./HubState.sol";
import {MunicipalAccess} from "./MunicipalAccess.sol";
import {ProviderRegistry} from "./ProviderRegistry.sol";
import {IEKrone} from "./interfaces/IEKrone.sol";
import {IVoucherHubOfficers} from "./interfaces/IVoucherHubOfficers.sol";
import {MunicipalityId, PeriodId, ProgramId, ProviderId} from "./types/Ids.sol";
import {Funding, Ledger, OfficerSignature, Passkey, ProgramFunds, ProgramRules} from "./types/Records.sol";

/// @title Voucher hub: what officers sign with their passkeys
/// @notice Period close, settlement proposal and approval, program funding (mint), reclaim and
/// the bank's confirmation of payouts (burn), each authorised by a finance or treasury
/// officer's WebAuthn signature made on their own device and relayed by anyone. Runs only in
/// the hub's storage: the hub forwards to {VoucherHubPeriods}, which forwards what it does not
/// implement here. See {IVoucherHubOfficers}.
contract VoucherHubOfficers is IVoucherHubOfficers, HubState {
    bytes32 public constant OFFICER_ACTION_TYPEHASH = keccak256(
        "OfficerAction(bytes32 action,uint16 municipality,uint64 program,bytes32 subject,uint256 amountOre,uint40 deadline)"
    );

    // What an officer's signature authorises: the `action` of an OfficerAction.
    bytes32 public constant CLOSE_PERIOD = keccak256("ClosePeriod");
    bytes32 public constant PROPOSE_SETTLEMENT = keccak256("ProposeSettlement");
    bytes32 public constant APPROVE_SETTLEMENT = keccak256("ApproveSettlement");
    bytes32 public constant FUND_PROGRAM = keccak256("FundProgram");
    bytes32 public constant RECLAIM_PROGRAM = keccak256("ReclaimProgram");
    bytes32 public constant CONFIRM_BANK_TRANSFERS = keccak256("ConfirmBankTransfers");
    bytes32 public constant SETTLE_RECEIVABLE = keccak256("SettleReceivable");

    ProgramId private constant _NO_PROGRAM = ProgramId.wrap(0);

    /// @dev An ERC-7913 WebAuthn verifier (OpenZeppelin's), stateless: P-256 keys, WebAuthn
    /// assertions. Kept outside so its code does not count against this contract's size.
    IERC7913SignatureVerifier private immutable _passkeyVerifier;

    /// @dev The {VoucherHubProviders} deployed with the same eKrone; fixed for the hub's life.
    address private immutable _providersExtension;

    /// @dev Deployed with the hub's eKrone; its own storage and roles are never used.
    constructor(IEKrone ekrone_, address admin, IERC7913SignatureVerifier passkeyVerifier, address providers)
        MunicipalAccess(0, admin)
        ProviderRegistry(ekrone_)
    {
        _passkeyVerifier = passkeyVerifier;
        _providersExtension = providers;
    }

    /// @dev Every call this extension does not implement runs the providers' extension's code,
    /// still in the hub's storage with the hub's caller; refused on this extension itself.
    fallback() external throughHub {
        _forwardTo(_providersExtension);
    }

    function registerPasskey(bytes32 qx, bytes32 qy) external throughHub returns (address account) {
        // Publishing a key gives it no power: only a municipal admin's role grant does.
        return _publishPasskey(qx, qy);
    }

    function closePeriodSigned(MunicipalityId municipality, PeriodId period, OfficerSignature calldata sig)
        external
        throughHub
        returns (PeriodId closed)
    {
        _signedBy(
            CLOSE_PERIOD,
            municipality,
            _NO_PROGRAM,
            bytes32(uint256(PeriodId.unwrap(period))),
            0,
            FINANCE_OFFICER_ROLE,
            sig
        );
        PeriodId open = _clocks[municipality].openPeriod;
        if (!(open == period)) revert PeriodNotOpen(municipality, period, open);
        return _closePeriod(municipality);
    }

    function proposeSettlementSigned(
        MunicipalityId municipality,
        PeriodId period,
        uint256 expectedTotalOre,
        OfficerSignature calldata sig
    ) external throughHub {
        address officer = _signedBy(
            PROPOSE_SETTLEMENT,
            municipality,
            _NO_PROGRAM,
            bytes32(uint256(PeriodId.unwrap(period))),
            expectedTotalOre,
            FINANCE_OFFICER_ROLE,
            sig
        );
        _propose(municipality, period, expectedTotalOre, officer);
    }

    function approveSettlementSigned(
        MunicipalityId municipality,
        PeriodId period,
        uint256 totalOre,
        OfficerSignature calldata sig
    ) external throughHub {
        address officer = _signedBy(
            APPROVE_SETTLEMENT,
            municipality,
            _NO_PROGRAM,
            bytes32(uint256(PeriodId.unwrap(period))),
            totalOre,
            FINANCE_OFFICER_ROLE,
            sig
        );
        uint256 accrued = _approve(municipality, period, officer);
        // The approver confirms the same total the proposer stated.
        if (totalOre != accrued) revert SettlementTotalMismatch(municipality, period, totalOre, accrued);
    }

    function fundProgramSigned(
        ProgramId program,
        uint128 amountOre,
        bytes32 fundingKey,
        OfficerSignature calldata sig
    ) external throughHub {
        ProgramRules storage rules = _existingRules(program);
        MunicipalityId municipality = rules.municipality;
        address officer =
            _signedBy(FUND_PROGRAM, municipality, program, fundingKey, amountOre, TREASURY_ROLE, sig);
        if (amountOre == 0) revert FundingAmountZero();
        if (block.timestamp >= rules.validUntil) revert ProgramEnded(program, rules.validUntil);
        Funding storage f = _fundings[keccak256(abi.encode(municipality, fundingKey))];
        if (f.amountOre == 0) {
            _fundings[keccak256(abi.encode(municipality, fundingKey))] =
                Funding({program: program, amountOre: amountOre, proposer: officer, executed: false});
            emit FundingProposed(municipality, fundingKey, program, amountOre, officer);
            if (amountOre > _ledgers[municipality].singleOfficerFundingLimitOre) return;
        } else {
            // Same key, same result: never minted twice, never another program or amount.
            if (!(f.program == program) || f.amountOre != amountOre) {
                revert FundingKeyConflict(municipality, fundingKey);
            }
            if (f.executed) return;
            if (f.proposer == officer) revert FundingSelfApproval(municipality, fundingKey, officer);
        }
        f.executed = true;
        emit FundingExecuted(municipality, fundingKey, program, amountOre, officer);
        _fund(program, municipality, amountOre);
    }

    function reclaimSigned(ProgramId program, bytes32[] calldata accounts, OfficerSignature calldata sig)
        external
        throughHub
        returns (uint256 amountOre)
    {
        MunicipalityId municipality = _existingRules(program).municipality;
        _signedBy(
            RECLAIM_PROGRAM,
            municipality,
            program,
            keccak256(abi.encodePacked(accounts)),
            0,
            TREASURY_ROLE,
            sig
        );
        return _reclaim(program, accounts);
    }

    function confirmBankTransfers(
        MunicipalityId municipality,
        PeriodId period,
        ProviderId[] calldata providers,
        uint256 totalOre,
        OfficerSignature calldata sig
    ) external throughHub {
        address officer = _signedBy(
            CONFIRM_BANK_TRANSFERS,
            municipality,
            _NO_PROGRAM,
            keccak256(abi.encode(period, providers)),
            totalOre,
            FINANCE_OFFICER_ROLE,
            sig
        );
        uint256 confirmedOre;
        for (uint256 i; i < providers.length; ++i) {
            uint256 claimKey = _claimKey(municipality, period, providers[i]);
            uint256 amountOre = _inTransit[claimKey];
            if (amountOre == 0) revert BankTransferUnknown(municipality, period, providers[i]);
            delete _inTransit[claimKey];
            confirmedOre += amountOre;
            emit BankTransferConfirmed(municipality, period, providers[i], amountOre, officer);
        }
        if (confirmedOre != totalOre) {
            revert BankTransferTotalMismatch(municipality, period, totalOre, confirmedOre);
        }
        // Safe cast: part of what was put in transit, a 128-bit total.
        // forge-lint: disable-next-line(unsafe-typecast)
        _ledgers[municipality].inTransitOre -= uint128(confirmedOre);
        _burnEscrow(municipality, confirmedOre);
    }

    function settleReceivableSigned(
        MunicipalityId municipality,
        ProviderId provider,
        uint128 amountOre,
        bytes32 requestKey,
        OfficerSignature calldata sig
    ) external throughHub {
        _signedBy(
            SETTLE_RECEIVABLE,
            municipality,
            _NO_PROGRAM,
            keccak256(abi.encode(provider, requestKey)),
            amountOre,
            TREASURY_ROLE,
            sig
        );
        bytes32 slot = keccak256(abi.encode(municipality, requestKey));
        if (_receivableRequests[slot]) revert ReceivableRequestUsed(municipality, requestKey);
        _receivableRequests[slot] = true;
        _settleReceivable(municipality, provider, amountOre);
    }

    function setFundingLimit(MunicipalityId municipality, uint128 singleOfficerLimitOre)
        external
        throughHub
        onlyMunicipalAdmin(municipality)
    {
        _ledgers[municipality].singleOfficerFundingLimitOre = singleOfficerLimitOre;
        emit FundingLimitSet(municipality, singleOfficerLimitOre);
    }

    /// @dev Checks an officer's passkey signature over the action and uses it up; returns the
    /// officer's account, once it is checked to hold `role` in the municipality.
    function _signedBy(
        bytes32 action,
        MunicipalityId municipality,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre,
        bytes32 role,
        OfficerSignature calldata sig
    ) private returns (address officer) {
        officer = sig.signer;
        if (block.timestamp > sig.deadline) revert OfficerSignatureExpired(officer, sig.deadline);
        bytes32 digest = _hashTypedData(
            keccak256(
                abi.encode(
                    OFFICER_ACTION_TYPEHASH, action, municipality, program, subject, amountOre, sig.deadline
                )
            )
        );
        // One use per signer: another officer's signature over the same action is its own.
        if (_usedOfficerDigests[officer][digest]) revert OfficerSignatureUsed(digest);
        _usedOfficerDigests[officer][digest] = true;
        if (!_passkeyVerifies(_passkeyVerifier, officer, digest, sig.auth)) {
            revert OfficerSignatureInvalid(officer);
        }
        _checkMunicipalRoleOf(municipality, role, officer);
        emit OfficerSigned(municipality, officer, action, digest);
    }

    // =================================================================== views

    function passkeyAccount(bytes32 qx, bytes32 qy) external pure returns (address) {
        return _passkeyAccount(qx, qy);
    }

    function passkeyOf(address account) external view returns (Passkey memory) {
        return _passkeys[account];
    }

    function isSignatureUsed(address signer, bytes32 digest) external view returns (bool) {
        return _usedOfficerDigests[signer][digest];
    }

    function isReceivableRequestUsed(MunicipalityId municipality, bytes32 requestKey)
        external
        view
        returns (bool)
    {
        return _receivableRequests[keccak256(abi.encode(municipality, requestKey))];
    }

    function officerActionDigest(
        bytes32 action,
        MunicipalityId municipality,
        ProgramId program,
        bytes32 subject,
        uint256 amountOre,
        uint40 deadline
    ) external view returns (bytes32) {
        return _hashTypedData(
            keccak256(
                abi.encode(
                    OFFICER_ACTION_TYPEHASH, action, municipality, program, subject, amountOre, deadline
                )
            )
        );
    }

    function fundingOf(MunicipalityId municipality, bytes32 fundingKey)
        external
        view
        returns (Funding memory)
    {
        return _fundings[keccak256(abi.encode(municipality, fundingKey))];
    }

    function ledgerOf(MunicipalityId municipality) external view returns (Ledger memory) {
        return _ledgers[municipality];
    }

    function inTransitOf(MunicipalityId municipality, PeriodId period, ProviderId provider)
        external
        view
        returns (uint256)
    {
        return _inTransit[_claimKey(municipality, period, provider)];
    }
}
