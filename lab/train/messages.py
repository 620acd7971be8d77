"""The training session's error messages a run's failure shows (``lab.train.session``,
``lab.train.device``): English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``.
"""

from __future__ import annotations


MESSAGES = {
    "train.nothing_to_train": "nothing to train on: {train} training and {val} validation images; use a dataset "
                              "with more images per class or a larger validation fraction",
    "train.no_checkpoint": "run {run} has no checkpoint yet (no best.pt or last.pt): train it for at least one epoch",
    "train.delete_confirm": "deleting {run} needs a confirmation: repeat its id to delete it",
    "train.delete_running": "run {run} is still training: stop it on the Training page first",
    "train.no_cuda": "device cuda: this machine has no CUDA GPU (use --device cpu or auto)",
    "train.no_mps": "device mps: Apple's Metal GPU is not available here (use --device cpu or auto)",
    "train.no_recipe": "no fast recipe for {dataset}: there is one for {known}",
    "train.unknown_device": "device {name}{close}: use auto, cpu, cuda or mps",
}

