"""The experiment journal as a table: one row per run, and what changed since the run before.

The course's second rule is "change one thing at a time, record every change and its
result". This module reads a workspace's runs (``lab.runs.store``) and answers, for each
run, what it trained (dataset, model, key hyperparameters, augmentation), how it did
(best validation accuracy and loss, test accuracy, epochs, seconds, status) and what
changed against the run it was started from (``meta.parent``; if none, the run before
it in the workspace) with the effect of that change. More than one changed field gets
a warning: the effect can no longer be pinned on one change.

No Streamlit here: the page and ``python -m lab runs/diff`` both call these functions.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.config import ExperimentConfig, diff
from lab.errors import LabError, keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES
from lab.train.messages import MESSAGES as TRAIN_MESSAGES
from lab.runs.changes import config_changes, format_numerics, numerics_differences
from lab.runs.seeds import compare_runs, stats_of
from lab.runs.scores import finite as _finite, scores
from lab.runs.store import Run, RunStore
from lab.model.inputs import model_input_shape, raw_image_shape
import lab.model as model_pkg
from lab.runs.expectations import outcome
from lab.data import builtin_name

# The table's columns, in order (the CSV header and the CLI's --json keys).
# val_rank: 1 = the best validation accuracy (runs are chosen on validation; test_accuracy
# is blank until the student evaluates the run on test, ``lab.runs.evaluation``). group_*: the
# seeds the run was repeated with (``lab.runs.seeds``). expected / outcome: what the student
# predicted before the run and what happened (``lab.runs.expectations``).
COLUMNS = (
    "id", "name", "created", "status", "val_rank", "dataset", "blocks", "params", "optimizer", "lr",
    "batch_size", "weight_decay", "schedule", "augment", "best_val_accuracy", "best_val_loss",
    "test_accuracy", "final_val_accuracy", "epochs", "seconds", "base", "changes", "changed", "d_val_accuracy",
    "d_val_loss", "group", "group_n", "group_mean", "group_std", "expected", "expected_why", "outcome", "note",
    "damage", "numerics_changed",
)
# status "damaged": the run folder has files the lab cannot read (``Run.damage``); "damage" says
# what, in English ("; " between problems). The run stays listed, its files untouched.
DAMAGED = "damaged"
_OPTIONAL = {"damage", "numerics_changed"}  # a CSV written before this column existed still reads
_INT_COLUMNS = {"val_rank", "blocks", "params", "batch_size", "epochs", "changes", "group_n"}
_FLOAT_COLUMNS = {"lr", "weight_decay", "best_val_accuracy", "best_val_loss", "test_accuracy", "final_val_accuracy",
                  "seconds", "d_val_accuracy", "d_val_loss", "group_mean", "group_std"}
_TEXT_COLUMNS = ("id", "name", "created", "changed", "note", "status", "expected_why", "damage", "numerics_changed")  # blank = "" (others: None)

@dataclass
class Change:
    """What changed from ``base`` to ``run`` and what that did to the scores."""

    run: str
    base: str | None  # the run compared against; None for a workspace's first run
    base_kind: str  # "parent" (meta.parent) | "previous" (the run before it) | "none"
    fields: list[tuple[str, Any, Any]]  # (path, value in base, value in run)
    d_val_accuracy: float | None  # run's best val accuracy minus base's (0..1 scale)
    d_val_loss: float | None  # run's best val loss minus base's (negative = better)
    # what else decided the numbers differently (threads, device, torch...): (field, base's, run's)
    numerics: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def warning(self) -> bool:
        """More than one field changed: the effect is not one change's any more."""
        return len(self.fields) > 1


# --- what a run trained ----------------------------------------------------------------------
def input_shape(cfg: ExperimentConfig) -> tuple[int, int, int]:
    """(C, H, W) the model sees (``lab.model.inputs.input_shape``; the dataset's own shape
    when the stored augmentation no longer applies)."""
    return model_input_shape(raw_image_shape(cfg.data), cfg.augment)[0]


