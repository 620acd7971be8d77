"""argparse types for numbers with bounds: a bad value is argparse's one-line error and
exit 2 (``OneLineParser``), never a traceback later (a 31-digit seed overflows NumPy)."""

from __future__ import annotations

import argparse
import math

from lab.config import limits


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


seed_arg = bounded_int(0, limits.MAX_SEED)
threads_arg = bounded_int(1, limits.MAX_THREADS)
epochs_arg = bounded_int(1, limits.MAX_EPOCHS)
batch_size_arg = bounded_int(1, limits.MAX_BATCH)
train_limit_arg = bounded_int(0, limits.MAX_TRAIN_LIMIT)
lr_arg = bounded_float(1e-6, 10.0)
