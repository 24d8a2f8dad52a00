"""The versioned schema. Each migration takes the database from version N-1 to N.

The version lives in SQLite's `user_version` pragma; a migration and its version bump
commit together, so an interrupted upgrade leaves the previous version intact.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, with the raw input kept beside the clean text and the cuts made
    """
    CREATE TABLE articles (
        id          TEXT PRIMARY KEY,
        url         TEXT,
        outlet      TEXT,
        title       TEXT,
        published   TEXT,
        language    TEXT,
        text        TEXT NOT NULL,
        raw         TEXT NOT NULL,
        source      TEXT NOT NULL,
        removed     TEXT NOT NULL DEFAULT '[]',
        marks       TEXT NOT NULL DEFAULT '[]',
        provenance  TEXT NOT NULL DEFAULT '{}',
        seq         INTEGER NOT NULL,
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE UNIQUE INDEX articles_seq ON articles(seq);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_url ON articles(url);
    """,
    # 2: text reuse: fingerprints per article (so later runs only add), pairs, run state
    """
    CREATE TABLE reuse_fingerprints (
        seq         INTEGER PRIMARY KEY REFERENCES articles(seq),
        fingerprints BLOB NOT NULL
    );
    CREATE TABLE reuse_pairs (
        a            TEXT NOT NULL REFERENCES articles(id),
        b            TEXT NOT NULL REFERENCES articles(id),
        kind         TEXT NOT NULL,
        coverage_a   REAL NOT NULL,
        coverage_b   REAL NOT NULL,
        direction    TEXT NOT NULL,
        reason       TEXT NOT NULL,
        stock        INTEGER NOT NULL DEFAULT 0,
        stock_reason TEXT NOT NULL DEFAULT '',
        passages     TEXT NOT NULL,
        found_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (a, b)
    );
    CREATE INDEX reuse_pairs_b ON reuse_pairs(b);
    CREATE TABLE analysis_state (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: the catalogue of known, debunked narratives
    """
    CREATE TABLE catalogue (
        id          TEXT PRIMARY KEY,
        origin      TEXT NOT NULL,
        title       TEXT NOT NULL,
        claim       TEXT NOT NULL,
        summary     TEXT NOT NULL DEFAULT '',
        disproof    TEXT NOT NULL DEFAULT '',
        url         TEXT,
        published   TEXT,
        outlets     TEXT NOT NULL DEFAULT '[]',
        countries   TEXT NOT NULL DEFAULT '[]',
        author      TEXT,
        source      TEXT NOT NULL DEFAULT '',
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE catalogue_sentences (
        entry    TEXT NOT NULL REFERENCES catalogue(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text     TEXT NOT NULL,
        vector   BLOB NOT NULL,
        PRIMARY KEY (entry, position)
    );
    """,
    # 4: each article's best catalogue match, computed once per article and catalogue state
    """
    CREATE TABLE narrative_matches (
        article    TEXT PRIMARY KEY REFERENCES articles(id),
        entry      TEXT,
        score      REAL,
        sentence   TEXT NOT NULL DEFAULT '',
        fact_check INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: full-text search over titles and clean text (SQLite FTS5), kept in step by a trigger
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts (rowid, title, text) SELECT seq, COALESCE(title, ''), text FROM articles;
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, COALESCE(new.title, ''), new.text);
    END;
    """,
    # 6: claims, whom they cite, entities, and the user's additions to the alias table
    """
    CREATE TABLE claims (
        article  TEXT NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,
        start    INTEGER NOT NULL,
        end      INTEGER NOT NULL,
        text     TEXT NOT NULL,
        PRIMARY KEY (article, position)
    );
    CREATE TABLE citations (
        article    TEXT NOT NULL,
        claim      INTEGER NOT NULL,
        position   INTEGER NOT NULL,
        source     TEXT,
        kind       TEXT NOT NULL,
        via        TEXT,
        canonical  TEXT,
        mention    TEXT,
        eyewitness INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article, claim, position),
        FOREIGN KEY (article, claim) REFERENCES claims(article, position)
    );
    CREATE INDEX citations_kind ON citations(kind);
    CREATE TABLE entities (
        article   TEXT NOT NULL REFERENCES articles(id),
        start     INTEGER NOT NULL,
        end       INTEGER NOT NULL,
        text      TEXT NOT NULL,
        canonical TEXT NOT NULL,
        type      TEXT NOT NULL,
        PRIMARY KEY (article, start)
    );
    CREATE INDEX entities_canonical ON entities(canonical);
    CREATE TABLE aliases (
        canonical TEXT PRIMARY KEY,
        type      TEXT NOT NULL,
        aliases   TEXT NOT NULL
    );
    """,
    # 7: an article that joined a narrative through an already matched article names it
    """
    ALTER TABLE narrative_matches ADD COLUMN via TEXT;
    """,
    # 8: each catalogue entry's English-encoder vector (its title and claim), for re-ranking
    """
    CREATE TABLE catalogue_english (
        entry  TEXT PRIMARY KEY REFERENCES catalogue(id),
        vector BLOB NOT NULL
    );
    """,
    # 9: the lede sentence vectors of articles that push a catalogue narrative, kept so that an
    # unmatched article can be compared with them without encoding them again on every run
    """
    CREATE TABLE member_ledes (
        article   TEXT PRIMARY KEY,
        sentences TEXT NOT NULL,
        vectors   BLOB NOT NULL
    );
    """,
    # 10: what discovery encodes of each article no narrative holds (its lede sentences, their
    # vectors and its headline's, as float16), so that the next run encodes only new articles
    """
    CREATE TABLE discovery_ledes (
        article   TEXT PRIMARY KEY,
        sentences TEXT NOT NULL,
        vectors   BLOB NOT NULL,
        headline  BLOB
    );
    """,
    # 11: a narrative match is judged by a calibrated model (narratives/pushes.py): its
    # probability and status (confident, review). The e5 vectors of the sentences it reads
    # (catalogue sentences and the ledes of articles that come near them), as float16 keyed by
    # a hash of the text, so that no run encodes a sentence twice. Earlier matches are redone.
    """
    ALTER TABLE narrative_matches ADD COLUMN probability REAL;
    ALTER TABLE narrative_matches ADD COLUMN status TEXT NOT NULL DEFAULT 'confident';
    DELETE FROM narrative_matches;
    DELETE FROM member_ledes;
    DELETE FROM analysis_state WHERE name LIKE 'narratives.%';
    CREATE TABLE e5_sentences (
        key    TEXT PRIMARY KEY,
        vector BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
    # 12: the claim each catalogue entry states, as the id of the first entry stored that states
    # it (narratives/cases.py): entries of one claim are one narrative. NULL until grouped.
    """
    ALTER TABLE catalogue ADD COLUMN anchor TEXT;
    CREATE INDEX catalogue_anchor ON catalogue(anchor);
    """,
    # 13: the unmatched articles that may still join a narrative through its members, stored with
    # the batch that matched them and removed when the join that reads them is stored, so that a
    # run killed between the two leaves them for the next run
    """
    CREATE TABLE join_candidates (
        article   TEXT PRIMARY KEY,
        sentences TEXT NOT NULL,
        vectors   BLOB NOT NULL,
        headline  TEXT
    );
    """,
    # 14: pairs whose shared text several outlets carry from one source (syndication), apart
    # from stock text; pairs stored before keep 0 until `reuse` compares them again, which its
    # next run does (the digest of its rules, stored with the pairs, has changed)
    """
    ALTER TABLE reuse_pairs ADD COLUMN syndicated INTEGER NOT NULL DEFAULT 0;
    """,
    # 15: the candidate narratives `narratives --discover` found, in its order, with the state of
    # the analyses they were found in: views read them instead of running discovery themselves
    """
    CREATE TABLE candidates (
        position INTEGER PRIMARY KEY,
        record   TEXT NOT NULL
    );
    CREATE TABLE candidates_found (
        state TEXT NOT NULL
    );
    """,
    # 16: how generic each catalogue sentence is (narratives/search.py), worked out by the first
    # article matched against the catalogue and kept under a digest of what it was worked out
    # from: the next `match` reads it instead of comparing every sentence with the others again
    """
    CREATE TABLE catalogue_generic (
        key    TEXT PRIMARY KEY,
        scores BLOB NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
