"""The run journal on disk: one folder per run, written as training goes.

    <root>/<run-id>/
        config.json     the ExperimentConfig that was trained
        meta.json       id, created, parent run, name, device, status while it runs
        metrics.jsonl   one JSON object per event, appended and flushed as they happen
        best.pt         self-describing checkpoints (lab.model.checkpoint)
        last.pt
        summary.json    written when the run ends (status, best/test metrics, seconds)
        note.txt        the student's note: what changed and why
        progress.json   rewritten about once a second by whoever trains it: the heartbeat
                        (who, when), the latest batch, the recent batch losses
        report.json     the latest validation report (images as PNG, base64)
        stop            present once someone asked the run to stop

"Running" is decided by the heartbeat, never by a process id: a run is running while
``progress.json`` was rewritten within ``heartbeat_timeout()`` seconds; a run whose
heartbeat stopped without a summary was lost with its worker and reads "failed"
(every finished epoch is still in metrics.jsonl and last.pt). A run that has been
submitted but not yet taken by a worker reads "queued".

Appending a line per event means a refresh, a closed tab or a killed server loses at
most the epoch in progress; a half-written last line is skipped when reading.

A folder damaged by hand or by a crash (a ``summary.json`` holding ``[1,2,3]``, bytes that
are not UTF-8, a config that no longer loads, a file missing) is still a run: every reader
here treats what it cannot read as absent, and ``Run.damage`` says what is wrong, so the
journal lists it as damaged beside the intact runs. Nothing is ever deleted for it.
``<root>`` is a workspace folder (``lab.classroom.workspaces``) or the CLI's ``--runs-dir``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lab.config import ExperimentConfig
from lab.files import atomic_write
from lab.errors import LabError, keyed, within
from lab.runs.messages import MESSAGES as RUNS_MESSAGES

STATUSES = ("queued", "running", "finished", "stopped", "diverged", "failed")
# Any of these in a folder of the journal makes it a run (a damaged one may have lost config.json)
RUN_FILES = ("config.json", "meta.json", "metrics.jsonl", "summary.json")
JSON_FILES = ("config.json", "meta.json", "summary.json", "progress.json")  # each holds one JSON object
ACTIVE = ("queued", "running")
HEARTBEAT_TIMEOUT_S = 6.0  # a worker rewrites progress.json every ~1 s; silence this long = lost


def heartbeat_timeout() -> float:
    """Seconds without a heartbeat after which a run's worker counts as lost
    ($LAB_HEARTBEAT_TIMEOUT_S; generous on shared storage whose clocks differ)."""
    try:
        return max(1.0, float(os.environ.get("LAB_HEARTBEAT_TIMEOUT_S") or HEARTBEAT_TIMEOUT_S))
    except ValueError:
        return HEARTBEAT_TIMEOUT_S


def new_run_id() -> str:
    """Sortable by time to the millisecond, unique without coordination:
    20261127-041512-387c2f (milliseconds 387, then three random hex digits), so runs
    submitted in the same second still list in the order they were made."""
    now = datetime.now()
    return now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}" + secrets.token_hex(2)[:3]


@dataclass(frozen=True)
class Run:
    dir: Path

    @property
    def id(self) -> str:
        return self.dir.name

    # --- config and metadata -------------------------------------------------
    def config(self) -> ExperimentConfig:
        """The run's config; a LabError (keyed, with what is wrong) when it is missing or damaged."""
        if not (self.dir / "config.json").is_file():
            raise keyed(RUNS_MESSAGES, "runs.damage.missing", file="config.json")
        return ExperimentConfig.load(self.dir / "config.json")

    def damage(self) -> list[LabError]:
        """What is wrong with this run folder, one keyed LabError per problem (empty: intact).

        Checked: config.json missing or not a valid config; meta/summary/progress files that
        are not UTF-8, not JSON or not a JSON object; metrics.jsonl lines that cannot be read
        (a last line cut short by a crash is normal and not counted)."""
        problems = []
        try:
            self.config()
        except LabError as exc:
            problems.append(exc if exc.key and exc.key.startswith("runs.damage.")
                            else within(RUNS_MESSAGES, "runs.damage.config", exc))
        for name in JSON_FILES[1:]:
            problem = _json_problem(self.dir / name)
            if problem is not None:
                problems.append(problem)
        bad = self._bad_event_lines()
        if bad:
            problems.append(keyed(RUNS_MESSAGES, "runs.damage.lines", file="metrics.jsonl", n=bad))
        return problems

    def meta(self) -> dict:
        return _read_json(self.dir / "meta.json") or {"id": self.id}  # damaged: as if absent

    def update_meta(self, **fields) -> None:
        meta = self.meta()
        meta.update(fields)
        _write_json(self.dir / "meta.json", meta)

    @property
    def parent(self) -> str | None:
        return self.meta().get("parent")

    # --- events ---------------------------------------------------------------
    def append(self, event: dict) -> None:
        """Add one event line, flushed to disk before returning."""
        line = json.dumps(event, ensure_ascii=False, allow_nan=True)
        with open(self.dir / "metrics.jsonl", "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def events(self, kind: str | None = None) -> list[dict]:
        """The events logged so far; a line that is not a JSON object in UTF-8 (cut short by a
        crash, damaged) is skipped, the others are kept."""
        return [e for e in self._event_lines()[0] if kind is None or e.get("event") == kind]

    def _event_lines(self) -> tuple[list[dict], int]:
        """(the readable events, how many lines could not be read, a cut-short last line aside)."""
        try:
            raw = (self.dir / "metrics.jsonl").read_bytes()
        except OSError:
            return [], 0
        lines = raw.split(b"\n")
        out, bad = [], 0
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            event = _parse_object(line)
            if event is not None:
                out.append(event)
            elif i < len(lines) - 1:  # the last line without its newline: a write in progress
                bad += 1
        return out, bad

    def _bad_event_lines(self) -> int:
        return self._event_lines()[1]

    def epochs(self) -> list[dict]:
        return self.events("epoch")

    # --- end of run -------------------------------------------------------------
    def write_summary(self, summary: dict) -> None:
        _write_json(self.dir / "summary.json", summary)
        self.update_meta(status=summary.get("status", "finished"))

    def summary(self) -> dict | None:
        return _read_json(self.dir / "summary.json")

    @property
    def status(self) -> str:
        """queued | running | finished | stopped | diverged | failed (see the module doc)."""
        return self.state()[0]

    def state(self) -> tuple[str, str]:
        """(status, reason): the reason is "" or a catalogue key such as ``run.worker_lost``."""
        summary = self.summary()
        if summary:
            return summary.get("status", "finished"), summary.get("reason") or ""
        progress = self.progress()
        if progress:
            if time.time() - float(progress.get("heartbeat") or 0) <= heartbeat_timeout():
                return "running", ""
            return "failed", "run.worker_lost"
        if self.meta().get("status") == "queued":
            return ("stopped", "train.stopped") if self.stop_requested() else ("queued", "")
        return "failed", "run.never_started"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    # --- live progress, stop requests, reports -------------------------------------
    def progress(self) -> dict | None:
        """What ``progress.json`` holds (None before a worker took the run)."""
        return _read_json(self.dir / "progress.json")

    def write_progress(self, progress: dict) -> None:
        _write_json(self.dir / "progress.json", progress)

    def request_stop(self) -> None:
        """Ask whoever trains this run to stop after the current batch (works across
        machines: the worker watches this file); a queued run will never start."""
        (self.dir / "stop").touch()

    def stop_requested(self) -> bool:
        return (self.dir / "stop").exists()

    def write_report(self, report: dict) -> None:
        _write_json(self.dir / "report.json", report)

    def report(self) -> dict | None:
        return _read_json(self.dir / "report.json")

    # --- student's note and files -----------------------------------------------
    @property
    def note(self) -> str:
        path = self.dir / "note.txt"
        try:
            return path.read_text(encoding="utf-8", errors="replace")  # a damaged byte shows as �
        except OSError:
            return ""

    def set_note(self, text: str) -> None:
        atomic_write(self.dir / "note.txt", text)  # the Journal reads it while the student types

    def checkpoint_path(self, which: str = "best") -> Path:
        if which not in ("best", "last"):
            raise ValueError(which)
        return self.dir / f"{which}.pt"

    def model_checkpoint(self) -> Path:
        """The checkpoint that stands for this run: best.pt, else last.pt (a run stopped or
        lost before a best existed). The one place that choice is made."""
        for which in ("best", "last"):
            path = self.checkpoint_path(which)
            if path.is_file():
                return path
        from lab.train.messages import MESSAGES  # heavy: loaded on first use, to keep start-up light

        raise keyed(MESSAGES, "train.no_checkpoint", run=self.id)

    def has_checkpoint(self) -> bool:
        return any(self.checkpoint_path(w).is_file() for w in ("best", "last"))

    def trained_epochs(self) -> int:
        return len(self.epochs())


class RunStore:
    """All runs under one root folder (a workspace)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def create(self, config: ExperimentConfig, parent: str | None = None, name: str = "", **meta) -> Run:
        self.root.mkdir(parents=True, exist_ok=True)
        run = Run(self.root / new_run_id())
        run.dir.mkdir()
        config.save(run.dir / "config.json")
        _write_json(run.dir / "meta.json", {
            "id": run.id, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "parent": parent, "name": name, "status": "running", **meta,
        })
        return run

    def list(self) -> list[Run]:
        """Every run folder, damaged ones included (``Run.damage``)."""
        if not self.root.is_dir():
            return []
        return sorted((Run(p) for p in self.root.iterdir() if _is_run_dir(p)), key=lambda r: r.id)

    def get(self, run_id: str) -> Run:
        run = Run(self.root / run_id)
        if "/" in run_id or "\\" in run_id or run_id.startswith(".") or not _is_run_dir(run.dir):
            raise keyed(RUNS_MESSAGES, "runs.no_run", run=repr(run_id), root=str(self.root))
        return run

    def latest(self) -> Run | None:
        runs = self.list()
        return runs[-1] if runs else None

    def latest_trained(self) -> Run | None:
        """The newest run that finished at least one epoch: the parent of the next run
        (a run that failed or was stopped before its first epoch is nobody's parent)."""
        for run in reversed(self.list()):
            if run.status != "queued" and run.trained_epochs():
                return run
        return None

    def active(self) -> list[Run]:
        """Runs queued or training right now, oldest first."""
        return [r for r in self.list() if r.active]

    def delete(self, run_id: str) -> None:
        shutil.rmtree(self.get(run_id).dir)


def resolve_run(ref: str | Path, root: str | Path | None = None) -> Run:
    """A run from a folder path, or from an id inside ``root``."""
    path = Path(ref)
    if (path / "config.json").is_file():
        return Run(path)
    if root is not None:
        return RunStore(root).get(str(ref))
    raise keyed(RUNS_MESSAGES, "runs.not_run_folder", ref=str(ref))


def _is_run_dir(path: Path) -> bool:
    return not path.name.startswith(".") and path.is_dir() and any((path / f).is_file() for f in RUN_FILES)


def _parse_object(data: bytes) -> dict | None:
    """One JSON object from UTF-8 bytes, or None for anything else (not UTF-8, not JSON,
    a list or a number where an object belongs, nesting too deep)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _read_json(path: Path) -> dict | None:
    """The JSON object in ``path``; None when it is missing or damaged (``_json_problem`` says how)."""
    try:
        return _parse_object(path.read_bytes())
    except OSError:
        return None


def _json_problem(path: Path) -> LabError | None:
    """What is wrong with a run's JSON file ``path`` (None: absent, or a JSON object)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return keyed(RUNS_MESSAGES, "runs.damage.unreadable", file=path.name, reason=exc.strerror or str(exc))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return keyed(RUNS_MESSAGES, "runs.damage.not_utf8", file=path.name)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return keyed(RUNS_MESSAGES, "runs.damage.not_json", file=path.name)
    if not isinstance(value, dict):
        return keyed(RUNS_MESSAGES, "runs.damage.not_object", file=path.name, kind=type(value).__name__)
    return None


def _write_json(path: Path, data: dict) -> None:
    """Write-then-rename, so a crash never leaves half a file behind."""
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False))
