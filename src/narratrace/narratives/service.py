"""What the commands and the web app call of narratives/, in one place: catalogue import and
index (importing.py), the narrative run (run.py, with fact_checks.py and joining.py), matching
(matching.py), candidates and promotion (promoting.py)."""

from __future__ import annotations

from narratrace.narratives.fact_checks import FACT_CHECKS_STATE, stored_fact_check_entry
from narratrace.narratives.grouping import STORED_FACT_CHECK
from narratrace.narratives.importing import (
    ImportReport,
    english_vectors_of,
    group_cases,
    import_catalogue,
    kept_e5,
    load_index,
)
from narratrace.narratives.matching import (
    MemberSentences,
    member_sentences,
    rank_with_narratives,
    with_narratives,
)
from narratrace.narratives.promoting import discover, encode_for_discovery, promote, stored_candidates
from narratrace.narratives.run import current_narratives, update_narratives
from narratrace.narratives.thresholds import JOIN_THRESHOLD

__all__ = [
    "FACT_CHECKS_STATE",
    "JOIN_THRESHOLD",
    "STORED_FACT_CHECK",
    "ImportReport",
    "MemberSentences",
    "current_narratives",
    "discover",
    "encode_for_discovery",
    "english_vectors_of",
    "group_cases",
    "import_catalogue",
    "kept_e5",
    "load_index",
    "member_sentences",
    "promote",
    "rank_with_narratives",
    "stored_candidates",
    "stored_fact_check_entry",
    "update_narratives",
    "with_narratives",
]
