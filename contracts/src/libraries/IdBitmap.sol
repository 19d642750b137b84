// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Id bitmap
/// @notice Marks ids (a period's paid providers) as used, 256 ids to a storage word. Ids
/// sharing their top 248 bits share a word, so ids that count up write a fresh (expensive,
/// zero to non-zero) word only once per 256 ids.
library IdBitmap {
    /// @dev Marks `id` used; returns false when it already was.
    function markUsed(mapping(uint256 => uint256) storage words, uint256 id) internal returns (bool) {
        // forge-lint: disable-next-line(incorrect-shift)
        uint256 bit = 1 << (id & 0xff);
        uint256 word = words[id >> 8];
        if (word & bit != 0) return false;
        words[id >> 8] = word | bit;
        return true;
    }

    function isUsed(mapping(uint256 => uint256) storage words, uint256 id) internal view returns (bool) {
        // forge-lint: disable-next-line(incorrect-shift)
        return words[id >> 8] & (1 << (id & 0xff)) != 0;
    }
}
