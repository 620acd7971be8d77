"""``--runs-dir`` and ``--student`` for the commands that read a journal.

On a laptop ``--runs-dir`` is the journal. A classroom runs folder holds one workspace
per student, so a command there needs ``--student NAME`` and refuses paths into other
students' workspaces (``lab.classroom.workspaces.cli_journal`` / ``check_cli_ref``).
"""

from __future__ import annotations

from pathlib import Path

from lab.classroom.workspaces import check_cli_ref, cli_journal


def add_journal_arguments(parser, runs_help: str = "the journal folder (default: $LAB_RUNS_DIR or runs/)") -> None:
    parser.add_argument("--runs-dir", help=runs_help)
    parser.add_argument("--student", metavar="NAME",
                        help="in a classroom runs folder: whose journal (\"teacher\" for the teacher's own)")


def journal_root(args, *refs) -> Path:
    """The journal ``args`` point at; every path in ``refs`` must lie in it (classrooms only)."""
    root = cli_journal(args.runs_dir, args.student)
    for ref in refs:
        check_cli_ref(ref, args.runs_dir, args.student)
    return root
