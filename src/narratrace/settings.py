"""What an analysis records of how it was made, stored with its results: when that changes, the
next run redoes the results instead of mixing two methods in one store.

Each analysis has one `Settings` (reuse.run.settings, narratives.run.settings,
claims.service.settings), read from its code rather than listed by hand: every public UPPER_CASE
constant of the modules that make its results, so that no setting can be left out of the record
(as the coverage bars of the reuse kinds once were), and a digest of the rules written as code,
so that an edit to them redoes what they found. The settings themselves stay beside the code
that reads them, each with its reason.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(slots=True, frozen=True)
class Settings:
    """An analysis's settings (`module.NAME` -> value, sorted) and the digest of its rules."""

    values: tuple[tuple[str, object], ...]
    rules: str = ""

    @classmethod
    def read(cls, settings: Sequence[ModuleType], rules: Sequence[ModuleType] = ()) -> Settings:
        """Every setting of the `settings` modules, and a digest of the `rules` modules' source."""
        found: dict[str, object] = {}
        for module in settings:
            for name, value in vars(module).items():
                shown = _value(value) if SETTING.match(name) else None
                if shown is not None:
                    found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = shown
        return cls(tuple(sorted(found.items())), source_digest(*rules) if rules else "")

    def get(self, name: str) -> object:
        """One setting's recorded value (`module.NAME`)."""
        return dict(self.values)[name]

    @property
    def signature(self) -> str:
        """What is stored with the results: the whole record, as sorted JSON."""
        return json.dumps(
            {"settings": dict(self.values), "rules": self.rules}, sort_keys=True, ensure_ascii=False
        )


def _value(value: object) -> object | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, re.Pattern):
        return str(value.pattern)
    if isinstance(value, tuple | frozenset) and all(isinstance(v, bool | int | float | str) for v in value):
        return sorted(value) if isinstance(value, frozenset) else list(value)
    return None


def source_digest(*modules: ModuleType) -> str:
    """A digest of the modules' source text."""
    digest = hashlib.sha1()
    for module in modules:
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:16]
