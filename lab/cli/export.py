"""``python -m lab export RUN --script out.py``: the run as one standalone training script."""

from lab.cli._journal import add_journal_arguments, journal_root
from lab.export.script import export_script
from lab.runs.store import resolve_run

NAME = "export"
HELP = "write a run as one standalone Python script (torch and torchvision only) that retrains it"


def add_arguments(parser) -> None:
    parser.add_argument("run", metavar="RUN", help="run id or run folder")
    parser.add_argument("--script", required=True, help="the .py file to write")
    add_journal_arguments(parser, "the journal folder the id is in (default: $LAB_RUNS_DIR or runs/)")


def run(args) -> int:
    run_ = resolve_run(args.run, journal_root(args, args.run))
    path = export_script(run_, args.script)
    print(f"wrote {path}: python {path} --data-dir DATA [--epochs N] [--limit N] [--test, at the very end]")
    return 0
