"""Messages of starting a run from weights that already exist and of a class subset (issue 22):
the config's checks (``train.init_from``, ``train.freeze``, ``data.classes``), the data's subset
(``lab.data.subset``) and the loader (``lab.train.transfer``). English templates keyed for the
catalogue, Russian in ``lab/i18n/texts/transfer.py``. A module without imports, so that the
config, the data and the loader all read one table and the catalogue loads no torch for it.
"""

from __future__ import annotations

MESSAGES = {
    # --- the config ----------------------------------------------------------------------------
    "transfer.init_text": "{path}: give a run id, a .pt file, imagenet, or nothing (from scratch); {value} is none "
                          "of these",
    "classes.too_few": "{path}: keep at least 2 classes (or none to keep them all)",
    "classes.repeated": "{path}: class {name} is listed twice",
    "classes.unknown": "class {name} is not in {dataset}{close}; its classes: {known}",
    "classes.outside": "class number {index} is outside {dataset}'s 0..{last}",
    # --- where the weights come from --------------------------------------------------------------
    "transfer.no_run": "--init-from {ref}: no run {ref} in this journal (a run id from the journal, a run folder "
                       "or a .pt file)",
    "transfer.outside": "--init-from {ref}: only your own runs and the .pt files you uploaded can be loaded here",
    "transfer.no_file": "--init-from {ref}: no such .pt file",
    "transfer.not_state_dict": "{ref} holds no weights: a .pt file of a state dict (name -> tensor) or a CNN Lab "
                               "checkpoint is needed",
    "transfer.unsafe": "{ref} was refused: it holds Python objects, not only tensors, and the lab never runs code "
                       "from a file (save model.state_dict(), not the model)",
    "transfer.damaged": "{ref} is not a PyTorch file the lab can read (damaged, cut short or another format)",
    "transfer.too_big": "{ref} is {mb:count} MB, more than the limit of {limit:count} MB",
    "transfer.nothing_matches": "nothing in {ref} fits this model: no weight has the same name and shape (it was "
                                "trained for another architecture)",
    "transfer.imagenet_lab": "ImageNet weights exist for torchvision's ready architectures only; {preset} is the "
                             "lab's own (start from one of your runs instead)",
    "transfer.imagenet_offline": "ImageNet weights could not be downloaded (this machine is offline or the "
                                 "server did not answer): start from one of your runs or a .pt file instead",
    "transfer.too_many_frozen": "freeze {n}: this model has {groups} groups ({names}), so keep 1 to {most} of them "
                                "trainable",
    "transfer.bad_upload_name": "{name}: an uploaded weights file is a .pt file with a plain name",
    # --- what was loaded (the run's record, the CLI's lines) -----------------------------------------
    "transfer.report.loaded": "initialised from {source}: {loaded} of {total} weight tensors loaded "
                              "({params:count} parameters)",
    "transfer.report.new_classes": "the head is new: {source} has {old} classes, this run {new}",
    "transfer.report.other_classes": "the head's output layer is new: {source} was trained for other classes",
    "transfer.report.new_shape": "{n} tensor(s) new because their shape differs (first: {name})",
    "transfer.report.new_missing": "{n} tensor(s) new because {source} has no weight of that name (first: {name})",
    "transfer.report.frozen": "frozen: {groups} ({params:count} parameters); trained: {trained}",
    "transfer.report.not_frozen": "nothing frozen: every layer trains",
    "transfer.report.scratch": "from scratch: every weight starts random",
}
