"""A run as ONE standalone Python script: torch and torchvision only, readable by a student.

The script holds the run's settings as constants, the model class (``lab.model.model_source``:
same layers and parameter names as the lab builds), the transforms as ``v2.Compose``,
the same stratified train/validation split (same seed, same images), the training loop
with the run's optimizer, schedule, label smoothing, clipping and early stopping, and a
final test pass. ``python script.py --epochs 1 --data-dir D [--limit N]`` retrains it.

It reads data the way a course notebook does (torchvision datasets of PIL images, one
transform per sample, ``DataLoader``) rather than through the lab's batched uint8 path,
so its numbers match the lab's within run-to-run noise, not bit for bit.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import torch

from lab.config import ExperimentConfig, TransformStep
from lab.errors import LabError
from lab.journal import _builtin, input_shape, num_classes, scores
from lab.runs import Run

# Transforms that v2 applies to float images only (the lab's engine works on uint8 throughout).
_FLOAT_ONLY = {"GaussianNoise"}


def script_source(run: Run) -> str:
    """The standalone training script for ``run`` as text."""
    cfg = run.config()
    cfg.data.dataset = _builtin(cfg.data.dataset) or cfg.data.dataset  # "MNIST" -> "mnist"
    facts = checkpoint_facts(run)
    shape = tuple(facts.get("input_shape") or input_shape(cfg))
    classes = len(facts["classes"]) if facts.get("classes") else (num_classes(cfg) or 10)
    try:
        from lab.model import model_source
    except ImportError:
        raise LabError("exporting needs the architecture package lab.model") from None
    model = _model_class(model_source(cfg.model, shape, classes))
    from lab.model.drawing import network_drawing_text
    from lab.model.plan import make_plan

    drawing = network_drawing_text(make_plan(cfg.model, shape, classes))
    parts = [
        _header(run, cfg, drawing),
        _IMPORTS,
        _settings(cfg, shape, classes, facts.get("mean"), facts.get("std")),
        model,
        _transforms(cfg, shape),
        _BODY,
    ]
    return "\n\n\n".join(p.strip("\n") for p in parts) + "\n"


def export_script(run: Run, path: str | Path) -> Path:
    path = Path(path)
    text = script_source(run)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LabError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def checkpoint_facts(run: Run) -> dict:
    """Normalisation, classes and input shape saved in the run's checkpoint, if it has one.

    Read with ``weights_only=True`` (plain containers and tensors, nothing runs); a
    missing or unreadable file just means the script computes them itself.
    """
    if not run.has_checkpoint():
        return {}
    try:
        payload = torch.load(io.BytesIO(run.model_checkpoint().read_bytes()), map_location="cpu", weights_only=True)
    except Exception:
        return {}
    if not isinstance(payload, dict):
        return {}
    out = {}
    for key in ("mean", "std", "classes", "input_shape"):
        value = payload.get(key)
        if isinstance(value, (list, tuple)) and value:
            out[key] = list(value)
    return out


# --- pieces of the script ---------------------------------------------------------------------
def _header(run: Run, cfg: ExperimentConfig, drawing: str = "") -> str:
    meta = run.meta()
    s = scores(run)
    name = meta.get("name") or ""
    result = []
    if s["best_val_accuracy"] is not None:
        result.append(f"best validation accuracy {s['best_val_accuracy']:.4f}")
    if s["test_accuracy"] is not None:
        result.append(f"test accuracy {s['test_accuracy']:.4f}")
    got = f"In the lab it reached {', '.join(result)} after {s['epochs']} epoch(s).\n" if result else ""
    data_hint = _data_hint(cfg.data.dataset)
    return f'''#!/usr/bin/env python
"""CNN Lab run {run.id}{f" ({name})" if name else ""}, exported as one standalone script.

It trains the same model with the same settings as the lab did, using only torch and
torchvision.
{got}
    python this_script.py --data-dir DATA            # the whole run: EPOCHS = {cfg.train.epochs}
    python this_script.py --data-dir DATA --epochs 1 --limit 6000   # a quick check

