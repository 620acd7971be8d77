"""The builder's small edits and its texts: typed pairs, hidden sizes, adding and removing
blocks, and every problem/hint readable in both languages with the same placeholders."""

from __future__ import annotations

import string

import pytest

from lab.config import ConvBlock, ModelConfig
from lab.errors import LabError
from lab.model.edit import pair_text, parse_hidden, parse_pair_text, with_block_added, with_block_removed
from lab.model.messages import BUILD_PROBLEMS, HINTS
from lab.model.shapes import PROBLEMS, ShapeError
from lab.i18n import catalogue


def test_pairs_are_typed_as_one_number_or_h_w():
    assert pair_text(3) == "3" and pair_text([3, 3]) == "3" and pair_text([3, 5]) == "3,5"
    assert parse_pair_text(" 3 ", "kernel") == 3
    assert parse_pair_text("3,5", "kernel") == [3, 5] and parse_pair_text("3x5", "kernel") == [3, 5]
    assert parse_pair_text("2,2", "stride") == 2
    with pytest.raises(ShapeError, match="kernel"):
        parse_pair_text("3,5,7", "kernel")
    with pytest.raises(ShapeError, match="padding"):
        parse_pair_text("one", "padding")


def test_hidden_sizes():
    assert parse_hidden("") == [] and parse_hidden("128, 64") == [128, 64] and parse_hidden("10;") == [10]
    with pytest.raises(LabError, match="whole numbers"):
        parse_hidden("128, lots")
    with pytest.raises(LabError, match="at least 1"):
        parse_hidden("0")


def test_adding_and_removing_blocks_copies_the_config():
    cfg = ModelConfig(blocks=[ConvBlock(16, padding=1)])
    grown = with_block_added(cfg)
    assert [b.filters for b in grown.blocks] == [16, 32] and grown.blocks[1].padding == 1
    assert len(cfg.blocks) == 1  # the original is untouched
    assert [b.filters for b in with_block_removed(grown, 0).blocks] == [32]
    with pytest.raises(LabError, match="at least one"):
        with_block_removed(cfg, 0)
    with pytest.raises(LabError, match="at most 10"):
        with_block_added(ModelConfig(blocks=[ConvBlock()] * 10))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("prefix, templates", [
    ("architecture.calc_problem", PROBLEMS), ("architecture.problem", BUILD_PROBLEMS),
    ("architecture.hint", HINTS),
])
def test_every_problem_and_hint_reads_in_both_languages(prefix, templates):
    texts = catalogue()
    for code, english in templates.items():
        entry = texts[f"{prefix}.{code}"]
        assert entry["en"] == english  # one source for the English: the engine's template
        assert _fields(entry["ru"]) == _fields(english), code
        assert any("а" <= ch <= "я" for ch in entry["ru"].lower()), code  # real Russian


def test_page_texts_have_matching_placeholders():
    for key, entry in catalogue().items():
        if key.startswith("architecture."):
            assert _fields(entry["en"]) == _fields(entry["ru"]), key
