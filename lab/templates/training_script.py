# >>> header
#!/usr/bin/env python
"""CNN Lab run, exported as one standalone script (this is the lab's template: MNIST, baseline).

    python this_script.py --data-dir DATA --epochs 1 --limit 6000   # a quick check
    python this_script.py --data-dir DATA --test   # at the very end: one look at the test set

It scores the validation split; the test split is looked at only with --test, once you
have chosen your model, as the lab keeps it for the end.

Read it top to bottom: settings, model, transforms, data, training loop.
"""
# <<< header

# %% imports
import argparse
import json
import random
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, Sampler
from torchvision import datasets
from torchvision.io import ImageReadMode, decode_image
from torchvision.transforms import v2


# %% settings
# >>> settings
# --- the run's settings (its config.json) ---------------------------------------
DATASET = 'mnist'  # mnist | fashion-mnist | cifar10 | an image folder
IMAGE_SIZE = 64  # image folders: every image becomes IMAGE_SIZE x IMAGE_SIZE
COLOR = 'rgb'  # image folders: rgb or grayscale
VAL_FRACTION = 0.2  # share of the training images held out for validation
SPLIT_SEED = 0  # seeds the stratified train/validation split
TRAIN_LIMIT = 0  # use at most this many training images; 0 = all
INPUT_SHAPE = (1, 28, 28)  # (channels, height, width) the model takes
NUM_CLASSES = 10
MEAN = None  # channel mean and std of the training pixels (0..1); None = computed at the start
STD = None

SEED = 0  # seeds the weights, the shuffling and the augmentation
EPOCHS = 1
BATCH_SIZE = 64
OPTIMIZER = 'adam'  # adam | adamw | sgd
LR = 0.001  # learning rate
WEIGHT_DECAY = 0.0
MOMENTUM = 0.9  # SGD only
SCHEDULE = 'none'  # none | step | cosine | onecycle
STEP_EPOCHS = 5  # step schedule: lr *= STEP_GAMMA every STEP_EPOCHS epochs
STEP_GAMMA = 0.5
LABEL_SMOOTHING = 0.0
GRAD_CLIP = 0.0  # max gradient norm; 0 = off
EARLY_STOPPING = 0  # patience in epochs on validation loss; 0 = off
MIXED_PRECISION = True  # bf16 autocast where native (CUDA, AVX512-BF16/AMX CPUs)
DEVICE = 'auto'  # auto | cpu | cuda | mps
THREADS = 1  # CPU threads: another count sums in another order and
# reaches other numbers (the run's own, lab.train.numerics)
CLASSES = []  # keep only these classes (numbers or names), relabelled 0..k-1; [] = all
INIT_FROM = ''  # start from these weights (a .pt file or a URL); '' = from scratch
FREEZE = 'none'  # none | features (train the head only) | N (all but the last N groups)
FROZEN_MODULES = []  # what FREEZE fixes in this network: these modules
PRETRAINED_LR_FACTOR = 1.0  # the loaded layers learn at LR x this
# <<< settings


# %% model
# >>> model
# --- the model (the lab's architecture as plain PyTorch) --------------------------


class Net(nn.Module):
    """The template's stand-in; the export writes the run's own architecture here."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(INPUT_SHAPE[0], 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(8 * (INPUT_SHAPE[1] // 2) * (INPUT_SHAPE[2] // 2), NUM_CLASSES)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))
# <<< model


# %% transforms
# >>> transforms
# --- transforms --------------------------------------------------------------------


def make_transforms(mean, std):
    """The export writes lab/templates/v2_transforms.py's make_transforms here."""
    plain = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)])
    return plain, plain

# <<< transforms


# %% data
# --- data ---------------------------------------------------------------------------
# Like the lab: every image decoded once into one uint8 tensor (N, C, H, W) in memory, the
# same split and the same batches, so the same seed gives the lab's numbers (see SAME_AS_LAB).


def square(x, size):
    """uint8 (C, H, W) -> uint8 (C, size, size): centre-crop to a square, then resize (the lab's)."""
    side = min(x.shape[-2:])
    top, left = (x.shape[-2] - side) // 2, (x.shape[-1] - side) // 2
    x = x[:, top:top + side, left:left + side]
    if side == size:
        return x.contiguous()
    x = nn.functional.interpolate(x[None].float(), size=(size, size), mode="bilinear", antialias=True,
                                  align_corners=False)
    return x[0].round().clamp(0, 255).to(torch.uint8)


