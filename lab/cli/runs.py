"""``python -m lab runs``: every run of a journal with the journal page's columns, oldest
first; "rank" is its place by best validation accuracy (runs are chosen on validation).
A damaged run folder is listed with status "damaged" and what is wrong (``Run.damage``)."""

from lab.cli import print_json
from lab.cli._journal import add_journal_arguments, journal_root
from lab.runs.journal import table
from lab.runs.store import RunStore

NAME = "runs"
HELP = "list the runs of a journal: config summary, scores, status and what changed"


def add_arguments(parser) -> None:
    add_journal_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON list of rows")


def run(args) -> int:
    root = journal_root(args)
    rows = table(RunStore(root))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"no runs in {root}")
        return 0
    header = f"{'rank':>4} {'run':<24} {'status':<11} {'dataset':<14} {'blocks':>6} {'params':>9} {'optim':<6} {'lr':>8} " \
             f"{'batch':>5} {'val acc':>8} {'val loss':>8} {'test acc':>8} {'ep':>3} {'sec':>6}  changed"
    print(header)
    for r in rows:
        warn = "(!) " if (r["changes"] or 0) > 1 else ""
        print(f"{_s(r['val_rank']):>4} {r['id']:<24} {r['status']:<11} {_s(r['dataset'])[:14]:<14} {_s(r['blocks']):>6} "
              f"{_s(r['params']):>9} {_s(r['optimizer']):<6} {_num(r['lr']):>8} {_s(r['batch_size']):>5} "
              f"{_pct(r['best_val_accuracy']):>8} {_num(r['best_val_loss'], 4):>8} {_pct(r['test_accuracy']):>8} "
              f"{_s(r['epochs']):>3} {_num(r['seconds'], 1):>6}  {warn}{r['changed'] or '-'}"
              f"{_effect(r)}")
        if r["numerics_changed"]:
            print(f"{'':<29} computed differently: {r['numerics_changed']} (numbers may differ because of it)")
        if r["damage"]:
            print(f"{'':<29} damaged: {r['damage']} (files kept as they are)")
        if r["augment"] and r["augment"] != "none":
            print(f"{'':<29} augment: {r['augment']}")
        if r["note"]:
            print(f"{'':<29} note: {r['note'].splitlines()[0]}")
        if r["group_mean"] is not None:
            std = f" ± {100 * r['group_std']:.2f}" if r["group_std"] is not None else ""
            print(f"{'':<29} seeds: {r['group_n']} in group {r['group']}, val acc {100 * r['group_mean']:.2f}{std} %")
        if r["expected"]:
            print(f"{'':<29} expected: {r['expected']}, got: {r['outcome'] or '-'}")
    return 0


def _s(v) -> str:
    return "-" if v is None else str(v)


def _num(v, digits: int | None = None) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if digits is not None else f"{v:g}"


def _pct(v) -> str:
    return "-" if v is None else f"{100 * v:.2f}%"


def _effect(r) -> str:
    if r["d_val_accuracy"] is None:
        return ""
    return f"  => val acc {100 * r['d_val_accuracy']:+.2f} pts" + (
        f", val loss {r['d_val_loss']:+.4f}" if r["d_val_loss"] is not None else "")
