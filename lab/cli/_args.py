"""argparse types for numbers with bounds: a bad value is argparse's one-line error and
exit 2 (``OneLineParser``), never a traceback later (a 31-digit seed overflows NumPy)."""

from __future__ import annotations

import argparse
import math

from lab.config import bounds, limits
from lab.config.bounds import Bound


def bounded_int(low: int, high: int):
    """``type=`` for a whole number in ``low..high``."""

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if not digits.isascii() or not digits.isdigit() or len(digits) > limits.MAX_NUMBER_DIGITS:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number in {low}..{high}")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in its own messages
    return parse


def bounded_float(low: float, high: float):
    """``type=`` for a finite number in ``low..high``."""

    def parse(text: str) -> float:
        try:
            value = float(text) if len(text) <= 64 else math.nan
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number in {low:g}..{high:g}")
        return value

    parse.__name__ = "number"
    return parse


def bound_arg(bound: Bound, whole: bool = True):
    """``type=`` for a field declared in ``lab.config.bounds``: the range the config validates."""
    if whole:
        return bounded_int(int(bound.low), int(bound.high))
    return bounded_float(bound.low, bound.high)


# the arguments that set an experiment's fields read the config's own bounds
seed_arg = bound_arg(bounds.SEED)
threads_arg = bound_arg(bounds.THREADS)
epochs_arg = bound_arg(bounds.TRAIN["epochs"])
batch_size_arg = bound_arg(bounds.TRAIN["batch_size"])
train_limit_arg = bound_arg(bounds.DATA["train_limit"])
lr_arg = bound_arg(bounds.TRAIN["lr"], whole=False)
val_fraction_arg = bound_arg(bounds.DATA["val_fraction"], whole=False)
image_size_arg = bound_arg(bounds.DATA["image_size"])


def freeze_arg(text: str):
    """``--freeze``: none, features, or N (all but the last N groups) within the config's bound."""
    if text in ("none", "features"):
        return text
    bound = bounds.TRANSFER["freeze"]
    try:
        return bounded_int(int(bound.low), int(bound.high))(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: use none, features or a whole number in "
                                         f"{int(bound.low)}..{int(bound.high)}") from None


freeze_arg.__name__ = "freeze"


def classes_arg(text: str) -> list:
    """``--classes``: "5,6,7" or "dog,cat" -> [5, 6, 7] / ["dog", "cat"] (the config checks the rest)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts or len(parts) > limits.MAX_CLASSES:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: give class numbers or names separated by commas")
    return [int(p) if p.isascii() and p.isdigit() and len(p) < 6 else p for p in parts]


classes_arg.__name__ = "classes"
