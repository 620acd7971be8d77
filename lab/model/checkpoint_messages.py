"""The checkpoint reader's error messages (``lab.model.checkpoint``, shown on the Prediction
page): English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. A module of its own so that the catalogue does not
import torch. ``{what}`` names a refused file by its first bytes (``checkpoint.kind.*``).
"""

from __future__ import annotations


TO_DO = "choose the best.pt (or last.pt) of a CNN Lab run"

MESSAGES = {
    "checkpoint.missing_key": "not a CNN Lab checkpoint: the key {name} is missing",
    "checkpoint.wrong_type": "not a CNN Lab checkpoint: {name} has the wrong type",
    "checkpoint.format": "not a CNN Lab checkpoint (format {format})",
    "checkpoint.newer": "this checkpoint was written by a newer CNN Lab (format version {version}): update the "
                        "lab to read it",
    "checkpoint.config": "checkpoint config: {message}",
    "checkpoint.weights_misfit": "checkpoint weights do not fit its architecture ({detail})",
    "checkpoint.input_shape": "checkpoint input_shape must be three positive whole numbers (C, H, W)",
    "checkpoint.too_many_classes": "checkpoint classes: {n} is more than the limit of {limit}",
    "checkpoint.class_names": "checkpoint classes must be names (text)",
    "checkpoint.two_classes": "checkpoint must name at least two classes",
    "checkpoint.normalisation": "checkpoint normalisation (mean, std) does not match the image channels",
    "checkpoint.too_big": "the checkpoint is {mb:count} MB, more than the limit of {limit:count} MB",
    "checkpoint.empty": "the checkpoint file is empty (0 bytes): " + TO_DO,
    "checkpoint.not_torch": "not a CNN Lab checkpoint: this file is {what}; " + TO_DO,
    "checkpoint.objects": "refused: this PyTorch file holds Python objects, not only weights and settings (for "
                          "example a whole model saved with torch.save(model)); it is not a CNN Lab checkpoint, "
                          "and the lab never runs code from a file: " + TO_DO,
    "checkpoint.damaged": "not a CNN Lab checkpoint: the PyTorch file is damaged or cut short; " + TO_DO,
    "checkpoint.not_dict": "not a CNN Lab checkpoint: it holds a {kind}, not the lab's dictionary of weights and "
                           "settings; " + TO_DO,
    "checkpoint.missing_weight": "checkpoint weights do not match its architecture (missing {name})",
    "checkpoint.unexpected_weight": "checkpoint weights do not match its architecture (unexpected {name})",
    "checkpoint.not_tensor": "checkpoint weight {name} is not a plain tensor",
    "checkpoint.shape": "checkpoint weight {name} has shape {shape}, the architecture needs {needs}",
    "checkpoint.dtype": "checkpoint weight {name} is {dtype}, the architecture needs {needs}",
    "checkpoint.not_finite": "checkpoint weight {name} holds NaN or infinite values",
    "checkpoint.not_run": "{path} is neither a run folder (no config.json) nor a checkpoint file",
    "checkpoint.no_model": "no model at {ref}: give a run folder, a run id from the journal or a .pt checkpoint file",
    "checkpoint.channels": "this model takes {c}-channel images; the prediction page handles 1 (grayscale) or 3 "
                           "(RGB)",
    "checkpoint.image_misfit": "a dataset image of shape {shape} does not fit this model ({channels} channel(s)): "
                               "pick a test image of the model's own dataset",
    "checkpoint.no_test_images": "the dataset {dataset} has no test images",
    "checkpoint.other_classes": "its classes differ from the model's",
    "checkpoint.kind.png": "a PNG picture",
    "checkpoint.kind.jpeg": "a JPEG picture",
    "checkpoint.kind.gif": "a GIF picture",
    "checkpoint.kind.pdf": "a PDF document",
    "checkpoint.kind.gzip": "a gzip archive",
    "checkpoint.kind.zip": "a zip archive that is not a PyTorch file",
    "checkpoint.kind.text": "a text file",
    "checkpoint.kind.other": "not a PyTorch file",
}

