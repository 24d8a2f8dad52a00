"""The English encoder: ONNX Runtime over a graph written once into the cache folder from the
packaged weights (no framework installed), giving the vectors the packaged model gives under
torch, and its 8-bit copy for the texts being matched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from narratrace.errors import NarratraceError
from narratrace.narratives import english

TEXTS = [
    "Bill Gates is releasing genetically modified mosquitoes in Florida.",
    "US helicopters evacuated ISIS commanders from Deir ez-Zor, a source told Sputnik.",
    "Short.",
]


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NARRATRACE_CACHE", str(tmp_path))
    english.graph_path.cache_clear()
    english._session.cache_clear()
    yield tmp_path
    english.graph_path.cache_clear()  # later tests go back to the default folder
    english._session.cache_clear()


# torch's vectors for TEXTS, computed once from the same packaged weights (transformers' AutoModel
# under torch 2.13.0: mean token vector, normalised) and kept, since torch is not installed
REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


def torch_vectors(texts: list[str]) -> np.ndarray:
    kept = json.loads(REFERENCE.read_text())
    assert kept["texts"] == texts
    return np.array(kept["vectors"], dtype=np.float32)


def test_the_graph_is_written_once_and_gives_the_models_vectors(fresh_cache: Path) -> None:
    vectors = english.encode_english(TEXTS)
    written = list(fresh_cache.glob("all-minilm-l6-v2-*.onnx"))
    assert len(written) == 1
    assert not [p for p in fresh_cache.iterdir() if p.is_dir()]  # no scratch folder left behind
    assert vectors.shape == (3, english.DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(vectors, torch_vectors(TEXTS), atol=1e-4)
    stamp = written[0].stat().st_mtime_ns
    english.graph_path.cache_clear()  # as a new process would
    english._session.cache_clear()
    np.testing.assert_allclose(english.encode_english(TEXTS), vectors, atol=1e-6)
    assert written[0].stat().st_mtime_ns == stamp  # read, not written again


def test_the_query_graph_is_an_8_bit_copy_written_once_beside_it(fresh_cache: Path) -> None:
    exact = english.encode_english(TEXTS)
    queries = english.encode_english_query(TEXTS)
    quantized = fresh_cache / english.graph_path(quantized=True).name
    assert quantized.name.endswith(f"-{english.QUANTIZED}.onnx") and quantized.exists()
    assert quantized.stat().st_size < english.graph_path().stat().st_size / 3  # 8-bit weights, not 32
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert (queries * exact).sum(axis=1).min() > 0.95  # close to the exact vectors, not equal
    assert not np.allclose(queries, exact, atol=1e-4)
    stamp = quantized.stat().st_mtime_ns
    english.graph_path.cache_clear()
    english._session.cache_clear()
    np.testing.assert_allclose(english.encode_english_query(TEXTS), queries, atol=1e-6)
    assert quantized.stat().st_mtime_ns == stamp


def test_a_query_vector_finds_the_exact_vector_of_its_paraphrase() -> None:
    """Queries in 8 bits against exact entries: the pairing matching uses."""
    entries = english.encode_english(
        [
            "US helicopters evacuate ISIS members in Syria",
            "The coronavirus was created in a US military laboratory",
            "Is K-Y Krispy Kreme lube a genuine product?",
        ]
    )
    asked = english.encode_english_query(
        [
            "American choppers airlifted Daesh commanders out of Deir ez-Zor",
            "Covid-19 was made at Fort Detrick, an American army lab",
            "Krispy Kreme has joined the lubricant business",
        ]
    )
    assert ((asked @ entries.T).argmax(axis=1) == [0, 1, 2]).all()


def test_a_batch_gives_each_text_its_own_vector() -> None:
    """Padding a short text beside a long one, and the bulk session, change nothing."""
    many = TEXTS * 30  # more than a batch: the two-thread session
    alone = np.vstack([english.encode_english([t]) for t in TEXTS])
    np.testing.assert_allclose(english.encode_english(TEXTS), alone, atol=1e-5)
    np.testing.assert_allclose(english.encode_english(many), np.vstack([alone] * 30), atol=1e-5)
    # the 8-bit graph too: a text's vector does not depend on the texts encoded with it
    queries = np.vstack([english.encode_english_query([t]) for t in TEXTS])
    np.testing.assert_allclose(english.encode_english_query(many), np.vstack([queries] * 30), atol=1e-5)


def test_an_unwritable_cache_folder_is_named_in_one_line(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = fresh_cache / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NARRATRACE_CACHE", str(blocked / "cache"))
    for encode in (english.encode_english, english.encode_english_query):
        with pytest.raises(NarratraceError, match="NARRATRACE_CACHE") as raised:
            encode(TEXTS)
        assert str(blocked) in str(raised.value) and "\n" not in str(raised.value)
