"""``python -m lab evaluate RUN --split test``: reveal a run's score on a split, journalled.

    python -m lab evaluate 20261127-041512-387c2f --split test --json

Runs are chosen on validation; the test split is for the end. Each model whose test
score is revealed is counted in its workspace (``lab.runs.evaluation``), and the count is
printed with the score; from the second look (a second model, or the same run asked again) a
``warning:`` line on stderr says what repeated looks cost. On a classroom runs folder the score is on the public half of
the test split (the leaderboard keeps the other half hidden).
"""

import sys

from lab.cli import add_data_dir, print_json
from lab.cli._journal import add_journal_arguments, journal_root
from lab.runs import hindsight
from lab.runs.evaluation import SPLITS, evaluate_run
from lab.paths import runs_dir
from lab.runs.store import resolve_run

NAME = "evaluate"
HELP = "score a run's checkpoint on the validation or (at the end) the test split; test looks are counted"


def add_arguments(parser) -> None:
    parser.add_argument("run", metavar="RUN", help="run id or run folder")
    parser.add_argument("--split", choices=SPLITS, default="test", help="val or test (default: test)")
    add_journal_arguments(parser)
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    root = journal_root(args, args.run)
    run_ = resolve_run(args.run, root)
    record = evaluate_run(run_, args.split, data_dir=args.data_dir, runs_root=runs_dir(args.runs_dir))
    looks = hindsight.test_looks(run_) if args.split == "test" else []
    if args.json:
        print_json({**record, "warnings": hindsight.as_records(looks)})
        return 0
    half = " (the public half of the test split)" if record["public_only"] else ""
    print(f"{run_.id} on {args.split}{half}: accuracy {100 * record['accuracy']:.2f}% "
          f"loss {record['loss']:.4f} over {record['n']} images")
    if args.split == "test":
        again = "" if record["new_look"] else " (this model was already scored on test: not counted again)"
        print(f"the test set has now been looked at for {record['test_looks']} model(s) in this journal{again}")
    for finding in looks:  # from the second look on (lab.runs.hindsight)
        print(f"warning: {hindsight.english(finding)}", file=sys.stderr)
    return 0
