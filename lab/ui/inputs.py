"""The lab's number fields and upload boxes, in the page's language.

Streamlit writes some words of its own widgets in English only, whatever the page's
language: the uploader's "Upload" button and its "1GB per file • ZIP" line (512 MB rounds
to "1GB"), the client-side "text/plain files are not allowed", the fields' "Press Enter to
apply". ``style()`` hides them (CSS) and puts the lab's words in their place; a file's kind
and size are checked here, after the upload, so the refusal comes in the page's language.

A number field takes any number (no ``min_value``/``max_value`` on the widget: Streamlit's
own range check refuses silently, the field turns red and "Press Enter to apply" stays over
the value). ``number`` says the declared range in words instead, and uses the nearest
allowed value, so a student always reads what the experiment will use.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lab.config import limits
from lab.config.bounds import Bound
from lab.ui.format import count
from lab.ui.i18n import t


# --- Streamlit's own English words ----------------------------------------------------------------
def _css_text(key: str) -> str:
    # a CSS string literal: quotes and backslashes escaped; non-ASCII kept (CSS reads no \\uXXXX)
    return json.dumps(t(key), ensure_ascii=False)


# Where Streamlit's hint holds "Press Enter to apply" as its first word group: a number field
# (no character counter), a field with a counter beside it, a text field or area without one.
# Elsewhere the only group is the counter ("3/64"), which stays.
_HINT = '[data-testid="InputInstructions"]'
_ENTER_HINTS = ('[data-testid="stNumberInput"] {h}:has(> span)', '{h}:has(> span + span)',
                '[data-testid="stTextInput"]:not(:has(input[maxlength])) {h}:has(> span)',
                '[data-testid="stTextArea"]:not(:has(textarea[maxlength])) {h}:has(> span)')


def _hint_rules() -> str:
    """CSS: Streamlit's "Press Enter to apply" hidden, the lab's words in its place (only while
    Streamlit shows it: while a typed value waits for Enter)."""
    where = [w.format(h=_HINT) for w in _ENTER_HINTS]
    rules = [f"{w} > span:first-child {{ display: none; }}" for w in where]
    rules += [f"{w}::before {{ content: {_css_text('inputs.press_enter')}; }}" for w in where]
    rules += [f'[data-testid="stForm"] {w}::before {{ content: {_css_text("inputs.press_enter_form")}; }}'
              for w in where]
    rules += [f'[data-testid="stTextArea"] {w}::before {{ content: {_css_text("inputs.press_ctrl_enter")}; }}'
              for w in where]
    return "\n".join(rules)


def style() -> None:
    """Called once per script run (app.py): Streamlit's English widget words -> the page's
    (the keyboard's "Skip to main content" link and a filtered list's "No results" too)."""
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
{button} p {{ display: none; }}
{button}::after {{ content: {_css_text("inputs.upload_button")}; }}
{_hint_rules()}
[data-testid="stSkipToContent"] {{ font-size: 0; }}
[data-testid="stSkipToContent"]::after {{ content: {_css_text("inputs.skip_to_content")}; font-size: 1rem; }}
{_EMPTY_LIST} {{ font-size: 0; }}
{_EMPTY_LIST}::after {{ content: {_css_text("inputs.no_results")}; font-size: 1rem; }}
</style>""")


# A select box's or multiselect's list when the typed filter matches nothing: Streamlit writes
# "No results" in its one option (its own English)
_EMPTY_LIST = '[role="listbox"][data-empty="true"] [role="option"] span'


# --- upload boxes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """What an upload box takes: file name endings and the most bytes (``lab.config.limits``)."""

    endings: tuple[str, ...]
    max_bytes: int
    name_key: str  # what the file is, in words


PICTURE_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")
KINDS = {
    "picture": Kind(PICTURE_TYPES, limits.MAX_IMAGE_BYTES, "inputs.kind.picture"),
    "checkpoint": Kind(("pt", "pth", "ckpt"), limits.MAX_CHECKPOINT_BYTES, "inputs.kind.checkpoint"),
    "archive": Kind(("zip",), limits.MAX_ZIP_BYTES, "inputs.kind.archive"),
}


def limit_text(kind: str) -> str:
    """'PNG, JPG, ... up to 64 MB per file': the one place a page states an upload limit."""
    k = KINDS[kind]
    return t("inputs.upload_limit", endings=", ".join(e.upper() for e in k.endings),
             mb=count(k.max_bytes // limits.MB))


def refusal(kind: str, name: str, size: int) -> str | None:
    """Why an uploaded file is not taken, in words; None when it is."""
    k = KINDS[kind]
    if Path(name).suffix.lower().lstrip(".") not in k.endings:
        return t("inputs.wrong_kind", name=name, what=t(k.name_key),
                 endings=", ".join(e.upper() for e in k.endings))
    if size > k.max_bytes:
        return t("inputs.too_big", name=name, mb=count(math.ceil(size / limits.MB)), limit=count(k.max_bytes // limits.MB))
    return None


def upload(kind: str, label: str, key: str | None = None, help: str | None = None, where=st):
    """A file upload box for ``kind`` with its limit stated once under it; the file, or None
    (nothing uploaded, or refused with a message in the page's language)."""
    # no type=: Streamlit's own refusal of a wrong type is English-only ("text/plain files
    # are not allowed"); ``refusal`` says it in the page's language
    file = where.file_uploader(label, key=key, help=help)
    where.caption(limit_text(kind))
    if file is None:
        return None
    why = refusal(kind, file.name, file.size)
    if why:
        where.error(why)
        return None
    return file


# --- number fields ------------------------------------------------------------------------------
def range_text(label: str, bound: Bound) -> str:
    _, shown = bound.why()
    if bound.widget_max is None:
        return t("inputs.range_open", label=label, low=shown["low"])
    return t("inputs.range", label=label, **shown)


def nearest(value, bound: Bound):
    """``value`` if the bound takes it, else the nearest value the widget offers."""
    if value is None or value in bound:
        return value
    low, high = bound.widget_range()
    return low if value < bound.low or (bound.open_low and value <= bound.low) else high


def number(label: str, bound: Bound | tuple, value=None, step=None, *, key: str | None = None, where=st, **kw):
    """A number field that takes any number and says the range in words when one is outside:
    returns the value, or the nearest one inside ``bound`` (what the experiment then uses).
    ``bound``: a declared ``Bound`` (``lab.config.bounds``) or a plain (low, high)."""
    if isinstance(bound, tuple):
        low, high = bound
        bound = Bound(low, math.inf if high is None else high)
    if step is None and all(isinstance(b, int) for b in (bound.low, bound.widget_max or 0)):
        step = 1  # whole numbers: without min/max Streamlit takes the type from step and value
    args = {} if key is not None and value is None else {"value": value}
    typed = where.number_input(label, step=step, key=key, **args, **kw)
    used = nearest(typed, bound)
    if used != typed:
        where.error(t("inputs.outside", range=range_text(label, bound), value=_plain(typed), used=_plain(used)),
                    icon=":material/error:")
    return used


def _plain(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x
