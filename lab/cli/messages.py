"""Error messages of the command line's own arguments (``lab/cli/*``): English templates
keyed like the engine's (Russian in ``lab/i18n/texts/engine_messages.py``), so that every
``LabError`` has a key. Raise ``lab.errors.keyed(MESSAGES, key, ...)``.
"""

from __future__ import annotations

MESSAGES = {
    "cli.not_classroom": "{path} is not a classroom runs folder (no classroom/accounts.json)",
    "cli.no_active_run": "no queued or training run {run} in {path}",
    "cli.student_busy": "{name} has a run queued or training: stop it first",
    "cli.remove_confirm": "removing {name} deletes their account and every run: add --yes",
    "cli.workers": "--workers {n}: give 1 or more",
    "cli.threads": "--threads {n}: give 1 or more",
    "cli.layer_input": "--input: give C,H,W like 3,32,32 (got {text})",
    "cli.layer_out_channels": "--out-channels: only conv2d changes the channels; leave it out for pools",
    "cli.layer_ceil_mode": "--ceil-mode: only pools have ceil_mode; leave it out for conv2d",
    "cli.layer_too_big": "--{name}: {shown} is more than the limit of {limit:count}",
    "cli.layer_many_digits": "a {n}-digit number",
    "cli.index_outside": "--index {index} is outside the {split} split (0..{last})",
    "cli.audit_no_folder": "folder not found: {path} (give a folder with one subfolder per class, or a .zip of one)",
    "cli.overfit_submit": "--overfit-batch runs in this process: use lab train --overfit-batch",
    "cli.augment_png": "--out {path}: write a .png file",
    "cli.lr_find_range": "--start {start:g} must be below --end {end:g}",
    "cli.mark": "--mark {text}: write INDEX=label, INDEX=model or INDEX=none",
    "cli.train_what": "give --config FILE.json, or --dataset NAME (and optionally --preset NAME)",
}
