"""Helpers for tests that use a trained run (``mnist_cnn_run`` in conftest.py)."""

from __future__ import annotations


def copy_run(run, root):
    """``run`` copied into the journal folder ``root`` (a lab.runs.store.Run there)."""
    import shutil

    from lab.runs.store import RunStore

    shutil.copytree(run.dir, root / run.id)
    return RunStore(root).get(run.id)
