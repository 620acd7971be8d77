"""Benchmark: runs as jobs, against the same work without the queue, measured in one run.

    .venv/bin/python -m bench bench_jobs [--sessions 6] [--runs 5] [--skip-browser]

1. Worker vs in-process: one run's training images per second in a worker process
   against the same run in this process (goal >= 0.95x).
2. Submit to first batch with a warm worker (goal < 2 s).
3. The Training page's rerun time (AppTest, the server's side of a rerun) while two runs
   train in workers, against idle (goal <= 1.5x).
4. Classroom load, in a real browser: with ``--sessions`` sessions on the Training page
   following ``--runs`` submitted runs, a new session's page load against idle (goal <=
   2x), and each run's training seconds against the same run alone from ``lab train``
   (goal <= 1.5x).

Everything runs on this machine with LAB_TORCH_THREADS=1 and two local workers: on the
course's 2 cores that is one core per worker, the server sharing them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"


def config(limit: int = 3000, epochs: int = 1, seed: int = 0):
    from lab.config import ExperimentConfig
    from lab.model import preset

    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", limit
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs, cfg.train.seed, cfg.train.device = epochs, seed, "cpu"
    return cfg


class Workers:
    def __init__(self, runs: Path, n: int):
        log = open(runs.parent / "workers.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "lab", "worker", "--workers", str(n), "--threads", "1",
                                      "--runs-dir", str(runs)], cwd=ROOT, stdout=log, stderr=log,
                                     start_new_session=True)

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def wait(run, timeout=600):
    deadline = time.time() + timeout
    while run.active and time.time() < deadline:
        time.sleep(0.05)


def submit(runs: Path, cfg):
    from lab.jobs import submit_training
    from lab.runs import RunStore

    return submit_training(cfg, RunStore(runs), runs_root=runs).run


def worker_vs_in_process(runs: Path, log) -> dict:
    import torch

    from lab.train import session

    torch.set_num_threads(1)
    cfg = config(limit=6000, epochs=2)
    result = session.run(session.prepare(cfg))
    local = result.summary["images_per_sec"]
    workers = Workers(runs, 1)
    try:
        warm = submit(runs, config(limit=600))  # the worker loads MNIST once, like a warm one
        wait(warm)
        run = submit(runs, cfg)
        wait(run)
        worker = run.summary()["images_per_sec"]
        # submit -> first batch with the warm worker: polled from the run folder as the page does
        t0 = time.perf_counter()
        quick = submit(runs, config(limit=600, seed=1))
        while not (quick.progress() or {}).get("batch") and time.perf_counter() - t0 < 60:
            time.sleep(0.01)
        first_batch = time.perf_counter() - t0
        wait(quick)
    finally:
        workers.stop()
    log(f"1. images/s: worker {worker:.0f}, in-process {local:.0f}: {worker / local:.2f}x (goal >= 0.95x)")
    log(f"2. submit -> first batch, warm worker: {first_batch:.2f} s (goal < 2 s)")
    return {"worker_images_per_sec": worker, "in_process_images_per_sec": local, "worker_ratio": worker / local,
            "submit_to_first_batch_s": first_batch}


def page_rerun(runs: Path, log) -> dict:
    from streamlit.testing.v1 import AppTest

    def rerun_time(repeat=5) -> float:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page("pages/training.py")
        at.run()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        return sorted(times)[len(times) // 2]

    os.environ["LAB_WORKERS"] = "0"  # the AppTest server starts none: the bench's own two do the work
    idle = rerun_time()
    workers = Workers(runs, 2)
    try:
        a, b = submit(runs, config(limit=12000, epochs=3)), submit(runs, config(limit=12000, epochs=3, seed=2))
        while not (a.progress() and b.progress()):
            time.sleep(0.1)
        busy = rerun_time()
        wait(a)
        wait(b)
    finally:
        workers.stop()
    log(f"3. Training page rerun: idle {idle * 1000:.0f} ms, two runs training {busy * 1000:.0f} ms: "
        f"{busy / idle:.2f}x (goal <= 1.5x)")
    return {"page_rerun_idle_s": idle, "page_rerun_busy_s": busy, "page_rerun_ratio": busy / idle}


def classroom(tmp: Path, sessions: int, runs_n: int, log) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from browser_helpers import CHROMIUM, CHROMIUM_ARGS, serve_app, wait_idle
    from playwright.sync_api import sync_playwright

    from lab.runs import RunStore

    runs = tmp / "class-runs"
    runs.mkdir()
    cfg = config(limit=6000, epochs=2)
    alone_dir = tmp / "alone"
    subprocess.run([sys.executable, "-m", "lab", "train", "--config", str(_save(cfg, tmp)), "--runs-dir",
                    str(alone_dir), "--threads", "1"], cwd=ROOT, check=True, capture_output=True)
    alone = RunStore(alone_dir).list()[0].summary()["train_seconds"]

    def load_time(browser, url) -> float:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(f"{url}/training")
        page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
        took = time.perf_counter() - t0
        ctx.close()
        return took

    env = {"LAB_RUNS_DIR": str(runs), "LAB_WORKERS": "2", "LAB_TORCH_THREADS": "1"}
    with serve_app(tmp, **env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        load_time(browser, url)  # the first visit pays for imports and the dataset
        idle = min(load_time(browser, url) for _ in range(3))
        tabs = []
        for _ in range(sessions):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            page.goto(f"{url}/training")
            wait_idle(page, 120)
            tabs.append(ctx)
        submitted = [submit(runs, config(limit=6000, epochs=2, seed=s)) for s in range(runs_n)]
        time.sleep(5)  # every tab now follows a live run
        loaded = min(load_time(browser, url) for _ in range(2))
        for run in submitted:
            wait(run, 1800)
        for ctx in tabs:
            ctx.close()
        browser.close()
    train_s = [r.summary()["train_seconds"] for r in submitted]
    worst = max(train_s) / alone
    log(f"4. new session's page load: idle {idle:.2f} s, {sessions} sessions + {runs_n} runs {loaded:.2f} s: "
        f"{loaded / idle:.2f}x (goal <= 2x)")
    log(f"   training seconds per run: alone {alone:.1f} s, under load {', '.join(f'{s:.1f}' for s in train_s)}: "
        f"worst {worst:.2f}x (goal <= 1.5x)")
    return {"page_load_idle_s": idle, "page_load_busy_s": loaded, "page_load_ratio": loaded / idle,
            "alone_train_s": alone, "loaded_train_s": train_s, "train_ratio_worst": worst}


def _save(cfg, tmp: Path) -> Path:
    path = tmp / "exp.json"
    cfg.save(path)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_jobs")
    parser.add_argument("--sessions", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("LAB_DATA_DIR", str(SHARED))
    os.environ.setdefault("LAB_OFFLINE", "1")
    os.environ["LAB_TORCH_THREADS"] = "1"
    log = (lambda text: print(text, file=sys.stderr, flush=True)) if args.json else print
    tmp = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    out = {"load_average": os.getloadavg()}
    try:
        for name, step in (("worker", worker_vs_in_process), ("rerun", page_rerun)):
            folder = tmp / name / "runs"
            folder.mkdir(parents=True)
            os.environ["LAB_RUNS_DIR"] = str(folder)
            out.update(step(folder, log))
        if not args.skip_browser and shutil.which("chromium"):
            out.update(classroom(tmp, args.sessions, args.runs, log))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(out, indent=2))
    ok = out["worker_ratio"] >= 0.95 and out["submit_to_first_batch_s"] < 2 and out["page_rerun_ratio"] <= 1.5
    if "page_load_ratio" in out:
        ok = ok and out["page_load_ratio"] <= 2 and out["train_ratio_worst"] <= 1.5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
