"""Small edits the builder page makes to a ModelConfig, kept out of the page so they are tested."""

from __future__ import annotations

import copy

from lab.config import limits
from lab.config.model import ConvBlock, ModelConfig, check_hidden
from lab.errors import keyed
from lab.model.messages import MESSAGES
from lab.model.shapes import pair

MAX_BLOCKS = limits.MAX_BLOCKS


def pair_text(value) -> str:
    """Config value -> what the user types: 3 -> "3", [3, 5] -> "3,5", [3, 3] -> "3"."""
    h, w = pair(value, "value")
    return str(h) if h == w else f"{h},{w}"


def parse_pair_text(text: str, name: str) -> int | list[int]:
    """"3" -> 3, "3,5" or "3x5" -> [3, 5]; ShapeError names ``name`` otherwise."""
    h, w = pair(text.strip(), name)
    return h if h == w else [h, w]


def parse_hidden(text: str) -> list[int]:
    """"128, 64" -> [128, 64]; "" -> [] (the output Linear follows the flatten directly)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise keyed(MESSAGES, "model.hidden_numbers", text=repr(text)) from None
    check_hidden(sizes, "hidden layers")
    return sizes


def with_block_added(cfg: ModelConfig) -> ModelConfig:
    """A copy with one more block like the last one but twice the filters (capped at MAX_FILTERS)."""
    if len(cfg.blocks) >= MAX_BLOCKS:
        raise keyed(MESSAGES, "model.max_blocks", n=MAX_BLOCKS)
    new = copy.deepcopy(cfg)
    last = copy.deepcopy(new.blocks[-1]) if new.blocks else ConvBlock()
    last.filters = min(limits.MAX_FILTERS, last.filters * 2)
    new.blocks.append(last)
    return new


def with_block_removed(cfg: ModelConfig, index: int) -> ModelConfig:
    """A copy without block ``index`` (0-based); the last block cannot be removed."""
    if len(cfg.blocks) <= 1:
        raise keyed(MESSAGES, "model.min_blocks")
    new = copy.deepcopy(cfg)
    del new.blocks[index]
    return new
