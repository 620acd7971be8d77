"""Shared test setup: real data, fresh caches, runs in a temporary folder.

Real data comes from ``../shared/datasets`` where it exists (the course machines and
CI, which have no internet); elsewhere the tests download into ``data/`` once, as a
user's app would.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT.parent / "shared" / "datasets").resolve()

HAVE_SHARED = SHARED.is_dir()
DATA_DIR = SHARED if HAVE_SHARED else ROOT / "data"

# Point the lab at the real datasets before anything imports it. With the shared copy
# there is nothing to download, and an attempt would only wait on a closed network.
os.environ.setdefault("LAB_DATA_DIR", str(DATA_DIR))
if HAVE_SHARED:
    os.environ.setdefault("LAB_OFFLINE", "1")
# One torch thread per run: on 2 shared cores, more threads than free cores made
# training ~10x slower (measured by the Training page's developer).
os.environ.setdefault("LAB_TORCH_THREADS", "1")
# ... and one OpenMP/MKL thread in every process the tests start (streamlit servers run the
# audit and the Predict/Inside pages' forward passes in their own process, and read no
# LAB_TORCH_THREADS): under pytest-xdist every core already runs a test. A test that wants
# more threads still sets them (torch.set_num_threads wins over these).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


# The app's own training workers (lab.jobs.worker.ensure_local_workers): one process per
# test's runs folder, gone once idle for a while instead of when pytest ends.
os.environ.setdefault("LAB_WORKERS", "1")
os.environ.setdefault("LAB_WORKER_IDLE_EXIT_S", "20")

# Runs written by tests never land in the project's runs/
os.environ["LAB_RUNS_DIR"] = tempfile.mkdtemp(prefix="lab-test-runs-")
os.environ["LAB_UPLOADS_DIR"] = tempfile.mkdtemp(prefix="lab-test-uploads-")
# The speed calibration's cache (lab.train.speed) neither reads nor writes the user's ~/.cache
os.environ["LAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="lab-test-cache-")


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    """The folder holding the real datasets (../shared/datasets, else data/)."""
    return DATA_DIR


@pytest.fixture(scope="session")
def mnist(shared_datasets):
    from lab.data import load

    return load("mnist", shared_datasets, download=not HAVE_SHARED, use_samples=False)


@pytest.fixture(scope="session")
def fashion(shared_datasets):
    from lab.data import load

    return load("fashion-mnist", shared_datasets, download=not HAVE_SHARED, use_samples=False)


@pytest.fixture()
def runs_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "runs"
    monkeypatch.setenv("LAB_RUNS_DIR", str(d))
    return d


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st.cache_resource is process-global: clear it so one test's data never leaks into another."""
    yield
    try:
        import streamlit as st

        st.cache_resource.clear()
        st.cache_data.clear()
    except Exception:
        pass


@pytest.fixture()
def room(runs_dir, monkeypatch):
    """A classroom (LAB_WORKSPACES=private) in a fresh runs folder; tests/classroom_helpers.py
    has its class code and teacher password."""
    from classroom_helpers import CODE, TEACHER_PASSWORD
    from lab.classroom.accounts import Classroom

    monkeypatch.setenv("LAB_WORKSPACES", "private")
    monkeypatch.setenv("LAB_CLASS_CODE", CODE)
    monkeypatch.setenv("LAB_TEACHER_PASSWORD", TEACHER_PASSWORD)
    monkeypatch.delenv("LAB_SECRET", raising=False)
    return Classroom()


@pytest.fixture(scope="session")
def mnist_cnn_run(tmp_path_factory, shared_datasets):
    """A decent real run, trained once per session: the mnist_cnn preset on 8,000 MNIST
    training images for 2 epochs (one torch thread), journalled in its own runs folder.
    Tests that write into its folder copy it first (``run_helpers.copy_run``)."""
    import torch

    from lab.config import ExperimentConfig
    from lab.model import preset
    from lab.runs.store import RunStore
    from lab.train.session import prepare, run

    torch.set_num_threads(1)
    cfg = ExperimentConfig()
    cfg.model = preset("mnist_cnn", "mnist")
    cfg.data.train_limit, cfg.data.val_fraction, cfg.train.epochs = 8000, 0.05, 2
    store = RunStore(tmp_path_factory.mktemp("mnist-cnn") / "runs")
    trained = store.create(cfg, name="mnist_cnn, 8000 images, 2 epochs")
    result = run(prepare(cfg, shared_datasets), trained)
    assert result.status == "finished"
    return trained



def pytest_collection_modifyitems(config, items):
    """The browser tests first. They are the suite's longest modules (an app server, chromium,
    whole walks of 30-60 s), and pytest collects tests/browser/ last: under pytest-xdist
    (``--dist loadscope`` hands out whole modules in this order) they made a long tail with
    one worker busy and the other idle. Longest first, the short modules fill in at the end.
    Tests do not depend on their order (and must not)."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/browser/"))
