"""Does an article push a catalogue entry's claim? A calibrated model fitted on real articles.

Each article is judged against the few catalogue entries its lede comes closest to. For each, five
features: the best cosine of a lede sentence with an entry sentence and that of the headline, by
USE (embed.py) and by e5 (e5.py); and how many refutation cues the article holds ("fact check",
"disinformation", "фейк", "bulo"...), which mark fact-checks and reports that keep their distance.
A logistic regression turns them into a probability, and two bars turn that into a status an
analyst can act on: `confident` (placed in the narrative) or `review` (shown apart, as a near miss
to check).

The model and its bars ship as data (`data/pushes.json`), fitted by bench/training/train_pushes.py
on ../shared/corpus/realnews with folds that leave a whole narrative out; NARRATRACE_PUSH_MODEL
names another file (the benchmark points it at a model fitted without the narrative it scores).
Text similarity tells which claim an article is about far better than whether it pushes it:
news reporting the claim with distance comes as close to the case text as the pushers do
(bench/quality/realnews.py gives both figures).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from narratrace.errors import NarratraceError
from narratrace.narratives.thresholds import (
    LEDE_SENTENCES,
    MIN_LEDE_CHARS,
    MIN_LEDE_WORDS,
)

F64 = npt.NDArray[np.float64]
Status = Literal["confident", "review"]
MODEL_ENV = "NARRATRACE_PUSH_MODEL"
FEATURES = ("lede", "headline", "e5_lede", "e5_headline", "refutation")
REFUTATION_CHARS = 3000  # of the text, where the cues are looked for
# Words of fact-checkers and of reports that keep a claim at a distance, in the languages of the
# articles narratrace meets most. Hedges that relays use as much ("allegedly", "claims",
# "angeblich") are left out: in a Sputnik story "videos allegedly show" relays the claim.
REFUTATION = re.compile(
    r"fact.?check|debunk|disinform|misinform|propaganda|conspira|hoax|baseless|unfounded|"
    r"without (?:any )?evidence|no evidence|\bfalse(?:ly)?\b|\bfake|misleading|\bmyth|"
    r"дезинформ|пропаганд|фейк|ложн|опроверг|без доказательств|конспиролог|дезінформ|неправд|"
    r"desinformation|falschbehauptung|faktencheck|verschwörung|ohne beweise|widerlegt|irreführend|"
    r"désinformation|propagande|complot|intox|sans preuve|démenti|trompeu|"
    r"desinformación|\bbulo|conspiración|sin pruebas|desmentid|engañoso|"
    r"disinformazione|bufala|complott|senza prove|smentit|fuorviant|"
    r"dezinformac|fałsz|"
    r"تضليل|زائف|كاذب|"
    r"虚假|谣言|假新闻|阴谋论|不实|辟谣",
    re.IGNORECASE,
)


def lede(sentences: Sequence[str]) -> list[str]:
    """The first LEDE_SENTENCES sentences of some substance (all of the first ones if none is)."""
    chosen = [s for s in sentences if _substantial(s)][:LEDE_SENTENCES]
    return chosen or list(sentences[:LEDE_SENTENCES])


def _substantial(sentence: str) -> bool:
    words = sentence.split()
    return len(words) >= MIN_LEDE_WORDS or (len(words) < 3 and len(sentence) >= MIN_LEDE_CHARS)


def refutation_cues(title: str | None, text: str) -> int:
    return len(REFUTATION.findall(f"{title or ''}\n{text[:REFUTATION_CHARS]}"))


def feature_rows(lede: F64, headline: F64 | None, e5_lede: F64, e5_headline: F64 | None, cues: int) -> F64:
    """One row of FEATURES per candidate entry, from each candidate's best cosines: `lede` and
    `e5_lede` over the article's lede sentences, `headline` and `e5_headline` for its headline
    (None without one: the lede's stand in)."""
    headline = lede if headline is None else headline
    e5_headline = e5_lede if e5_headline is None else e5_headline
    refutation = np.full(len(lede), np.log1p(cues))
    return np.stack([lede, headline, e5_lede, e5_headline, refutation], axis=1)


@dataclass(slots=True, frozen=True)
class PushModel:
    """A logistic regression over standardised FEATURES, and the bars of the two statuses."""

    features: tuple[str, ...]
    mean: F64
    scale: F64
    weights: F64
    bias: float
    confident: float  # probability from which an article is placed (chosen for precision >= 0.90)
    review: float  # probability from which it is shown for review
    fitted_on: str = ""

    def probability(self, rows: F64) -> F64:
        if not len(rows):
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        result: F64 = 1.0 / (1.0 + np.exp(-z))
        return result

    def without_refutation(self, features: Sequence[float]) -> float:
        """The probability of a row with its refutation cues set aside: whether a fact-check
        would push the claim it quotes, were it not refuting it (it is then its debunk)."""
        row = np.array([features], dtype=np.float64)
        row[0, FEATURES.index("refutation")] = 0.0
        return float(self.probability(row)[0])

    def status(self, probability: float) -> Status | None:
        if probability >= self.confident:
            return "confident"
        if probability >= self.review:
            return "review"
        return None

    @property
    def fingerprint(self) -> str:
        """Changes with any weight or bar: stored matches made by another model are redone."""
        return hashlib.sha1(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "confident": self.confident,
            "review": self.review,
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object], where: str) -> PushModel:
        try:
            features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
            if features != FEATURES:
                raise ValueError(f"features {features} are not {FEATURES}")
            return cls(
                features=features,
                mean=np.asarray(data["mean"], dtype=np.float64),
                scale=np.asarray(data["scale"], dtype=np.float64),
                weights=np.asarray(data["weights"], dtype=np.float64),
                bias=float(data["bias"]),  # type: ignore[arg-type]
                confident=float(data["confident"]),  # type: ignore[arg-type]
                review=float(data["review"]),  # type: ignore[arg-type]
                fitted_on=str(data.get("fitted_on", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise NarratraceError(f"{where}: not a narrative decision model ({error})") from None


def model() -> PushModel:
    """The model in use: the file NARRATRACE_PUSH_MODEL names, else the shipped one."""
    return _load(os.environ.get(MODEL_ENV) or "")


@lru_cache(maxsize=4)
def _load(path: str) -> PushModel:
    if path:
        try:
            return PushModel.from_json(json.loads(Path(path).read_text()), path)
        except (OSError, json.JSONDecodeError) as error:
            raise NarratraceError(f"{MODEL_ENV}={path}: cannot read the model ({error})") from None
    shipped = resources.files("narratrace") / "data" / "pushes.json"
    return PushModel.from_json(json.loads(shipped.read_text()), "data/pushes.json")
