"""Where a browser session's runs live.

On a laptop (the default, ``LAB_WORKSPACES=shared``) the app and the CLI share one
journal: ``<runs dir>/``. On a classroom server (``LAB_WORKSPACES=private``) each
browser gets its own folder ``<runs dir>/workspaces/<id>/``, the id kept in the URL,
so nobody sees or deletes another student's runs. The id is the signed-in account's
(``lab.classroom.accounts``: students sign in first); folders of no account untouched for
``LAB_WORKSPACE_TTL_HOURS`` (default 72) are removed by ``expire_workspaces``, while a
student's workspace stays until the teacher removes the student.

The CLI pointed at a classroom runs folder names the student whose journal it means
(``--student NAME``, ``cli_journal``) and refuses run folders of anyone else
(``owned_run``).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from lab.errors import keyed
from lab.classroom.messages import MESSAGES as CLASSROOM_MESSAGES
from lab.paths import runs_dir
from lab.classroom.accounts import Classroom


def private_workspaces() -> bool:
    return os.environ.get("LAB_WORKSPACES", "shared").strip().lower() == "private"


def server_folders_allowed() -> bool:
    """May a page read an image folder by its path on the server's disk?

    Yes on a laptop (it is the student's own disk); no on a classroom server
    (``LAB_WORKSPACES=private``), where students upload zips instead, unless the teacher
    sets ``LAB_ALLOW_SERVER_FOLDERS=1``.
    """
    if os.environ.get("LAB_ALLOW_SERVER_FOLDERS", "") in ("1", "true", "yes"):
        return True
    return not private_workspaces()


def workspace_root(workspace_id: str, root: str | Path | None = None) -> Path:
    """The runs folder for this workspace (see the module doc)."""
    base = runs_dir(root)
    if not private_workspaces():
        return base
    if not (workspace_id.isascii() and workspace_id.isalnum() and 8 <= len(workspace_id) <= 32):  # no full-width digits
        raise ValueError(f"malformed workspace id {workspace_id!r}")
    return base / "workspaces" / workspace_id


def ttl_seconds() -> float:
    return float(os.environ.get("LAB_WORKSPACE_TTL_HOURS", "72")) * 3600


def expire_workspaces(root: str | Path | None = None, now: float | None = None) -> list[str]:
    """Remove private workspaces whose newest file is older than the TTL; return their ids."""
    base = runs_dir(root) / "workspaces"
    if not base.is_dir():
        return []
    now = time.time() if now is None else now
    owned = Classroom(root).workspace_owners()
    removed = []
    for ws in base.iterdir():
        if not ws.is_dir() or ws.name in owned:
            continue
        newest = max((p.stat().st_mtime for p in ws.rglob("*")), default=ws.stat().st_mtime)
        if now - newest > ttl_seconds():
            shutil.rmtree(ws, ignore_errors=True)
            removed.append(ws.name)
    return removed


EXPIRY_EVERY_S = 3600.0  # how often a server sweeps old workspaces
_MARKER = ".last-expiry"  # in <runs dir>/workspaces/: when the last sweep ran (its mtime)


def maybe_expire_workspaces(root: str | Path | None = None, now: float | None = None,
                            every_s: float = EXPIRY_EVERY_S) -> list[str] | None:
    """Sweep old private workspaces at most once per ``every_s`` seconds.

    Cheap enough to call on every page load: one ``stat`` when no sweep is due. The time
    of the last sweep is a marker file's mtime, so several server processes and
    restarts share one schedule. Returns the removed ids, or None when no sweep ran
    (also on a laptop, where workspaces are not private).
    """
    if not private_workspaces():
        return None
    base = runs_dir(root) / "workspaces"
    marker = base / _MARKER
    now = time.time() if now is None else now
    try:
        if now - marker.stat().st_mtime < every_s:
            return None
    except FileNotFoundError:
        pass
    base.mkdir(parents=True, exist_ok=True)
    marker.touch()
    os.utime(marker, (now, now))
    return expire_workspaces(root, now)


# --- the CLI on a classroom runs folder -------------------------------------------------------
def cli_journal(runs_dir_arg: str | Path | None, student: str | None) -> Path:
    """The journal a CLI command reads: ``--runs-dir`` itself, or in a classroom runs folder
    (one with accounts, ``lab.classroom.accounts``) the workspace of ``--student NAME``, which it then needs.

    No password: whoever runs the CLI on the server can read the folder anyway. The option
    is there so that a command never mixes students up, not to keep anyone out.
    """
    base = runs_dir(runs_dir_arg)
    room = Classroom(base)
    if not room.is_classroom():
        if student:
            raise keyed(CLASSROOM_MESSAGES, "classroom.student_not_classroom", path=str(base))
        return base
    if not student:
        raise keyed(CLASSROOM_MESSAGES, "classroom.which_student", path=str(base),
                    students=", ".join(a.name for a in room.students()) or ("classroom.none_yet", {}))
    account = room.find(student) if student != "teacher" else room.account("#teacher")
    if account is None:
        raise keyed(CLASSROOM_MESSAGES, "classroom.no_student_in", name=repr(student), path=str(base))
    return room.workspace_dir(account)


def check_cli_ref(ref: str | Path, runs_dir_arg: str | Path | None, student: str | None) -> None:
    """Refuse a path into a classroom runs folder that is not inside ``--student``'s workspace:
    a run folder or checkpoint of another student. Ids are looked up in the student's own
    journal anyway; paths elsewhere on disk (a student's own .pt) are theirs to use."""
    base = runs_dir(runs_dir_arg).resolve()
    if not Classroom(base).is_classroom():
        return
    path = Path(ref).expanduser()
    if not path.exists():
        return
    path = path.resolve()
    if path == base or base in path.parents:
        own = cli_journal(runs_dir_arg, student).resolve()
        if own not in path.parents:
            raise keyed(CLASSROOM_MESSAGES, "classroom.not_their_run", ref=ref,
                              student=student or ("classroom.the_student", {}))
