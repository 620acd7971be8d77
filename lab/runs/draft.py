"""The experiment being edited, kept on disk between sessions: the draft.

A reload, a dropped websocket (a reload on classroom Wi-Fi) or a restarted server starts a
new Streamlit session with empty memory. The draft is what that session needs to look as
the student left it: the experiment (every page's settings, ``ExperimentConfig``) and the
page's view of the latest run (``view``: the session's run and job ids, the model Prediction
uses, the Training form's choices outside the config).

One JSON file per workspace beside its journal: ``<runs folder>/.drafts/<workspace>.json``.
On a laptop every browser's workspace shares one runs folder, so the workspace id (``?ws=``)
names the file; on a classroom server the runs folder is the student's own
(``lab.classroom.workspaces``), so nobody reaches another student's draft. Written whole or
not at all (``lab.files.atomic_write``); a file that cannot be read is a ``LabError``, which
the page reports before starting from the defaults (``set_aside`` keeps the file).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from lab.config import ExperimentConfig
from lab.config.limits import MAX_CONFIG_BYTES
from lab.errors import LabError, keyed, within
from lab.files import atomic_write, read_limited
from lab.runs.messages import MESSAGES

FOLDER = ".drafts"  # in the workspace's runs folder; a dot name: no journal listing sees it
VERSION = 1
MAX_DRAFT_BYTES = 2 * MAX_CONFIG_BYTES  # the experiment (a config, at most 1 MB) and a few ids
MAX_IDS = 200  # run / job ids kept per list (a session trains a few dozen at most)
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,63}")  # run and job ids: 20261127-041512-387c2f
_WORKSPACE = re.compile(r"[0-9A-Za-z]{1,64}")

# What the view may hold, and the type of each value. ``model_names``: the names the student
# gave models in "Trained models (this session)", by run id. Unknown keys are dropped (a
# newer lab's draft read by an older one), known keys of the wrong type make the draft unreadable.
VIEW_TYPES = {
    "training_runs": list, "overfit_jobs": list, "active_model": (str, type(None)), "model_names": dict,
    "report_every": int, "run_name": str, "predict_picture": str, "architecture_tab": str,
    "language": str,  # the page language the student chose last ("en", "ru")
    "model_choices": dict,  # {"predict"|"inside": {"source": "journal", "run": run id}}
    "lr_find_job": (str, type(None)),  # the latest learning-rate range test (its chart comes back)
}
MODEL_PAGES, MODEL_SOURCES = ("predict", "inside"), ("prediction", "session", "journal", "upload")
_ID_LISTS = ("training_runs", "overfit_jobs")


@dataclass
class Draft:
    experiment: ExperimentConfig = field(default_factory=ExperimentConfig)
    view: dict = field(default_factory=dict)
    saved_at: float = 0.0  # seconds since the epoch, when it was written


def draft_path(root: str | Path, workspace: str) -> Path:
    """The draft file of ``workspace`` in the runs folder ``root``."""
    if not _WORKSPACE.fullmatch(workspace or ""):
        raise ValueError(f"malformed workspace id {workspace!r}")
    return Path(root) / FOLDER / f"{workspace}.json"


def draft_text(experiment: ExperimentConfig, view: dict) -> str:
    """What the draft keeps, as canonical JSON without the time: two equal texts are the same
    draft, so a caller writes only when the text changed (``save_draft``)."""
    return json.dumps({"version": VERSION, "experiment": experiment.to_dict(), "view": check_view(view)},
                      sort_keys=True, ensure_ascii=False)


def save_draft(root: str | Path, workspace: str, text: str, now: float | None = None) -> Path:
    """Write ``draft_text``'s ``text`` as the workspace's draft, stamped with the time."""
    path = draft_path(root, workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**json.loads(text), "saved_at": time.time() if now is None else float(now)}
    atomic_write(path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def load_draft(root: str | Path, workspace: str) -> Draft | None:
    """The workspace's draft; None when there is none. LabError (``runs.draft_unreadable``)
    when the file is there but is not a draft this lab can use."""
    path = draft_path(root, workspace)
    if not path.exists():
        return None
    try:
        raw = read_limited(path, MAX_DRAFT_BYTES, "file")
    except LabError:  # too big, a folder: its message names a server path, which a page must not show
        raise keyed(MESSAGES, "runs.draft_broken") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("not a draft of this version")
        saved_at = data["saved_at"]
        if not isinstance(saved_at, (int, float)) or isinstance(saved_at, bool):
            raise ValueError("saved_at is not a time")
        return Draft(ExperimentConfig.from_dict(data["experiment"]), check_view(data["view"]), float(saved_at))
    except LabError as exc:  # a config that does not validate: the message names the field
        raise within(MESSAGES, "runs.draft_unreadable", exc) from None
    except (ValueError, KeyError, TypeError, RecursionError):  # not UTF-8, not JSON, a part missing
        raise keyed(MESSAGES, "runs.draft_broken") from None


def check_view(view) -> dict:
    """``view`` with its known keys, each of the declared type (ValueError otherwise)."""
    if not isinstance(view, dict):
        raise ValueError("the view is not an object")
    kept = {}
    for key, value in view.items():
        kinds = VIEW_TYPES.get(key)
        if kinds is None:
            continue
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ValueError(f"view.{key} has the wrong type")
        kept[key] = value
    if "model_choices" in kept:
        kept["model_choices"] = _model_choices(kept["model_choices"])
    for key in _ID_LISTS:
        if key in kept and not all(isinstance(i, str) and _ID.fullmatch(i) for i in kept[key]):
            raise ValueError(f"view.{key} holds something that is not a run id")
        if key in kept:
            kept[key] = kept[key][-MAX_IDS:]
    for key in ("active_model", "lr_find_job"):
        if kept.get(key) is not None and not _ID.fullmatch(kept[key]):
            raise ValueError(f"view.{key} is not a run id")
    names = kept.get("model_names", {})
    if not all(_ID.fullmatch(k) and isinstance(v, str) for k, v in names.items()):
        raise ValueError("view.model_names is not run id -> name")
    return kept


def discard_draft(root: str | Path, workspace: str) -> None:
    """"Start fresh": the workspace has no draft any more."""
    draft_path(root, workspace).unlink(missing_ok=True)


def set_aside(root: str | Path, workspace: str) -> Path | None:
    """Move an unreadable draft out of the way (``<workspace>.unreadable.json``, replacing an
    older one), so the next session starts clean and the file is still there to look at."""
    path = draft_path(root, workspace)
    aside = path.with_name(f"{workspace}.unreadable.json")
    try:
        path.replace(aside)
    except OSError:  # gone meanwhile (another tab), or a folder in its place
        return None
    return aside


def _model_choices(choices: dict) -> dict:
    """The Predict and Inside model choices, each a known source and (optionally) a run id."""
    kept = {}
    for page, choice in choices.items():
        if page not in MODEL_PAGES or not isinstance(choice, dict) or choice.get("source") not in MODEL_SOURCES:
            raise ValueError("view.model_choices holds an unknown page or source")
        run = choice.get("run")
        if run is not None and not (isinstance(run, str) and _ID.fullmatch(run)):
            raise ValueError("view.model_choices holds something that is not a run id")
        kept[page] = {"source": choice["source"], "run": run}
    return kept
