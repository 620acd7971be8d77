"""What the teacher sees of the class, read from the run folders (no Streamlit here).

The run folders are the source of truth: status, epoch and best validation accuracy
come from each run's own files, so a run trained by a worker on another machine shows
up the moment it writes to the shared runs folder.
"""

from __future__ import annotations

from lab import journal
from lab.accounts import Account, Classroom
from lab.runs import Run, RunStore

ACTIVE = ("queued", "running")


def student_runs(room: Classroom, account: Account) -> list[Run]:
    return journal.in_order(RunStore(room.workspace_dir(account)))


def run_row(account: Account, run: Run) -> dict:
    """One line of the Teacher page: whose run, its status, epoch and best val accuracy."""
    progress = _progress(run)
    return {
        "student": account.name, "key": account.key, "run": run.id, "name": run.meta().get("name") or "",
        "status": run.status, "epoch": progress.get("epoch"), "epochs": progress.get("epochs"),
        "best_val_accuracy": progress.get("best_val_accuracy"), "worker": progress.get("worker"),
        "dataset": run.config().data.dataset, "created": run.meta().get("created", ""),
    }


def class_rows(room: Classroom) -> list[dict]:
    """Every run of every student, students by name, each student's runs oldest first."""
    return [run_row(a, r) for a in room.students() for r in student_runs(room, a)]


def busy(room: Classroom, account: Account) -> bool:
    """Has the student a run still queued or training? (removing them then is refused)"""
    return any(r.status in ACTIVE for r in student_runs(room, account))


def _progress(run: Run) -> dict:
    # TODO(issue 10 merge): Run.progress() gives these (and the worker); until it lands, the
    # same figures from the run's epoch events
    epochs = run.epochs()
    accs = [e["val_accuracy"] for e in epochs if isinstance(e.get("val_accuracy"), (int, float))]
    return {"epoch": len(epochs), "epochs": run.config().train.epochs,
            "best_val_accuracy": max(accs) if accs else None, "worker": None}
