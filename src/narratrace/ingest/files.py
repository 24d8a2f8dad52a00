"""Checks every input file passes before a reader sees it: size, emptiness, binary, encoding."""

from __future__ import annotations

import codecs
import re

from narratrace.errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # a news page is rarely over 2 MB; 20 MB leaves headroom
BINARY_SNIFF_BYTES = 8192
# Share of control bytes above which a file is binary rather than text with a stray byte.
BINARY_CONTROL_SHARE = 0.1
# In a file of records, the share of bytes that are control bytes or not UTF-8 above which it is
# binary: random or compressed bytes give about 0.6, an image more; text with a few bad lines a
# few hundredths.
BINARY_RECORDS_SHARE = 0.3
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def is_binary(head: bytes) -> bool:
    return b"\x00" in head or len(CONTROL_BYTES.findall(head)) > BINARY_CONTROL_SHARE * len(head)


def is_binary_records(head: bytes) -> bool:
    """A file of records (JSONL, CSV) is binary when much of what it opens with is not text:
    control bytes and bytes that are not UTF-8 make up more than BINARY_RECORDS_SHARE of it. One
    bad line among good ones (a NUL byte, a stray non-UTF-8 byte) is that line's error, and the
    other lines are still read; an image or an archive named .jsonl is one error."""
    invalid = head.decode("utf-8", errors="replace").count("\ufffd")
    return len(CONTROL_BYTES.findall(head)) + invalid > BINARY_RECORDS_SHARE * len(head)


def is_utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def check_bytes(data: bytes, location: str) -> None:
    """Reject empty and binary content with a reason naming `location` (UTF-16 text with its
    byte-order mark is text)."""
    if not data.strip():
        raise InputError(location, "empty file")
    if not is_utf16(data) and is_binary(data[:BINARY_SNIFF_BYTES]):
        raise InputError(location, "binary file, not text; skipped")


def decode(data: bytes, location: str) -> str:
    """UTF-8 text (a BOM is dropped), or UTF-16 with its byte-order mark; anything else is
    reported, not guessed."""
    check_bytes(data, location)
    if is_utf16(data):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                location, f"not valid UTF-16 (offset {error.start}); convert it to UTF-8"
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            location,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); convert it to UTF-8",
        ) from None


def decode_html(data: bytes, location: str) -> str:
    """HTML bytes as text, trusting UTF-8 first, then the page's declared charset."""
    check_bytes(data, location)
    if is_utf16(data):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    # Legacy pages without a usable declaration are nearly always Windows-1252.
    return data.decode("cp1252", errors="replace")
