"""How numbers and dataset names read on a page, in the session's language.

``count(48000)`` is "48,000" in English and "48 000" in Russian (a no-break space, the
Russian thousands separator); ``dataset_label`` names a dataset without the server's
paths (an uploaded archive lives under the server's uploads folder).
"""

from __future__ import annotations

import re
from pathlib import Path

from lab.i18n import numbers
from lab.ui.i18n import t
from lab.ui.state import language

_DIGEST = re.compile(r"[0-9a-f]{16}")  # lab.data.extract_zip_cached's folder per archive


def count(n: int, lang: str | None = None) -> str:
    """An integer with the language's thousands separator (Babel's CLDR data)."""
    return numbers.count(int(n), lang or language())


def dataset_label(dataset: str) -> str:
    """'mnist' stays 'mnist'; a folder is its own name; an archive unpacked at the top of
    its upload folder is 'uploaded archive'."""
    if "/" not in dataset and "\\" not in dataset:
        return dataset
    name = Path(dataset).name
    return t("format.uploaded_archive") if _DIGEST.fullmatch(name) or not name else name


def data_origin(data) -> str:
    """Where an ImageData came from, in words: no server path for a person to read."""
    if data.source == "folder":
        return dataset_label(data.origin)
    origins = {"full": "format.origin_full", "samples": "format.origin_samples"}
    return t(origins[data.source]) if data.source in origins else data.source


def billions(n: float, lang: str | None = None) -> str:
    """12_345_000_000 -> '12.3 billion' / '12,3 млрд'; under a billion, '345 million' / '345 млн'."""
    lang = lang or language()
    value, word = (n / 1e9, "billion") if abs(n) >= 1e9 else (n / 1e6, "million")
    text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if lang == "ru":
        return text.replace(".", ",") + "\u00a0" + {"billion": "млрд", "million": "млн"}[word]
    return f"{text} {word}"
