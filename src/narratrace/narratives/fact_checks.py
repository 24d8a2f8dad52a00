"""Stored fact-checks as catalogue entries: a narrative no imported entry knows is named by a
fact-check among the stored articles."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

from narratrace.model import Article, CatalogueEntry
from narratrace.narratives.embed import F32
from narratrace.narratives.grouping import (
    FACT_CHECK_CUE,
    STORED_FACT_CHECK,
    best_matches,
)
from narratrace.narratives.importing import group_cases, load_index, save_entries
from narratrace.narratives.inputs import entry_sentences
from narratrace.narratives.thresholds import JOIN_THRESHOLD
from narratrace.sentences import sentences
from narratrace.store import Store
from narratrace.store import catalogue as stored
from narratrace.store import state as analysis

# A narrative the imported catalogue does not know is named by a fact-check among the stored
# articles (its headline calls it one): the fact-check becomes an entry of its own. Left out of
# the catalogue in turn, the benchmark's six narratives were found through their fact-checks
# for 22 of their 25 pushing articles (15 by the lede match alone, the rest by joins and
# copies), with no news article (bench/quality/narratives.py --leave-one-out). As the entry's
# text, the fact-check's headline and claim sentence together found more by the lede match than
# either alone (9 and 14 of 25).
FACT_CHECK_LABEL = re.compile(r"^\s*(?:fact[- ]?check(?:ed)?|debunk(?:ed)?)\s*[:|–—-]\s*", re.IGNORECASE)


CLAIM_REPORTED = re.compile(
    r"\bclaims?\b|\bposts?\b|\bcirculat|\brumou?rs?\b|\bsays?\b|\balleg", re.IGNORECASE
)


CLAIM_SENTENCES = 3


FACT_CHECKS_STATE = "narratives.fact_checks"  # the stored fact-checks and catalogue last synced


def sync_stored_fact_checks(store: Store, encoder: Callable[[Sequence[str]], F32]) -> None:
    """Make a catalogue entry of each stored fact-check that no imported entry matches (and
    remove those an import has since matched, or whose article is gone). An entry is stored once
    and kept as it is: re-storing it would look like a new catalogue and redo every match."""
    checks = [article for article, title in store.titles() if FACT_CHECK_CUE.search(title)]
    # The same fact-checks against the same catalogue give the same entries: skip the matching.
    seen = hashlib.sha1("\n".join(checks).encode()).hexdigest()
    if analysis.state(store.db, FACT_CHECKS_STATE) == f"{seen}|{stored.signature(store.db)}":
        return
    made = {e.id: e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK}
    unanchored: list[CatalogueEntry] = []  # in the order the fact-checks were stored
    if checks:
        by_id = store.articles_by_id(checks)
        articles = [by_id[i] for i in checks if i in by_id]
        index = load_index(store, encoder, english=False, imported_only=True)
        found = best_matches(articles, index) if index.entries else [None] * len(articles)
        unanchored = [
            stored_fact_check_entry(a) for a, match in zip(articles, found, strict=True) if match is None
        ]
    keep = [e for e in unanchored if e.id in made]
    new = _one_per_claim(keep, [e for e in unanchored if e.id not in made], encoder)
    gone = [key for key in made if key not in {e.id for e in keep}]
    if new or gone:
        save_entries(store, new, encoder, forget=gone)
        group_cases(store)
    with store.transaction() as db:
        analysis.set_state(db, FACT_CHECKS_STATE, f"{seen}|{stored.signature(db)}")


def _one_per_claim(
    kept: list[CatalogueEntry], candidates: list[CatalogueEntry], encoder: Callable[[Sequence[str]], F32]
) -> list[CatalogueEntry]:
    """The candidates that refute a claim none of the entries before them refutes: fact-checks of
    one claim name one narrative (the later ones become its debunks). Two entries refute one claim
    when a sentence of one comes within JOIN_THRESHOLD of a sentence of the other (benchmark
    fact-checks of one claim: 0.85 and 0.97; of different claims: at most 0.46)."""
    if not candidates:
        return []
    everything = kept + candidates
    per_entry = [entry_sentences(e) for e in everything]
    vectors = encoder([s for group in per_entry for s in group])
    owner = np.repeat(np.arange(len(everything)), [len(g) for g in per_entry])
    chosen = list(range(len(kept)))
    for i in range(len(kept), len(everything)):
        mine = vectors[owner == i]
        earlier = vectors[np.isin(owner, chosen)]
        if not len(earlier) or float((mine @ earlier.T).max()) < JOIN_THRESHOLD:
            chosen.append(i)
    return [everything[i] for i in chosen[len(kept) :]]


def stored_fact_check_entry(article: Article) -> CatalogueEntry:
    """A stored fact-check as a catalogue entry: its headline without the "Fact check:" label, and
    the sentence that reports the claim it refutes ("Claims that ... are circulating again"), else
    its first sentence."""
    opening = sentences(article.text, article.language)[:CLAIM_SENTENCES]
    claim = next((s for s in opening if CLAIM_REPORTED.search(s)), opening[0] if opening else "")
    title = FACT_CHECK_LABEL.sub("", article.title or "").strip() or claim
    return CatalogueEntry(
        id=f"article:{article.id}",
        origin=STORED_FACT_CHECK,
        title=title,
        claim=claim or title,
        url=article.url,
        published=article.published,
        author=article.outlet,
        source=article.source,
    )
