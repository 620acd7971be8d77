"""A class subset of a dataset (``data.classes``): pre-train on five CIFAR-10 classes, fine-tune
on the other five.

The one place the subset is made: training (``lab.train.session.load_data``), the pages
(``lab.ui.data``) and scoring on the test split all load through ``keep_classes``, so a run
trained on classes 5-9 is validated and tested on classes 5-9 only, with the same labels.
The split and ``train_limit`` come after it and stay stratified: 250 images of 5 classes are
50 per class.
"""

from __future__ import annotations

from dataclasses import replace

import torch

from lab.config.transfer_messages import MESSAGES
from lab.data.images import ImageData
from lab.errors import LabError, did_you_mean, keyed


def class_indices(classes: list[str], wanted: list[int | str], dataset: str = "") -> list[int]:
    """The dataset's class numbers of ``wanted`` (names or numbers), in ``wanted``'s order."""
    out = []
    for c in wanted:
        if isinstance(c, int):
            if not 0 <= c < len(classes):
                raise keyed(MESSAGES, "classes.outside", LabError, index=c, dataset=dataset, last=len(classes) - 1)
            out.append(c)
        elif c in classes:
            out.append(classes.index(c))
        else:
            raise keyed(MESSAGES, "classes.unknown", LabError, name=repr(c), dataset=dataset,
                        known=", ".join(classes), close=did_you_mean(c, classes))
    if len(set(out)) != len(out):  # "cat" and 3 name the same class
        repeated = next(c for c, i in zip(wanted, out) if out.count(i) > 1)
        raise keyed(MESSAGES, "classes.repeated", LabError, path="data.classes", name=repr(repeated))
    return out


def _select(x: torch.Tensor, y: torch.Tensor, keep: list[int], n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The images of the kept classes (in dataset order) with labels 0..k-1 in ``keep``'s
    order; ``n``: the dataset's class count."""
    relabel = torch.full((n,), -1, dtype=torch.long)
    relabel[torch.tensor(keep, dtype=torch.long)] = torch.arange(len(keep))
    new = relabel[y]
    mask = new >= 0
    return x[mask], new[mask]


def keep_classes(data: ImageData, wanted: list[int | str]) -> ImageData:
    """``data`` with only the classes ``wanted`` (all of them when empty), relabelled 0..k-1."""
    if not wanted:
        return data
    keep = class_indices(list(data.classes), list(wanted), data.name)
    train_x, train_y = _select(data.train_x, data.train_y, keep, len(data.classes))
    test_x, test_y = _select(data.test_x, data.test_y, keep, len(data.classes))
    return replace(data, classes=[data.classes[i] for i in keep], train_x=train_x, train_y=train_y,
                   test_x=test_x, test_y=test_y)
