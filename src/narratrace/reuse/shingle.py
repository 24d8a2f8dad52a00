"""Word tokens, word n-gram shingles and winnowed fingerprints, vectorised with numpy.

Tokens are runs of word characters in the lower-cased text, with typographic quotes and
dashes read as separators, so case, punctuation, quote styles and whitespace do not change
them. Each token is hashed from its UTF-8 bytes with a polynomial hash mod 2**64, computed
for a whole text at once from prefix sums; the hash is stable across runs and machines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

# Words per shingle: a 5-word run rarely repeats by chance between unrelated news texts,
# while light edits (one word in 12) still leave most runs of a copy intact.
SHINGLE_WORDS = 5
# Winnowing window: the smallest shingle hash of every 4 consecutive shingles is kept, so any
# shared run of SHINGLE_WORDS + WINNOW_WINDOW - 1 = 8 words shares at least one fingerprint,
# at a density of about 2 / (WINNOW_WINDOW + 1) = 40 % of shingles.
WINNOW_WINDOW = 4

_BASE = np.uint64(0x100000001B3)  # odd, so it is invertible mod 2**64
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 2**64))
_MIX = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
# Non-ASCII punctuation and spaces that separate words (every other non-ASCII byte is read as
# part of a word, which keeps Arabic, Cyrillic and accented words whole).
_SEPARATORS = str.maketrans(
    {c: " " for c in "‘’‚‛“”„‟«»‹›–—―−`´…•·¡¿،؛؟。、，！？：；（）§¶°±×÷€£¥¢©®™\u00a0\u202f\u205f\u3000"}
    | {chr(c): " " for c in range(0x2000, 0x200C)}
)

# byte -> is it part of a word: ASCII letters, digits, underscore and every non-ASCII byte
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[128:] = True


@dataclass(slots=True, frozen=True)
class Tokens:
    """Token hashes of a text, with each token's character offsets in that text."""

    hashes: U64
    starts: I64
    ends: I64
    _shingles: list[U64] = field(default_factory=list, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.hashes)

    @property
    def shingles(self) -> U64:
        """Shingle hashes of these tokens, computed once (a text is aligned with many others)."""
        if not self._shingles:
            self._shingles.append(shingles(self.hashes))
        return self._shingles[0]


class _Powers:
    """BASE**i and BASE**-i mod 2**64, grown on demand."""

    def __init__(self) -> None:
        self.forward: U64 = np.ones(1, dtype=np.uint64)
        self.inverse: U64 = np.ones(1, dtype=np.uint64)

    def ensure(self, n: int) -> None:
        if len(self.forward) >= n:
            return
        size = max(n, 2 * len(self.forward))
        with np.errstate(over="ignore"):
            self.forward = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
            self.forward = np.concatenate([np.ones(1, dtype=np.uint64), self.forward[:-1]])
            self.inverse = np.cumprod(np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64)
            self.inverse = np.concatenate([np.ones(1, dtype=np.uint64), self.inverse[:-1]])


_POWERS = _Powers()


def _mix(values: U64) -> U64:
    """A 64-bit finaliser, so that the minimum of a window is a fair random pick."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(33))
        values = values * _MIX[0]
        values = values ^ (values >> np.uint64(33))
        values = values * _MIX[1]
        return values ^ (values >> np.uint64(33))


def tokenize(text: str) -> Tokens:
    """Hashes and character offsets of the word tokens of `text`."""
    lowered = text.lower()
    if not lowered.isascii():  # the separators to translate are all non-ASCII
        lowered = lowered.translate(_SEPARATORS)
    data = lowered.encode("utf-8")
    raw = np.frombuffer(data, dtype=np.uint8)
    if raw.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens(np.zeros(0, dtype=np.uint64), empty, empty)
    word = _WORD_BYTE[raw]
    edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    _POWERS.ensure(raw.size + 1)
    with np.errstate(over="ignore"):
        weighted = (raw.astype(np.uint64) + np.uint64(1)) * _POWERS.forward[: raw.size]
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(weighted, dtype=np.uint64)))
        hashes = (prefix[ends] - prefix[starts]) * _POWERS.inverse[starts]
    if len(data) != len(text):  # non-ASCII: map byte offsets to character offsets
        is_lead = (raw & 0xC0) != 0x80
        char_index = np.concatenate(([0], np.cumsum(is_lead)))
        starts, ends = char_index[starts], char_index[ends]
    return Tokens(hashes, starts.astype(np.int64), ends.astype(np.int64))


def shingles(token_hashes: U64, size: int = SHINGLE_WORDS) -> U64:
    """Hash of every run of `size` consecutive tokens (position i covers tokens i..i+size-1)."""
    count = len(token_hashes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            combined = combined * _BASE + token_hashes[k : k + count]
    return _mix(combined)


def winnow(shingle_hashes: U64, window: int = WINNOW_WINDOW) -> U64:
    """Winnowed fingerprints: the minimum hash of each window of shingles, each kept once."""
    count = len(shingle_hashes) - window + 1
    if count <= 0:
        return np.unique(shingle_hashes[:1]) if len(shingle_hashes) else shingle_hashes
    minima = shingle_hashes[:count].copy()
    for k in range(1, window):
        np.minimum(minima, shingle_hashes[k : k + count], out=minima)
    return np.unique(minima)


def fingerprints(text: str) -> U64:
    """The sorted, distinct fingerprints that stand for `text` in the candidate index."""
    return winnow(shingles(tokenize(text).hashes))