{data_hint}
The network, layer by layer (what each layer outputs):

{drawing}

Read it top to bottom: settings, model, transforms, data, training loop.
"""'''


def _data_hint(dataset: str) -> str:
    if dataset == "cifar10":
        return ("DATA holds cifar-10-batches-py/ (torchvision's CIFAR10; add --download to fetch it)\n"
                "or CIFAR10-jpg/train/<class>/*.jpg and CIFAR10-jpg/test/<class>/*.jpg.")
    if dataset in ("mnist", "fashion-mnist"):
        folder = "MNIST" if dataset == "mnist" else "FashionMNIST"
        return (f"DATA holds {folder}/raw/ as torchvision lays it out (add --download to fetch it).")
    return ("DATA is the image folder: one subfolder per class, or train/<class>/ and test/<class>/\n"
            f"(the lab trained on {dataset}).")


_IMPORTS = '''
import argparse
import json
import random
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets
from torchvision.transforms import v2
'''


def _settings(cfg: ExperimentConfig, shape, classes: int, mean, std) -> str:
    d, t = cfg.data, cfg.train
    stats = "# channel mean and std of the training pixels (0..1), from the lab's checkpoint"
    if not (mean and std):
        stats = "# channel mean and std of the training pixels (0..1); None = computed at the start"
        mean = std = None
    else:
        mean = tuple(round(float(m), 4) for m in mean)
        std = tuple(round(float(s), 4) for s in std)
    lines = [
        "# --- the run's settings (its config.json) ---------------------------------------",
        f"DATASET = {d.dataset!r}  # mnist | fashion-mnist | cifar10 | an image folder",
        f"IMAGE_SIZE = {d.image_size}  # image folders: every image becomes IMAGE_SIZE x IMAGE_SIZE",
        f"COLOR = {d.color!r}  # image folders: rgb or grayscale",
        f"VAL_FRACTION = {d.val_fraction!r}  # share of the training images held out for validation",
        f"SPLIT_SEED = {d.split_seed}  # seeds the stratified train/validation split",
        f"TRAIN_LIMIT = {d.train_limit}  # use at most this many training images; 0 = all",
        f"INPUT_SHAPE = {tuple(shape)!r}  # (channels, height, width) the model takes",
        f"NUM_CLASSES = {classes}",
        f"MEAN = {mean!r}  {stats}",
        f"STD = {std!r}",
        "",
        f"SEED = {t.seed}  # seeds the weights, the shuffling and the augmentation",
        f"EPOCHS = {t.epochs}",
        f"BATCH_SIZE = {t.batch_size}",
        f"OPTIMIZER = {t.optimizer!r}  # adam | adamw | sgd",
        f"LR = {t.lr!r}  # learning rate",
        f"WEIGHT_DECAY = {t.weight_decay!r}",
        f"MOMENTUM = {t.momentum!r}  # SGD only",
        f"SCHEDULE = {t.schedule!r}  # none | step | cosine | onecycle",
        f"STEP_EPOCHS = {t.step_epochs}  # step schedule: lr *= STEP_GAMMA every STEP_EPOCHS epochs",
        f"STEP_GAMMA = {t.step_gamma!r}",
        f"LABEL_SMOOTHING = {t.label_smoothing!r}",
        f"GRAD_CLIP = {t.grad_clip!r}  # max gradient norm; 0 = off",
        f"EARLY_STOPPING = {t.early_stopping}  # patience in epochs on validation loss; 0 = off",
        f"MIXED_PRECISION = {t.mixed_precision!r}  # autocast on a CUDA GPU",
        f"DEVICE = {t.device!r}  # auto | cpu | cuda | mps",
    ]
    return "\n".join(lines)


def _model_class(source: str) -> str:
    """``model_source`` without its imports and its ``__main__`` demo (the script has both)."""
    text = source.split('\nif __name__ == "__main__":')[0]
    kept = [line for line in text.splitlines() if line not in ("import torch", "from torch import nn")]
    body = "\n".join(kept).strip("\n")
    return "# --- the model (the lab's architecture as plain PyTorch) --------------------------\n\n" + body


def _transforms(cfg: ExperimentConfig, shape) -> str:
    """``make_transforms(mean, std)``: the training Compose with the run's augmentation and
    the evaluation Compose that only fits the size and normalises."""
    builtin = cfg.data.dataset in ("mnist", "fashion-mnist", "cifar10")
    prepare: list[str] = []
    if not builtin:  # the lab decodes folder images to a square: centre crop, then resize
        if cfg.data.color == "grayscale":
            prepare.append("v2.Grayscale(num_output_channels=1),")
        prepare += ["v2.Resize(IMAGE_SIZE),  # the shorter side", "v2.CenterCrop(IMAGE_SIZE),"]
    train = ["v2.ToImage(),  # PIL image -> uint8 tensor (C, H, W)", *prepare]
    for step in cfg.augment.transforms:
        if step.name in _FLOAT_ONLY:
            # v2 adds noise to float images only; like the lab, add it to x / 255 and return
            # to uint8, so the steps after it still see pixels 0..255
            train += ["v2.ToDtype(torch.float32, scale=True),", _step_source(step) + ",",
                      "v2.ToDtype(torch.uint8, scale=True),"]
        else:
            train.append(_step_source(step) + ",")
    train += ["v2.ToDtype(torch.float32, scale=True),  # 0..255 -> 0..1", "v2.Normalize(mean, std),"]
    evaluate = ["v2.ToImage(),", *prepare]
    size_changes = [s for s in cfg.augment.transforms if s.name in ("RandomCrop", "RandomResizedCrop")]
    if size_changes:
        evaluate.append("v2.CenterCrop(INPUT_SHAPE[1:]),  # the size the training crops give")
    evaluate += ["v2.ToDtype(torch.float32, scale=True),", "v2.Normalize(mean, std),"]
    pad = " " * 8
    return "\n".join([
        "# --- transforms --------------------------------------------------------------------",
        "",
        "",
        "def make_transforms(mean, std):",
        '    """(training transform with the augmentation, evaluation transform without it)."""',
        "    train = v2.Compose([",
        *[pad + line for line in train],
        "    ])",
        "    evaluate = v2.Compose([",
        *[pad + line for line in evaluate],
        "    ])",
        "    return train, evaluate",
    ])


def _step_source(step: TransformStep) -> str:
    args = ", ".join(f"{k}={_literal(k, v)}" for k, v in step.params.items())
    return f"v2.{step.name}({args})"


def _literal(name: str, value: Any) -> str:
    """A config (JSON) value as the Python the v2 constructor expects."""
    if name == "interpolation" and isinstance(value, str):
        return f"v2.InterpolationMode.{value.upper()}"
    if name == "policy" and isinstance(value, str):
        return f"v2.AutoAugmentPolicy.{value.upper()}"
    if isinstance(value, list):
        return repr(tuple(value))
    return repr(value)


_BODY = r'''
# --- data ---------------------------------------------------------------------------


def load_images(data_dir, download=False):
    """(training set, test set or None): datasets of (PIL image, label), no transform yet."""
    root = Path(data_dir)
    if DATASET == "mnist":
        return (datasets.MNIST(root, train=True, download=download),
                datasets.MNIST(root, train=False, download=download))
    if DATASET == "fashion-mnist":
        return (datasets.FashionMNIST(root, train=True, download=download),
                datasets.FashionMNIST(root, train=False, download=download))
    if DATASET == "cifar10":
        jpg = root / "CIFAR10-jpg"
        if (jpg / "train").is_dir() and not (root / "cifar-10-batches-py").is_dir():
            return datasets.ImageFolder(jpg / "train"), datasets.ImageFolder(jpg / "test")
        return (datasets.CIFAR10(root, train=True, download=download),
                datasets.CIFAR10(root, train=False, download=download))
    # an image folder: train/ and test/ with one subfolder per class, or just the class folders
    if (root / "train").is_dir():
        test = datasets.ImageFolder(root / "test") if (root / "test").is_dir() else None
        return datasets.ImageFolder(root / "train"), test
    return datasets.ImageFolder(root), None


def stratified_split(labels, fraction, seed):
    """Indices (kept, held_out): round(fraction * n) of each class is held out, at random."""
    generator = torch.Generator().manual_seed(seed)
    kept, held = [], []
    for c in torch.unique(labels).tolist():
        idx = torch.nonzero(labels == c).flatten()
        idx = idx[torch.randperm(len(idx), generator=generator)]
        n_held = int(round(fraction * len(idx)))
        held.append(idx[:n_held])
        kept.append(idx[n_held:])
    return torch.cat(kept).sort().values, torch.cat(held).sort().values


class Transformed(Dataset):
    """The images ``indices`` of ``images``, each passed through ``transform``."""

    def __init__(self, images, indices, transform):
        self.images, self.indices, self.transform = images, list(indices), transform

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, i):
        image, label = self.images[self.indices[i]]
        return self.transform(image), label


def channel_stats(images, indices):
    """Per-channel mean and std of the pixels (0..1) of the given training images."""
    _, plain = make_transforms([0.0] * INPUT_SHAPE[0], [1.0] * INPUT_SHAPE[0])  # mean 0, std 1: no change
    loader = DataLoader(Transformed(images, indices, plain), batch_size=1000)
    total = total_sq = n = 0
    for x, _ in loader:
        x = x.double()
        total = total + x.sum(dim=(0, 2, 3))
        total_sq = total_sq + (x * x).sum(dim=(0, 2, 3))
        n += x.shape[0] * x.shape[2] * x.shape[3]
    mean = total / n
    std = (total_sq / n - mean * mean).clamp_min(0).sqrt()
    return mean.tolist(), std.tolist()


# --- training -----------------------------------------------------------------------


def pick_device(name):
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(name)


def make_optimizer(model):
    if OPTIMIZER == "adam":
        return torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    if OPTIMIZER == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    return torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)


def make_schedule(optimizer, epochs, steps_per_epoch):
    """(scheduler, steps once per batch?): cosine and onecycle step per batch, step per epoch."""
    total = max(1, epochs * steps_per_epoch)
    if SCHEDULE == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, STEP_EPOCHS, STEP_GAMMA), False
    if SCHEDULE == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total), True
    if SCHEDULE == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=LR, total_steps=total, pct_start=0.3), True
    return None, False


def evaluate(model, loader, loss_fn, device):
    """(mean loss, accuracy) of the model on every image of the loader."""
    model.eval()
    loss_sum, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            loss_sum += loss_fn(logits, y).item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            n += len(y)
    return loss_sum / max(n, 1), correct / max(n, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where the dataset lives (see the top of this file); image "
                        "folders: default DATASET itself")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--limit", type=int, default=TRAIN_LIMIT, help="train on at most N images (0 = all)")
    parser.add_argument("--device", default=DEVICE)
    parser.add_argument("--download", action="store_true", help="let torchvision download the dataset")
    parser.add_argument("--result", help="also write the final numbers to this JSON file")
    args = parser.parse_args()

    random.seed(SEED)
    torch.manual_seed(SEED)
    device = pick_device(args.device)

    builtin = DATASET in ("mnist", "fashion-mnist", "cifar10")
    data_dir = args.data_dir or ("data" if builtin else DATASET)
    train_images, test_images = load_images(data_dir, args.download)
    labels = torch.as_tensor(train_images.targets)
    train_idx, val_idx = stratified_split(labels, VAL_FRACTION, SPLIT_SEED)
    if args.limit and args.limit < len(train_idx):
        # a stratified subset of the training part; validation is never cut
        _, keep = stratified_split(labels[train_idx], args.limit / len(train_idx), SPLIT_SEED)
        train_idx = train_idx[keep]
    mean, std = (MEAN, STD) if MEAN is not None else channel_stats(train_images, train_idx.tolist())
    train_tf, eval_tf = make_transforms(mean, std)

    generator = torch.Generator().manual_seed(SEED)  # the shuffling order
    train_set = Transformed(train_images, train_idx.tolist(), train_tf)
    # a last batch of one image breaks BatchNorm: drop it in that case only
    train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, generator=generator,
                              drop_last=len(train_set) % BATCH_SIZE == 1)
    val_loader = DataLoader(Transformed(train_images, val_idx.tolist(), eval_tf), batch_size=1000)
    test_loader = (DataLoader(Transformed(test_images, range(len(test_images)), eval_tf), batch_size=1000)
                   if test_images is not None else None)
    print(f"{DATASET}: {len(train_set)} training, {len(val_idx)} validation, "
          f"{len(test_images) if test_images is not None else 0} test images on {device}")

    torch.manual_seed(SEED)  # the initial weights
    model = Net().to(device)
    optimizer = make_optimizer(model)
    scheduler, per_batch = make_schedule(optimizer, args.epochs, len(train_loader))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=LABEL_SMOOTHING)
    eval_loss = nn.CrossEntropyLoss()
    amp = MIXED_PRECISION and device.type == "cuda"
    amp_dtype = torch.bfloat16 if amp and torch.cuda.is_bf16_supported() else torch.float16
    scaler = torch.amp.GradScaler("cuda", enabled=amp and amp_dtype == torch.float16)

    best = {"val_loss": float("inf"), "val_accuracy": 0.0, "epoch": 0, "state": None}
    steps, total_steps, restore = 0, args.epochs * len(train_loader), False
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        loss_sum, correct, n = 0.0, 0, 0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device.type, dtype=amp_dtype, enabled=amp):
                logits = model(x)
                loss = loss_fn(logits, y)
            scaler.scale(loss).backward()
            if GRAD_CLIP > 0:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
            scaler.step(optimizer)
            scaler.update()
            steps += 1
            if scheduler is not None and per_batch and steps < total_steps:
                scheduler.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            n += len(y)
        if scheduler is not None and not per_batch:
            scheduler.step()
        val_loss, val_acc = evaluate(model, val_loader, eval_loss, device)
        print(f"epoch {epoch}: train loss {loss_sum / n:.4f} accuracy {correct / n:.4f} | "
              f"validation loss {val_loss:.4f} accuracy {val_acc:.4f} | {time.time() - started:.0f} s")
        if not torch.isfinite(torch.tensor(loss_sum)):
            print("the loss is not a number any more (diverged): lower the learning rate")
            restore = True
            break
        if val_loss < best["val_loss"]:  # remember the weights with the lowest validation loss
            best.update(val_loss=val_loss, val_accuracy=val_acc, epoch=epoch,
                        state={k: v.detach().clone() for k, v in model.state_dict().items()})
        elif EARLY_STOPPING and epoch - best["epoch"] >= EARLY_STOPPING:
            print(f"no better validation loss for {EARLY_STOPPING} epochs: stopping early")
            restore = True
            break

    # Like the lab: the test uses the final weights, or the best ones after early stopping
    # or a divergence (weights full of NaN are no use to anyone).
    if restore and best["state"] is not None:
        model.load_state_dict(best["state"])
    result = {"best_val_loss": best["val_loss"], "best_val_accuracy": best["val_accuracy"],
              "best_epoch": best["epoch"], "seconds": round(time.time() - started, 1)}
    if test_loader is not None:
        result["test_loss"], result["test_accuracy"] = evaluate(model, test_loader, eval_loss, device)
        print(f"test accuracy {result['test_accuracy']:.4f}")
    if args.result:
        Path(args.result).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
'''
