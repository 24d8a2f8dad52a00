"""The local web UI and its HTTP API: server-rendered pages, each with a JSON twin under /api."""

from narratrace.web.app import create_app

__all__ = ["create_app"]
