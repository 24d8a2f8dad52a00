"""On the seeds: every Sputnik and SANA attribution, each anonymous source, the Russian Defense
Ministry and the UN envoys are found, with their chains, and no claim rests on a named eyewitness."""

from __future__ import annotations

import pytest

from narratrace.aliases import AliasTable, shipped_rows
from narratrace.claims.extract import analyse
from narratrace.ingest.prepare import prepare
from narratrace.model import ArticleEvidence, Citation, RawDocument
from tests.conftest import seed_path


def seed(prefix: str) -> ArticleEvidence:
    path = seed_path(prefix)
    text = path.read_text(encoding="utf-8")
    article = prepare(RawDocument(source=str(path), line=None, raw=text, kind="text", body=text))
    return analyse(prefix, article.text, "en", AliasTable(shipped_rows()))


def cited(evidence: ArticleEvidence) -> list[tuple[str, Citation]]:
    return [(c.text, t) for c in evidence.claims for t in c.citations if t.kind != "unsourced"]


def find(evidence: ArticleEvidence, sentence_start: str) -> Citation:
    for text, citation in cited(evidence):
        if text.startswith(sentence_start):
            return citation
    raise AssertionError(f"no citation for {sentence_start!r}: {[t for t, _ in cited(evidence)]}")


@pytest.mark.parametrize(
    ("prefix", "sentence", "source", "kind", "via"),
    [
        (
            "000",
            "The source from the town of al-Hasakah",
            "The source from the town of al-Hasakah (north-east part of Syria)",
            "anonymous",
            "Sputnik",
        ),
        ("000", "According to the source", "the source", "anonymous", "Sputnik"),
        ("000", "This news comes on the hot heels", "Iraqi media", "media", None),
        ("000", "According to their sources", "their sources", "anonymous", "Iraqi media"),
        ("000", "In December 2017, the Russian Defense", "the Russian Defense Ministry", "institution", None),
        ("000", "According to the refugee testimonies", "the refugee testimonies", "anonymous", None),
        ("000", "Eyewitnesses also reported", "Eyewitnesses", "anonymous", None),
        (
            "001",
            "One witness from the town of al-Hasakah",
            "One witness from the town of al-Hasakah",
            "anonymous",
            "Sputnik",
        ),
        ("001", "Sputnik news reports: According to the source", "the source", "anonymous", "Sputnik"),
        ("002", "The official Syrian news agency SANA", "local sources", "anonymous", "SANA"),
        ("003", "Sources told Russia", "Sources", "anonymous", "Sputnik"),
        ("003", "The sources said", "The sources", "anonymous", "Sputnik"),
        (
            "003",
            "Speaking at a Security Council meeting",
            "Syria's Permanent Representative to the UN Bassam Sabbagh",
            "named_person",
            None,
        ),
        (
            "003",
            "Meanwhile, Russia's Deputy UN Ambassador",
            "Russia's Deputy UN Ambassador Dmitry Polyanskiy",
            "named_person",
            None,
        ),
        ("003", "The United Nations and its humanitarian", "the Russian envoy", "named_person", None),
        ("004", "Syria’s official news agency, SANA", "local sources", "anonymous", "SANA"),
        ("004", "The US forces used a convoy", "local sources", "anonymous", "SANA"),
    ],
)
def test_seed_attributions(prefix: str, sentence: str, source: str, kind: str, via: str | None) -> None:
    citation = find(seed(prefix), sentence)
    assert (citation.source, citation.kind, citation.via) == (source, kind, via)


def test_canonical_names_of_the_seed_sources() -> None:
    evidence = seed("000")
    assert find(evidence, "In December 2017").canonical == "Russian Defence Ministry"
    assert find(seed("003"), "Speaking at a Security").canonical == "Bassam Sabbagh"


def test_no_seed_claim_rests_on_a_named_eyewitness() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        for _, citation in cited(seed(prefix)):
            assert not (citation.eyewitness and citation.kind == "named_person"), citation


def test_seed_entities_are_normalised() -> None:
    names = {(m.text, m.canonical) for m in seed("002").entities}
    assert ("Dayr al-Zawr", "Deir ez-Zor") in names
    assert ("al-Shadadi", "al-Shaddadi") in names
    assert ("Daesh", "Islamic State") in names
    assert any(m.type == "number" and m.text == "at least ten" for m in seed("002").entities)
    assert ("al-Sina'a prison", "Ghwayran prison") in {(m.text, m.canonical) for m in seed("003").entities}


def test_an_article_in_a_language_without_a_lexicon_gets_entities_and_no_claims() -> None:
    evidence = analyse("ar", "قال مصدر إن داعش في الحسكة.", "ar", AliasTable(shipped_rows()))
    assert evidence.claims == ()
    assert {m.canonical for m in evidence.entities} == {"Islamic State", "Hasakah"}


def test_a_surname_alone_takes_the_full_name_it_was_introduced_with() -> None:
    text = (
        "Wales coach Mike Ruddock says the clash was accidental. "
        '"It is up to the commissioner," said Ruddock. Ruddock also praised the team.'
    )
    evidence = analyse("x", text, "en", AliasTable(shipped_rows()))
    people = {(m.text, m.canonical) for m in evidence.entities if m.type == "person"}
    assert people == {("Mike Ruddock", "Mike Ruddock"), ("Ruddock", "Mike Ruddock")}
    said = [t for c in evidence.claims for t in c.citations if t.kind != "unsourced"]
    assert [(t.source, t.kind) for t in said] == [
        ("Wales coach Mike Ruddock", "named_person"),
        ("Ruddock", "named_person"),
    ]
