"""The pages: narratives, candidates, articles, search and the match form, rendered on the
server from the templates (no JavaScript). Article text is untrusted: templates autoescape it,
and search snippets are escaped before their match markers become <mark> tags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from narratrace.report.html import highlight
from narratrace.report.network import outlet_network_svg
from narratrace.report.timeline import timeline_svg
from narratrace.web.requests import MATCH_ERRORS, MATCH_FORM, MAX_OFFSET, NOT_FOUND, read_match_request
from narratrace.web.state import State

# the report's macros (claims and sources tables) are shared with the pages
TEMPLATES = Jinja2Templates(
    directory=[str(Path(__file__).parent / "templates"), str(Path(__file__).parent.parent / "report")]
)


router = APIRouter()


def snippet_html(snippet: str) -> Markup:
    """An FTS5 snippet with \\x02…\\x03 around matches: escape it, then mark the matches."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


@router.get("/", response_class=HTMLResponse)
def page_narratives(state: State, request: Request) -> HTMLResponse:
    context = {"narratives": state.narratives(), "stats": state.overview()}
    return TEMPLATES.TemplateResponse(request, "narratives.html", context)


@router.get("/candidates", response_class=HTMLResponse)
def page_candidates(state: State, request: Request) -> HTMLResponse:
    found, standing = state.candidates()
    return TEMPLATES.TemplateResponse(request, "candidates.html", {"candidates": found, "standing": standing})


@router.get("/narratives/{narrative_id}", response_class=HTMLResponse, responses=NOT_FOUND)
def page_narrative(state: State, request: Request, narrative_id: str) -> HTMLResponse:
    narrative, members, review, debunks = state.narrative(narrative_id)
    summary, pairs = state.narrative_evidence(narrative)
    return TEMPLATES.TemplateResponse(
        request,
        "narrative.html",
        {
            "n": narrative,
            "members": members,
            "review": review,
            "debunks": debunks,
            "timeline": Markup(timeline_svg(members, debunks, review)),
            "network": Markup(outlet_network_svg(pairs, {a.id: a for a in members})),
            "sources": summary,
        },
    )


@router.get("/articles", response_class=HTMLResponse)
def page_articles(
    state: State,
    request: Request,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> HTMLResponse:
    total, found = state.articles(offset, limit)
    context = {"articles": found, "total": total, "offset": offset, "limit": limit}
    return TEMPLATES.TemplateResponse(request, "articles.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse, responses=NOT_FOUND)
def page_article(state: State, request: Request, article_id: str) -> HTMLResponse:
    found = state.article(article_id)
    article = found.article
    copies: list[dict[str, Any]] = []
    for pair in found.pairs:
        mine_is_a = pair.a == article.id
        other = found.others.get(pair.b if mine_is_a else pair.a)
        spans = [(p.a_start, p.a_end) if mine_is_a else (p.b_start, p.b_end) for p in pair.passages]
        other_spans = [(p.b_start, p.b_end) if mine_is_a else (p.a_start, p.a_end) for p in pair.passages]
        copies.append(
            {
                "pair": pair,
                "other": other,
                "mine": highlight(article.text, [(a, b, "reused") for a, b in spans]),
                "theirs": highlight(other.text, [(a, b, "reused") for a, b in other_spans]) if other else "",
            }
        )
    return TEMPLATES.TemplateResponse(
        request,
        "article.html",
        {
            "a": article,
            "copies": copies,
            "evidence": found.evidence[0] if found.evidence else None,
            "skipped": found.evidence[1] if found.evidence else set(),
            "text": highlight(article.text, [(m.start, m.end, "embedded") for m in article.marks]),
            "narratives": state.narratives_of(article.id),
        },
    )


@router.get("/search", response_class=HTMLResponse)
def page_search(state: State, request: Request, q: str = "") -> HTMLResponse:
    hits = [(a, snippet_html(sn)) for a, sn in state.search(q)] if q.strip() else []
    return TEMPLATES.TemplateResponse(request, "search.html", {"q": q, "hits": hits})


@router.get("/match", response_class=HTMLResponse)
def page_match_form(request: Request) -> HTMLResponse:
    context = {"text": "", "headline": "", "results": None}
    return TEMPLATES.TemplateResponse(request, "match.html", context)


@router.post("/match", response_class=HTMLResponse, responses=MATCH_ERRORS, openapi_extra=MATCH_FORM)
async def page_match(state: State, request: Request) -> HTMLResponse:
    """The match form: the same request, limits and ranking as `/api/match`."""
    asked = await read_match_request(request)
    results = await run_in_threadpool(state.match, asked.texts[0], asked.k, asked.headline)
    context = {"text": asked.texts[0], "headline": asked.headline, "results": results}
    return TEMPLATES.TemplateResponse(request, "match.html", context)
