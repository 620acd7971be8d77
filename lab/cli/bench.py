"""``python -m lab bench``: the lab's engine against the tutorial's data pipeline.

Both sides train the course's one-block baseline (Conv 32 3x3 -> ReLU -> MaxPool 2 ->
Linear) on the same 57,000 MNIST training images for one epoch, batch 64, Adam 1e-3, the
same seed, then score the 10,000 test images; each clock runs from reading the files
to the test accuracy.

(a) the tutorial way (pytorch/examples mnist): ``torchvision.datasets.MNIST`` with
    ``ToTensor`` + ``Normalize``, a ``DataLoader`` with 2 worker processes: every image
    of every epoch becomes a PIL image, then a float tensor, in a worker, and every batch
    is pickled back to the trainer through a queue.
(b) the lab: the one entry point every run goes through (``lab.train.session``:
    ``prepare`` loads the files once into a uint8 tensor, ``run`` slices batches from
    it), plus its extra work: the initial-loss check, a validation pass over 3,000
    held-out images and the final report. Both sides train on the same 57,000 images.
"""

from __future__ import annotations

import os
import sys
import time

from lab.cli import add_data_dir, print_json
from lab.config import DataConfig
from lab.config import ExperimentConfig
from lab.paths import data_dir as default_data_dir

NAME = "bench"
HELP = "time one MNIST epoch of the baseline: the tutorial's DataLoader vs the lab's engine"

MEAN, STD = (0.1307,), (0.3081,)  # the tutorial's hard-coded MNIST statistics
VAL_FRACTION = 0.05  # the lab holds 3,000 images out for its per-epoch metric; both train on the other 57,000


def add_arguments(parser) -> None:
    add_data_dir(parser)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, help="torch threads for both sides (default: all cores)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate the two runs this many times and keep each side's fastest "
                             "(on a shared machine the load drifts between runs)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def tutorial_model():
    from torch import nn  # heavy: loaded on first use, to keep start-up light

    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))


def run_tutorial(root: str, seed: int) -> tuple[float, float]:
    """(seconds, test accuracy) the tutorial's way."""
    import torch  # heavy: loaded on first use, to keep start-up light
    import torch.nn.functional as F  # heavy: loaded on first use, to keep start-up light
    import torchvision  # heavy: loaded on first use, to keep start-up light
    from torch.utils.data import DataLoader, Subset  # heavy: loaded on first use, to keep start-up light
    from torchvision import transforms as T  # heavy: loaded on first use, to keep start-up light

    from lab.data import stratified_split  # heavy: loaded on first use, to keep start-up light

    started = time.perf_counter()
    torch.manual_seed(seed)
    tf = T.Compose([T.ToTensor(), T.Normalize(MEAN, STD)])
    train_ds = torchvision.datasets.MNIST(root, train=True, transform=tf, download=False)
    kept, _ = stratified_split(train_ds.targets, VAL_FRACTION, DataConfig().split_seed)
    train_ds = Subset(train_ds, kept.tolist())  # the very images the lab trains on
    test_ds = torchvision.datasets.MNIST(root, train=False, transform=tf, download=False)
    train_loader = DataLoader(train_ds, batch_size=64, shuffle=True, num_workers=2)
    test_loader = DataLoader(test_ds, batch_size=1000, num_workers=2)
    model = tutorial_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for x, y in train_loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += int((model(x).argmax(1) == y).sum())
    return time.perf_counter() - started, correct / len(test_ds)


def lab_config(seed: int) -> ExperimentConfig:
    """The lab's side: the baseline, one epoch at batch 64, everything else the defaults (so
    bf16 autocast where the CPU runs it natively, float32 elsewhere)."""
    from lab.model import preset  # heavy: loaded on first use, to keep start-up light

    cfg = ExperimentConfig()
    cfg.data.dataset = "mnist"
    cfg.data.val_fraction = VAL_FRACTION
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs, cfg.train.batch_size, cfg.train.seed, cfg.train.device = 1, 64, seed, "cpu"
    return cfg


def run_lab(root: str, seed: int) -> tuple[float, float, dict]:
    """(seconds, test accuracy, summary) with the lab's engine."""
    from lab.train import session  # heavy: loaded on first use, to keep start-up light

    started = time.perf_counter()
    cfg = lab_config(seed)
    session.clear_cache()  # the clock includes reading the files, as the tutorial's does
    prepared = session.prepare(cfg, root)
    result = session.run(prepared)
    _, accuracy = session.test_score(prepared, result.model)  # the tutorial's clock includes its test pass
    return time.perf_counter() - started, accuracy, result.summary


