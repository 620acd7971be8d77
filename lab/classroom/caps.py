"""The classroom caps: what a run may ask for on this server, enforced when it is submitted.

Read from the environment (README "Environment variables"):

    LAB_WORKERS                  training worker processes this machine starts (default:
                                 cores // LAB_TORCH_THREADS, at least 1)
    LAB_TORCH_THREADS            torch intra-op threads of each worker (default: cores // workers)

"cores" are the physical cores this process may run on (``physical_cores``): two workers
never share one core's hyperthreads, and no worker runs more threads than its cores.
    LAB_MAX_EPOCHS               most epochs a run may ask for (0 = no cap)
    LAB_MAX_TRAIN_SIZE           most training images a run may use (0 = no cap)
    LAB_MAX_RUNS_PER_WORKSPACE   most runs kept in one workspace's journal (0 = no cap)

``LAB_MAX_CONCURRENT_RUNS`` (the earlier name of ``LAB_WORKERS``) is still read.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass

from lab.errors import LabError, keyed
from lab.classroom.messages import MESSAGES as CLASSROOM_MESSAGES


def count_cores(cpuinfo: str, allowed: set[int]) -> int:
    """Physical cores among the logical CPUs ``allowed``, from /proc/cpuinfo's text: two
    hyperthreads of one core (same "physical id" and "core id") count once."""
    cores, cpu, phys = set(), None, "0"
    for line in cpuinfo.splitlines() + [""]:
        key, _, value = (part.strip() for part in line.partition(":"))
        if key == "processor":
            cpu, phys = int(value), "0"
        elif key == "physical id":
            phys = value
        elif key == "core id" and cpu in allowed:
            cores.add((phys, value))
    return len(cores)


def physical_cores() -> int:
    """The cores this process may use, a hyperthreaded core counted once: torch's CPU kernels
    gain nothing from a core's second thread and lose time to its spin-waits, so a worker's
    thread count is its share of these, not of the logical CPUs."""
    try:
        allowed = set(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            counted = count_cores(f.read(), allowed)
    except OSError:
        counted = 0
    return counted or len(allowed) or 1


def _env_int(name: str, default: int, env: dict | None = None) -> int:
    raw = (env if env is not None else os.environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise keyed(CLASSROOM_MESSAGES, "classroom.cap_number", name=name, raw=repr(raw)) from None
    if value < 0:
        raise keyed(CLASSROOM_MESSAGES, "classroom.cap_negative", name=name, raw=repr(raw))
    return value


@dataclass(frozen=True)
class Caps:
    workers: int = 2  # runs training at once on this machine (one per worker process)
    torch_threads: int = 1
    max_epochs: int = 0  # 0 = no cap (the config itself allows 1..500)
    max_train_size: int = 0  # training images; 0 = no cap
    max_runs_per_workspace: int = 0  # 0 = no cap

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Caps":
        cores = physical_cores()
        threads = _env_int("LAB_TORCH_THREADS", 0, env)
        workers = _env_int("LAB_WORKERS", 0, env) or _env_int("LAB_MAX_CONCURRENT_RUNS", 0, env)
        if not workers:
            workers = max(1, cores // threads) if threads else max(1, min(2, cores))
        threads = threads or max(1, cores // workers)
        return cls(
            workers=workers, torch_threads=threads,
            max_epochs=_env_int("LAB_MAX_EPOCHS", 0, env),
            max_train_size=_env_int("LAB_MAX_TRAIN_SIZE", 0, env),
            max_runs_per_workspace=_env_int("LAB_MAX_RUNS_PER_WORKSPACE", 0, env),
        )


@dataclass(frozen=True)
class Capped:
    """One value a cap changed; ``key`` is a text-catalogue key, ``params`` fill it."""

    key: str
    params: dict


class CapError(LabError):
    """A request the classroom caps refuse outright; ``key``/``params`` for the page's text."""

    def __init__(self, message: str, key: str, **params):
        super().__init__(message, key=key, params=params)


def apply_caps(config, caps: Caps, available: int | None = None):
    """A copy of the ExperimentConfig ``config`` within ``caps``, and what was changed.

    Epochs above the cap are lowered; a training set larger than the cap (or "all",
    ``train_limit`` 0) is limited to the cap. ``available``: training images the split
    holds, when known; a set already within the cap is then left alone (and not
    reported as capped). The caller's config is not modified.
    """
    out = copy.deepcopy(config)
    changed: list[Capped] = []
    if caps.max_epochs and out.train.epochs > caps.max_epochs:
        changed.append(Capped("training.capped_epochs", {"asked": out.train.epochs, "cap": caps.max_epochs}))
        out.train.epochs = caps.max_epochs
    limit = out.data.train_limit
    wanted = available if limit == 0 and available is not None else (limit or None)
    if caps.max_train_size and (wanted is None or wanted > caps.max_train_size):
        changed.append(Capped("training.capped_train_size", {"asked": limit or "all", "cap": caps.max_train_size}))
        out.data.train_limit = caps.max_train_size
    return out, changed


def check_run_quota(runs_in_workspace: int, caps: Caps) -> None:
    """Refuse a new run when the workspace's journal already holds the most allowed."""
    cap = caps.max_runs_per_workspace
    if cap and runs_in_workspace >= cap:
        raise CapError(
            f"this workspace already holds {runs_in_workspace} runs (the limit is {cap}): "
            "delete old runs in the journal first", "training.quota_runs", n=runs_in_workspace, cap=cap)
