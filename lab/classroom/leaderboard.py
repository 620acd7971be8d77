"""The class leaderboard: one entry per student, scored on test images nobody tuned on.

The teacher picks the contest's dataset and a compute budget (training images × epochs
completed, as the run's own ``start`` event and summary record it: 8,000 images for 5
epochs cost 40,000). Each student enters one of their runs; the teacher has the lab
score the entries: the run's ``best.pt`` (``lab.model.checkpoint``) on the *hidden* half of
the dataset's test split (``lab.train.evaluate``), a stratified half drawn with a seed
from the server secret, so nobody can know which images it holds. Best accuracy first;
of two equal accuracies the model with fewer parameters ranks higher.

Nothing a student does reports accuracy on the hidden half: training scores validation
only, and "Evaluate on test" (``lab.runs.evaluation``) scores a classroom student's model on
``public_test_indices`` only.

    <runs dir>/classroom/leaderboard.json   settings, entries {account key: run id}, scores
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass

import torch

from lab.classroom.accounts import Account, Classroom
from lab.model.checkpoint import load_checkpoint
from lab.data import ImageData
from lab.data.split import stratified_split
from lab.errors import LabError, keyed
from lab.classroom.messages import MESSAGES
from lab.runs.store import Run, RunStore
from lab.classroom.tokens import server_secret
from lab.train import evaluate

SCORABLE = ("finished", "stopped")  # a run that ended with a trustworthy best.pt


@dataclass
class Settings:
    dataset: str = "mnist"  # a built-in dataset: every student's test images are the same
    budget: int = 0  # most training images × epochs an entry may have used; 0 = no limit
    anonymous: bool = False  # students see "Student 3F2A" instead of names (the teacher sees names)


@dataclass
class Standing:
    key: str  # the student's account key
    name: str
    run_id: str
    rank: int | None = None  # None: does not count (see ``why``)
    accuracy: float | None = None  # 0..1 on the hidden split
    params: int | None = None
    cost: int | None = None  # training images × epochs
    why: str = ""  # over_budget | wrong_dataset | class_subset | not_scored | gone | not_finished


# --- splits and costs -----------------------------------------------------------------------
def _seed(secret: bytes) -> int:
    return int.from_bytes(hmac.new(secret, b"leaderboard-split", hashlib.sha256).digest()[:4], "big")


def hidden_test_indices(labels: torch.Tensor, secret: bytes) -> torch.Tensor:
    """The test images the board scores on: half of each class, drawn with a secret seed."""
    return stratified_split(labels, 0.5, _seed(secret))[1]


def public_test_indices(labels: torch.Tensor, secret: bytes) -> torch.Tensor:
    """The other half: what training may report as test accuracy on a classroom server."""
    return stratified_split(labels, 0.5, _seed(secret))[0]


def cost(run: Run) -> int | None:
    """Training images × epochs completed, from the run's own records; None if unknown."""
    start = next(iter(run.events("start")), None)
    if not start or "sizes" not in start:
        return None
    summary = run.summary() or {}
    epochs = summary.get("epochs", len(run.epochs()))
    return int(start["sizes"]["train"]) * int(epochs)


def score_run(run: Run, data: ImageData, secret: bytes) -> dict:
    """Accuracy of the run's best checkpoint on the hidden test half, and its parameter count."""
    ckpt = load_checkpoint(run.checkpoint_path("best"))
    if ckpt.classes != list(data.classes):
        raise keyed(MESSAGES, "board.classes", run=run.id, dataset=data.name)
    idx = hidden_test_indices(data.test_y, secret)
    result = evaluate(ckpt.model, data.test_x[idx], data.test_y[idx], ckpt.mean, ckpt.std, "cpu",
                      num_classes=len(ckpt.classes), shape=ckpt.input_shape)
    return {"accuracy": result["accuracy"], "n": result["n"],
            "params": sum(p.numel() for p in ckpt.model.parameters()),
            "checkpoint_mtime_ns": run.checkpoint_path("best").stat().st_mtime_ns}


# --- the board ------------------------------------------------------------------------------
def enterable(run: Run, dataset: str) -> bool:
    """A run a contest on ``dataset`` can compare (finished, on that dataset, on all its
    classes): what a student may enter. One over the budget may be entered; it is listed so."""
    return not _unlike(run, dataset)


