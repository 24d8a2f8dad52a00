"""What is matched, read the same way everywhere: an input (a claim or an article) cleaned of what
posts carry besides the claim and cut to its first sentences, and the sentences that stand for a
catalogue entry."""

from __future__ import annotations

import re

from narratrace.ingest.metadata import detect_language
from narratrace.model import CatalogueEntry
from narratrace.sentences import sentences

MAX_INPUT_SENTENCES = 80  # a long article is judged on its first 80 sentences
# Bounds on what one input costs: a long article's first 100,000 characters hold its first 80
# sentences many times over, and text with no sentence breaks is read in pieces of a sentence's
# length (a 0.95 MB text without punctuation took 23 s to match, and held up the matches behind).
MAX_INPUT_CHARS = 100_000
MAX_SENTENCE_CHARS = 2_000
MAX_SUMMARY_SENTENCES = 3
# What social posts carry besides the claim: the "— Name (@handle) March 7, 2022" trailer of an
# embedded tweet, links and picture links. Removing them helps BM25 most.
TWEET_TRAILER = re.compile(r"\s*[—–]\s*[^—–]{0,80}\(@\w{1,15}\)\s*\w+ \d{1,2}, \d{4}\s*$")
LINKS = re.compile(r"pic\.twitter\.com/\w+|https?://\S+")
# Hashtags and handles carry words run together: #MyButtsBeenWiped, @PressSec, #COVID19.
TAG = re.compile(r"[#@](\w{2,30})")
TAG_WORD_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|_")


def clean_input(text: str) -> str:
    """An input claim or article without tweet trailers and links, its hashtags as words; only
    its first MAX_INPUT_CHARS are read."""
    text = LINKS.sub(" ", TWEET_TRAILER.sub("", text[:MAX_INPUT_CHARS])).strip()
    return TAG.sub(lambda tag: TAG_WORD_BREAK.sub(" ", tag.group(1)), text)


def input_sentences(text: str, max_sentences: int = MAX_INPUT_SENTENCES) -> list[str]:
    """The sentences an input is judged on: its first `max_sentences`, once cleaned."""
    return first_sentences(clean_input(text), max_sentences)


def first_sentences(cleaned: str, max_sentences: int) -> list[str]:
    found = (sentences(cleaned)[:max_sentences] or [cleaned]) if cleaned else []
    return [s[:MAX_SENTENCE_CHARS] for s in found]


def is_english(text: str) -> bool:
    """English, or too short for the detector and written in ASCII."""
    language = detect_language(text)
    return language == "en" or (language is None and text.isascii())


def entry_sentences(entry: CatalogueEntry) -> list[str]:
    """The sentences that stand for an entry: its title, its claim, the start of its summary."""
    chosen = [entry.title]
    if entry.claim and entry.claim != entry.title:
        chosen.append(entry.claim)
    chosen += sentences(entry.summary)[:MAX_SUMMARY_SENTENCES]
    return [s for s in chosen if s.strip()]


def entry_document(entry: CatalogueEntry) -> str:
    return " ".join(filter(None, (entry.title, entry.claim, entry.summary)))
