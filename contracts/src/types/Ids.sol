// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @dev A voucher program (ordning). Chosen by the service, so it can be written to the
/// database before the chain transaction is sent.
type ProgramId is uint64;

/// @dev A provider (shop, club, culture house). Chosen by the service, like ProgramId.
type ProviderId is uint32;

/// @dev A settlement period of one municipality. Period 1 opens when the municipality is
/// created; closing one opens the next.
type PeriodId is uint32;

/// @dev A municipality, by its official kommunekode (1..999); 0 means none.
type MunicipalityId is uint16;

using {eqProgram as ==} for ProgramId global;
using {eqProvider as ==} for ProviderId global;
using {eqPeriod as ==} for PeriodId global;
using {eqMunicipality as ==} for MunicipalityId global;

function eqProgram(ProgramId a, ProgramId b) pure returns (bool) {
    return ProgramId.unwrap(a) == ProgramId.unwrap(b);
}

function eqProvider(ProviderId a, ProviderId b) pure returns (bool) {
    return ProviderId.unwrap(a) == ProviderId.unwrap(b);
}

function eqPeriod(PeriodId a, PeriodId b) pure returns (bool) {
    return PeriodId.unwrap(a) == PeriodId.unwrap(b);
}

function eqMunicipality(MunicipalityId a, MunicipalityId b) pure returns (bool) {
    return MunicipalityId.unwrap(a) == MunicipalityId.unwrap(b);
}