def warm_up(amp) -> None:
    """One untimed step of the model so neither side pays torch's first-call costs, and the
    lab's per-machine speed calibration of the baseline's layers (``lab.train.speed``) in
    the dtype the lab trains in (``amp``), which a machine measures once and then reads
    from its cache."""
    import torch  # heavy: loaded on first use, to keep start-up light
    import torch.nn.functional as F  # heavy: loaded on first use, to keep start-up light

    from lab.model.plan import make_plan  # heavy: loaded on first use, to keep start-up light
    from lab.train.speed import calibrate  # heavy: loaded on first use, to keep start-up light

    model = tutorial_model()
    F.cross_entropy(model(torch.zeros(64, 1, 28, 28)), torch.zeros(64, dtype=torch.long)).backward()
    calibrate(make_plan(lab_config(0).model, (1, 28, 28), 10), 64, torch.device("cpu"), amp, channels_last=True)


def run_bench(data_dir=None, seed: int = 0, threads: int | None = None, log=None, repeat: int = 1) -> dict:
    """Both runs in this process, tutorial first, ``repeat`` times alternating; each side's
    fastest time counts (the minimum is the least disturbed by other processes). Returns
    the figures ``--json`` prints."""
    import torch  # heavy: loaded on first use, to keep start-up light

    from lab.data import load  # heavy: loaded on first use, to keep start-up light

    log = log or (lambda text: print(text, file=sys.stderr, flush=True))
    root = str(default_data_dir(data_dir))
    load("mnist", root, download=False, use_samples=False)  # fail early (LabError) without the full MNIST
    from lab.train.allocator import keep_freed_memory  # heavy: loaded on first use, to keep start-up light

    threads = threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    keep_freed_memory()  # the lab's training sets it; set first, the tutorial's steps get it too
    from lab.train.device import amp_dtype  # heavy: loaded on first use, to keep start-up light
    from lab.train.speed import compute_path, path_line  # heavy: loaded on first use, to keep start-up light

    # the lab trains as a student's run does: bf16 where native (the tutorial stays in float32)
    amp = amp_dtype(torch.device("cpu"), lab_config(seed).train.mixed_precision)
    warm_up(amp)
    path = compute_path("cpu", amp)
    t_times, l_times, loads = [], [], [os.getloadavg()[0]]
    log(f"lab: {path_line(path)}; load average {loads[0]:.2f} on {os.cpu_count()} core(s)")
    for _ in range(max(1, repeat)):
        log(f"(a) tutorial: torchvision MNIST + ToTensor/Normalize + DataLoader(num_workers=2), {threads} thread(s)")
        t_sec, t_acc = run_tutorial(root, seed)
        log(f"    {t_sec:.1f} s, test accuracy {t_acc:.2%}")
        log("(b) lab engine: uint8 tensors in memory, batched normalisation")
        l_sec, l_acc, summary = run_lab(root, seed)
        log(f"    {l_sec:.1f} s, test accuracy {l_acc:.2%} ({summary['images_per_sec']:.0f} images/s in training, "
            f"{(summary.get('peak_fraction') or 0):.0%} of the peak for its convs and Linears, "
            f"{(summary.get('loop_fraction') or 0):.0%} of what all its layers alone allow)")
        t_times.append(t_sec)
        l_times.append(l_sec)
        loads.append(os.getloadavg()[0])
        log(f"    load average {loads[-1]:.2f}")
    t_sec, l_sec = min(t_times), min(l_times)
    return {"tutorial_seconds": t_sec, "lab_seconds": l_sec, "speedup": t_sec / l_sec,
            "tutorial_runs": t_times, "lab_runs": l_times,
            "tutorial_accuracy": t_acc, "lab_accuracy": l_acc,
            "accuracy_gap_points": 100 * (l_acc - t_acc), "lab_images_per_sec": summary["images_per_sec"],
            "lab_macs_per_sec": summary.get("macs_per_sec"), "lab_peak_fraction": summary.get("peak_fraction"),
            "lab_loop_fraction": summary.get("loop_fraction"),
            "load_averages": loads, "path": path,
            "threads": threads, "cpus": os.cpu_count(), "torch": torch.__version__.split("+")[0],
            "seed": seed}


def run(args) -> int:
    result = run_bench(args.data_dir, args.seed, args.threads, repeat=args.repeat)
    from lab.train.speed import path_line  # heavy: torch, loaded by the run already
    if args.json:
        print_json(result)
    else:
        print(f"tutorial: {result['tutorial_seconds']:.1f} s, test accuracy {result['tutorial_accuracy']:.2%}")
        print(f"lab:      {result['lab_seconds']:.1f} s, test accuracy {result['lab_accuracy']:.2%}")
        print(f"lab on:   {path_line(result['path'])} (the tutorial: float32)")
        print(f"speedup:  {result['speedup']:.2f}x (goal >= 4x at the same accuracy, +-0.5 points: "
              f"{result['accuracy_gap_points']:+.2f}); load average {max(result['load_averages']):.2f} at most")
    return 0
