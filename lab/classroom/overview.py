"""What the teacher sees of the class, read from the run folders (no Streamlit here).

The run folders are the source of truth: status, epoch and best validation accuracy
come from each run's own files (``lab.train.progress.read_progress``), so a run trained
by a worker on another machine shows up the moment it writes to the shared runs folder.
"""

from __future__ import annotations

import math
from pathlib import Path

from lab.runs import journal
from lab.classroom.accounts import Account, Classroom
from lab.jobs.submit import queue_position
from lab.runs.store import ACTIVE, Run, RunStore
from lab.train.progress import read_progress
from lab.jobs.worker import live_workers


def student_runs(room: Classroom, account: Account) -> list[Run]:
    return journal.in_order(RunStore(room.workspace_dir(account)))


def run_row(account: Account, run: Run) -> dict:
    """One line of the Teacher page: whose run, its status, epoch and best val accuracy."""
    p = read_progress(run)
    accs = [e["val_accuracy"] for e in p.epochs if isinstance(e.get("val_accuracy"), (int, float))
            and math.isfinite(e["val_accuracy"])]
    best = (p.end or {}).get("best_val_accuracy")
    return {
        "student": account.name, "key": account.key, "run": run.id, "name": p.meta.get("name") or "",
        "status": p.status, "epoch": len(p.epochs), "epochs": p.epochs_total,
        "best_val_accuracy": best if best is not None else (max(accs) if accs else None),
        "worker": p.worker, "dataset": run.config().data.dataset, "created": p.meta.get("created", ""),
    }


def class_rows(room: Classroom) -> list[dict]:
    """Every run of every student, students by name, each student's runs oldest first."""
    return [run_row(a, r) for a in room.students() for r in student_runs(room, a)]


def active_runs(room: Classroom) -> list[tuple[Account, Run]]:
    """Every run queued or training, of every student and the teacher."""
    accounts = room.students() + [a for a in [room.account("#teacher")] if a is not None]
    return [(a, r) for a in accounts for r in student_runs(room, a) if r.status in ACTIVE]


def busy(room: Classroom, account: Account) -> bool:
    """Has the student a run still queued or training? (removing them then is refused)"""
    return any(r.status in ACTIVE for r in student_runs(room, account))


def queue_overview(room: Classroom) -> dict:
    """{"workers": [{id, host, queue, run_id, since}], "queued": [{run_id, student, position}]}."""
    workers = [{"id": w.get("id", ""), "host": w.get("host", ""), "queue": w.get("queue", ""),
                "run_id": Path(w.get("run") or "").name, "since": w.get("since")} for w in live_workers(room.base)]
    queued = [{"run_id": r.id, "student": a.name, "position": queue_position(r, room.base)}
              for a, r in active_runs(room) if r.status == "queued"]
    queued.sort(key=lambda q: (q["position"] == 0, q["position"], q["run_id"]))
    return {"workers": workers, "queued": queued}
