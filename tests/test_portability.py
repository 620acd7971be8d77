"""The app must import on Windows: no POSIX-only module on its import path, and every
package the code imports is declared in the requirements."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Windows' Python has none of these; making them unimportable is how a Linux test sees
# what a Windows machine would (an import inside a function, on a POSIX-only branch, is fine)
POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")


def lab_modules() -> list[str]:
    out = []
    for path in sorted((ROOT / "lab").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__" or "templates" in parts:  # the CLI's entry; templates are scripts to copy
            continue
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_every_lab_module_imports_without_posix_only_modules():
    script = (
        "import sys, importlib\n"
        f"for name in {POSIX_ONLY!r}: sys.modules[name] = None  # import raises ImportError\n"
        f"for module in {lab_modules()!r}:\n"
        "    importlib.import_module(module)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def declared(*files: str) -> set[str]:
    names = set()
    for name in files:
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                names.add(line.split(";")[0].split("[")[0].split("=")[0].split("<")[0].split(">")[0].strip().lower())
    return names


# import name -> the distribution that provides it, where they differ
DISTRIBUTION = {"PIL": "pillow", "streamlit_drawable_canvas": "streamlit-drawable-canvas"}


def imported(*folders: str) -> set[str]:
    local = {p.stem for p in ROOT.rglob("*.py")} | {p.name for p in ROOT.iterdir() if p.is_dir()}
    found = set()
    files = [p for folder in folders for p in (ROOT / folder).rglob("*.py")] if folders else []
    for path in files + ([ROOT / "app.py"] if "app" in folders or "lab" in folders else []):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.add(DISTRIBUTION.get(top, top).lower())
    return found


@pytest.mark.parametrize("folders,files", [
    (("lab", "pages"), ("requirements.txt",)),
    (("lab", "pages", "bench", "tests", "scripts"), ("requirements.txt", "requirements-dev.txt")),
])
def test_every_imported_package_is_declared(folders, files):
    assert imported(*folders) - declared(*files) == set()


def test_the_worker_lock_is_one_lock_whether_inherited_or_taken_by_the_worker(tmp_path, monkeypatch):
    from lab.jobs import worker

    fd = worker._hold_lock(tmp_path)  # POSIX: the app takes it and hands the fd to the worker
    assert fd is not None and fd >= 0
    assert worker.hold_lock_file(worker._lock_path(tmp_path)) is None  # a --lock-file worker sees it taken
    import os
    os.close(fd)

    monkeypatch.setattr(worker, "CAN_PASS_LOCK_FD", False)  # Windows: probe only, the worker takes it
    assert worker._hold_lock(tmp_path) == worker.CHILD_TAKES_LOCK
    held = worker.hold_lock_file(worker._lock_path(tmp_path))
    assert held is not None
    assert worker._hold_lock(tmp_path) is None  # workers hold it: the page starts no second set
    assert worker.hold_lock_file(worker._lock_path(tmp_path)) is None  # a second set exits
    held.release()
    assert worker._hold_lock(tmp_path) == worker.CHILD_TAKES_LOCK
