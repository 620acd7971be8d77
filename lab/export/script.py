"""A run as ONE standalone Python script: torch and torchvision only, readable by a student.

The script holds the run's settings as constants, the model class (``lab.model.model_source``:
same layers and parameter names as the lab builds), the transforms as ``v2.Compose``,
the same stratified train/validation split (same seed, same images), the training loop
with the run's optimizer, schedule, label smoothing, clipping and early stopping, and a
validation score at the end; the test split is scored only behind ``--test``, last (the lab
keeps the test set for the end). ``python script.py --epochs 1 --data-dir D [--limit N]``
retrains it.

It holds the data as the lab does (every image decoded once into a uint8 tensor, the lab's
batches from its shuffling generator, the lab's normalisation arithmetic, channels-last on a
CPU, the run's thread count), so on one machine the same seed reaches the lab's numbers bit
for bit (tests/test_same_numbers.py). The exception is random augmentation: the lab draws it
per batch from its own generator, the script per image with torchvision's transforms (what a
student writes), so their draws and then their numbers differ: ``same_numbers`` says which.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch

from lab.train.numerics import recorded_threads
from lab.augment.code import transforms_function
from lab.config import ExperimentConfig
from lab.errors import LabError, keyed
from lab.files import MESSAGES as FILES_MESSAGES, os_reason
from lab.runs.journal import _builtin, input_shape, num_classes, scores
from lab.model import build_model, model_source
from lab.model.inputs import raw_image_shape
from lab.runs.store import Run
from lab.templates.fill import fill, read_template
from lab.model.drawing import network_drawing_text
from lab.model.ready_plan import model_plan

TEMPLATE = "training_script.py"  # lab/templates/: a runnable script whose marked blocks we fill


def script_source(run: Run) -> str:
    """The standalone training script for ``run`` as text."""
    cfg = run.config()
    cfg.data.dataset = _builtin(cfg.data.dataset) or cfg.data.dataset  # "MNIST" -> "mnist"
    facts = checkpoint_facts(run)
    shape = tuple(facts.get("input_shape") or input_shape(cfg))
    classes = len(facts["classes"]) if facts.get("classes") else (num_classes(cfg) or 10)

    drawing = network_drawing_text(model_plan(cfg.model, shape, classes))
    blocks = {
        "header": _header(run, cfg, drawing).splitlines(),
        "settings": (_settings(cfg, shape, classes, facts.get("mean"), facts.get("std"))
                     + f"\nTHREADS = {recorded_threads(run.meta())}  # CPU threads: another count sums in another "
                       "order and\n# reaches other numbers (the run's own, lab.train.numerics)\n"
                     + _transfer_settings(run, cfg, shape, classes) + "\n").splitlines(),
        "model": _model_class(model_source(cfg.model, shape, classes)).splitlines(),
        "transforms": _transforms(cfg).splitlines(),
    }
    return fill(read_template(TEMPLATE), blocks)


def same_numbers(cfg: ExperimentConfig) -> bool:
    """Whether the script retrains ``cfg`` to the lab's numbers bit for bit (on one machine):
    yes unless the run augments, whose random draws the script makes per image (for an image
    folder, only as far as ``FOLDER_FILES`` says)."""
    return not cfg.augment.transforms


def on_folder(cfg: ExperimentConfig) -> bool:
    """An image folder (not a built-in dataset): ``FOLDER_FILES`` applies."""
    return _builtin(cfg.data.dataset) is None


# The lab decodes an upright JPEG or PNG in RGB or grey with torchvision, as the script does;
# any other file (transparency, a palette, BMP, GIF, WebP, an EXIF rotation) with Pillow
# (lab.data.folder), whose pixels the script's torchvision decoder need not give.
FOLDER_FILES = ("For an image folder that holds only upright JPEG and PNG files in RGB or grey: other\n"
                "files (transparency, palettes, BMP, an EXIF rotation) the lab decodes with Pillow.")


def export_script(run: Run, path: str | Path) -> Path:
    path = Path(path)
    text = script_source(run)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise keyed(FILES_MESSAGES, "files.cannot_write", path=str(path), reason=os_reason(exc)) from None
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
    if same_numbers(cfg):
        numbers = ("Same seed, same numbers: on the machine that trained the run, with its thread count\n"
                   "(THREADS), this script reaches the lab's weights and scores to the last digit."
                   + ("\n" + FOLDER_FILES if on_folder(cfg) else ""))
    else:
        numbers = ("Its numbers differ from the lab's by run-to-run noise, not more: the lab draws the\n"
                   "random augmentation per batch from its own generator, this script per image with\n"
                   "torchvision's transforms. Without augmentation they would be the lab's to the last digit.")
    return f'''#!/usr/bin/env python
"""CNN Lab run {run.id}{f" ({name})" if name else ""}, exported as one standalone script.