def read_folder(folder, size, color):
    """An image folder (one subfolder per class) -> (uint8 images N x C x size x size, labels):
    each picture decoded by torchvision, turned upright (EXIF) and made a square once."""
    found = datasets.ImageFolder(folder, loader=str)  # the file names and their classes only
    mode = ImageReadMode.GRAY if color == "grayscale" else ImageReadMode.RGB
    pictures = [square(decode_image(path, mode=mode, apply_exif_orientation=True), size) for path, _ in found.samples]
    return torch.stack(pictures), torch.as_tensor(found.targets)


def load_images(data_dir, download=False):
    """(class names, training images, labels, test images or None, labels or None); the images
    as uint8 tensors (N, C, H, W)."""
    root = Path(data_dir)
    if DATASET in ("mnist", "fashion-mnist"):
        kind = datasets.MNIST if DATASET == "mnist" else datasets.FashionMNIST
        train, test = kind(root, train=True, download=download), kind(root, train=False, download=download)
        names = [str(i) for i in range(10)] if DATASET == "mnist" else list(train.classes)  # the lab's names
        return names, train.data[:, None], train.targets, test.data[:, None], test.targets  # 28 x 28 grey
    if DATASET == "cifar10":
        jpg = root / "CIFAR10-jpg"
        if (jpg / "train").is_dir() and not (root / "cifar-10-batches-py").is_dir():
            names = datasets.ImageFolder(jpg / "train", loader=str).classes
            return (names, *read_folder(jpg / "train", 32, "rgb"), *read_folder(jpg / "test", 32, "rgb"))
        train, test = (datasets.CIFAR10(root, train=split, download=download) for split in (True, False))
        return (list(train.classes),
                torch.from_numpy(train.data).permute(0, 3, 1, 2).contiguous(), torch.as_tensor(train.targets),
                torch.from_numpy(test.data).permute(0, 3, 1, 2).contiguous(), torch.as_tensor(test.targets))
    # an image folder: train/ and test/ with one subfolder per class, or just the class folders
    train = root / "train" if (root / "train").is_dir() else root
    names = datasets.ImageFolder(train, loader=str).classes
    test = (read_folder(root / "test", IMAGE_SIZE, COLOR) if train != root and (root / "test").is_dir()
            else (None, None))
    return (names, *read_folder(train, IMAGE_SIZE, COLOR), *test)


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


def stratified_subset(labels, n, seed):
    """Sorted indices of exactly n items with the class proportions of labels (largest
    remainder quotas, so 6000 is 6000, not 5999): the lab's own choice of images."""
    if n <= 0 or n >= len(labels):
        return torch.arange(len(labels))
    classes, counts = torch.unique(labels, return_counts=True)
    exact = counts.double() * n / len(labels)
    quota = exact.floor().long()
    short = n - int(quota.sum())
    if short:
        quota[torch.argsort(exact - quota, descending=True)[:short]] += 1
    generator = torch.Generator().manual_seed(seed)
    chosen = []
    for c, q in zip(classes.tolist(), quota.tolist()):
        idx = torch.nonzero(labels == c).flatten()
        chosen.append(idx[torch.randperm(len(idx), generator=generator)[:q]])
    return torch.cat(chosen).sort().values


def channel_stats(x):
    """Per-channel mean and std of uint8 images (N, C, H, W) scaled to 0..1, as the lab takes
    them: each of the 256 pixel values counted, the moments from the counts in float64."""
    values = torch.arange(256, dtype=torch.float64) / 255.0
    means, stds = [], []
    for c in range(x.shape[1]):
        counts = torch.bincount(x[:, c].reshape(-1), minlength=256).to(torch.float64)
        mean = (counts * values).sum() / counts.sum()
        var = (counts * values * values).sum() / counts.sum() - mean * mean
        means.append(float(mean))
        stds.append(float(var.clamp_min(0).sqrt()))
    return means, stds


def keep_classes(x, y, names):
    """Only the images of CLASSES (numbers or names), relabelled 0..k-1 in CLASSES' order (the
    lab's data.classes); ``names``: the dataset's class names."""
    wanted = [c if isinstance(c, int) else names.index(c) for c in CLASSES]
    relabel = torch.full((len(names),), -1, dtype=torch.long)
    relabel[torch.as_tensor(wanted, dtype=torch.long)] = torch.arange(len(wanted))
    new = relabel[y]
    return x[new >= 0], new[new >= 0]


