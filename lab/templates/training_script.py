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
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets
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


class KeptClasses(Dataset):
    """Only the images of CLASSES, relabelled 0..k-1 in CLASSES' order (the lab's data.classes)."""

    def __init__(self, images):
        wanted = [c if isinstance(c, int) else images.classes.index(c) for c in CLASSES]
        relabel = {c: i for i, c in enumerate(wanted)}
        self.images = images
        self.indices = [i for i, t in enumerate(images.targets) if int(t) in relabel]
        self.targets = [relabel[int(images.targets[i])] for i in self.indices]

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, i):
        return self.images[self.indices[i]][0], self.targets[i]


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


def make_loaders(data_dir, limit, download):
    """(train, validation, test or None) loaders: the lab's split, limit and statistics."""
    builtin = DATASET in ("mnist", "fashion-mnist", "cifar10")
    data_dir = data_dir or ("data" if builtin else DATASET)
    train_images, test_images = load_images(data_dir, download)
    if CLASSES:
        train_images = KeptClasses(train_images)
        test_images = KeptClasses(test_images) if test_images is not None else None
    labels = torch.as_tensor(train_images.targets)
    train_idx, val_idx = stratified_split(labels, VAL_FRACTION, SPLIT_SEED)
    if limit and limit < len(train_idx):
        # a stratified subset of the training part; validation is never cut
        train_idx = train_idx[stratified_subset(labels[train_idx], limit, SPLIT_SEED)]
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
          f"{len(test_images) if test_images is not None else 0} test images")
    return train_loader, val_loader, test_loader


# %% training
# --- training -----------------------------------------------------------------------


def pick_device(name):
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(name)


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
    for other classes, keep their fresh weights), then freeze as FREEZE says; the loaded names."""
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
    groups = list(model.children())  # the network's groups in order (block1..blockN, head)
    trained = {"none": len(groups), "features": 1}.get(FREEZE, FREEZE)
    for group in groups[: len(groups) - trained]:
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
    if OPTIMIZER == "adam":
        return torch.optim.Adam(params, lr=LR, weight_decay=WEIGHT_DECAY)
    if OPTIMIZER == "adamw":
        return torch.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY)
    return torch.optim.SGD(params, lr=LR, momentum=MOMENTUM, weight_decay=WEIGHT_DECAY)


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
            x, y = x.to(self.device), y.to(self.device)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
                logits = model(x)
                loss = self.loss_fn(logits, y)
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


def fit(trainer, train_loader, val_loader, eval_loss, epochs):
    """Train for ``epochs``; returns (best epoch's numbers and weights, restore them?)."""
    best = {"val_loss": float("inf"), "val_accuracy": 0.0, "epoch": 0, "state": None, "history": []}
    started = time.time()
    for epoch in range(1, epochs + 1):
        loss_sum, correct, n = trainer.train_epoch(train_loader)
        val_loss, val_acc = evaluate(trainer.model, val_loader, eval_loss, trainer.device)
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
    random.seed(SEED)
    torch.manual_seed(SEED)
    device = pick_device(args.device)
    train_loader, val_loader, test_loader = make_loaders(args.data_dir, args.limit, args.download)
    print(f"training on {device}")

    torch.manual_seed(SEED)  # the initial weights
    model = Net()
    loaded = start_from(model)  # INIT_FROM's weights where they fit, FREEZE's groups fixed
    model = model.to(device)
    trainer = Trainer(model, device, args.epochs, len(train_loader), loaded)
    eval_loss = nn.CrossEntropyLoss()
    started = time.time()
    best, restore = fit(trainer, train_loader, val_loader, eval_loss, args.epochs)

    # Like the lab: the final weights, or the best ones after early stopping or a divergence
    # (weights full of NaN are no use to anyone).
    if restore and best["state"] is not None:
        model.load_state_dict(best["state"])
    result = {"best_val_loss": best["val_loss"], "best_val_accuracy": best["val_accuracy"],
              "best_epoch": best["epoch"], "seconds": round(time.time() - started, 1)}
    # Models are compared and chosen on validation: that is the number this script reports.
    result["val_loss"], result["val_accuracy"] = evaluate(model, val_loader, eval_loss, device)
    print(f"validation accuracy {result['val_accuracy']:.4f} (loss {result['val_loss']:.4f})")
    if not args.test:
        print("the test set was not looked at: once you have chosen your model, run again with --test")
    elif test_loader is None:
        print("--test: this dataset has no test images (an image folder without test/)")
    else:
        # Last, and only when asked: a test score that picks between models stops measuring new images.
        result["test_loss"], result["test_accuracy"] = evaluate(model, test_loader, eval_loss, device)
        print(f"the final look at the test set: test accuracy {result['test_accuracy']:.4f} "
              f"(loss {result['test_loss']:.4f}); choosing between models on it would make it a second "
              "validation set")
    if args.result:
        Path(args.result).write_text(json.dumps(result, indent=2))

if __name__ == "__main__":
    main()
