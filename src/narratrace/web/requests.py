"""What a match request may ask, and how it is read: a JSON body or form data (a text or an
uploaded file), with the limits both routes share; an error says in one sentence what is wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile as StarletteUpload

MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # one article, or a page of claims
DEFAULT_K = 5
MAX_K = 50
MAX_TEXTS = 100  # texts in one JSON request
# A request stops taking texts on after this long: one text is bounded by the input caps (at most
# 0.3 s for 2 MB here), but 100 texts of 20,000 characters took 11 s, and a request holds a match
# slot that others wait for.
MATCH_SECONDS = 30.0
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
    503: {"model": Problem, "description": f"The texts took over {MATCH_SECONDS:.0f} s to match: send fewer"},
}


@dataclass(slots=True, frozen=True)
class MatchRequest:
    texts: list[str]
    k: int
    headline: str
    several: bool  # asked as `texts`: answered as a list


async def read_match_request(request: Request) -> MatchRequest:
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
        return MatchRequest(texts, checked_k(k), headline, "texts" in body)
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
    return MatchRequest([await input_text(text, upload)], checked_k(number), headline, False)


def checked_k(k: object) -> int:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
        raise HTTPException(422, f'"k" must be a whole number from 1 to {MAX_K}')
    return k


async def input_text(text: str, file: StarletteUpload | None) -> str:
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