def num_classes(cfg: ExperimentConfig) -> int | None:
    """10 for the built-in datasets; the class folders of an image folder; None if unknown;
    the subset's count where the run kept some classes (``data.classes``)."""
    if cfg.data.classes:
        return len(cfg.data.classes)
    if _builtin(cfg.data.dataset):
        return 10
    root = Path(cfg.data.dataset).expanduser()
    if (root / "train").is_dir():
        root = root / "train"
    if not root.is_dir():
        return None
    n = sum(1 for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return n or None


def count_params(cfg: ExperimentConfig) -> int | None:
    """Trainable parameters of the run's model, or None when they cannot be counted."""
    classes = num_classes(cfg) or 10
    shape = input_shape(cfg)
    try:
        trace = getattr(model_pkg, "trace", None)
        if trace is not None:
            return int(trace(cfg.model, shape, classes).total_params)
    except Exception:  # no architecture package, or an architecture it refuses: a blank cell
        return None
    return None


def augment_summary(cfg: ExperimentConfig) -> str:
    """"RandomCrop(28, padding=2) + RandomRotation(10)" or "none"."""
    parts = []
    for step in cfg.augment.transforms:
        args = ", ".join(f"{k}={v}" for k, v in step.params.items())
        parts.append(f"{step.name}({args})")
    return " + ".join(parts) or "none"


# --- how a run did ----------------------------------------------------------------------------
# --- what changed -----------------------------------------------------------------------------
def base_of(run: Run, runs: list[Run]) -> tuple[Run | None, str]:
    """The run ``run`` is compared with: its parent if that still exists, else the one before it."""
    by_id = {r.id: r for r in runs}
    parent = run.parent
    if parent and parent in by_id and parent != run.id:
        return by_id[parent], "parent"
    ids = [r.id for r in runs]
    i = ids.index(run.id) if run.id in ids else len(ids)
    return (runs[i - 1], "previous") if i > 0 else (None, "none")


def compare(a: Run, b: Run) -> Change:
    """What changed from run ``a`` to run ``b`` (fields and effect). Between runs repeated
    with seeds (``lab.runs.seeds``) the seed is not a change: it is what the repeat varies."""
    fields = config_changes(a.config(), b.config())  # "initialised from run X" is one change
    if a.meta().get("group") or b.meta().get("group"):
        fields = [f for f in fields if f[0] != "train.seed"]
    sa, sb = scores(a), scores(b)
    return Change(run=b.id, base=a.id, base_kind="given", fields=fields,
                  d_val_accuracy=_delta(sb["best_val_accuracy"], sa["best_val_accuracy"]),
                  d_val_loss=_delta(sb["best_val_loss"], sa["best_val_loss"]), numerics=numerics_differences(a, b))


def change_of(run: Run, runs: list[Run]) -> Change:
    base, kind = base_of(run, runs)
    if base is None:
        return Change(run=run.id, base=None, base_kind="none", fields=[], d_val_accuracy=None, d_val_loss=None)
    try:
        change = compare(base, run)
    except LabError:  # the base's config is damaged: no diff to show, the run itself is fine
        return Change(run=run.id, base=None, base_kind="none", fields=[], d_val_accuracy=None, d_val_loss=None)
    change.base_kind = kind
    return change


def format_value(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        if all("name" in v for v in value):  # augmentation steps: their names say enough
            return ", ".join(str(v["name"]) for v in value)
        return f"[{len(value)} item{'' if len(value) == 1 else 's'}]"
    return str(value)


def format_fields(fields: list[tuple[str, Any, Any]]) -> str:
    """"train.lr: 0.001 → 0.0003; model.head: flatten → gap"."""
    return "; ".join(f"{p}: {format_value(a)} → {format_value(b)}" for p, a, b in fields)


# --- the table --------------------------------------------------------------------------------
def row(run: Run, runs: list[Run]) -> dict:
    """One table row (keys = COLUMNS) for ``run``; ``runs`` is the whole workspace in order."""
    try:
        cfg = run.config()
    except LabError:
        cfg = None  # a config.json edited by hand into something invalid: show the run anyway
    meta = run.meta()
    change = change_of(run, runs) if cfg is not None else None
    damage = run.damage()
    out = {
        "id": run.id, "name": str(meta.get("name") or ""), "created": str(meta.get("created") or ""),
        "status": DAMAGED if damage and not run.active else run.status,
        "damage": "; ".join(str(p) for p in damage),
        "dataset": cfg.data.dataset if cfg else None,
        "blocks": len(cfg.model.blocks) if cfg and not cfg.model.arch else None,  # a ready one: torchvision's layers
        "params": count_params(cfg) if cfg else None,
        "optimizer": cfg.train.optimizer if cfg else None,
        "lr": cfg.train.lr if cfg else None,
        "batch_size": cfg.train.batch_size if cfg else None,
        "weight_decay": cfg.train.weight_decay if cfg else None,
        "schedule": cfg.train.schedule if cfg else None,
        "augment": augment_summary(cfg) if cfg else None,
        **scores(run),
        "base": change.base if change else None,
        "changes": len(change.fields) if change and change.base else None,
        "changed": format_fields(change.fields) if change else "",
        "d_val_accuracy": change.d_val_accuracy if change else None,
        "d_val_loss": change.d_val_loss if change else None,
        "numerics_changed": format_numerics(change.numerics) if change else "",
        **_group_and_expectation(run, runs, change),
        "val_rank": None,  # set by ``rows``, which sees every run
        "note": run.note,
    }
    return {k: out[k] for k in COLUMNS}


def _group_and_expectation(run: Run, runs: list[Run], change: Change | None) -> dict:
    meta = run.meta()
    stats = stats_of(run, runs) if meta.get("group") else None
    expected = meta.get("expectation") or {}
    happened = None
    if change is not None and change.base is not None:
        base = next(r for r in runs if r.id == change.base)
        verdict = compare_runs(base, run, runs)
        happened = (outcome(verdict.difference, verdict.spread) if verdict.spread is not None
                    else outcome(change.d_val_accuracy))
    return {"group": meta.get("group"), "group_n": stats.n if stats else None,
            "group_mean": stats.mean if stats else None, "group_std": stats.std if stats else None,
            "expected": expected.get("direction"), "expected_why": expected.get("why") or "",
            "outcome": happened}


def in_order(store: RunStore) -> list[Run]:
    """The workspace's runs, oldest first. Ids sort by the second they were made in; two
    runs of one second (a script, a test) are told apart by when their config was written."""
    def key(run: Run) -> tuple[str, int]:
        try:
            return run.id[:15], (run.dir / "config.json").stat().st_mtime_ns
        except OSError:
            return run.id[:15], 0
    return sorted(store.list(), key=key)


def table(store: RunStore) -> list[dict]:
    """Every run of the workspace, oldest first, ranked by validation (``val_rank``)."""
    return rows(in_order(store))


def rows(runs: list[Run]) -> list[dict]:
    """``row`` of each of ``runs`` (in order), with ``val_rank``: 1 for the best validation
    accuracy, ties sharing a rank; runs without one are not ranked."""
    out = [row(r, runs) for r in runs]
    scored = sorted((r for r in out if r["best_val_accuracy"] is not None), key=lambda r: -r["best_val_accuracy"])
    for i, r in enumerate(scored):
        tied = i and r["best_val_accuracy"] == scored[i - 1]["best_val_accuracy"]
        r["val_rank"] = scored[i - 1]["val_rank"] if tied else i + 1
    return out


def by_validation(rows_: list[dict]) -> list[dict]:
    """The rows best validation accuracy first, unranked runs last (newest first among them)."""
    ranked = sorted((r for r in rows_ if r["val_rank"] is not None), key=lambda r: r["val_rank"])
    return ranked + [r for r in reversed(rows_) if r["val_rank"] is None]


def curves(runs: list[Run]) -> list[dict]:
    """Long-form epoch curves for charts: {run, epoch, metric, split, value} per point."""
    points = []
    for run in runs:
        label = run_label(run)
        for e in run.epochs():
            for split in ("train", "val"):
                for metric in ("loss", "accuracy"):
                    value = e.get(f"{split}_{metric}")
                    if _finite(value):
                        points.append({"run": label, "epoch": int(e["epoch"]) if _finite(e.get("epoch")) else 0, "metric": metric,
                                       "split": split, "value": float(value)})
    return points


def run_label(run: Run) -> str:
    """"lower lr (041512-a3f9c2)" or the id: unique, and readable in a legend."""
    name = run.meta().get("name") or ""
    return f"{name} ({run.id[9:]})" if name else run.id


def side_by_side(runs: list[Run]) -> list[dict]:
    """Config fields that differ between any of ``runs``: [{"field": path, run_id: value, ...}].
    A run whose config is damaged is left out (``Run.damage`` says why)."""
    runs = [r for r in runs if _loads(r)]
    configs = [r.config() for r in runs]
    paths: list[str] = []
    for other in configs[1:]:
        for path, _, _ in diff(configs[0], other):
            if path not in paths:
                paths.append(path)
    flat = [_flatten(c.to_dict()) for c in configs]
    out = []
    for path in paths:
        entry = {"field": path}
        for run, values in zip(runs, flat):
            entry[run.id] = format_value(_lookup(values, path))
        out.append(entry)
    return out


# --- CSV --------------------------------------------------------------------------------------
def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if r.get(k) is None else (repr(r[k]) if isinstance(r[k], float) else r[k])
                         for k in COLUMNS})
    return buf.getvalue()