It trains the same model with the same settings as the lab did, using only torch and
torchvision.
{got}{numbers}

    python this_script.py --data-dir DATA            # the whole run: EPOCHS = {cfg.train.epochs}
    python this_script.py --data-dir DATA --epochs 1 --limit 6000   # a quick check
    python this_script.py --data-dir DATA --test   # at the very end: one look at the test set

It scores the validation split; the test split is looked at only with --test, once you
have chosen your model, as the lab keeps it for the end.

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


def _settings(cfg: ExperimentConfig, shape, classes: int, mean, std) -> str:
    d, t = cfg.data, cfg.train
    stats = "# channel mean and std of the training pixels (0..1), from the lab's checkpoint"
    if not (mean and std):
        stats = "# channel mean and std of the training pixels (0..1); None = computed at the start"
        mean = std = None
    else:
        # every digit: the lab normalises with these exact numbers, and so must the script to
        # reach the lab's weights bit for bit
        mean = tuple(float(m) for m in mean)
        std = tuple(float(s) for s in std)
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
        f"MIXED_PRECISION = {t.mixed_precision!r}  # bf16 autocast where native (CUDA, AVX512-BF16/AMX CPUs)",
        f"DEVICE = {t.device!r}  # auto | cpu | cuda | mps",
    ]
    return "\n".join(lines)


def _transfer_settings(run: Run, cfg: ExperimentConfig, shape, classes: int) -> str:
    """CLASSES, INIT_FROM (the very file the run loaded), FREEZE and PRETRAINED_LR_FACTOR."""
    return "\n".join([
        f"CLASSES = {list(cfg.data.classes)!r}  # keep only these classes (numbers or names), relabelled 0..k-1; "
        "[] = all",
        f"INIT_FROM = {init_file(run, cfg)!r}  # start from these weights (a .pt file or a URL); '' = from scratch",
        f"FREEZE = {cfg.train.freeze!r}  # none | features (train the head only) | N (all but the last N groups)",
        f"FROZEN_MODULES = {_frozen_modules(cfg, shape, classes)!r}  # what FREEZE fixes in this network: these modules",
        f"PRETRAINED_LR_FACTOR = {cfg.train.pretrained_lr_factor!r}  # the loaded layers learn at LR x this",
    ])


def _frozen_modules(cfg: ExperimentConfig, shape, classes: int) -> list[str]:
    """The module paths of the groups the run froze (``lab.model.freeze.frozen_modules``)."""
    if cfg.train.freeze == "none":
        return []
    from lab.model.freeze import frozen_modules  # heavy (torch), as init_file's import

    with torch.device("meta"):  # the network's structure only
        model = build_model(cfg.model, shape, classes)
    try:
        return frozen_modules(cfg.train.freeze, model)
    except LabError:  # a freeze that does not fit: the run itself said so
        return []


def init_file(run: Run, cfg: ExperimentConfig) -> str:
    """The file (or URL) the run's initial weights came from, as the script loads it."""
    from lab.train import transfer  # heavy (torch, torchvision): loaded on first use, to keep start-up light

    ref = cfg.train.init_from
    if not ref:
        return ""
    if ref == "imagenet":
        return transfer.imagenet_url(cfg.model.arch)
    workspace = run.dir.parent
    if ref.endswith(".pt"):
        path = Path(ref) if Path(ref).is_absolute() else workspace / ref
        return str(path.resolve())
    source = Run(Path(ref)) if Path(ref).is_absolute() else Run(workspace / ref)
    try:
        return str(source.model_checkpoint().resolve())
    except LabError:  # the source run was deleted since: the script says which run it needs
        return str(source.dir / "best.pt")


def _transforms(cfg: ExperimentConfig) -> str:
    """``make_transforms(mean, std)`` from the one v2 generator the Augmentation page uses too."""
    # an image folder's pictures become the lab's squares once, when loaded (the script's
    # read_folder); make_transforms then works on those uint8 squares, as the lab's does
    function = transforms_function(list(cfg.augment.transforms), raw_image_shape(cfg.data), None)
    return ("# --- transforms --------------------------------------------------------------------\n\n\n"
            + function.strip("\n"))


def _model_class(source: str) -> str:
    """``model_source`` without its imports and its ``__main__`` demo (the script has both)."""
    text = source.split('\nif __name__ == "__main__":')[0]
    kept = [line for line in text.splitlines() if line not in ("import torch", "from torch import nn")]
    body = "\n".join(kept).strip("\n")
    return "# --- the model (the lab's architecture as plain PyTorch) --------------------------\n\n" + body
