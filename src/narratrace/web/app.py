"""FastAPI application: pages for narratives, articles, search and matching, and their JSON twins.

Views only read the store (matching reads the catalogue index); nothing here computes an
analysis. Article text is untrusted: templates autoescape it, and search snippets are escaped
before their match markers become <mark> tags.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException as StarletteHTTPException

from narratrace.aliases import AliasTable
from narratrace.claims import service as claims_service
from narratrace.export import article_row, evidence_json, narrative_row, pair_row, sources_json
from narratrace.model import ArticleEvidence, Narrative, Reuse, SourceSummary
from narratrace.narratives import service
from narratrace.narratives.embed import encode
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.report.html import highlight
from narratrace.report.network import outlet_network_svg
from narratrace.report.timeline import timeline_svg
from narratrace.store import Store
from narratrace.store import reuse as stored_reuse
from narratrace.web.security import Guard

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # one article, or a page of claims
DEFAULT_K = 5
MAX_K = 50
MAX_TEXTS = 100  # texts in one JSON request
MAX_HEADLINE = 1000
MAX_OFFSET = 10**12  # an article page's offset: SQLite's integers stop at 2**63
FORM_BODY: dict[str, Any] = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "file": {"type": "string", "format": "binary"},
                "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
                "headline": {"type": "string", "maxLength": MAX_HEADLINE},
            },
        }
    }
}
MATCH_REQUEST: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "texts": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_TEXTS},
                        "k": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": DEFAULT_K},
                        "headline": {"type": "string", "maxLength": MAX_HEADLINE},
                    },
                }
            },
            **FORM_BODY,
        }
    }
}
MATCH_FORM: dict[str, Any] = {"requestBody": {"content": FORM_BODY}}
Upload = Annotated[UploadFile | None, File()]


class Problem(BaseModel):
    """An error a request caused, said in one sentence."""

    detail: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such object"}}
INPUT_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The upload is not UTF-8 text"},
    413: {"model": Problem, "description": "The text or upload is over the size limit"},
}
MATCH_ERRORS: dict[int | str, dict[str, Any]] = {
    **INPUT_ERRORS,
    422: {"model": Problem, "description": "The body cannot be read as a match request"},
}
# the report's macros (claims and sources tables) are shared with the pages
TEMPLATES = Jinja2Templates(
    directory=[str(Path(__file__).parent / "templates"), str(Path(__file__).parent.parent / "report")]
)


def snippet_html(snippet: str) -> Markup:
    """An FTS5 snippet with \\x02…\\x03 around matches: escape it, then mark the matches."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


# Two matches at a time, each on one core: the encoders' thread pools are held to one thread
# in the server, so two requests run side by side instead of taking turns on both cores.
MATCH_SLOTS = 2
SERVING_ENCODER = partial(encode, threads=1)


