"""The text catalogue: every string a person reads, in English and Russian.

Texts live in ``lab/ui/texts/<area>.py`` as ``TEXTS = {"area.key": {"en": ..., "ru": ...}}``,
one module per page or area so that pages do not edit each other's files. ``t(key)``
looks a key up in the session's language; a missing key is a bug and raises, so tests
catch it instead of a student seeing a raw key.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    from lab.ui import texts

    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, value in module.TEXTS.items():
            if key in merged:
                raise KeyError(f"text key {key!r} is defined twice (again in texts/{info.name}.py)")
            merged[key] = value
    return merged


def translate(key: str, lang: str, **fmt) -> str:
    entry = catalogue()[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt) -> str:
    """``key`` in the current session's language, with ``{placeholders}`` filled."""
    from lab.ui.state import language

    return translate(key, language(), **fmt)


def language_from_locale(locale: str | None) -> str:
    """'ru-RU' -> 'ru'; anything we do not speak -> English."""
    code = (locale or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