def read_csv(text: str) -> list[dict]:
    """The rows ``to_csv`` wrote, with numbers as numbers and blanks as None."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or []) and c not in _OPTIONAL]
    if missing:
        raise keyed(RUNS_MESSAGES, "runs.not_journal_csv", column=repr(missing[0]))
    rows = []
    for raw in reader:
        parsed = {}
        for k in COLUMNS:
            v = raw.get(k, "")
            if v == "" and k not in _TEXT_COLUMNS:
                parsed[k] = None
            elif k in _INT_COLUMNS:
                parsed[k] = int(v)
            elif k in _FLOAT_COLUMNS:
                parsed[k] = float(v)
            else:
                parsed[k] = v
        rows.append(parsed)
    return rows


# --- deleting ---------------------------------------------------------------------------------
def delete_run(store: RunStore, run_id: str, confirm: str | None = None) -> None:
    """Delete one run, only when ``confirm`` repeats its id (the explicit second step)."""
    run = store.get(run_id)
    if confirm != run.id:
        raise keyed(TRAIN_MESSAGES, "train.delete_confirm", run=run_id)
    if run.status == "running":  # its training thread still writes there
        raise keyed(TRAIN_MESSAGES, "train.delete_running", run=run_id)
    store.delete(run.id)


# --- helpers ----------------------------------------------------------------------------------
def _loads(run: Run) -> bool:
    try:
        run.config()
    except LabError:
        return False
    return True


def _builtin(dataset: str) -> str | None:
    return builtin_name(dataset)


def _delta(b, a) -> float | None:
    return float(b) - float(a) if _finite(a) and _finite(b) else None


def _flatten(d: Any, path: str = "") -> dict[str, Any]:
    """{"model.blocks[0].filters": 32, ...} plus every intermediate path."""
    out = {path: d} if path else {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, f"{path}.{k}" if path else str(k)))
    elif isinstance(d, list) and all(isinstance(v, dict) for v in d):
        for i, v in enumerate(d):
            out.update(_flatten(v, f"{path}[{i}]"))
    return out


def _lookup(values: dict[str, Any], path: str) -> Any:
    return values.get(path)