def _unlike(run: Run | None, dataset: str) -> str:
    """Why ``run`` cannot be compared with the contest's runs ("" when it can)."""
    if run is None:
        return "gone"
    if run.status not in SCORABLE or not run.checkpoint_path("best").is_file():
        return "not_finished"
    data = run.config().data
    if data.dataset != dataset:
        return "wrong_dataset"
    if data.classes:  # trained on some classes: not comparable with runs on all of them
        return "class_subset"
    return ""


class Leaderboard:
    def __init__(self, root=None):
        self.room = Classroom(root)

    def _data(self) -> dict:
        return self.room._read("leaderboard.json")

    def _update(self, change) -> None:
        with self.room._locked():
            data = self._data()
            change(data)
            self.room._write("leaderboard.json", data)

    def settings(self) -> Settings:
        return Settings(**self._data().get("settings", {}))

    def save_settings(self, settings: Settings) -> None:
        if settings.budget < 0:
            raise keyed(MESSAGES, "board.budget")
        self._update(lambda d: d.__setitem__("settings", asdict(settings)))

    def entries(self) -> dict[str, str]:
        return self._data().get("entries", {})

    def enter(self, account: Account, run_id: str) -> None:
        """``account`` enters one run of their own workspace (the previous entry is replaced)."""
        if account.is_teacher:
            raise keyed(MESSAGES, "board.teacher")
        RunStore(self.room.workspace_dir(account)).get(run_id)  # LabError unless it is theirs
        self._update(lambda d: d.setdefault("entries", {}).__setitem__(account.key, run_id))

    def _run(self, account: Account, run_id: str) -> Run | None:
        try:
            return RunStore(self.room.workspace_dir(account)).get(run_id)
        except LabError:
            return None

    def _why_not(self, run: Run | None, settings: Settings) -> str:
        why = _unlike(run, settings.dataset)
        if why:
            return why
        spent = cost(run)
        if settings.budget and (spent is None or spent > settings.budget):
            return "over_budget"
        return ""

    def score(self, data: ImageData) -> int:
        """Score every eligible entry whose checkpoint is new since its last score; return how many."""
        settings, secret = self.settings(), server_secret(self.room.base)
        if data.name != settings.dataset:
            raise keyed(MESSAGES, "board.dataset", contest=settings.dataset, dataset=data.name)
        fresh = {}
        for key, run_id in self.entries().items():
            account = self.room.account(key)
            run = self._run(account, run_id) if account else None
            if self._why_not(run, settings) or self._fresh(run) is not None:
                continue
            fresh[run.id] = score_run(run, data, secret)
        self._update(lambda d: d.setdefault("scores", {}).update(fresh))
        return len(fresh)

    def _fresh(self, run: Run) -> dict | None:
        """The stored score of ``run`` if its best checkpoint has not changed since."""
        found = self._data().get("scores", {}).get(run.id)
        if found and found.get("checkpoint_mtime_ns") == run.checkpoint_path("best").stat().st_mtime_ns:
            return found
        return None

    def standings(self) -> list[Standing]:
        """Ranked entries first (accuracy down, then parameters up), then those that do not count."""
        settings = self.settings()
        ranked, rest = [], []
        for key, run_id in self.entries().items():
            account = self.room.account(key)
            if account is None:
                continue  # the student was removed
            run = self._run(account, run_id)
            row = Standing(key=key, name=account.name, run_id=run_id, cost=cost(run) if run else None)
            row.why = self._why_not(run, settings)
            found = self._fresh(run) if not row.why else None
            if not row.why and found is None:
                row.why = "not_scored"
            if row.why:
                rest.append(row)
                continue
            row.accuracy, row.params = found["accuracy"], found["params"]
            ranked.append(row)
        ranked.sort(key=lambda r: (-r.accuracy, r.params, r.name.casefold()))
        for i, row in enumerate(ranked):
            tied = i and (row.accuracy, row.params) == (ranked[i - 1].accuracy, ranked[i - 1].params)
            row.rank = ranked[i - 1].rank if tied else i + 1
        return ranked + sorted(rest, key=lambda r: r.name.casefold())

    def alias(self, key: str) -> str:
        """A stable anonymous tag for a student: 4 hex digits nobody can map back without the secret."""
        return hmac.new(server_secret(self.room.base), key.encode(), hashlib.sha256).hexdigest()[:4].upper()
