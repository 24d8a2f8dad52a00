"""The second stage of matching: the English encoder, input cleaning and the learned re-ranker."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from narratrace.model import CatalogueEntry
from narratrace.narratives import rerank
from narratrace.narratives.catalogue import read_catalogue
from narratrace.narratives.english import encode_english
from narratrace.narratives.inputs import clean_input, is_english
from narratrace.narratives.matcher import CatalogueIndex

FIXTURE = Path(__file__).parent / "fixtures" / "euvsdisinfo.csv"


@pytest.fixture(scope="module")
def index() -> CatalogueIndex:
    return CatalogueIndex.build([e for e in read_catalogue(FIXTURE) if isinstance(e, CatalogueEntry)])


def test_english_encoder_puts_a_paraphrase_closer_than_another_topic() -> None:
    vectors = encode_english(
        [
            "US helicopters evacuated ISIS commanders from Syria.",
            "American choppers flew Daesh leaders out of the Syrian desert.",
            "The football season starts next week.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_cleaning_splits_hashtags_and_handles_and_drops_the_post_trailer() -> None:
    tweet = (
        "Which reporter will ask @PressSec about #MyButtsBeenWiped? #COVID19 https://t.co/abc "
        "pic.twitter.com/xyz — Kate Hyde (@KateHydeNY) July 26, 2021"
    )
    assert clean_input(tweet) == "Which reporter will ask Press Sec about My Butts Been Wiped? COVID 19"


def test_language_gate() -> None:
    assert is_english("Bill Gates is releasing genetically modified mosquitoes in Florida.")
    assert is_english("Starlink here.")  # too short to detect, written in ASCII
    assert not is_english("Американские вертолёты вывезли боевиков ИГИЛ из тюрьмы в Хасаке.")
    assert not is_english("مروحيات أمريكية تنقل قادة داعش من دير الزور إلى قاعدة في الحسكة")


def test_the_shipped_model_reads_the_current_features() -> None:
    model = rerank.shipped()
    assert model is not None, (
        "src/narratrace/data/reranker.json is missing: run bench/training/train_reranker.py"
    )
    assert model.weights.shape == (len(rerank.FEATURES),)
    assert np.isfinite(model.weights).all() and (model.scale > 0).all()
    english = rerank.FEATURES.index("english")
    gap = rerank.FEATURES.index("english_gap")
    assert model.weights[english] + model.weights[gap] > 0  # closer in meaning ranks higher


def test_the_shipped_query_map_is_used_and_stays_near_the_identity(index: CatalogueIndex) -> None:
    model = rerank.shipped()
    assert model is not None and model.query_map is not None, "run bench/training/train_reranker.py"
    assert model.query_map.shape == (384, 384) and np.isfinite(model.query_map).all()
    assert index.query_map is model.query_map
    claims = ["Bill Gates wants to microchip everyone through the vaccine.", "The moon landing was staged."]
    raw = index.english_encoder(claims)
    moved = index.english_queries(claims)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)
    # It adjusts, it does not replace: each text stays far closer to itself than to the other one.
    assert (np.diag(moved @ raw.T) > 0.8).all()
    assert (np.diag(moved @ raw.T) > (moved @ raw.T)[[0, 1], [1, 0]] + 0.3).all()


def test_a_model_without_the_query_map_it_names_is_not_used(tmp_path: Path) -> None:
    model = rerank.shipped()
    assert model is not None and model.query_map is not None
    (tmp_path / "reranker.json").write_text(json.dumps(model.to_json()))
    assert rerank.load(tmp_path) is None  # its weights presume a map that is not there
    np.save(tmp_path / rerank.QUERY_MAP, model.query_map)
    loaded = rerank.load(tmp_path)
    assert loaded is not None and loaded.query_map is not None
    np.testing.assert_array_equal(loaded.query_map, model.query_map)
    np.testing.assert_array_equal(loaded.weights, model.weights)


def test_a_query_map_moves_vectors_and_keeps_them_unit_length() -> None:
    vectors = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    assert rerank.mapped(vectors, None) is vectors
    np.testing.assert_allclose(rerank.mapped(vectors, np.eye(3, dtype=np.float32)), vectors, atol=1e-6)
    swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 2]], dtype=np.float32)
    np.testing.assert_allclose(rerank.mapped(vectors, swap), [[0.8, 0.6, 0.0], [0.0, 0.0, 1.0]], atol=1e-6)


def test_features_see_shared_words_numbers_and_the_posts_author() -> None:
    entries = [
        CatalogueEntry(id="a", origin="claimreview", title="Did Mike Pence tweet about 3 rioters?", claim=""),
        CatalogueEntry(id="b", origin="claimreview", title="Is the moon made of cheese?", claim=""),
    ]
    known = rerank.EntryWords(entries)
    raw = "Those 3 rioters will be prosecuted. — Mike Pence (@Mike_Pence) January 6, 2021"
    stage = rerank.FirstStage(
        entries=np.array([0, 1]),
        dense=np.array([0.5, 0.4]),
        dense_rank=np.array([0.0, 1.0]),
        english=np.array([0.6, 0.1]),
        english_rank=np.array([0.0, 1.0]),
        lexical=np.array([4.0, 0.0]),
        lexical_rank=np.array([0.0, np.inf]),
    )
    rows = rerank.features(raw, clean_input(raw), stage, known)
    column = {name: rows[:, i] for i, name in enumerate(rerank.FEATURES)}
    assert column["author_named"].tolist() == [1.0, 0.0]
    assert column["shared_numbers"].tolist() == [1.0, 0.0]
    assert column["word_coverage"][0] > column["word_coverage"][1] == 0.0
    assert column["char_ngrams"][0] > column["char_ngrams"][1]
    assert column["lexical_rank"].tolist() == [1.0, 0.0]
    assert column["english_gap"].tolist() == pytest.approx([0.0, -0.5])


def test_an_english_claim_is_reranked_and_ranks_its_narrative_first(index: CatalogueIndex) -> None:
    claim = "Pentagon biolabs in Ukraine are making bioweapons, Russia's defence ministry says #biolabs"
    assert index._reranks(clean_input(claim), [claim])
    matches = index.rank(claim, k=3)
    assert matches and matches[0].id == "EVD-0004"


def test_an_arabic_claim_stays_with_the_first_stage_and_still_matches(index: CatalogueIndex) -> None:
    claim = "مروحيات أمريكية تنقل قادة داعش من سوريا"
    assert not index._reranks(claim, [claim])
    matches = index.rank(claim, k=3)
    assert matches and matches[0].id == "EVD-0001"


def test_an_article_is_judged_sentence_by_sentence_not_reranked(index: CatalogueIndex) -> None:
    article = " ".join(f"Sentence number {i} of a long English article about helicopters." for i in range(8))
    assert not index._reranks(article, [article] * 8)


def test_the_english_encoder_serves_threads_side_by_side() -> None:
    """The web server matches two requests at once, sharing one model: the answers must not mix
    (nor fail: some versions of the model's fast tokenizer refused a second thread)."""
    claims = [f"Claim number {i} says the vaccine contains a microchip made in {1990 + i}." for i in range(8)]
    expected = encode_english(claims)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda i: encode_english(claims[i % 8 : i % 8 + 1]), range(200)))
    for i, vectors in enumerate(results):
        assert np.allclose(vectors[0], expected[i % 8], atol=1e-5)
