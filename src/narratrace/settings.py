"""What an analysis records of how it was made, stored with its results: when that changes, the
next run redoes the results instead of mixing two methods in one store.

`recorded` reads the settings themselves, every public UPPER_CASE constant of the modules that
make the results, so that no setting can be left out of the record by hand. `source_digest` is
for rules written as code (claims/): any edit to them redoes what they found.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from types import ModuleType

SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _value(value: object) -> object | None:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, re.Pattern):
        return str(value.pattern)
    if isinstance(value, tuple | frozenset) and all(isinstance(v, bool | int | float | str) for v in value):
        return sorted(value) if isinstance(value, frozenset) else list(value)
    return None


def recorded(*modules: ModuleType) -> str:
    """Every setting of `modules` (module.NAME -> value), as sorted JSON."""
    found: dict[str, object] = {}
    for module in modules:
        for name, value in vars(module).items():
            shown = _value(value) if SETTING.match(name) else None
            if shown is not None:
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = shown
    return json.dumps(found, sort_keys=True, ensure_ascii=False)


def source_digest(*modules: ModuleType) -> str:
    """A digest of the modules' source text."""
    digest = hashlib.sha1()
    for module in modules:
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:16]
