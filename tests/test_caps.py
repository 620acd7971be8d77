"""The classroom caps: read from the environment, applied when a run is submitted."""

from __future__ import annotations

import os

import pytest

from lab.classroom.caps import Caps, CapError, apply_caps, check_run_quota, count_cores, physical_cores
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.train.progress import format_seconds


def test_caps_come_from_the_environment_with_threads_shared_between_workers():
    caps = Caps.from_env({"LAB_WORKERS": "3", "LAB_MAX_EPOCHS": "10", "LAB_MAX_TRAIN_SIZE": "5000",
                          "LAB_MAX_RUNS_PER_WORKSPACE": "20", "LAB_TORCH_THREADS": "4"})
    assert caps == Caps(workers=3, torch_threads=4, max_epochs=10, max_train_size=5000, max_runs_per_workspace=20)
    cores = physical_cores()
    default = Caps.from_env({})
    assert default.workers == max(1, min(2, cores))
    assert default.torch_threads == max(1, cores // default.workers)  # no oversubscription
    assert (default.max_epochs, default.max_train_size, default.max_runs_per_workspace) == (0, 0, 0)
    assert Caps.from_env({"LAB_TORCH_THREADS": "1"}).workers == cores  # one worker per core
    assert Caps.from_env({"LAB_MAX_CONCURRENT_RUNS": "3"}).workers == 3  # the earlier name still counts


HYPERTHREADED = "\n\n".join(  # 2 cores x 2 threads, as /proc/cpuinfo lists them
    f"processor\t: {cpu}\nphysical id\t: 0\ncore id\t\t: {core}\nflags\t\t: fpu" for cpu, core in
    [(0, 0), (1, 1), (2, 0), (3, 1)])


def test_threads_count_physical_cores_not_hyperthreads():
    assert count_cores(HYPERTHREADED, {0, 1, 2, 3}) == 2  # four logical CPUs, two cores
    assert count_cores(HYPERTHREADED, {0, 2}) == 1  # both threads of core 0: one core
    assert count_cores(HYPERTHREADED, {0, 1}) == 2
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)


def test_a_malformed_cap_is_a_clear_error():
    with pytest.raises(LabError, match="LAB_MAX_EPOCHS"):
        Caps.from_env({"LAB_MAX_EPOCHS": "ten"})


def test_caps_clamp_a_config_and_say_what_they_changed():
    cfg = ExperimentConfig()
    cfg.train.epochs = 50
    capped, changed = apply_caps(cfg, Caps(max_epochs=10, max_train_size=5000))
    assert capped.train.epochs == 10 and capped.data.train_limit == 5000
    assert [c.key for c in changed] == ["training.capped_epochs", "training.capped_train_size"]
    assert changed[0].params == {"asked": 50, "cap": 10}
    assert cfg.train.epochs == 50 and cfg.data.train_limit == 0  # the student's own config is untouched


def test_a_config_within_the_caps_is_left_alone():
    cfg = ExperimentConfig()
    cfg.data.train_limit = 1000
    capped, changed = apply_caps(cfg, Caps(max_epochs=10, max_train_size=5000))
    assert changed == [] and capped == cfg


def test_a_training_split_already_within_the_cap_is_not_reported_as_capped():
    cfg = ExperimentConfig()  # train_limit 0: "all" of a 1,200-image split
    capped, changed = apply_caps(cfg, Caps(max_train_size=5000), available=1200)
    assert changed == [] and capped.data.train_limit == 0
    capped, changed = apply_caps(cfg, Caps(max_train_size=5000), available=48000)
    assert capped.data.train_limit == 5000 and changed[0].params == {"asked": "all", "cap": 5000}


def test_the_run_quota_refuses_one_run_too_many():
    check_run_quota(19, Caps(max_runs_per_workspace=20))
    check_run_quota(500, Caps())  # no cap
    with pytest.raises(CapError) as err:
        check_run_quota(20, Caps(max_runs_per_workspace=20))
    assert err.value.key == "training.quota_runs" and err.value.params == {"n": 20, "cap": 20}


def test_durations_read_like_a_clock():
    assert [format_seconds(s) for s in (12, 754, 3700, None)] == ["0:12", "12:34", "1:01:40", "–"]
