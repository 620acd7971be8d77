"""``python -m lab diff RUN_A RUN_B``: the config fields that differ, and what that did."""

from lab.cli import print_json
from lab.cli._journal import add_journal_arguments, journal_root
from lab.journal import compare, format_value
from lab.runs import resolve_run

NAME = "diff"
HELP = "print the config fields that differ between two runs and the change in their scores"


def add_arguments(parser) -> None:
    parser.add_argument("run_a", metavar="RUN_A", help="run id or run folder (the 'before')")
    parser.add_argument("run_b", metavar="RUN_B", help="run id or run folder (the 'after')")
    add_journal_arguments(parser, "the journal folder the ids are in (default: $LAB_RUNS_DIR or runs/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    root = journal_root(args, args.run_a, args.run_b)
    a, b = resolve_run(args.run_a, root), resolve_run(args.run_b, root)
    change = compare(a, b)
    if args.json:
        print_json({
            "a": a.id, "b": b.id, "changes": len(change.fields), "warning": change.warning,
            "fields": [{"field": p, "a": va, "b": vb} for p, va, vb in change.fields],
            "d_val_accuracy": change.d_val_accuracy, "d_val_loss": change.d_val_loss,
        })
        return 0
    if not change.fields:
        print(f"{a.id} and {b.id} have the same config")
    for path, va, vb in change.fields:
        print(f"{path}: {format_value(va)} -> {format_value(vb)}")
    if change.warning:
        print(f"warning: {len(change.fields)} fields changed at once; the effect cannot be pinned on one of them")
    if change.d_val_accuracy is not None:
        loss = f", best val loss {change.d_val_loss:+.4f}" if change.d_val_loss is not None else ""
        print(f"effect: best val accuracy {100 * change.d_val_accuracy:+.2f} points{loss}")
    return 0
