"""How numbers and dataset names read on a page, in the session's language.

``count(48000)`` is "48,000" in English and "48 000" in Russian (a no-break space, the
Russian thousands separator); ``dataset_label`` names a dataset without the server's
paths (an uploaded archive lives under the server's uploads folder).
"""

from __future__ import annotations

import re
from pathlib import Path

from lab.config.data import DATASET_NAMES
from lab.i18n import numbers
from lab.ui.i18n import t
from lab.ui.state import language

_DIGEST = re.compile(r"[0-9a-f]{16}")  # lab.data.extract_zip_cached's folder per archive


def count(n: int, lang: str | None = None) -> str:
    """An integer with the language's thousands separator (Babel's CLDR data)."""
    return numbers.count(int(n), lang or language())


def dataset_label(dataset: str) -> str:
    """'mnist' is 'MNIST'; a folder is its own name; an archive unpacked at the top of
    its upload folder is 'uploaded archive'."""
    if "/" not in dataset and "\\" not in dataset:
        return DATASET_NAMES.get(dataset, dataset)
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


# A config field's path -> its label, the same words as the field's widget (catalogue keys
# written whole). A block's field is "Block 2: Filters".
SETTING_KEYS = {
    "data.dataset": "dataset.source", "data.val_fraction": "dataset.val_fraction",
    "data.split_seed": "dataset.split_seed", "data.image_size": "dataset.image_size", "data.color": "dataset.color",
    "data.train_limit": "training.train_limit", "augment.transforms": "sidebar.augment",
    "model.preset": "format.setting.preset", "model.blocks": "format.setting.blocks", "model.head": "architecture.head",
    "model.hidden": "architecture.hidden", "model.head_dropout": "architecture.head_dropout",
    "model.head_activation": "architecture.head_activation",
    "model.arch": "format.setting.arch", "model.stem": "architecture.ready.stem",
    "train.optimizer": "training.optimizer", "train.lr": "training.lr", "train.weight_decay": "training.weight_decay",
    "train.momentum": "training.momentum", "train.schedule": "training.schedule",
    "train.step_epochs": "training.step_epochs", "train.step_gamma": "training.step_gamma",
    "train.epochs": "training.epochs", "train.batch_size": "training.batch_size",
    "train.label_smoothing": "training.label_smoothing", "train.grad_clip": "training.grad_clip",
    "train.mixed_precision": "training.mixed_precision", "train.early_stopping": "training.early_stopping",
    "train.seed": "training.seed", "train.device": "training.device",
    "train.init_from": "format.setting.init_from", "train.freeze": "transfer.freeze",
    "train.pretrained_lr_factor": "transfer.lr_factor", "data.classes": "format.setting.classes",
    "breaks.softmax_output": "training.break.softmax_output",
    "breaks.no_normalization": "training.break.no_normalization",
    "breaks.shuffle_labels": "training.break.shuffle_labels", "breaks.lr_x100": "training.break.lr_x100",
}
BLOCK_KEYS = {
    "filters": "architecture.filters", "kernel": "architecture.kernel", "stride": "architecture.stride",
    "padding": "architecture.padding", "dilation": "architecture.dilation", "convs": "architecture.convs",
    "batchnorm": "architecture.batchnorm", "activation": "architecture.activation",
    "residual": "architecture.residual", "pool": "architecture.pool", "pool_size": "architecture.pool_size",
    "dropout": "architecture.dropout",
}
_BLOCK_FIELD = re.compile(r"model\.blocks\[(\d+)\]\.(\w+)")


def setting_label(path: str) -> str:
    """'train.lr' -> 'Learning rate' / 'Скорость обучения'; 'model.blocks[1].filters' ->
    'Block 2: Filters'; a path not known (a newer config) stays as it is."""
    if path in SETTING_KEYS:
        return t(SETTING_KEYS[path])
    block = _BLOCK_FIELD.fullmatch(path)
    if block and block.group(2) in BLOCK_KEYS:
        return t("format.setting.block_field", n=int(block.group(1)) + 1, field=t(BLOCK_KEYS[block.group(2)]))
    return path



def setting_value(path: str, text: str) -> str:
    """A changed setting's value as a change table shows it: the engine's "scratch" (a start from
    random weights, ``lab.runs.changes.init_text``) in the page's language; anything else as it is."""
    if path == "train.init_from":
        head, sep, rest = text.partition(" · ")
        if head == "scratch":
            return t("transfer.source.scratch") + sep + rest
    return text

# a run's status in words (the run folder keeps the engine's word: "finished")
STATUS_NAMES = {
    "queued": "journal.status.queued", "running": "journal.status.running", "finished": "journal.status.finished",
    "stopped": "journal.status.stopped", "diverged": "journal.status.diverged", "failed": "journal.status.failed",
    "damaged": "journal.status.damaged",
}


def status_word(status: str) -> str:
    """'finished' -> 'finished' / 'завершён'; a status not known stays as it is."""
    return t(STATUS_NAMES[status]) if status in STATUS_NAMES else status
