"""Catalogue keys for the notes and advice the engine attaches to its events.

The engine speaks in keys (``"train.advice.lower_lr"``) so the page can show them in
the student's language from ``lab/i18n/texts/training.py``; ``ENGLISH`` holds the English
text for the CLI and for the ``message`` field of events. Keys with ``{placeholders}``
are formatted with the numbers stored beside them in the event (``values``).
"""

from __future__ import annotations

from lab.i18n.numbers import fill

ENGLISH = {
    # Before training: the course's initial-loss check
    "train.check.ok": "Initial loss {loss:.3f} is close to ln({classes}) = {expected:.3f} and accuracy "
                      "{accuracy:.1%} is close to 1/{classes}: the model starts from a sane guess.",
    "train.check.loss_high": "Initial loss {loss:.3f} is far above ln({classes}) = {expected:.3f}: the model "
                             "starts confidently wrong. Check the weight initialisation and that the inputs "
                             "are normalised.",
    "train.check.loss_low": "Initial loss {loss:.3f} is far below ln({classes}) = {expected:.3f} before any "
                            "training: check that the labels do not leak into the inputs.",
    "train.check.accuracy_high": "Initial accuracy {accuracy:.1%} is far above chance (1/{classes}) before any "
                                 "training: check for a label leak or reused weights.",
    "train.check.inputs_unnormalised": "The model's inputs have mean {input_mean:.2f} and std {input_std:.2f}, "
                                       "not about 0 and 1: they are not normalised. Normalise with the training "
                                       "images' statistics, (x / 255 - mean) / std.",
    "train.check.softmax_output": "The model's outputs already sum to 1 like probabilities: remove the "
                                  "softmax after the last layer. CrossEntropyLoss applies log-softmax itself.",
    "train.check.activation_output": "The model's outputs are never negative: an activation (ReLU, sigmoid...) "
                                     "follows the last Linear layer. Remove it; the last layer must output raw "
                                     "scores (logits).",
    # Overfit one batch
    "train.overfit.reached": "Reached 100% accuracy on one batch of {batch} images in {steps} steps: the "
                             "model and the training loop can learn.",
    "train.overfit.failed": "Only {accuracy:.1%} accuracy on one batch of {batch} images after {steps} "
                            "steps.",
    "train.advice.bigger_model": "Try a bigger model (more filters or blocks) or a higher learning rate.",
    "train.advice.bug_hunt": "If a bigger model does not help, hunt for a bug: labels matching the images, "
                             "normalisation, an activation after the last layer.",
    # During training
    "train.diverged.nan": "The loss became NaN or infinite at step {step}: training diverged.",
    "train.diverged.exploded": "The loss reached {loss:.3g} at step {step}, more than {factor:g}x the initial "
                               "{initial:.3f}: training diverged.",
    "train.advice.lower_lr": "Lower the learning rate (try 10x smaller), or turn on gradient clipping.",
    "train.overfitting.started": "Overfitting from epoch {epoch}: the validation loss has not really improved "
                                 "since epoch {best_epoch} (its trend over the last epochs is flat or rising) "
                                 "while the training loss keeps falling, and training is {gap:.1f} points ahead "
                                 "of validation in accuracy.",
    "train.advice.more_data": "Use more training data or stronger augmentation.",
    "train.advice.regularize": "Add BatchNorm or Dropout to the model.",
    "train.advice.weight_decay": "Add weight decay (e.g. AdamW with 1e-4..1e-2).",
    "train.advice.early_stopping": "Turn on early stopping to keep the best epoch's weights.",
    "train.chance.val": "After {epoch} epochs the validation accuracy is {accuracy:.1%}, still at chance "
                        "(1/{classes} = {chance:.1%}), while training reaches {train_accuracy:.1%}: nothing the model "
                        "learns carries over to new images.",
    "train.advice.check_labels": "Check that the labels match the images (look at a few with their labels), "
                                 "then the learning rate and the inputs' normalisation.",
    "train.early_stopped": "Stopped early at epoch {epoch}: no better validation loss for {patience} epochs; "
                           "restored the weights of epoch {best_epoch}.",
    "train.stopped": "Stopped on request after step {step}.",
}

DIVERGED_ADVICE = ["train.advice.lower_lr"]
OVERFITTING_ADVICE = ["train.advice.more_data", "train.advice.regularize", "train.advice.weight_decay",
                      "train.advice.early_stopping"]
CHANCE_ADVICE = ["train.advice.check_labels"]
OVERFIT_BATCH_ADVICE = ["train.advice.bigger_model", "train.advice.bug_hunt"]


def english(key: str, **values) -> str:
    """The English text of ``key`` with its numbers filled in. A number the text needs and
    ``values`` lacks raises ``KeyError``: a caller that forgot it is a bug for the tests to
    find, never a "{loss:.3g}" for a student to read."""
    return fill(ENGLISH[key], "en", **values)
