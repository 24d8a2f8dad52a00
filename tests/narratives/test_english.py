"""The English encoder: ONNX Runtime over a graph written once into the cache folder, giving the
vectors the packaged model gives under torch."""

from __future__ import annotations

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


def torch_vectors(texts: list[str]) -> np.ndarray:
    """What the packaged model gives under torch: mean token vectors, normalised."""
    import torch
    from transformers import AutoModel

    network = AutoModel.from_pretrained(english._weights()).eval()
    rows = []
    with torch.inference_mode():
        for text in texts:
            batch = english._tokenizer()([text], return_tensors="pt")
            mean = network(**batch).last_hidden_state[0].mean(dim=0)
            rows.append(torch.nn.functional.normalize(mean, dim=0).numpy())
    return np.vstack(rows)


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


def test_a_batch_gives_each_text_its_own_vector() -> None:
    """Padding a short text beside a long one, and the bulk session, change nothing."""
    many = TEXTS * 30  # more than a batch: the two-thread session
    alone = np.vstack([english.encode_english([t]) for t in TEXTS])
    np.testing.assert_allclose(english.encode_english(TEXTS), alone, atol=1e-5)
    np.testing.assert_allclose(english.encode_english(many), np.vstack([alone] * 30), atol=1e-5)


def test_an_unwritable_cache_folder_is_named_in_one_line(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = fresh_cache / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("NARRATRACE_CACHE", str(blocked / "cache"))
    with pytest.raises(NarratraceError, match="NARRATRACE_CACHE") as raised:
        english.encode_english(TEXTS)
    assert str(blocked) in str(raised.value) and "\n" not in str(raised.value)
