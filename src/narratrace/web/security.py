"""What guards the local server: the token, the hosts it answers to, cross-site requests, and the
headers that tell a browser to run nothing a page does not need.

- Token mode: API clients send `Authorization: Bearer TOKEN`. A browser exchanges the token once
  at `/login` for a session cookie (HttpOnly, SameSite=Strict), so links work and the token never
  sits in an address, a history or a log. Tokens shorter than MIN_TOKEN are refused.
- Hosts: a server on loopback answers only to loopback names, so a web page elsewhere cannot
  reach it through a rebound DNS name.
- Cross-site requests: a POST whose Origin is another site is refused (a browser always sends
  Origin with one); API clients, which send none, are not affected.
- Headers: a content security policy with no scripts at all (the pages have none), no framing,
  no MIME sniffing, no referrer to other sites.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

MIN_TOKEN = 16
SESSION_COOKIE = "narratrace_session"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
OPEN_PATHS = frozenset({"/login"})  # reachable without the token: where it is given
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # "no-referrer" would make a browser send `Origin: null` with the pages' own form posts
    "Referrer-Policy": "same-origin",
}


def check_token(token: str | None) -> None:
    if token is not None and len(token) < MIN_TOKEN:
        raise ValueError(f"the token must be {MIN_TOKEN} characters or more (it is {len(token)})")


class Guard:
    """The checks every request passes, in order: host, cross-site POST, token or session."""

    def __init__(self, token: str | None, hosts: frozenset[str] | None) -> None:
        check_token(token)
        self.token = token
        self.hosts = hosts
        self.session = secrets.token_urlsafe(32)  # what a browser's cookie holds, not the token

    def token_matches(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def login(self, given: str) -> Response:
        """The answer to a login form: the session cookie and a way home, or 401."""
        if not self.token_matches(given):
            return JSONResponse({"detail": "wrong token"}, 401)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, self.session, httponly=True, samesite="strict")
        return response

    async def __call__(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        refused = self._refusal(request)
        response = refused if refused is not None else await call_next(request)
        response.headers.update(HEADERS)
        return response

    def _refusal(self, request: Request) -> Response | None:
        host = _host_name(request.headers.get("host", ""))
        if self.hosts is not None and host not in self.hosts:
            return JSONResponse({"detail": f"this server does not answer to the host {host!r}"}, 400)
        origin = request.headers.get("origin")
        if request.method == "POST" and origin is not None and _host_name(urlsplit(origin).netloc) != host:
            return JSONResponse({"detail": "cross-site requests are refused"}, 403)
        if self.token is None or request.url.path in OPEN_PATHS:
            return None
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        cookie = request.cookies.get(SESSION_COOKIE, "")
        if self.token_matches(bearer) or hmac.compare_digest(cookie.encode(), self.session.encode()):
            return None
        if "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/login", status_code=303)
        return JSONResponse({"detail": "a token is required: Authorization: Bearer TOKEN"}, 401)


def _host_name(host: str) -> str:
    """The name in a Host header or an origin's address, without its port."""
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
