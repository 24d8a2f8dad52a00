"""The web app: the API's and the pages' routers (api.py, pages.py) over one `Served` store
(state.py), behind the guard (security.py). Views only read the store (matching reads the
catalogue index); nothing here computes an analysis."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from narratrace.web import api, pages
from narratrace.web.pages import TEMPLATES
from narratrace.web.security import Guard
from narratrace.web.state import Served


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
    app.state.served = Served(db_path)
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

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, error: ClientDisconnect) -> Response:
        """A client that left, or was cut off for sending its body too slowly (server.py), mid
        request: nobody reads this answer, and it is not a server error."""
        return Response("the client went away before its request was read", 408)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def page_login(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "login.html", {})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        """A browser gives the token once and keeps a session cookie, never the token."""
        form = await request.form()
        given = form.get("token", "")
        return guard.login(given if isinstance(given, str) else "")

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
