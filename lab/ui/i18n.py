"""``t(key)``: a catalogue text (``lab.i18n``) in the current session's language."""

from __future__ import annotations

from lab.i18n import translate
from lab.ui.state import language


def t(key: str, **fmt) -> str:
    """``key`` in the current session's language, with ``{placeholders}`` filled."""
    return translate(key, language(), **fmt)
