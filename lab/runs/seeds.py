"""Is the difference real? Runs repeated with several seeds, and what their spread says.

"Repeat with 3 seeds" (Training page) and ``lab train --seeds N`` train one experiment N
times with the seeds seed, seed+1, ..., seed+N-1 (``seed_configs``); the runs share a
group id in their ``meta.json`` (``group``, ``group_size``). A group's validation accuracy
is a mean and a sample standard deviation over its runs (``group_stats``).

Two experiments differ "for real" when their mean validation accuracies differ by more
than the seed-to-seed spread, taken as twice the larger standard deviation of the two
(``verdict``): about the range one seed's result wanders in from changing the seed alone
(two standard deviations either side hold ~95 % of a normal spread). A lone run has no
spread of its own; compared with a group it borrows the group's; two lone runs cannot
tell ("unknown": repeat one with seeds).
"""

from __future__ import annotations

import math
import secrets
import statistics
from dataclasses import dataclass

from lab.config import ExperimentConfig
from lab.config.limits import MAX_SEED
from lab.errors import keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES
from lab.runs.scores import scores
from lab.runs.store import Run

MAX_SEEDS = 10  # runs in one group: enough for a spread, few enough for a classroom's CPUs
SPREAD_SIGMAS = 2.0  # "larger than the spread" = more than 2 standard deviations over seeds


def check_seeds(n: int, first_seed: int) -> int:
    if not 1 <= int(n) <= MAX_SEEDS:
        raise keyed(RUNS_MESSAGES, "runs.seeds_count", limit=MAX_SEEDS, n=n)
    if first_seed + n - 1 > MAX_SEED:
        raise keyed(RUNS_MESSAGES, "runs.seeds_past", first=first_seed, last=first_seed + n - 1, limit=MAX_SEED)
    return int(n)


def seed_configs(config: ExperimentConfig, n: int) -> list[ExperimentConfig]:
    """``config`` with the seeds seed..seed+n-1 (the first is ``config`` itself)."""
    check_seeds(n, config.train.seed)
    out = []
    for i in range(n):
        data = config.to_dict()
        data["train"]["seed"] = config.train.seed + i
        out.append(ExperimentConfig.from_dict(data))
    return out


def new_group_id() -> str:
    return "g" + secrets.token_hex(4)


@dataclass
class Stats:
    """Validation accuracy of one experiment (a group of seeds, or one run)."""

    group: str | None  # None: a run on its own
    runs: list[str]  # the run ids it is made of
    n: int  # runs with a validation accuracy
    mean: float | None  # 0..1
    std: float | None  # sample standard deviation over the seeds; None with fewer than 2 runs


def _accuracy(run: Run) -> float | None:
    return scores(run)["best_val_accuracy"]


def _stats(group: str | None, runs: list[Run]) -> Stats:
    accs = [a for a in (_accuracy(r) for r in runs) if a is not None and math.isfinite(a)]
    return Stats(group, [r.id for r in runs], len(accs), statistics.fmean(accs) if accs else None,
                 statistics.stdev(accs) if len(accs) > 1 else None)


def group_stats(runs: list[Run]) -> dict[str, Stats]:
    """{group id: Stats} of every group among ``runs``."""
    groups: dict[str, list[Run]] = {}
    for run in runs:
        gid = run.meta().get("group")
        if gid:
            groups.setdefault(gid, []).append(run)
    return {gid: _stats(gid, members) for gid, members in groups.items()}


def stats_of(run: Run, runs: list[Run]) -> Stats:
    """The experiment ``run`` belongs to: its group's stats, or the run alone."""
    gid = run.meta().get("group")
    if gid:
        return _stats(gid, [r for r in runs if r.meta().get("group") == gid])
    return _stats(None, [run])


@dataclass
class Verdict:
    difference: float | None  # b's mean validation accuracy minus a's (0..1)
    spread: float | None  # SPREAD_SIGMAS x the larger standard deviation over seeds
    real: bool | None  # None: no spread known (no group) or no accuracy
    a: Stats
    b: Stats

    def to_dict(self) -> dict:
        def plain(s: Stats) -> dict:
            return {"group": s.group, "runs": s.runs, "n": s.n, "mean": s.mean, "std": s.std}

        return {"difference": self.difference, "spread": self.spread, "real": self.real,
                "a": plain(self.a), "b": plain(self.b)}


def verdict(a: Stats, b: Stats) -> Verdict:
    """Does the change from experiment ``a`` to ``b`` exceed the seed-to-seed spread?"""
    diff = b.mean - a.mean if a.mean is not None and b.mean is not None else None
    stds = [s for s in (a.std, b.std) if s is not None]
    spread = SPREAD_SIGMAS * max(stds) if stds else None
    real = None if diff is None or spread is None else abs(diff) > spread
    return Verdict(diff, spread, real, a, b)


def compare_runs(a: Run, b: Run, runs: list[Run]) -> Verdict:
    """``verdict`` for the experiments runs ``a`` and ``b`` belong to."""
    return verdict(stats_of(a, runs), stats_of(b, runs))
