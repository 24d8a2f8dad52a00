"""The JSON API under /api: the twin of each page, described at /openapi.json."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from narratrace.export import article_row, evidence_json, narrative_row, pair_row, sources_json
from narratrace.web.pages import snippet_html
from narratrace.web.requests import (
    MATCH_ERRORS,
    MATCH_REQUEST,
    MATCH_SECONDS,
    MAX_OFFSET,
    NOT_FOUND,
    read_match_request,
)
from narratrace.web.state import State

router = APIRouter(prefix="/api")


def links(**found: tuple[str, str, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links from a route's answer to the routes its ids open: name=(operation, parameter,
    JSON pointer into the answer). Clients and schemathesis's stateful runs follow them with ids
    the store really holds."""
    return {
        200: {
            "description": "Successful Response",
            "links": {
                name: {"operationId": operation, "parameters": {parameter: f"$response.body#{pointer}"}}
                for name, (operation, parameter, pointer) in found.items()
            },
        }
    }


@router.get(
    "/narratives", operation_id="narratives", responses=links(first=("narrative", "narrative_id", "/0/id"))
)
def api_narratives(state: State) -> list[dict[str, Any]]:
    return [narrative_row(n) for n in state.narratives()]


@router.get("/candidates", operation_id="candidates")
def api_candidates(state: State) -> list[dict[str, Any]]:
    """The candidates the last `narratrace narratives --discover` stored (none before one has
    run; the page says whether the analyses have changed since)."""
    return [narrative_row(n) for n in state.candidates()[0]]


@router.get(
    "/narratives/{narrative_id}",
    operation_id="narrative",
    responses=NOT_FOUND
    | links(
        member=("article", "article_id", "/members/0/id"),
        review_member=("article", "article_id", "/review_members/0/id"),
        debunk=("article", "article_id", "/debunk_articles/0/id"),
    ),
)
def api_narrative(state: State, narrative_id: str) -> dict[str, Any]:
    narrative, members, review, debunks = state.narrative(narrative_id)
    summary, _ = state.narrative_evidence(narrative)
    return {
        **narrative_row(narrative),
        "members": [article_row(a) for a in members],
        "review_members": [article_row(a) for a in review],
        "debunk_articles": [article_row(a) for a in debunks],
        "sources": sources_json(summary),
    }


@router.get(
    "/articles",
    operation_id="articles",
    responses=links(first=("article", "article_id", "/articles/0/id")),
)
def api_articles(
    state: State,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Articles newest stored first, a page at a time."""
    total, page = state.articles(offset, limit)
    return {"total": total, "articles": [article_row(a) for a in page]}


@router.get("/articles/{article_id}", operation_id="article", responses=NOT_FOUND)
def api_article(state: State, article_id: str) -> dict[str, Any]:
    found = state.article(article_id)
    article = found.article
    claims = evidence_json(*found.evidence, None) if found.evidence else {"claims": [], "entities": []}
    return {
        **article_row(article),
        "removed": [asdict(s) for s in article.removed],
        "marks": [asdict(m) for m in article.marks],
        "pairs": [pair_row(p) for p in found.pairs],
        "claims": claims["claims"],
        "entities": claims["entities"],
    }


@router.get("/search", operation_id="search", responses=links(first=("article", "article_id", "/0/id")))
def api_search(state: State, q: str, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[dict[str, Any]]:
    return [{**article_row(a), "snippet": str(snippet_html(sn))} for a, sn in state.search(q, limit)]


@router.post("/match", operation_id="match", responses=MATCH_ERRORS, openapi_extra=MATCH_REQUEST)
async def api_match(state: State, request: Request) -> dict[str, Any]:
    """Match a text, or several: a JSON body (`{"text": ...}` or `{"texts": [...]}`, with `k`
    and an article's `headline` if wanted), or form data (`text` or an uploaded `file`, `k`,
    `headline`). At most `k` results per text, one per claim, best first. Several texts
    answer `{"results": [...]}`, one per text, in order."""
    asked = await read_match_request(request)
    # Matching is CPU work: in the thread pool, so that requests run on every core and the
    # event loop keeps serving the pages meanwhile.
    results = []
    started = time.monotonic()
    for n, text in enumerate(asked.texts):
        if time.monotonic() - started > MATCH_SECONDS:
            raise HTTPException(
                503,
                f"matching took over {MATCH_SECONDS:.0f} s: {n} of {len(asked.texts)} texts were matched; "
                "send fewer at once",
            )
        found = await run_in_threadpool(state.match, text, asked.k, asked.headline)
        results.append({"input": text[:200], "matches": found})
    return {"results": results} if asked.several else results[0]
