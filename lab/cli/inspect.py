"""``python -m lab inspect``: inside a trained model, one picture at a time.

    python -m lab inspect --run R --image FILE --out DIR [--json]
    python -m lab inspect --run R --index N [--split test] --out DIR [--json]

Writes one PNG per view into DIR and ``gradcam.npy`` (the top class's heat map at the
input's size, float32 H x W). ``--json`` prints ``{"layers": [{name, stage, output,
receptive_field, group (a ready network's stage: "layer1")}], "top": [{class, probability}],
"files": [...], "label", ...}``. The picture goes through the Prediction page's preprocessing.
A bad run or picture is one line and status 2.
"""

from __future__ import annotations

from pathlib import Path

import torch

from lab.cli import add_data_dir, print_json
from lab.cli._journal import add_journal_arguments, journal_root
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.files import MESSAGES as FILES_MESSAGES, os_reason
from lab.inspect import inspect_tensor, load_initial_filters, occlusion
from lab.inspect.report import write_views
from lab.paths import runs_dir
from lab.predict import Target, load_model, prepare_image, prepare_pixels
from lab.predict.source_data import open_test_image
from lab.data import load, make_splits
from lab.data.subset import keep_classes

NAME = "inspect"
HELP = "look inside a trained model: feature maps, filters, Grad-CAM, occlusion and softmax for one picture"
SPLITS = ("train", "val", "test")


def add_arguments(parser) -> None:
    parser.add_argument("--run", required=True, metavar="RUN_DIR_OR_CHECKPOINT",
                        help="a run folder, a run id in --runs-dir, or a .pt checkpoint file")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--image", metavar="FILE", help="PNG, JPEG, WebP, BMP or GIF (first frame)")
    source.add_argument("--index", type=int, metavar="N", help="an image of the model's own dataset instead")
    parser.add_argument("--split", choices=SPLITS, default="test", help="with --index: which split (default test)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the PNGs and gradcam.npy")
    add_journal_arguments(parser, "the journal for run ids (default: $LAB_RUNS_DIR or runs/)")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    root = journal_root(args, args.run)  # a classroom folder: --student's own runs, no one else's
    checkpoint = load_model(args.run, root)
    target = Target.of(checkpoint)
    label = None
    if args.image is not None:
        image = Path(args.image)
        try:
            data = image.read_bytes()
        except OSError as exc:
            raise keyed(FILES_MESSAGES, "files.cannot_read_path", path=str(image), reason=os_reason(exc)) from None
        prepared = prepare_image(data, target, name=image.name)
    else:
        pixels, label = dataset_image(checkpoint, args.split, args.index, args.data_dir, runs_dir(args.runs_dir))
        prepared = prepare_pixels(pixels, target)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one small image: extra threads only wait on busy cores
    try:
        look = inspect_tensor(checkpoint, prepared.tensor)
        occ = occlusion(checkpoint.model, prepared.tensor, look.top[0][0])
    finally:
        torch.set_num_threads(threads)
    files = write_views(args.out, checkpoint, prepared.pixels, look, occ, load_initial_filters(run_folder(args, root)))
    if args.json:
        print_json({"layers": look.layers(),
                    "top": [{"class": name, "probability": round(p, 6)} for _, name, p in look.top],
                    "label": label, "gradcam_layer": look.gradcam[0].layer if look.gradcam else None,
                    "initial_filters": any(f.name == "filters_initial.png" for f in files),
                    "files": [str(f) for f in files]})
        return 0
    for layer in look.layers():
        shape = " x ".join(str(v) for v in layer["output"])
        rf = "x".join(str(v) for v in layer["receptive_field"])
        where = f"{layer['name']} ({layer['group']})" if layer.get("group") else layer["name"]  # a ready network's stage
        print(f"  {where:<24} {shape:<14} receptive field {rf}")
    if label is not None:
        print(f"true class: {label}")
    for _, name, p in look.top:
        print(f"{name:>20}  {p * 100:6.2f}%")
    print(f"wrote {len(files)} files into {args.out}")
    return 0


def dataset_image(checkpoint, split: str, index: int, data_dir, runs_root=None) -> tuple[torch.Tensor, str]:
    """(uint8 (C, H, W), true class name) of image ``index`` in the model's own split (on a
    classroom server, a test image of the open half only: ``lab.predict.source_data.open_test_image``)."""
    cfg = checkpoint.config.data
    data = keep_classes(load(cfg.dataset, data_dir, size=cfg.image_size, color=cfg.color), cfg.classes)
    if split == "test":
        x, y = data.test_x, data.test_y
    else:
        splits = make_splits(data, cfg.val_fraction, cfg.split_seed, cfg.train_limit)
        x, y = (splits.train_x, splits.train_y) if split == "train" else (splits.val_x, splits.val_y)
    if not 0 <= index < len(y):
        raise keyed(CLI_MESSAGES, "cli.index_outside", index=index, split=split, last=len(y) - 1)
    image, cls = open_test_image(x, y, index, runs_root) if split == "test" else (x[index], int(y[index]))
    return image, checkpoint.classes[cls] if cls < len(checkpoint.classes) else str(cls)


def run_folder(args, root: Path) -> Path | None:
    """The run folder behind --run (for its initial filters), or None for a lone checkpoint;
    ``root``: the journal run ids are looked up in (``journal_root``)."""
    path = Path(args.run).expanduser()
    if path.is_file():
        path = path.parent
    if (path / "config.json").is_file():
        return path
    by_id = root / str(args.run)
    return by_id if (by_id / "config.json").is_file() else None
