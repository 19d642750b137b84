// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Usage windows
/// @notice A program allowing "2 uses per 30 days" counts fixed windows from the program's
/// start: days 0-29 are window 0, days 30-59 window 1, and so on. A citizen who used both
/// visits on day 25 can visit again from day 30, and the counter starts over.
library UsageWindow {
    /// @dev Callers ensure `nowSeconds >= validFrom` and `windowSeconds > 0`. A window index
    /// fits 32 bits for any window of 1 second or longer until year 2106.
    function indexAt(uint256 nowSeconds, uint40 validFrom, uint32 windowSeconds)
        internal
        pure
        returns (uint32)
    {
        return uint32((nowSeconds - validFrom) / windowSeconds);
    }

    /// @dev The moment the window after `index` starts.
    function startOf(uint32 index, uint40 validFrom, uint32 windowSeconds) internal pure returns (uint40) {
        return uint40(uint256(validFrom) + uint256(index) * windowSeconds);
    }
}
