"""The text catalogue: every string a person reads, in English and Russian.

Texts live in ``lab/i18n/texts/<area>.py`` as ``TEXTS = {"area.key": {"en": ..., "ru": ...}}``,
one module per page or area so that pages do not edit each other's files. The engine's
error messages keep their English beside the code that raises them and their Russian in
``texts/engine_messages.py``. ``translate(key, lang)`` looks a key up; a missing key is a
bug and raises, so tests catch it instead of a student seeing a raw key. Templates may
write numbers and the nouns after them through ``lab.i18n.numbers``'s ``{n:count}`` and
``{n:plural:...}``. No Streamlit
here: the CLI and the engine translate through this module too; the pages use
``lab.ui.i18n.t``, which adds the session's language.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from lab.i18n import texts
from lab.i18n.numbers import fill

LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, value in module.TEXTS.items():
            if key in merged:
                raise KeyError(f"text key {key!r} is defined twice (again in texts/{info.name}.py)")
            merged[key] = value
    return merged


def translate(key: str, lang: str, **fmt) -> str:
    """``key`` in ``lang``, its placeholders filled from ``fmt``. A text with a placeholder
    ``fmt`` lacks raises ``KeyError`` (the caller forgot a number), rather than showing
    "{loss:.3g}" to a student; a text without placeholders is returned as written."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return fill(text, lang, **fmt) if fmt or "{" in text else text


def language_from_locale(locale: str | None) -> str:
    """'ru-RU' -> 'ru'; anything we do not speak -> English."""
    code = (locale or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