def create_app(db_path: Path, token: str | None = None, hosts: frozenset[str] | None = None) -> FastAPI:
    """The app over the store at `db_path`; `token`, when given, is required (security.py), and
    `hosts`, when given, are the only Host names answered."""
    # no /docs or /redoc: they load scripts from a CDN, and this UI works offline
    app = FastAPI(
        title="narratrace",
        description="Copies, narratives and their evidence, from one local store.",
        docs_url=None,
        redoc_url=None,
    )
    index_cache: dict[str, CatalogueIndex] = {}
    index_lock = threading.Lock()
    match_slots = threading.BoundedSemaphore(MATCH_SLOTS)
    narratives_cache: dict[str, tuple[list[Narrative], service.MemberSentences]] = {}
    candidates_cache: dict[str, list[Narrative]] = {}
    aliases_cache: dict[str, AliasTable] = {}
    candidates_lock = threading.Lock()

    @contextmanager
    def store() -> Iterator[Store]:
        opened = Store(db_path)
        try:
            yield opened
        finally:
            opened.close()

    guard = Guard(token, hosts)
    app.middleware("http")(guard)

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, error: StarletteHTTPException) -> Response:
        """A page's error as a page (a missing article is a 404 page, not raw JSON); the API's as
        JSON, as documented."""
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return await http_exception_handler(request, error)
        context = {"status": error.status_code, "detail": error.detail}
        return TEMPLATES.TemplateResponse(request, "error.html", context, status_code=error.status_code)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def page_login(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "login.html", {})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        """A browser gives the token once and keeps a session cookie, never the token."""
        form = await request.form()
        given = form.get("token", "")
        return guard.login(given if isinstance(given, str) else "")

    def grouped() -> tuple[list[Narrative], service.MemberSentences]:
        """The narratives and their members' lede sentences, grouped once per state of the stored
        analyses, not once per request."""
        with store() as s:
            key = analyses_state(s)
            if key not in narratives_cache:
                narratives_cache.clear()
                found = service.current_narratives(s)
                narratives_cache[key] = (found, service.member_sentences(s, found))
            return narratives_cache[key]

    def narratives() -> list[Narrative]:
        return grouped()[0]

    def alias_table(s: Store) -> AliasTable:
        """The alias table (shipped rows and the user's), built once per state of the stored
        analyses, which an alias import changes: not two regexes compiled per search."""
        key = analyses_state(s)
        if key not in aliases_cache:
            aliases_cache.clear()
            aliases_cache[key] = AliasTable(claims_service.alias_rows(s))
        return aliases_cache[key]

    def candidates() -> list[Narrative]:
        """Candidate narratives (discovery.py), found once per state of the stored analyses: the
        first request after a change encodes the ledes that no `narratives --discover` run has
        kept (the web app stores nothing)."""
        with candidates_lock, store() as s:
            key = analyses_state(s)
            if key not in candidates_cache:
                candidates_cache.clear()
                candidates_cache[key] = service.discover(s, narratives(), SERVING_ENCODER, keep=False)
            return candidates_cache[key]

    def index() -> CatalogueIndex:
        """Loaded once per state of the catalogue; matching threads wait for the first load."""
        with index_lock, store() as s:
            key = catalogue_state(s)
            if key not in index_cache:
                index_cache.clear()
                index_cache[key] = service.load_index(s, SERVING_ENCODER, keep_e5=False)
            return index_cache[key]

    def narratives_of(article_id: str) -> list[tuple[Narrative, str]]:
        """The narratives an article belongs to, and how: member, for review, or debunk."""
        found = []
        for narrative in narratives():
            for role, holders in (("member", narrative.articles), ("for review", narrative.review)):
                if article_id in holders:
                    found.append((narrative, role))
            if article_id in narrative.debunks:
                found.append((narrative, "debunk"))
        return found

    def narrative_data(narrative_id: str) -> tuple[Narrative, list[Any], list[Any], list[Any]]:
        """A narrative, its confident members, those for review and its debunks, as articles."""
        for narrative in narratives():
            if narrative.id == narrative_id:
                with store() as s:
                    # one query, not one per member
                    found = s.articles_by_id([*narrative.articles, *narrative.review, *narrative.debunks])
                members = [found[i] for i in narrative.articles if i in found]
                review = [found[i] for i in narrative.review if i in found]
                return narrative, members, review, [found[i] for i in narrative.debunks if i in found]
        raise HTTPException(404, f"no narrative {narrative_id!r}")

    def narrative_evidence(narrative: Narrative) -> tuple[SourceSummary, list[Reuse]]:
        """What the stored claims of a narrative's articles rest on, and the pairs among them."""
        with store() as s:
            found = claims_service.article_evidence(s, narrative.articles)
            pairs = sorted(
                stored_reuse.pairs_among(s.db, narrative.articles), key=lambda p: (p.kind, p.a, p.b)
            )
        return claims_service.summarise(narrative, found), pairs

    def article_data(article_id: str) -> dict[str, Any]:
        with store() as s:
            article = s.get_article(article_id)
            if article is None:
                raise HTTPException(404, f"no article {article_id!r}")
            pairs = list(stored_reuse.pairs(s.db, article.id))
            others = s.articles_by_id([p.b if p.a == article.id else p.a for p in pairs])
            evidence = next(iter(claims_service.article_evidence(s, [article.id])), None)
        return {"article": article, "pairs": pairs, "others": others, "evidence": evidence}

    def match_results(text: str, k: int, headline: str = "") -> list[dict[str, Any]]:
        with match_slots:
            stored_narratives, members = grouped()
            (found,) = service.rank_with_narratives(
                index(), [text], stored_narratives, k, [headline or None], members
            )
        return [asdict(m) for m in found]

    # JSON API ---------------------------------------------------------------------------

    @app.get("/api/narratives")
    def api_narratives() -> list[dict[str, Any]]:
        return [narrative_row(n) for n in narratives()]

    @app.get("/api/candidates")
    def api_candidates() -> list[dict[str, Any]]:
        return [narrative_row(n) for n in candidates()]

    @app.get("/api/narratives/{narrative_id}", responses=NOT_FOUND)
    def api_narrative(narrative_id: str) -> dict[str, Any]:
        narrative, members, review, debunks = narrative_data(narrative_id)
        summary, _ = narrative_evidence(narrative)
        return {
            **narrative_row(narrative),
            "members": [article_row(a) for a in members],
            "review_members": [article_row(a) for a in review],
            "debunk_articles": [article_row(a) for a in debunks],
            "sources": sources_json(summary),
        }

    @app.get("/api/articles")
    def api_articles(
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> dict[str, Any]:
        """Articles newest stored first, a page at a time."""
        with store() as s:
            total = s.overview()["articles"]
            return {"total": total, "articles": [article_row(a) for a in s.article_page(offset, limit)]}

    @app.get("/api/articles/{article_id}", responses=NOT_FOUND)
    def api_article(article_id: str) -> dict[str, Any]:
        found = article_data(article_id)
        article = found["article"]
        return {
            **article_row(article),
            "removed": [asdict(s) for s in article.removed],
            "marks": [asdict(m) for m in article.marks],
            "pairs": [pair_row(p) for p in found["pairs"]],
            **_claims_json(found["evidence"]),
        }

    @app.get("/api/search")
    def api_search(q: str, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
        with store() as s:
            found = s.search(q, limit, alias_table(s).spellings)
            return [{**article_row(a), "snippet": str(snippet_html(sn))} for a, sn in found]

    @app.post("/api/match", responses=MATCH_ERRORS, openapi_extra=MATCH_REQUEST)
    async def api_match(request: Request) -> dict[str, Any]:
        """Match a text, or several: a JSON body (`{"text": ...}` or `{"texts": [...]}`, with `k`
        and an article's `headline` if wanted), or form data (`text` or an uploaded `file`, `k`,
        `headline`). At most `k` results per text, one per claim, best first. Several texts
        answer `{"results": [...]}`, one per text, in order."""
        asked = await _match_request(request)
        # Matching is CPU work: in the thread pool, so that requests run on every core and the
        # event loop keeps serving the pages meanwhile.
        results = []
        for text in asked.texts:
            found = await run_in_threadpool(match_results, text, asked.k, asked.headline)
            results.append({"input": text[:200], "matches": found})
        return {"results": results} if asked.several else results[0]

    # pages ------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def page_narratives(request: Request) -> HTMLResponse:
        with store() as s:
            stats = s.overview()
        return TEMPLATES.TemplateResponse(
            request, "narratives.html", {"narratives": narratives(), "stats": stats}
        )

    @app.get("/candidates", response_class=HTMLResponse)
    def page_candidates(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "candidates.html", {"candidates": candidates()})

    @app.get("/narratives/{narrative_id}", response_class=HTMLResponse, responses=NOT_FOUND)
    def page_narrative(request: Request, narrative_id: str) -> HTMLResponse:
        narrative, members, review, debunks = narrative_data(narrative_id)
        summary, pairs = narrative_evidence(narrative)
        return TEMPLATES.TemplateResponse(
            request,
            "narrative.html",
            {
                "n": narrative,
                "members": members,
                "review": review,
                "debunks": debunks,
                "timeline": Markup(timeline_svg(members)),
                "network": Markup(outlet_network_svg(pairs, {a.id: a for a in members})),
                "sources": summary,
            },
        )

    @app.get("/articles", response_class=HTMLResponse)
    def page_articles(
        request: Request,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> HTMLResponse:
        with store() as s:
            total = s.overview()["articles"]
            found = s.article_page(offset, limit)
        context = {"articles": found, "total": total, "offset": offset, "limit": limit}
        return TEMPLATES.TemplateResponse(request, "articles.html", context)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, responses=NOT_FOUND)
    def page_article(request: Request, article_id: str) -> HTMLResponse:
        found = article_data(article_id)
        article = found["article"]
        copies = []
        for pair in found["pairs"]:
            mine_is_a = pair.a == article.id
            other = found["others"].get(pair.b if mine_is_a else pair.a)
            spans = [(p.a_start, p.a_end) if mine_is_a else (p.b_start, p.b_end) for p in pair.passages]
            other_spans = [(p.b_start, p.b_end) if mine_is_a else (p.a_start, p.a_end) for p in pair.passages]
            copies.append(
                {
                    "pair": pair,
                    "other": other,
                    "mine": highlight(article.text, [(a, b, "reused") for a, b in spans]),
                    "theirs": highlight(other.text, [(a, b, "reused") for a, b in other_spans])
                    if other
                    else "",
                }
            )
        return TEMPLATES.TemplateResponse(
            request,
            "article.html",
            {
                "a": article,
                "copies": copies,
                "evidence": found["evidence"][0] if found["evidence"] else None,
                "skipped": found["evidence"][1] if found["evidence"] else set(),
                "text": highlight(article.text, [(m.start, m.end, "embedded") for m in article.marks]),
                "narratives": narratives_of(article.id),
            },
        )

    @app.get("/search", response_class=HTMLResponse)
    def page_search(request: Request, q: str = "") -> HTMLResponse:
        with store() as s:
            spellings = alias_table(s).spellings
            hits = [(a, snippet_html(sn)) for a, sn in s.search(q, spellings=spellings)] if q.strip() else []
        return TEMPLATES.TemplateResponse(request, "search.html", {"q": q, "hits": hits})

    @app.get("/match", response_class=HTMLResponse)
    def page_match_form(request: Request) -> HTMLResponse:
        context = {"text": "", "headline": "", "results": None}
        return TEMPLATES.TemplateResponse(request, "match.html", context)

    @app.post("/match", response_class=HTMLResponse, responses=MATCH_ERRORS, openapi_extra=MATCH_FORM)
    async def page_match(request: Request) -> HTMLResponse:
        """The match form: the same request, limits and ranking as `/api/match`."""
        asked = await _match_request(request)
        results = await run_in_threadpool(match_results, asked.texts[0], asked.k, asked.headline)
        context = {"text": asked.texts[0], "headline": asked.headline, "results": results}
        return TEMPLATES.TemplateResponse(request, "match.html", context)

    return app


@dataclass(slots=True, frozen=True)
class MatchRequest:
    texts: list[str]
    k: int
    headline: str
    several: bool  # asked as `texts`: answered as a list


async def _match_request(request: Request) -> MatchRequest:
    """What a match request asks, read from its JSON or form body; 422 says what is wrong."""
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        raw = await request.body()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"body over the {MAX_UPLOAD_BYTES:,}-byte limit")
        try:
            body = json.loads(raw)
        except ValueError as error:
            raise HTTPException(422, f"the body is not valid JSON: {error}") from None
        if not isinstance(body, dict) or ("text" in body) == ("texts" in body):
            raise HTTPException(422, 'the JSON body must be an object with "text" (a string) or "texts"')
        texts = [body["text"]] if "text" in body else body["texts"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise HTTPException(422, '"text" must be a string and "texts" a list of strings')
        if not 1 <= len(texts) <= MAX_TEXTS:
            raise HTTPException(422, f'"texts" must hold 1 to {MAX_TEXTS} strings')
        k, headline = body.get("k", DEFAULT_K), body.get("headline", "")
        if not isinstance(headline, str) or len(headline) > MAX_HEADLINE:
            raise HTTPException(422, f'"headline" must be a string of at most {MAX_HEADLINE} characters')
        return MatchRequest(texts, _checked_k(k), headline, "texts" in body)
    try:
        form = await request.form(max_part_size=MAX_UPLOAD_BYTES + 1)
    except Exception as error:  # a body the form parser cannot read (Starlette says why in its text)
        if "maximum size" in str(error) or "maximum size" in str(getattr(error, "detail", "")):
            raise HTTPException(413, f"text over the {MAX_UPLOAD_BYTES:,}-byte limit") from None
        raise HTTPException(422, f"the body is neither JSON nor form data: {error}") from None
    text, file, headline = form.get("text", ""), form.get("file"), form.get("headline", "")
    if not isinstance(text, str) or not isinstance(headline, str) or len(headline) > MAX_HEADLINE:
        raise HTTPException(422, f'"text" and "headline" must be text (headline: {MAX_HEADLINE} characters)')
    k = form.get("k", str(DEFAULT_K))
    try:
        number = int(k) if isinstance(k, str) else -1
    except ValueError:
        number = -1
    upload = file if isinstance(file, StarletteUpload) else None
    return MatchRequest([await _input_text(text, upload)], _checked_k(number), headline, False)


def _checked_k(k: object) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise HTTPException(422, f'"k" must be a whole number from 1 to {MAX_K}')
    return k


async def _input_text(text: str, file: StarletteUpload | None) -> str:
    """The text to match: the form field, else the uploaded file (size-limited, UTF-8)."""
    if file is not None and file.filename:
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(413, f"{file.filename}: upload over the {MAX_UPLOAD_BYTES:,}-byte limit")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise HTTPException(400, f"{file.filename}: not valid UTF-8 (offset {error.start})") from None
    if len(text.encode()) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"text over the {MAX_UPLOAD_BYTES:,}-byte limit")
    return text  # empty text matches nothing


def _claims_json(found: tuple[ArticleEvidence, set[int]] | None) -> dict[str, Any]:
    if found is None:
        return {"claims": [], "entities": []}
    view = evidence_json(found[0], found[1], None)
    return {"claims": view["claims"], "entities": view["entities"]}


def analyses_state(store: Store) -> str:
    """Changes whenever an analysis stores new results: every run records how far it got, and
    the newest row ids catch anything written without a run (a catalogue import, a reset). Row
    ids, not counts: reading them costs the same for 100 rows and for 100,000, on every request."""
    state = store.db.execute("SELECT group_concat(name || '=' || value) FROM analysis_state").fetchone()[0]
    return f"{state}|{catalogue_state(store)}|{tuple(store.db.execute(NEWEST_ROWS).fetchone())}"


# An alias import (INSERT OR REPLACE: a new row id) renames narratives' key entities; members'
# stored ledes are what `match` compares unseen inputs with.
NEWEST_ROWS = (
    "SELECT (SELECT MAX(rowid) FROM narrative_matches), (SELECT MAX(rowid) FROM reuse_pairs), "
    "(SELECT MAX(rowid) FROM aliases), (SELECT MAX(rowid) FROM member_ledes)"
)


def catalogue_state(store: Store) -> str:
    """Changes when entries are imported (a re-imported entry is a new row)."""
    newest = store.db.execute(
        "SELECT (SELECT MAX(rowid) FROM catalogue), (SELECT MAX(rowid) FROM catalogue_english)"
    ).fetchone()
    return str(tuple(newest))
