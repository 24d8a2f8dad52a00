"""Word tokens, word n-gram shingles and winnowed fingerprints, vectorised with numpy.

Tokens are runs of word characters in the lower-cased text, with typographic quotes and
dashes read as separators, so case, punctuation, quote styles and whitespace do not change
them. Each token is hashed from its UTF-8 bytes with a polynomial hash mod 2**64, computed
for a whole text at once from prefix sums; the hash is stable across runs and machines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
_SEPARATORS = re.compile(
    "[‘’‚‛“”„‟«»‹›–—―−`´…•·¡¿،؛؟。、，！？：；（）§¶°±×÷€£¥¢©®™\u00a0\u2000-\u200b\u202f\u205f\u3000]"
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

    @property
    def sorted_shingles(self) -> tuple[U64, I64]:
        """Shingle hashes in ascending order, with the position of each: for merge-like lookups."""
        if len(self._shingles) < 3:
            order = np.argsort(self.shingles, kind="stable")
            self._shingles.extend((self.shingles[order], order.astype(np.uint64)))
        return self._shingles[1], self._shingles[2].astype(np.int64)


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
    return tokenize_many([text])[0]


def _prepare(text: str) -> bytes:
    lowered = text.lower()
    if not lowered.isascii():  # the separators to translate are all non-ASCII
        lowered = _SEPARATORS.sub(" ", lowered)
    return lowered.encode("utf-8")


def tokenize_many(texts: Sequence[str]) -> list[Tokens]:
    """`tokenize` for many texts in one numpy pass (per-call overhead dominates short texts).

    The texts are joined with a newline, a non-word byte, so no token spans two texts."""
    encoded = [_prepare(t) for t in texts]
    data = b"\n".join(encoded)
    raw = np.frombuffer(data, dtype=np.uint8)
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    text_starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    word = _WORD_BYTE[raw]
    edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    _POWERS.ensure(raw.size + 1)
    with np.errstate(over="ignore"):
        weighted = (raw.astype(np.uint64) + np.uint64(1)) * _POWERS.forward[: raw.size]
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(weighted, dtype=np.uint64)))
        hashes = (prefix[ends] - prefix[starts]) * _POWERS.inverse[starts]
    if raw.size and not data.isascii():  # map byte offsets to character offsets
        char_index = np.concatenate(([0], np.cumsum((raw & 0xC0) != 0x80)))
        starts, ends, text_starts = char_index[starts], char_index[ends], char_index[text_starts]
    bounds = [*np.searchsorted(starts, text_starts, side="left").tolist(), len(starts)]
    result = []
    for i in range(len(texts)):
        lo, hi = bounds[i], bounds[i + 1]
        base = int(text_starts[i])
        result.append(
            Tokens(
                hashes[lo:hi], (starts[lo:hi] - base).astype(np.int64), (ends[lo:hi] - base).astype(np.int64)
            )
        )
    return result


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


def fingerprints_many(texts: Sequence[str]) -> list[U64]:
    """`fingerprints` of many texts; shingles and windows never cross from one text to the next."""
    tokens = tokenize_many(texts)
    counts = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    if not len(tokens) or counts.sum() < SHINGLE_WORDS:
        return [fingerprints(t) for t in texts]
    hashes = np.concatenate([t.hashes for t in tokens])
    owner = np.repeat(np.arange(len(tokens)), counts)
    grams = shingles(hashes)
    span = WINNOW_WINDOW + SHINGLE_WORDS - 1  # tokens under one window of shingles
    windows = len(hashes) - span + 1
    if windows <= 0:
        return [fingerprints(t) for t in texts]
    minima = grams[:windows].copy()
    for k in range(1, WINNOW_WINDOW):
        np.minimum(minima, grams[k : k + windows], out=minima)
    inside = owner[:windows] == owner[span - 1 : span - 1 + windows]
    docs, values = owner[:windows][inside], minima[inside]
    order = np.lexsort((values, docs))
    docs, values = docs[order], values[order]
    if len(docs):
        keep = np.concatenate(([True], (docs[1:] != docs[:-1]) | (values[1:] != values[:-1])))
        docs, values = docs[keep], values[keep]
    bounds = np.searchsorted(docs, np.arange(len(tokens) + 1))
    result = []
    for i, text in enumerate(texts):
        if counts[i] < span:  # too short for one full window: the single-text rule decides
            result.append(fingerprints(text))
        else:
            result.append(values[bounds[i] : bounds[i + 1]])
    return result
