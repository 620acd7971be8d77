"""Fill the marked blocks of a template that is itself a real, runnable Python file.

A block is the lines between ``# >>> name`` and ``# <<< name`` (same indentation). The
template's own lines in a block are an example that keeps the file runnable and
testable; the generator replaces them. Blocks may nest; one name may occur several
times (each gets the same lines). ``part`` keeps only one block's content.
"""

from __future__ import annotations

import re
from pathlib import Path

_BLOCK = re.compile(r"^(?P<indent>[ \t]*)# >>> (?P<name>\w+)\n(?P<body>.*?)^(?P=indent)# <<< (?P=name)\n",
                    re.M | re.S)
_MARKER = re.compile(r"^[ \t]*# (>>>|<<<) \w+\n", re.M)

TEMPLATES = Path(__file__).parent  # the runnable templates live beside this module


def read_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def fill(template: str, blocks: dict[str, list[str]], part: str | None = None) -> str:
    """``template`` with each named block's lines replaced by ``blocks[name]`` (indented
    like its markers); blocks not named keep their content. Unknown names raise KeyError
    (a renamed marker must not silently keep the example code)."""
    found: set[str] = set()

    def replace(match: re.Match) -> str:
        name = match["name"]
        if name not in blocks:
            return match["indent"] + f"# >>> {name}\n" + _fill_inner(match["body"]) + match["indent"] + f"# <<< {name}\n"
        found.add(name)
        return "".join(f"{match['indent']}{line}\n" if line else "\n" for line in blocks[name])

    def _fill_inner(body: str) -> str:
        return _BLOCK.sub(replace, body)

    text = _BLOCK.sub(replace, template)
    missing = set(blocks) - found
    if missing:
        raise KeyError(f"the template has no block {', '.join(sorted(missing))}")
    if part is not None:
        match = next((m for m in _BLOCK.finditer(text) if m["name"] == part), None)
        if match is None:
            raise KeyError(f"the template has no block {part}")
        text = match["body"]
    return _MARKER.sub("", text)