class Images(Dataset):
    """uint8 images with their labels, each image passed through ``transform`` when read."""

    def __init__(self, x, y, transform):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.transform(self.x[i]), self.y[i]


class EpochBatches(Sampler):
    """The lab's batches: each epoch a fresh random order from the run's own shuffling
    generator, cut into BATCH_SIZE slices; a last batch of one image joins the one before
    (BatchNorm cannot take a variance of one image)."""

    def __init__(self, n, batch_size, generator):
        self.n, self.generator = n, generator
        self.bounds = [(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
        if len(self.bounds) > 1 and self.bounds[-1][1] - self.bounds[-1][0] == 1:
            self.bounds[-2:] = [(self.bounds[-2][0], n)]

    def __len__(self):
        return len(self.bounds)

    def __iter__(self):
        order = torch.randperm(self.n, generator=self.generator)
        for start, stop in self.bounds:
            yield order[start:stop].tolist()


def pick_device(name):
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(name)


def eval_batch_size(device):
    """Images per evaluation pass, the lab's: 256 on a CPU (near the caches), 1024 on a GPU."""
    return 256 if device.type == "cpu" else 1024


def make_loaders(data_dir, limit, download, device):
    """(train, validation, test or None) loaders: the lab's split, limit, statistics and batches."""
    builtin = DATASET in ("mnist", "fashion-mnist", "cifar10")
    data_dir = data_dir or ("data" if builtin else DATASET)
    names, x, y, test_x, test_y = load_images(data_dir, download)
    if CLASSES:  # the run's class subset, in training and test alike
        x, y = keep_classes(x, y, names)
        test_x, test_y = keep_classes(test_x, test_y, names) if test_x is not None else (None, None)
    train_idx, val_idx = stratified_split(y, VAL_FRACTION, SPLIT_SEED)
    if limit and limit < len(train_idx):
        # a stratified subset of the training part; validation is never cut
        train_idx = train_idx[stratified_subset(y[train_idx], limit, SPLIT_SEED)]
    mean, std = (MEAN, STD) if MEAN is not None else channel_stats(x[train_idx])
    train_tf, eval_tf = make_transforms(mean, std)

    train_set = Images(x[train_idx], y[train_idx], train_tf)
    shuffle = EpochBatches(len(train_set), BATCH_SIZE, torch.Generator().manual_seed(SEED))
    # the loader draws a seed of its own each epoch: from its own generator, so that the
    # global one (Dropout's draws) stays where the lab has it
    train_loader = DataLoader(train_set, batch_sampler=shuffle, generator=torch.Generator())
    size = eval_batch_size(device)
    val_loader = DataLoader(Images(x[val_idx], y[val_idx], eval_tf), batch_size=size)
    test_loader = DataLoader(Images(test_x, test_y, eval_tf), batch_size=size) if test_x is not None else None
    print(f"{DATASET}: {len(train_set)} training, {len(val_idx)} validation, "
          f"{len(test_y) if test_y is not None else 0} test images")
    return train_loader, val_loader, test_loader


# %% training
# --- training -----------------------------------------------------------------------


def autocast_dtype(device):
    """bfloat16 where the hardware has it (float16 on older GPUs); None: train in float32.
    A CPU without AVX512-BF16 or AMX would emulate bf16, slower than float32."""
    if not MIXED_PRECISION:
        return None
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "cpu":
        try:
            flags = Path("/proc/cpuinfo").read_text()
        except OSError:
            return None
        return torch.bfloat16 if ("avx512_bf16" in flags or "amx_bf16" in flags) else None
    return None


def start_from(model):
    """Load INIT_FROM's tensors whose name and shape match the model (the others, such as a head
    for other classes, keep their fresh weights), then freeze FROZEN_MODULES; the loaded names."""
    taken = {}
    if INIT_FROM:
        if INIT_FROM.startswith("http"):
            state = torch.hub.load_state_dict_from_url(INIT_FROM, map_location="cpu", weights_only=True)
        else:  # weights_only: tensors and plain containers, never code from the file
            state = torch.load(INIT_FROM, map_location="cpu", weights_only=True)
        state = state.get("state_dict", state)  # a CNN Lab checkpoint keeps its weights under state_dict
        own = model.state_dict()
        taken = {k: v for k, v in state.items() if k in own and tuple(v.shape) == tuple(own[k].shape)}
        model.load_state_dict(taken, strict=False)
        print(f"initialised from {INIT_FROM}: {len(taken)} of {len(own)} weight tensors loaded")
    for path in FROZEN_MODULES:  # the run's frozen groups, by their modules' names
        group = model.get_submodule(path)
        for p in group.parameters():
            p.requires_grad_(False)  # frozen: no gradient, and left out of the optimizer
        for m in group.modules():  # BatchNorm of a frozen group keeps the statistics it came with
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.train = lambda mode=True, m=m: nn.Module.train(m, False)
                m.eval()
    return set(taken)


def make_optimizer(model, loaded=()):
    """Only what trains; the loaded layers at LR x PRETRAINED_LR_FACTOR when that is below 1."""
    slow = [p for n, p in model.named_parameters() if p.requires_grad and n in loaded and PRETRAINED_LR_FACTOR < 1]
    fast = [p for n, p in model.named_parameters() if p.requires_grad and all(p is not q for q in slow)]
    params = [{"params": fast, "lr": LR}] + ([{"params": slow, "lr": LR * PRETRAINED_LR_FACTOR}] if slow else [])
    # fused: one kernel for all the parameters (CUDA, and CPUs since torch 2.4), as the lab runs it
    fused = {"fused": True} if next(model.parameters()).device.type in ("cpu", "cuda") else {}
    if OPTIMIZER == "adam":
        return torch.optim.Adam(params, lr=LR, weight_decay=WEIGHT_DECAY, **fused)
    if OPTIMIZER == "adamw":
        return torch.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY, **fused)
    return torch.optim.SGD(params, lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY, **fused)


def make_schedule(optimizer, epochs, steps_per_epoch):
    """(scheduler, steps once per batch?): cosine and onecycle step per batch, step per epoch."""
    total = max(1, epochs * steps_per_epoch)
    if SCHEDULE == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, STEP_EPOCHS, STEP_GAMMA), False
    if SCHEDULE == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total), True
    if SCHEDULE == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in optimizer.param_groups],
                                                   total_steps=total, pct_start=0.3), True
    return None, False


