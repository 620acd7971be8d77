"""Filling a template in one language: numbers in that language's style, nouns after a
number in the right plural form.

Placeholders are ``str.format``'s, with two more format specs:

- ``{n:count}``: the number as the language writes it ("48,000" / "48 000", a no-break
  space, as CLDR says);
- ``{n:plural:изображение|изображения|изображений}``: the number and the noun in the form
  the number needs ("1 изображение", "2 изображения", "5 изображений", "21 изображение").
  The forms are CLDR's plural categories in order: English ``one|other``, Russian
  ``one|few|many`` (a fraction, "1,5 изображения", takes ``few``'s form). ``{n:word:...}``
  is the noun alone, for a number written elsewhere in the sentence.

The rules come from Babel (the CLDR data every locale library uses), not from our own
copy of them. A value may be a number or a number already written by ``count`` ("48 000").
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal, get_group_symbol

# The order a template lists its forms in, per language: CLDR's categories the language uses
# for whole numbers. A category not listed (Russian "other", a fraction) takes the last but one.
FORMS = {"en": ("one", "other"), "ru": ("one", "few", "many")}
_NOT_DIGITS = re.compile(r"[\s\u00a0\u202f,]")


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def count(n, lang: str) -> str:
    """``n`` with the language's digit grouping: 48000 -> "48,000" / "48 000"."""
    return format_decimal(n, locale=_locale(lang))


def chart_number_locale(lang: str) -> dict:
    """d3-format's number locale for charts (Vega-Lite's ``config.locale.number``): the axes
    group digits as ``count`` does (5 000 in Russian, 5,000 in English). Fractions keep the
    point in both languages, as everywhere in the lab (98.50 %, mean 0.1307, lr 0.001: the
    numbers a student copies into code)."""
    return {"decimal": ".", "thousands": get_group_symbol(_locale(lang)), "grouping": [3], "currency": ["", ""]}


def plural_form(n, lang: str, forms: list[str] | tuple[str, ...]) -> str:
    """The one of ``forms`` (listed in ``FORMS[lang]``'s order) that goes after the number ``n``."""
    categories = FORMS.get(lang, FORMS["en"])
    if len(forms) != len(categories):
        raise ValueError(f"{lang} plural needs {len(categories)} forms ({'|'.join(categories)}), got {forms!r}")
    if n is None:
        return forms[-1]
    category = _locale(lang).plural_form(abs(n))
    if category in categories:
        return forms[categories.index(category)]
    return forms[max(len(forms) - 2, 0)]


def _number(value):
    """A number, or a number ``count`` already wrote ("48 000", "48,000"); None for anything else
    ("?" while a total is unknown): the noun then takes the form for many."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _NOT_DIGITS.sub("", str(value))
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return None


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec: str):
        if format_spec == "count":
            n = _number(value)
            return str(value) if n is None else count(n, self.lang)
        kind, _, forms = format_spec.partition(":")
        if kind in ("plural", "word") and forms:
            n = _number(value)
            word = plural_form(n, self.lang, forms.split("|"))
            shown = value if isinstance(value, str) or n is None else count(n, self.lang)
            return word if kind == "word" else f"{shown} {word}"
        return super().format_field(value, format_spec)


def fill(template: str, lang: str, **params) -> str:
    """``template`` with its placeholders filled for ``lang`` (see the module's docstring)."""
    return _Formatter(lang).vformat(template, (), params)
