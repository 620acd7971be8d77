"""One change at a time: what a run changes against its parent, and the way back.

The parent of the next run is the workspace's newest run that trained at least one
epoch (``RunStore.latest_trained``). Before Train, the next run is the experiment being
edited; once a run is submitted and nothing was edited since, the comparison is that
run against *its* stored parent, never the run against itself.

Every row is ``lab.config.diff``'s (path, parent's value, this value), the same diff the
journal shows. ``model.preset`` only names where an architecture started, so it is
shown but not counted as a change of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lab.config import ExperimentConfig, diff
from lab.errors import LabError, keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES

INFORMATIONAL = ("model.preset",)  # shown, never counted as a change
# Starting from existing weights is one idea however many of its fields it sets ("from run X,
# head only"): one row, at the path of its source; restoring it restores all of them.
INIT_FIELDS = ("train.init_from", "train.freeze", "train.pretrained_lr_factor")


def init_text(train) -> str:
    """"20261203-... · freeze features · lr x0.1" ("scratch" for a run from scratch)."""
    parts = [train.init_from or "scratch"]
    if train.freeze != "none":
        parts.append(f"freeze {train.freeze}")
    if train.pretrained_lr_factor != 1.0:
        parts.append(f"lr x{train.pretrained_lr_factor:g}")
    return " · ".join(parts)


def config_changes(a: ExperimentConfig, b: ExperimentConfig) -> list[tuple[str, Any, Any]]:
    """``diff(a, b)`` with the initialisation's fields (``INIT_FIELDS``) as one row: what the
    Training page's "What changed" and the journal count and show."""
    rows = diff(a, b)
    at = next((i for i, r in enumerate(rows) if r[0] in INIT_FIELDS), None)
    if at is None:
        return rows
    rest = [r for r in rows if r[0] not in INIT_FIELDS]
    before = sum(1 for r in rows[:at] if r[0] not in INIT_FIELDS)
    return rest[:before] + [("train.init_from", init_text(a.train), init_text(b.train))] + rest[before:]


def numerics_differences(a, b) -> list[tuple[str, Any, Any]]:
    """What besides the config decided the numbers differently in runs ``a`` and ``b``:
    (field, a's, b's) of their ``meta.numerics`` (``lab.train.numerics.record``: thread count,
    device, processor, torch version, compute dtype). Same config and seed on the same
    record give identical numbers; a difference here means they may differ because of it.
    Runs trained before records existed have nothing to compare: an empty list."""
    ra, rb = a.meta().get("numerics"), b.meta().get("numerics")
    if not isinstance(ra, dict) or not isinstance(rb, dict):
        return []
    keys = list(dict.fromkeys([*ra, *rb]))
    return [(k, ra.get(k), rb.get(k)) for k in keys if ra.get(k) != rb.get(k)]


def format_numerics(rows: list[tuple[str, Any, Any]]) -> str:
    """"threads: 1 → 2; device: cpu → NVIDIA H200"."""
    return "; ".join(f"{k}: {a if a is not None else '—'} → {b if b is not None else '—'}" for k, a, b in rows)


@dataclass
class Comparison:
    parent: str | None  # the run compared with; None: nothing to compare with yet
    subject: str | None = None  # a run's id (that run against its parent); None: the next run
    rows: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """The rows that count: one of them is "one change at a time"."""
        return [r for r in self.rows if r[0] not in INFORMATIONAL]

    @property
    def too_many(self) -> bool:
        return len(self.changes) > 1


def compare(store, now: ExperimentConfig, current=None) -> Comparison:
    """What changes: ``current`` (a submitted ``Run``) against its parent when ``now`` is
    still exactly its config, else the experiment ``now`` against the next run's parent."""
    if current is not None:
        try:
            same = current.config() == now
        except LabError:
            same = False
        if same:
            return run_against_parent(store, current)
    parent = store.latest_trained()
    if parent is None:
        return Comparison(None)
    try:
        before = parent.config()
    except LabError:
        return Comparison(None)
    return Comparison(parent.id, None, config_changes(before, now))


def run_against_parent(store, run) -> Comparison:
    """``run`` against the parent stored when it was submitted."""
    parent_id = run.parent
    if not parent_id or parent_id == run.id:
        return Comparison(None, run.id)
    try:
        before, after = store.get(parent_id).config(), run.config()
    except LabError:  # the parent was deleted in the journal
        return Comparison(None, run.id)
    return Comparison(parent_id, run.id, config_changes(before, after))


_PART = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def restore(config: ExperimentConfig, path: str, parent: ExperimentConfig) -> ExperimentConfig:
    """A copy of ``config`` with the field at ``path`` (a ``diff`` path such as
    ``train.lr`` or ``model.blocks[1].kernel``) set back to ``parent``'s value."""
    mine, theirs = config.to_dict(), parent.to_dict()
    # the initialisation comes back whole (config_changes shows its fields as one change)
    for one in INIT_FIELDS if path in INIT_FIELDS else (path,):
        _set_back(mine, theirs, one)
    return ExperimentConfig.from_dict(mine)


def _set_back(mine: dict, theirs: dict, path: str) -> None:
    keys: list[str | int] = [name if name else int(index) for name, index in _PART.findall(path)]
    if not keys:
        raise keyed(RUNS_MESSAGES, "runs.no_field", path=repr(path))
    value: Any = theirs
    for k in keys:
        value = value[k]
    target: Any = mine
    for k in keys[:-1]:
        target = target[k]
    target[keys[-1]] = value