def to_device(x, device):
    """A batch on the device; on a CPU in channels-last layout (NHWC), like the model: oneDNN's
    convolutions vectorise over the channels (about 1.1x faster a step), and the lab sums in it."""
    x = x.to(device)
    return x.contiguous(memory_format=torch.channels_last) if device.type == "cpu" else x


def evaluate(model, loader, device):
    """(mean loss, accuracy) of the model on every image of the loader, in float32."""
    model.eval()
    logits, labels = [], []
    with torch.no_grad():
        for x, y in loader:
            logits.append(model(to_device(x, device)).float())
            labels.append(y.to(device))
    model.train()
    logits, labels = torch.cat(logits), torch.cat(labels)
    loss_sum = nn.functional.cross_entropy(logits, labels, reduction="sum").item()
    correct = (logits.argmax(1) == labels).sum().item()
    return loss_sum / max(len(labels), 1), correct / max(len(labels), 1)


class Trainer:
    """The model and what changes its weights: optimizer, schedule, loss, mixed precision."""

    def __init__(self, model, device, epochs, steps_per_epoch, loaded=()):
        self.model, self.device = model, device
        self.optimizer = make_optimizer(model, loaded)
        self.scheduler, self.per_batch = make_schedule(self.optimizer, epochs, steps_per_epoch)
        self.loss_fn = nn.CrossEntropyLoss(label_smoothing=LABEL_SMOOTHING)
        self.amp_dtype = autocast_dtype(device)
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype == torch.float16)
        self.steps, self.total_steps = 0, epochs * steps_per_epoch

    def train_epoch(self, loader):
        """One pass over the training images: (loss sum, correct, images)."""
        model, optimizer, scaler = self.model, self.optimizer, self.scaler
        model.train()
        loss_sum, correct, n = 0.0, 0, 0
        for x, y in loader:
            x, y = to_device(x, self.device), y.to(self.device)
            with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
                logits = model(x)
                loss = self.loss_fn(logits.float(), y)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            if GRAD_CLIP > 0:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
            scaler.step(optimizer)
            scaler.update()
            self.steps += 1
            if self.scheduler is not None and self.per_batch and self.steps < self.total_steps:
                self.scheduler.step()
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            n += len(y)
        if self.scheduler is not None and not self.per_batch:
            self.scheduler.step()
        return loss_sum, correct, n


