"""``python -m lab augment``: the preview grid as a PNG, and the warnings, headless.

    python -m lab augment --dataset mnist --transforms "RandomCrop(28, padding=2), RandomRotation(10)" \
        --n 8 --seed 0 --out grid.png

Same code path as the page: ``lab.augment.preview`` on real training images.
"""

from __future__ import annotations

from pathlib import Path

from lab.augment import output_shape, parse_transforms, warnings_for
from lab.augment.preview import describe, grid_image, pick_samples, preview
from lab.cli import add_data_dir
from lab.cli._args import bounded_int, seed_arg
from lab.data import load
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.files import MESSAGES as FILES_MESSAGES, os_reason
from lab.i18n import translate

NAME = "augment"
HELP = "write a grid of training images and their augmented versions (PNG); print the warnings"


def add_arguments(parser) -> None:
    parser.add_argument("--dataset", required=True, help="mnist, fashion-mnist, cifar10 or an image folder")
    parser.add_argument("--transforms", required=True,
                        help='e.g. "RandomCrop(28, padding=2), RandomRotation(10)"')
    parser.add_argument("--n", type=bounded_int(1, 64), default=8, help="augmented versions of each image (default 8)")
    parser.add_argument("--samples", type=bounded_int(1, 32), default=4, help="original images, one row each (default 4)")
    parser.add_argument("--seed", type=seed_arg, default=0, help="picks the images and seeds the augmentation")
    parser.add_argument("--scale", type=bounded_int(1, 16), default=3, help="pixel enlargement in the PNG (default 3)")
    parser.add_argument("--params", action="store_true", help="also print each version's drawn parameters")
    add_data_dir(parser)
    parser.add_argument("--out", required=True, help="PNG file to write")


def run(args) -> int:
    steps = parse_transforms(args.transforms)
    data = load(args.dataset, args.data_dir)
    output_shape(steps, data.shape)  # a crop that cannot fit fails here, with its name
    idx = pick_samples(data.train_y, args.samples, args.seed)
    shown = preview(data.train_x[idx], steps, args.n, args.seed)
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise keyed(CLI_MESSAGES, "cli.augment_png", path=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        grid_image(shown, scale=args.scale).save(out)
    except OSError as exc:
        raise keyed(FILES_MESSAGES, "files.cannot_write", path=str(out), reason=os_reason(exc)) from None
    for note in data.notes:
        print(f"note: {note}")
    print(f"wrote {out}: {args.samples} image(s) of {data.name}, {args.n} version(s) each, seed {args.seed}")
    if args.params:
        for row, label in enumerate(data.train_y[idx].tolist()):
            for k, record in enumerate(shown.records[row]):
                print(f"  [{data.classes[label]} #{k + 1}] {describe(record) or 'unchanged'}")
    for key, params in warnings_for(steps, data.name, data.shape[0], input_shape=data.shape):
        print(f"warning: {translate(key, 'en', **params)}")
    return 0
