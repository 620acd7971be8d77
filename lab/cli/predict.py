"""``python -m lab predict``: a model's answer on one picture, with the preprocessing it took.

    python -m lab predict --run RUN_DIR_OR_CHECKPOINT --image FILE [--top K] [--no-center] [--json]

``--json`` prints ``{"top": [{"class", "probability"}...], "steps": [...applied...],
"skipped", "notes", "warnings"}``. A bad picture or model file is one line and status 2.
"""

from __future__ import annotations

from pathlib import Path

import torch

from lab.cli import print_json
from lab.cli._args import bounded_int
from lab.cli._journal import add_journal_arguments, journal_root
from lab.config.limits import MAX_CLASSES, MAX_IMAGE_BYTES
from lab.files import read_limited
from lab.predict import STEP_TITLES, Options, load_model, predict_image

NAME = "predict"
HELP = "predict the class of one picture with a trained model, showing each preprocessing step"


def add_arguments(parser) -> None:
    parser.add_argument("--run", required=True, metavar="RUN_DIR_OR_CHECKPOINT",
                        help="a run folder, a run id in --runs-dir, or a .pt checkpoint file")
    parser.add_argument("--image", required=True, metavar="FILE", help="PNG, JPEG, WebP, BMP or GIF (first frame)")
    parser.add_argument("--top", type=bounded_int(1, MAX_CLASSES), default=5, metavar="K", help="how many classes to list (default 5)")
    add_journal_arguments(parser, "the journal for run ids (default: $LAB_RUNS_DIR or runs/)")
    parser.add_argument("--no-center", action="store_true",
                        help="skip centring (digits: 20x20 box + centre of mass; others: centre crop)")
    parser.add_argument("--no-invert", action="store_true", help="digits: never invert a light background")
    parser.add_argument("--no-contrast", action="store_true", help="digits: keep the grey levels as they are")
    parser.add_argument("--no-crop", action="store_true", help="digits: do not crop to the ink")
    parser.add_argument("--no-exif", action="store_true", help="ignore the EXIF orientation tag")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    image = Path(args.image)
    data = read_limited(image, MAX_IMAGE_BYTES, "picture")  # /dev/zero is refused, not read
    checkpoint = load_model(args.run, journal_root(args, args.run))
    options = Options(exif=not args.no_exif, invert=not args.no_invert, contrast=not args.no_contrast,
                      crop=not args.no_crop, center=not args.no_center)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one small image: extra intra-op threads only wait on busy cores (bench_predict)
    try:
        pred = predict_image(checkpoint, data, options, args.top, name=image.name)
    finally:
        torch.set_num_threads(threads)
    if args.json:
        print_json(pred.to_json())
        return 0
    for step in pred.prepared.steps:
        mark = "+" if step.applied else "-"
        print(f"  {mark} {STEP_TITLES[step.key]}{_detail(step.detail)}")
    for note in pred.prepared.notes:
        print(f"note: {note.text}")
    for name, p in pred.top:
        print(f"{name:>20}  {p * 100:6.2f}%  {'#' * round(p * 40)}")
    for warning in pred.warnings:
        print(f"warning: {warning.text}")
    return 0


def _detail(detail: dict) -> str:
    return f" ({', '.join(f'{k} {v}' for k, v in detail.items())})" if detail else ""
