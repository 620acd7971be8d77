"""``python -m lab datasets``: what is available and where it would load from."""

from lab.cli import add_data_dir, print_json
from lab.data import describe_sources

NAME = "datasets"
HELP = "list the built-in datasets and where each loads from"


def add_arguments(parser) -> None:
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON list")


def run(args) -> int:
    rows = describe_sources(args.data_dir)
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        fallback = "samples bundled" if row["samples"] else "no samples"
        print(f"{row['dataset']:<14} {row['source']:<9} {row['where']}  ({fallback})")
    print("folders: pass a path to a folder with one subfolder per class (or train/ and test/)")
    return 0
