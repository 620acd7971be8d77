"""``python -m lab mistakes --run RUN``: a run's most confident mistakes, or its suspected label errors.

    python -m lab mistakes --run 20261127-041512-387c2f --split val --top 20 --json
    python -m lab mistakes --run R --split test --label-issues --top 20
    python -m lab mistakes --run R --split test --mark 2462=label

Each image is named by its index in the dataset (the validation split's indices point
into the dataset's training part). ``--label-issues`` ranks the images by how strongly the
run's out-of-sample predictions disagree with their label (``lab.runs.mistakes``, cleanlab);
``--mark INDEX=label|model|none`` keeps the student's verdict in the journal. The test
split is scored once per model and counts as a look at it (``lab.runs.evaluation``).
"""

from lab.cli import add_data_dir, print_json
from lab.cli._args import bounded_int
from lab.cli._journal import add_journal_arguments, journal_root
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.runs.evaluation import SPLITS, split_scores, count_test_looks
from lab.runs.mistakes import MAX_TOP, VERDICTS, confident_mistakes, label_issues, marks, set_mark
from lab.paths import runs_dir
from lab.runs.store import resolve_run

NAME = "mistakes"
HELP = "a run's most confident mistakes (dataset index, true/predicted class, confidence) or suspected label errors"


def add_arguments(parser) -> None:
    parser.add_argument("--run", required=True, metavar="RUN", help="run id or run folder")
    parser.add_argument("--split", choices=SPLITS, default="val", help="val (default) or test")
    parser.add_argument("--top", type=bounded_int(1, MAX_TOP), default=20, help="how many images (default 20)")
    parser.add_argument("--label-issues", action="store_true",
                        help="rank by how strongly the predictions doubt the label (confident learning)")
    parser.add_argument("--mark", action="append", default=[], metavar="INDEX=VERDICT",
                        help="mark a dataset image: label (its label is wrong), model (the model is wrong) or none")
    add_journal_arguments(parser)
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _parse_mark(text: str) -> tuple[int, str | None]:
    index, sep, verdict = text.partition("=")
    if not sep or not index.strip().isdigit() or verdict not in (*VERDICTS, "none"):
        raise keyed(CLI_MESSAGES, "cli.mark", text=repr(text))
    return int(index), None if verdict == "none" else verdict


def run(args) -> int:
    root = journal_root(args, args.run)
    run_ = resolve_run(args.run, root)
    workspace, dataset = run_.dir.parent, run_.config().data.dataset
    for text in args.mark:
        index, verdict = _parse_mark(text)
        set_mark(workspace, dataset, args.split, index, verdict)
    scores = split_scores(run_, args.split, data_dir=args.data_dir, runs_root=runs_dir(args.runs_dir))
    kind = "label_issues" if args.label_issues else "mistakes"
    items = (label_issues if args.label_issues else confident_mistakes)(scores, args.top)
    marked = marks(workspace, dataset, args.split)
    for item in items:
        item["mark"] = marked.get(item["index"])
    out = {"run": run_.id, "split": args.split, "part": "train" if args.split == "val" else "test",
           "n": int(len(scores.labels)), "accuracy": scores.accuracy, "public_only": scores.public_only,
           "test_looks": count_test_looks(workspace), kind: items}
    if args.json:
        print_json(out)
        return 0
    title = "suspected label errors" if args.label_issues else "most confident mistakes"
    print(f"{run_.id}, {args.split} split ({out['n']} images, accuracy {100 * scores.accuracy:.2f}%): {title}")
    print(f"{'index':>7} {'label':<12} {'predicted':<12} {'conf':>6} {'p(label)':>9}  mark")
    for item in items:
        flag = " *" if item.get("flagged") else ""
        print(f"{item['index']:>7} {item['true'][:12]:<12} {item['predicted'][:12]:<12} {item['confidence']:>6.1%} "
              f"{item['label_probability']:>9.2%}  {item['mark'] or '-'}{flag}")
    if args.label_issues:
        print("* flagged as a label issue by confident learning (cleanlab.find_label_issues)")
    return 0
