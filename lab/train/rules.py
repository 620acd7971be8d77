"""The course's rules as checks on an experiment, before it is trained.

``course_rules(config, progress, ...)`` returns findings as ``(key, params)``: ``key`` is a
text-catalogue key (``rules.<name>`` in ``lab/i18n/texts/rules.py``, or an augmentation
warning ``augmentation.warn.<kind>``), ``params`` fills its placeholders. The Training page
shows them in the session's language; ``lab train`` prints the English as warnings. They
never stop a run: a student may break a rule on purpose, and should know they did.

The rules (the course's words):
- weight decay stays off on the first runs: add regularisation once overfitting is seen;
- Adam with weight decay couples the decay to the gradient scale: use AdamW instead;
- Adam's learning rate lives around 1e-4..1e-2 (3e-4 and 1e-3 are the classics);
- train the course baseline first, and try "Overfit one batch" before the first full run;
- augmentation comes after a baseline exists, and every augmentation warning counts;
- and a "break it on purpose" switch that is on says which check should catch it.
"""

from __future__ import annotations

from typing import Any

from lab.augment import warnings_for
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.augment.advice import WARNINGS
from lab.i18n.numbers import fill
from lab.runs.course import Progress, is_baseline_model
from lab.train.breaks import effective_train

Finding = tuple[str, dict[str, Any]]

ADAM_LR = (1e-4, 1e-2)  # the range the course gives for Adam/AdamW
# What a teacher would say, in English (the CLI's warning lines); the Russian is in
# lab/i18n/texts/rules.py under the same keys.
RULES = {
    "rules.broken.softmax_output": "Broken on purpose: a softmax after the last layer. Watch the initial-loss check: "
                                   "it should say the outputs already sum to 1.",
    "rules.broken.no_normalization": "Broken on purpose: no normalisation, raw 0..255 pixels reach the model. Watch "
                                     "the initial-loss check: it should name the input statistics and a loss far "
                                     "above ln N.",
    "rules.broken.shuffle_labels": "Broken on purpose: the training labels are shuffled. Watch the validation "
                                   "accuracy: it should stay at chance, and the lab should say so after two epochs.",
    "rules.broken.lr_x100": "Broken on purpose: the learning rate is multiplied by 100. Watch the loss: the "
                            "divergence check should stop the run.",
    "rules.weight_decay_first": "Weight decay {wd} on a first run: the course starts with weight decay 0 and adds "
                                "regularisation only once the curves show overfitting. Set weight decay to 0 for "
                                "this run.",
    "rules.adam_weight_decay": "Adam with weight decay {wd}: in Adam the decay is scaled by the gradient statistics "
                               "and works poorly. Choose the optimizer AdamW, which decays the weights directly.",
    "rules.adam_lr": "Learning rate {lr} for Adam is far outside {low}..{high}, the range where Adam trains well "
                     "(1e-3 and 3e-4 are the usual starts). Expect divergence above it and no progress below it.",
    "rules.no_baseline": "No baseline run yet: train the course baseline first (Architecture page, preset "
                         "\"baseline\", no augmentation), so that {preset} has something to beat.",
    "rules.augment_before_baseline": "{n} augmentation step(s) before any baseline run: train once without "
                                     "augmentation first, so that you can tell what the augmentation does.",
    "rules.no_overfit_batch": "No \"Overfit one batch\" yet: run it before the first full run (the Training page's "
                              "button, or lab train --overfit-batch). A model and a training loop that work reach "
                              "100% on one batch in a few dozen steps; if they cannot, a full run will not help.",
    "rules.overfit_failed": "\"Overfit one batch\" has not reached 100% yet: find out why (a bigger model, a higher "
                            "learning rate, a bug) before spending a full run.",
}

# A "break it on purpose" switch that is on: the rule that says so
BROKEN = {"softmax_output": "rules.broken.softmax_output", "no_normalization": "rules.broken.no_normalization",
          "shuffle_labels": "rules.broken.shuffle_labels", "lr_x100": "rules.broken.lr_x100"}
FAR = 3.0  # "far outside": more than 3x beyond either end (1e-3 x 100 = 0.1 is far; 2e-2 is not)


def course_rules(config: ExperimentConfig, progress: Progress, *, channels: int | None = None,
                 raw_shape: tuple[int, int, int] | None = None) -> list[Finding]:
    """What a teacher would say about training ``config`` next, given the journal's ``progress``.
    ``channels``/``raw_shape`` (the dataset's images) enable the augmentation warnings."""
    t = config.train
    out: list[Finding] = [(BROKEN[name], {}) for name in config.breaks.on()]
    if t.weight_decay > 0 and progress.trained == 0:
        out.append(("rules.weight_decay_first", {"wd": f"{t.weight_decay:g}"}))
    if t.optimizer == "adam" and t.weight_decay > 0:
        out.append(("rules.adam_weight_decay", {"wd": f"{t.weight_decay:g}"}))
    lr = effective_train(config).lr  # with "lr x100" on, the rate the optimizer gets
    if t.optimizer in ("adam", "adamw") and not ADAM_LR[0] / FAR <= lr <= ADAM_LR[1] * FAR:
        out.append(("rules.adam_lr", {"lr": f"{lr:g}", "low": f"{ADAM_LR[0]:g}", "high": f"{ADAM_LR[1]:g}"}))
    if progress.baseline is None:
        if not is_baseline_model(config.model, config.data.dataset):
            out.append(("rules.no_baseline", {"preset": config.model.preset}))
        if config.augment.transforms:
            out.append(("rules.augment_before_baseline", {"n": len(config.augment.transforms)}))
    if progress.overfit != "reached":
        key = "rules.overfit_failed" if progress.overfit == "failed" else "rules.no_overfit_batch"
        out.append((key, {}))
    if channels is not None and config.augment.transforms:
        try:
            out.extend(warnings_for(list(config.augment.transforms), config.data.dataset, channels,
                                    input_shape=raw_shape))
        except LabError:
            pass  # a crop that does not fit: the page's "cannot train" says so already
    return out


def english(finding: Finding) -> str:
    """A finding's English text (the CLI's warning line): a rule's or an augmentation warning's."""
    key, params = finding
    return fill(RULES[key] if key in RULES else WARNINGS[key], "en", **params)