def fit(trainer, train_loader, val_loader, epochs):
    """Train for ``epochs``; returns (best epoch's numbers and weights, restore them?)."""
    best = {"val_loss": float("inf"), "val_accuracy": 0.0, "epoch": 0, "state": None, "history": []}
    started = time.time()
    for epoch in range(1, epochs + 1):
        loss_sum, correct, n = trainer.train_epoch(train_loader)
        val_loss, val_acc = evaluate(trainer.model, val_loader, trainer.device)
        best["history"].append({"epoch": epoch, "train_loss": loss_sum / n, "train_accuracy": correct / n,
                                "val_loss": val_loss, "val_accuracy": val_acc})
        print(f"epoch {epoch}: train loss {loss_sum / n:.4f} accuracy {correct / n:.4f} | "
              f"validation loss {val_loss:.4f} accuracy {val_acc:.4f} | {time.time() - started:.0f} s")
        if not torch.isfinite(torch.tensor(loss_sum)):
            print("the loss is not a number any more (diverged): lower the learning rate")
            return best, True
        if val_loss < best["val_loss"]:  # remember the weights with the lowest validation loss
            best.update(val_loss=val_loss, val_accuracy=val_acc, epoch=epoch,
                        state={k: v.detach().clone() for k, v in trainer.model.state_dict().items()})
        elif EARLY_STOPPING and epoch - best["epoch"] >= EARLY_STOPPING:
            print(f"no better validation loss for {EARLY_STOPPING} epochs: stopping early")
            return best, True
    return best, False


# %% script: the command line (the notebook has its own cells instead)
def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where the dataset lives (see the top of this file); image "
                        "folders: default DATASET itself")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--limit", type=int, default=TRAIN_LIMIT, help="train on at most N images (0 = all)")
    parser.add_argument("--device", default=DEVICE)
    parser.add_argument("--download", action="store_true", help="let torchvision download the dataset")
    parser.add_argument("--result", help="also write the final numbers to this JSON file")
    parser.add_argument("--test", action="store_true",
                        help="after training, score the test set too: the final look, once the model is chosen")
    return parser.parse_args()


def main():
    args = parse_args()
    torch.set_num_threads(THREADS)  # the run's thread count: the same sums in the same order
    device = pick_device(args.device)
    if device.type == "cuda":  # the same convolution algorithms every time
        torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False
    train_loader, val_loader, test_loader = make_loaders(args.data_dir, args.limit, args.download, device)
    print(f"training on {device}")

    random.seed(SEED)
    torch.manual_seed(SEED)  # the initial weights
    model = Net()
    loaded = start_from(model)  # INIT_FROM's weights where they fit, FREEZE's groups fixed
    model = model.to(device)
    if device.type == "cpu":
        model = model.to(memory_format=torch.channels_last)  # see to_device
    trainer = Trainer(model, device, args.epochs, len(train_loader), loaded)
    torch.manual_seed(SEED + 2)  # Dropout's draws (and the augmentation's here), from where the lab starts them
    started = time.time()
    best, restore = fit(trainer, train_loader, val_loader, args.epochs)

    # Like the lab: the final weights, or the best ones after early stopping or a divergence
    # (weights full of NaN are no use to anyone).
    if restore and best["state"] is not None:
        model.load_state_dict(best["state"])
    result = {"best_val_loss": best["val_loss"], "best_val_accuracy": best["val_accuracy"],
              "best_epoch": best["epoch"], "seconds": round(time.time() - started, 1), "history": best["history"]}
    # Models are compared and chosen on validation: that is the number this script reports.
    result["val_loss"], result["val_accuracy"] = evaluate(model, val_loader, device)
    print(f"validation accuracy {result['val_accuracy']:.4f} (loss {result['val_loss']:.4f})")
    if not args.test:
        print("the test set was not looked at: once you have chosen your model, run again with --test")
    elif test_loader is None:
        print("--test: this dataset has no test images (an image folder without test/)")
    else:
        # Last, and only when asked: a test score that picks between models stops measuring new images.
        result["test_loss"], result["test_accuracy"] = evaluate(model, test_loader, device)
        print(f"the final look at the test set: test accuracy {result['test_accuracy']:.4f} "
              f"(loss {result['test_loss']:.4f}); choosing between models on it would make it a second "
              "validation set")
    if args.result:
        Path(args.result).write_text(json.dumps(result, indent=2))

if __name__ == "__main__":
    main()
