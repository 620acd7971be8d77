"""``python -m lab classroom ...``: the Teacher page, headless.

    python -m lab classroom students [--json]            every student's runs: status, epoch, best val acc
    python -m lab classroom stop RUN_ID                  ask a queued or training run to stop
    python -m lab classroom remove NAME --yes            delete a student and their workspace
    python -m lab classroom unlock [NAME]                lift the sign-in locks of NAME (none: every lock)
    python -m lab classroom board [--dataset D] [--budget N] [--anonymous | --names] [--score] [--json]

All read ``--runs-dir`` (default $LAB_RUNS_DIR), a classroom runs folder.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from lab.classroom.accounts import TEACHER, Classroom
from lab.cli import add_data_dir, print_json
from lab.errors import keyed
from lab.classroom.messages import MESSAGES as CLASSROOM_MESSAGES
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.jobs.submit import stop

NAME = "classroom"
HELP = "the teacher's view of a classroom runs folder: students' runs, stop, remove, the leaderboard"


def add_arguments(parser) -> None:
    parser.add_argument("action", choices=["students", "stop", "remove", "unlock", "board"])
    parser.add_argument("target", nargs="?", help="stop: a run id; remove, unlock: a student's name ('teacher' for "
                                                  "the teacher's locks)")
    parser.add_argument("--runs-dir", help="the classroom runs folder (default: $LAB_RUNS_DIR or runs/)")
    parser.add_argument("--yes", action="store_true", help="remove: really delete the student and their runs")
    parser.add_argument("--dataset", help="board: the contest's dataset")
    parser.add_argument("--budget", type=int, help="board: most training images x epochs (0 = no limit)")
    names = parser.add_mutually_exclusive_group()
    names.add_argument("--anonymous", action="store_true", help="board: students see anonymous tags")
    names.add_argument("--names", action="store_true", help="board: students see names")
    parser.add_argument("--score", action="store_true", help="board: score the entries on the hidden test split")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    room = Classroom(args.runs_dir)
    if not room.is_classroom():
        raise keyed(CLI_MESSAGES, "cli.not_classroom", path=str(room.base))
    return {"students": _students, "stop": _stop, "remove": _remove, "unlock": _unlock, "board": _board}[args.action](room, args)


def _students(room: Classroom, args) -> int:
    from lab.classroom.overview import class_rows  # heavy: loaded on first use, to keep start-up light

    rows = class_rows(room)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        acc = "-" if r["best_val_accuracy"] is None else f"{100 * r['best_val_accuracy']:.2f}%"
        print(f"{r['student']:<20} {r['run']:<24} {r['status']:<9} {r['epoch']}/{r['epochs']:<4} {acc:>8}  {r['name']}")
    return 0


def _stop(room: Classroom, args) -> int:
    from lab.classroom.overview import active_runs  # heavy: loaded on first use, to keep start-up light

    found = [run for _account, run in active_runs(room) if run.id == args.target]
    if not found:
        raise keyed(CLI_MESSAGES, "cli.no_active_run", run=repr(args.target), path=str(room.base))
    stop(found[0])
    print(f"asked {args.target} to stop")
    return 0


def _remove(room: Classroom, args) -> int:
    from lab.classroom.overview import busy  # heavy: loaded on first use, to keep start-up light

    account = room.find(args.target or "")
    if account is None:
        raise keyed(CLASSROOM_MESSAGES, "classroom.no_student", name=args.target)
    if busy(room, account):
        raise keyed(CLI_MESSAGES, "cli.student_busy", name=account.name)
    if not args.yes:
        raise keyed(CLI_MESSAGES, "cli.remove_confirm", name=account.name)
    room.remove(account.key)
    print(f"removed {account.name} and {room.workspace_dir(account)}")
    return 0


def _unlock(room: Classroom, args) -> int:
    if args.target is None:
        key = None
    elif args.target.strip().casefold() == "teacher":
        key = TEACHER
    else:
        account = room.find(args.target)
        if account is None:
            raise keyed(CLASSROOM_MESSAGES, "classroom.no_student", name=args.target)
        key = account.key
    locked = [lock for lock in room.locks() if key is None or key in lock["who"].split(" / ")]
    n = room.unlock(key)
    print(f"lifted {n} count(s) of wrong guesses, {len(locked)} lock(s) in force: {args.target or 'everyone'}")
    return 0


def _board(room: Classroom, args) -> int:
    from lab import data as lab_data  # heavy: loaded on first use, to keep start-up light
    from lab.classroom.leaderboard import Leaderboard  # heavy: loaded on first use, to keep start-up light

    board = Leaderboard(room.base)
    settings = board.settings()
    changes = {k: v for k, v in (("dataset", args.dataset), ("budget", args.budget)) if v is not None}
    if args.anonymous or args.names:
        changes["anonymous"] = args.anonymous
    if changes:
        board.save_settings(replace(settings, **changes))
    if args.score:
        data = lab_data.load(board.settings().dataset, args.data_dir, use_samples=False)
        print(f"scored {board.score(data)} entries")
    rows = board.standings()
    if args.json:
        print_json({"settings": asdict(board.settings()), "standings": [asdict(r) for r in rows]})
        return 0
    for r in rows:
        score = f"{100 * r.accuracy:.2f}%  {r.params:>9} params" if r.rank else f"({r.why})"
        print(f"{r.rank or '-':>3}  {r.name:<20} {r.run_id:<24} {score}")
    return 0
