"""The ``spinesim`` command: the parser, the dispatch to each command's module, and the one-line errors.

Bad input (a malformed scenario, an out-of-range value, an unknown name, a bad argument, an
unusable output folder) gets one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from simulator.cli import EXIT_INTERRUPTED, INTERRUPTED
from simulator.cli.common import EXIT_BAD_INPUT, EXIT_NOT_PRINTED, ReportError, UsageError, report
from simulator.output.folder import OutputError
from simulator.parameters.scenario import ScenarioError
from simulator.run.executor import Cancelled, ExecutorError
from simulator.version import version_text

#: command -> the module that declares it (``register(sub)``) and runs it; loaded only when named
COMMANDS: dict[str, str] = {
    "run": "simulator.cli.run",
    **dict.fromkeys(("validate", "list", "show"), "simulator.cli.scenarios"),
    "calibrate": "simulator.cli.calibrate",
    "dashboard": "simulator.cli.dashboard",
    **dict.fromkeys(("sweep", "tornado", "psa", "capacity"), "simulator.cli.analyses"),
    "value": "simulator.cli.value",
    "report": "simulator.cli.report",
}
#: an option value that starts with "-": a negative number, range or list (``--range -5:1000:3``)
_DASHED_VALUE = re.compile(r"^-\.?\d")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2.

    ``--range -5:1000:3`` is read as ``--range=-5:1000:3``: argparse itself takes any word that
    starts with "-" for an option, unless it is a plain negative number.
    """

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        words: list[str] = []
        for word in sys.argv[1:] if args is None else args:
            if words and words[-1].startswith("--") and "=" not in words[-1] and _DASHED_VALUE.match(word):
                words[-1] = f"{words[-1]}={word}"
            else:
                words.append(word)
        return super().parse_known_args(words, namespace)

    def error(self, message: str) -> NoReturn:
        # "argument --x: --x = 5 is outside ..." -> "--x = 5 is outside ..."
        message = re.sub(r"^argument (\S+): (?=\1 )", "", message)
        raise UsageError(f"{self.prog}: {message}")


class _Version(argparse.Action):
    """``--version``: one unwrapped line, then stop."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        report(version_text())
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser: the command named in ``argv``, none for a bare ``--version``, or all (``--help``, a typo)."""
    parser = _Parser(prog="spinesim", description="Simulate breast cancer spinal metastasis care pathways.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version of spinesim and of the packages that determine its output")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    for module in _modules(sys.argv[1:] if argv is None else list(argv)):
        import_module(module).register(sub)
    return parser


def _modules(words: list[str]) -> list[str]:
    """The command modules to load for ``words``: the named command's, none for ``--version`` alone, else all."""
    wanted = next((w for w in words if not w.startswith("-")), None)
    if wanted in COMMANDS:
        return [COMMANDS[wanted]]
    if wanted is None and "--version" in words:
        return []
    return list(dict.fromkeys(COMMANDS.values()))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spinesim`` command (the console script calls it through ``simulator.cli.launch``).

    Every failure is one line on stderr that says what happened to the output folder.
    """
    try:
        args = build_parser(argv).parse_args(argv)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # --help and --version print and stop
        return int(exc.code or 0)
    except (UsageError, ScenarioError, OutputError, ExecutorError) as exc:
        _say(str(exc).strip())
        return EXIT_BAD_INPUT
    except ReportError as exc:
        _silence_stdout()
        _say(str(exc))
        return EXIT_NOT_PRINTED
    except Cancelled as exc:
        _say("spinesim: cancelled" + _outcome(exc))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        _silence_stdout()
        return 0
    except OSError as exc:  # disk full, permission denied while writing
        where = f" ({exc.filename})" if exc.filename else ""
        _say(f"spinesim: cannot write output: {exc.strerror or exc}{where}" + _outcome(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        _say(INTERRUPTED + _outcome(exc))
        return EXIT_INTERRUPTED


def _outcome(exc: BaseException) -> str:
    """What happened to the output folder, as the staging step noted it on the exception (or nothing)."""
    notes = getattr(exc, "__notes__", [])
    return "".join(f"; {note}" for note in notes)


def _say(line: str) -> None:
    """One line on stderr (a second Ctrl-C while printing it is ignored)."""
    try:
        print(line, file=sys.stderr)
    except (KeyboardInterrupt, OSError):
        pass


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing to flush
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
