"""Draw Altair charts without paying for Altair on every rerun.

``st.altair_chart`` builds the Vega-Lite spec again on each call and validates it against
Altair's JSON schema: about 45 ms per chart here (the build 21 ms, ``to_dict`` 23 ms, of
which 14 ms is the validation). A live Training page reruns once a second in every
student's session, so a classroom of them kept the server's one interpreter busy with
chart building alone. ``draw`` keeps each finished spec, keyed by the builder and its
exact inputs: a chart whose data did not change since the last second costs a dictionary
lookup, and a new one skips the validation (the builders are tested, their output is
known to be valid).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

import streamlit as st

from lab.i18n.numbers import chart_number_locale
from lab.ui.state import language


def draw(build: Callable, *args, width: str | int = "content", container=None, **kwargs) -> None:
    """``st.altair_chart(build(*args, **kwargs), width=width)``, cached by the inputs and the
    page's language (the axes' numbers are written in it).

    Inputs must be JSON-like (numbers, strings, lists, dicts, tuples): they are the key."""
    key = json.dumps([args, kwargs], sort_keys=True, default=str)
    (container or st).vega_lite_chart(_spec(build, key, language()), width=width)


def show(chart, width: str | int = "stretch", container=None) -> None:
    """An Altair chart built on this rerun (not cached), its numbers in the page's language."""
    (container or st).vega_lite_chart(_finished(chart.to_dict(validate=False), language()), width=width)


@lru_cache(maxsize=512)
def _spec(build: Callable, key: str, lang: str) -> dict:
    args, kwargs = json.loads(key)
    return _finished(build(*args, **kwargs).to_dict(validate=False), lang)


def _finished(spec: dict, lang: str) -> dict:
    config = spec.setdefault("config", {})
    # Altair's default theme sets a fixed 300x300 view; st.altair_chart drops it the same way
    config.pop("view", None)
    config["locale"] = {"number": chart_number_locale(lang)}  # "5 000" on Russian axes
    return spec
