"""What the web app reads, kept between requests: the narratives grouped once per state of the
stored analyses, the catalogue index once per catalogue state, the alias table and candidate
narratives likewise. The routes (api.py, pages.py) ask this object; it asks the store and the
analyses' services, and holds no SQL of its own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from narratrace.aliases import AliasTable
from narratrace.claims import service as claims_service
from narratrace.model import Article, ArticleEvidence, Narrative, Reuse, SourceSummary
from narratrace.narratives import service
from narratrace.narratives.embed import encode
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.store import Store
from narratrace.store import reuse as stored_reuse
from narratrace.store.state import analyses_state, catalogue_state

# Two matches at a time, each on one core: the encoders' thread pools are held to one thread
# in the server, so two requests run side by side instead of taking turns on both cores.
MATCH_SLOTS = 2
SERVING_ENCODER = partial(encode, threads=1)


class Served:
    """The store at `db_path`, as the web app reads it."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._index: dict[str, CatalogueIndex] = {}
        self._index_lock = threading.Lock()
        self._match_slots = threading.BoundedSemaphore(MATCH_SLOTS)
        self._narratives: dict[str, tuple[list[Narrative], service.MemberSentences]] = {}
        self._aliases: dict[str, AliasTable] = {}

    @contextmanager
    def store(self) -> Iterator[Store]:
        opened = Store(self.db_path)
        try:
            yield opened
        finally:
            opened.close()

    def grouped(self) -> tuple[list[Narrative], service.MemberSentences]:
        """The narratives and their members' lede sentences, grouped once per state of the stored
        analyses, not once per request."""
        with self.store() as s:
            key = analyses_state(s.db)
            if key not in self._narratives:
                self._narratives.clear()
                found = service.current_narratives(s)
                self._narratives[key] = (found, service.member_sentences(s, found))
            return self._narratives[key]

    def narratives(self) -> list[Narrative]:
        return self.grouped()[0]

    def alias_table(self, s: Store) -> AliasTable:
        """The alias table (shipped rows and the user's), built once per state of the stored
        analyses, which an alias import changes: not two regexes compiled per search."""
        key = analyses_state(s.db)
        if key not in self._aliases:
            self._aliases.clear()
            self._aliases[key] = AliasTable(claims_service.alias_rows(s))
        return self._aliases[key]

    def candidates(self) -> tuple[list[Narrative], str]:
        """The candidate narratives the last `narratives --discover` stored, and how they stand
        (`current`, `stale`, `never`): discovery is an analysis, run by the command, not here."""
        with self.store() as s:
            return service.stored_candidates(s)

    def index(self) -> CatalogueIndex:
        """Loaded once per state of the catalogue; matching threads wait for the first load."""
        with self._index_lock, self.store() as s:
            key = catalogue_state(s.db)
            if key not in self._index:
                self._index.clear()
                self._index[key] = service.load_index(s, SERVING_ENCODER, keep=False)
            return self._index[key]

    def narratives_of(self, article_id: str) -> list[tuple[Narrative, str]]:
        """The narratives an article belongs to, and how: member, for review, or debunk."""
        found = []
        for narrative in self.narratives():
            for role, holders in (("member", narrative.articles), ("for review", narrative.review)):
                if article_id in holders:
                    found.append((narrative, role))
            if article_id in narrative.debunks:
                found.append((narrative, "debunk"))
        return found

    def narrative(self, narrative_id: str) -> tuple[Narrative, list[Article], list[Article], list[Article]]:
        """A narrative, its confident members, those for review and its debunks, as articles."""
        for narrative in self.narratives():
            if narrative.id == narrative_id:
                with self.store() as s:
                    # one query, not one per member
                    found = s.articles_by_id([*narrative.articles, *narrative.review, *narrative.debunks])
                members = [found[i] for i in narrative.articles if i in found]
                review = [found[i] for i in narrative.review if i in found]
                return narrative, members, review, [found[i] for i in narrative.debunks if i in found]
        raise HTTPException(404, f"no narrative {narrative_id!r}")

    def narrative_evidence(self, narrative: Narrative) -> tuple[SourceSummary, list[Reuse]]:
        """What the stored claims of a narrative's articles rest on, and the pairs among them."""
        with self.store() as s:
            found = claims_service.article_evidence(s, narrative.articles)
            pairs = sorted(
                stored_reuse.pairs_among(s.db, narrative.articles), key=lambda p: (p.kind, p.a, p.b)
            )
        return claims_service.summarise(narrative, found), pairs

    def article(self, article_id: str) -> ArticleView:
        """An article with its copy pairs, the other articles of those pairs, and its claims."""
        with self.store() as s:
            article = s.get_article(article_id)
            if article is None:
                raise HTTPException(404, f"no article {article_id!r}")
            pairs = list(stored_reuse.pairs(s.db, article.id))
            others = s.articles_by_id([p.b if p.a == article.id else p.a for p in pairs])
            evidence = next(iter(claims_service.article_evidence(s, [article.id])), None)
        return ArticleView(article, pairs, others, evidence)

    def articles(self, offset: int, limit: int) -> tuple[int, list[Article]]:
        """How many articles are stored, and a page of them, newest stored first."""
        with self.store() as s:
            return s.overview()["articles"], s.article_page(offset, limit)

    def overview(self) -> dict[str, Any]:
        with self.store() as s:
            return s.overview()

    def search(self, query: str, limit: int = 50) -> list[tuple[Article, str]]:
        """Full-text search through every spelling of the names the query holds."""
        with self.store() as s:
            return s.search(query, limit, self.alias_table(s).spellings)

    def match(self, text: str, k: int, headline: str = "") -> list[dict[str, Any]]:
        """The `k` best claims for `text` (an article's `headline` if given), as dicts: what the
        match page and `POST /api/match` both answer."""
        with self._match_slots:
            stored_narratives, members = self.grouped()
            (found,) = service.rank_with_narratives(
                self.index(), [text], stored_narratives, k, [headline or None], members
            )
        return [asdict(m) for m in found]


@dataclass(slots=True, frozen=True)
class ArticleView:
    """An article as its page shows it: its copy pairs, the other article of each, its claims."""

    article: Article
    pairs: list[Reuse]
    others: dict[str, Article]
    evidence: tuple[ArticleEvidence, set[int]] | None


def served(request: Request) -> Served:
    """The app's `Served` store, for a route to depend on."""
    found: Served = request.app.state.served
    return found


State = Annotated[Served, Depends(served)]
