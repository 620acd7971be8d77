"""``python -m lab diff RUN_A RUN_B``: the config fields that differ, what that did, and
whether the change in validation accuracy exceeds the seed-to-seed spread (``lab.runs.seeds``:
a run repeated with ``--seeds N`` stands for its whole group)."""

from lab.cli import print_json
from lab.cli._journal import add_journal_arguments, journal_root
from lab.runs.changes import format_numerics
from lab.runs.journal import compare, format_value
from lab.runs.store import RunStore, resolve_run
from lab.runs.seeds import compare_runs

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
    # the experiments the runs belong to: a group of seeds, or the run alone (lab.runs.seeds)
    spread = compare_runs(a, b, RunStore(a.dir.parent).list() if a.dir.parent == b.dir.parent else [a, b])
    if args.json:
        print_json({
            "a": a.id, "b": b.id, "changes": len(change.fields), "warning": change.warning,
            "fields": [{"field": p, "a": va, "b": vb} for p, va, vb in change.fields],
            "d_val_accuracy": change.d_val_accuracy, "d_val_loss": change.d_val_loss,
            "numerics": [{"field": k, "a": va, "b": vb} for k, va, vb in change.numerics],
            "seeds": spread.to_dict(),
        })
        return 0
    if not change.fields:
        print(f"{a.id} and {b.id} have the same config")
    for path, va, vb in change.fields:
        print(f"{path}: {format_value(va)} -> {format_value(vb)}")
    if change.numerics:  # threads, device, torch...: lab.runs.changes.numerics_differences
        print(f"computed differently: {format_numerics(change.numerics)}; the numbers may differ because of it, "
              "not only because of the config")
    if change.warning:
        print(f"warning: {len(change.fields)} fields changed at once; the effect cannot be pinned on one of them")
    if change.d_val_accuracy is not None:
        loss = f", best val loss {change.d_val_loss:+.4f}" if change.d_val_loss is not None else ""
        print(f"effect: best val accuracy {100 * change.d_val_accuracy:+.2f} points{loss}")
    print(spread_line(spread))
    return 0


def spread_line(v) -> str:
    """Whether the change in (mean) validation accuracy exceeds the seed-to-seed spread."""
    def side(s) -> str:
        if s.group is None:
            return "one run"
        std = f" ± {100 * s.std:.2f}" if s.std is not None else ""
        return f"{s.n} seeds, {100 * s.mean:.2f}{std} %" if s.mean is not None else f"{s.n} seeds"

    if v.difference is None:
        return "is it real? no validation accuracy to compare"
    if v.real is None:
        return ("is it real? unknown: neither run was repeated with seeds (train one with --seeds 3 to see the "
                "seed-to-seed spread)")
    word = "larger than" if v.real else "within"
    return (f"is it real? {'likely' if v.real else 'not shown'}: the change {100 * v.difference:+.2f} points is {word} "
            f"the seed-to-seed spread ({100 * v.spread:.2f} points = 2 std; {side(v.a)} vs {side(v.b)})")
