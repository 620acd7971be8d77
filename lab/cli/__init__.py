"""``python -m lab COMMAND ...``: everything a page does, headless.

Each module in this package is one command: it defines ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. They are found by listing the
package, so adding a command is adding a file. A ``LabError`` (bad input the user can
fix) becomes one line on stderr and exit status 2; nothing else is caught.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys

from lab.errors import MESSAGES as ERROR_MESSAGES
from lab.errors import LabError, did_you_mean, english


def _commands() -> dict:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME"):
            found[module.NAME] = module
    return dict(sorted(found.items()))


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and status 2, like every other error."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message}\n")

    def _check_value(self, action, value):
        # argparse's own check (a private method, the same since Python 3.2), with the lab's
        # "did you mean" for a typo: --optimizer adma, a command "trian"
        if action.choices is not None and value not in action.choices:
            close = did_you_mean(value, action.choices)
            hint = english(ERROR_MESSAGES, *close) if close else ""
            choices = ", ".join(map(repr, action.choices))
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{hint} (choose from {choices})")


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = OneLineParser(prog="python -m lab", description="CNN Lab, headless.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands = _commands()
    for name, module in commands.items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
    return parser, commands


def main(argv: list[str] | None = None) -> int:
    parser, commands = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, one line already printed)
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(commands[args.command].run(args) or 0)
    except LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def print_json(obj) -> None:
    """One JSON object on stdout (the machine-readable contract of --json)."""
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="where datasets live (default: $LAB_DATA_DIR or data/)")
