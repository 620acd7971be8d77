"""``python -m lab audit NAME_OR_FOLDER``: the Dataset page's audit, headless.

NAME is mnist, fashion-mnist or cifar10, or a path to an image folder or a .zip of one.
When the full built-in dataset is neither on disk nor downloadable, the audit runs on
the bundled samples and says so on stderr; ``--no-samples`` makes that an error
(exit 2) instead, for scripts that must audit the real thing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from lab.data.audit import audit
from lab.cli import add_data_dir, print_json
from lab.cli._args import image_size_arg, seed_arg, val_fraction_arg
from lab.config import DataConfig
from lab.data import ImageData, builtin_name, extract_zip_cached, load
from lab.config.limits import MAX_ZIP_BYTES
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.files import read_limited

NAME = "audit"
HELP = "audit a dataset: class balance, mean/std, duplicates and leakage, outliers"


def add_arguments(parser) -> None:
    parser.add_argument("dataset", metavar="NAME_OR_FOLDER",
                        help="mnist, fashion-mnist, cifar10, or a path to an image folder / .zip")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--val-fraction", type=val_fraction_arg, default=DataConfig.val_fraction,
                        help="share of the training images held out for validation (0.05..0.5, default 0.2)")
    parser.add_argument("--seed", type=seed_arg, default=DataConfig.split_seed, help="split seed (default 0)")
    parser.add_argument("--size", type=image_size_arg, default=DataConfig.image_size,
                        help="folders: square size images are decoded to, in pixels (default 32)")
    parser.add_argument("--color", choices=("rgb", "grayscale"), default=DataConfig.color,
                        help="folders: colour mode (default rgb)")
    parser.add_argument("--no-samples", action="store_true",
                        help="fail (exit 2) instead of auditing the bundled samples when the full dataset is unavailable")


def run(args) -> int:
    cfg = DataConfig(dataset=args.dataset, val_fraction=args.val_fraction, split_seed=args.seed,
                     image_size=args.size, color=args.color)
    cfg.validate()
    _check_path(cfg.dataset)
    data = _load(cfg, args)
    if data.source == "samples":
        print(f"note: using the bundled samples of {data.name} ({len(data.train_y)} training images): "
              + "; ".join(data.notes), file=sys.stderr)
    result = audit(data, cfg.val_fraction, cfg.split_seed)
    if args.json:
        print_json(result.to_dict())
    else:
        print(render_text(result))
    return 0


def _load(cfg: DataConfig, args) -> ImageData:
    path = Path(cfg.dataset).expanduser()
    if builtin_name(cfg.dataset) is None and path.suffix.lower() == ".zip" and path.is_file():
        # A headless audit unpacks into a temporary folder: nothing lands in the data
        # folder (which may be shared or read-only), and the images stay in memory.
        with tempfile.TemporaryDirectory(prefix="lab-audit-") as tmp:
            archive = read_limited(path, MAX_ZIP_BYTES, "archive")
            data = load(str(extract_zip_cached(archive, Path(tmp))), size=cfg.image_size, color=cfg.color)
        data.origin = str(path)
        return data
    return load(cfg.dataset, args.data_dir, size=cfg.image_size, color=cfg.color, use_samples=not args.no_samples)


def _check_path(dataset: str) -> None:
    """A missing folder deserves its own message, not "unknown dataset"."""
    if builtin_name(dataset) is not None:
        return
    path = Path(dataset).expanduser()
    looks_like_path = "/" in dataset or "\\" in dataset or dataset.startswith((".", "~")) or path.suffix
    if looks_like_path and not path.exists():
        raise keyed(CLI_MESSAGES, "cli.audit_no_folder", path=str(path))


def render_text(a) -> str:
    """A short human report of an Audit."""
    lines = [f"{a.dataset} ({a.source}): {len(a.classes)} classes, images {a.shape[0]}x{a.shape[1]}x{a.shape[2]} {a.dtype}"]
    lines.append("split sizes: " + ", ".join(f"{k} {v}" for k, v in a.splits.items()))
    width = max(len(c) for c in a.classes)
    lines.append(f"{'class':<{width}}  {'train':>7} {'val':>7} {'test':>7}")
    for i, c in enumerate(a.classes):
        lines.append(f"{c:<{width}}  {a.counts['train'][i]:>7} {a.counts['val'][i]:>7} {a.counts['test'][i]:>7}")
    imbalance = "n/a (a class has no training images)" if a.imbalance == float("inf") else f"{a.imbalance:.2f}"
    lines.append(f"imbalance (max/min class count in train): {imbalance}")
    lines.append(f"mean {a.mean}  std {a.std}")
    lines.append(a.normalize)
    ex, near = a.duplicates["exact"], a.duplicates["near"]
    lines.append(f"exact duplicates: train {ex['train']['images']}, test {ex['test']['images']}, "
                 f"test images also in train (leakage) {ex['train_test']['images']}, train/val pairs {ex['train_val']}")
    lines.append(f"near-duplicates (RMS <= {near['max_rms']}): pairs in train {near['train']['pairs']}, "
                 f"in test {near['test']['pairs']}, train/test {near['train_test']['pairs']}")
    o = a.outliers
    lines.append(f"outliers: near-blank train {o['train']['blank']}, test {o['test']['blank']}; "
                 f"extreme intensity train {o['train']['extreme']}, test {o['test']['extreme']}")
    if a.folder:
        sizes = ", ".join(f"{s['width']}x{s['height']} ({s['count']})" for s in a.folder["original_sizes"][:5])
        lines.append(f"original sizes: {sizes}; modes: {a.folder['original_modes']}")
        lines.append(f"skipped files: {len(a.folder['skipped'])}")
        lines += [f"  {s['file']}: {s['reason']}" for s in a.folder["skipped"][:20]]
    return "\n".join(lines)
