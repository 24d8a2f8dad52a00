"""The HTTP server under the web app: uvicorn's h11 protocol, with deadlines on reading a request.

uvicorn closes a connection that sits idle between two requests (keep-alive), but it waits for
ever on one that opens and then sends its request a byte at a time, or sends headers and then a
body that never ends: 200 such connections were held for as long as the client kept them. Here a
client has HEADER_SECONDS from connecting (or from the end of its last response) to finish its
headers, then BODY_SECONDS to finish its body. A client that misses a deadline gets
`408 Request Timeout` if no answer has begun, and the connection is closed; an app waiting for
that body is told the client went away.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

# Long enough for a person on a slow link to send a form (headers are a few hundred bytes), short
# enough that idle connections do not pile up: Apache's mod_reqtimeout allows 20 s for headers.
HEADER_SECONDS = 10.0
# The largest body the app reads is a match text of 1 MB: at a slow 50 KB/s that is 20 s.
BODY_SECONDS = 30.0
MAX_HEADER_BYTES = 64 * 1024
KEEP_ALIVE_SECONDS = 5
TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 35\r\nconnection: close\r\n\r\nthe request was not sent in time.\r\n"
)


class DeadlineProtocol(H11Protocol):
    """h11 with a deadline on each phase of reading a request: headers, then body."""

    deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(HEADER_SECONDS)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            return  # no request read yet, or between two: the headers' deadline stands
        if cycle is not before and cycle.more_body:
            self._arm(BODY_SECONDS)  # a new request's headers are in: its body's deadline
        elif not cycle.more_body:
            self._disarm()  # the request is read: the app answers in its own time

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm(HEADER_SECONDS)  # the next request on this connection

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _too_slow(self) -> None:
        self.deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete or not self.cycle.response_started:
            self.transport.write(TIMEOUT_ANSWER)
        self.transport.close()  # connection_lost tells h11 and a waiting app


def serve(app: Any, host: str, port: int) -> None:
    """Run `app` on host:port until Ctrl-C, with the deadlines above."""
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=DeadlineProtocol,
        log_level="warning",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
