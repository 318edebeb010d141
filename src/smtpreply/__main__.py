"""The command line: ``smtpreply explain 530``, ``smtpreply diff 252 530``, and more.

``python -m smtpreply 530`` (no command word) explains, as ``explain`` does.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING, NoReturn

import attrs

from smtpreply._cli_output import (
    CLOSED_PIPE_STATUS,
    ClosedPipe,
    CommandError,
    Output,
    OutputError,
    inert,
    inert_json,
    say,
    say_error,
)
from smtpreply._compare import diff
from smtpreply._errors import InvalidReply
from smtpreply._explain import explain
from smtpreply._language import LOCALES
from smtpreply._render import FORMATS
from smtpreply._version import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

    from smtpreply._compare import Comparison
    from smtpreply._explain import Explanation

_COMMANDS = ("explain", "diff", "codes", "statuses", "classify")
# A first word that names no code, status or reply: taken for a mistyped command.
_COMMAND_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# The exit status after Ctrl-C: 128 + SIGINT, as shells report it.
_INTERRUPTED = 130

_EXAMPLES = """\
examples:
  smtpreply explain 530                       explain a basic reply code
  smtpreply explain 5.7.26                    explain an enhanced status code
  smtpreply explain "550 5.1.1 User unknown"  explain a whole reply
  smtpreply diff 252 530 --lang fr            compare two codes, French headings
  smtpreply codes --class 4                   list the 4yz codes
  smtpreply statuses --subject 7              list the security statuses
  smtpreply classify /var/log/mail.log        one verdict per reply found
  smtpreply 530                               the same as "explain 530"
"""


class _HelpFormatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; the examples kept as they are written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        say(f"{self.prog}: error: {inert(message)}")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smtpreply",
        description="Explain, compare and classify SMTP replies.",
        epilog=_EXAMPLES,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"smtpreply {__version__}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    formats = {"choices": FORMATS, "default": "text", "help": "output format (default: text)"}
    locales = {"choices": LOCALES, "default": "en", "help": "language of the headings"}

    explain_parser = commands.add_parser(
        "explain",
        help="explain reply codes, statuses or whole replies",
        description="Explain reply codes, enhanced status codes or whole replies.",
        epilog=(
            "examples:\n"
            "  smtpreply explain 530 5.7.26\n"
            '  smtpreply explain "421 4.7.0 Try later"\n'
        ),
        formatter_class=_HelpFormatter,
    )
    explain_parser.add_argument(
        "codes", nargs="+", metavar="CODE", help="a reply code, an enhanced status or a reply"
    )
    explain_parser.add_argument("--format", **formats)  # type: ignore[arg-type]
    explain_parser.add_argument("--lang", **locales)  # type: ignore[arg-type]

    diff_parser = commands.add_parser(
        "diff",
        help="the key differences between two codes",
        description="List the key differences between two codes, statuses or replies.",
        epilog=(
            "examples:\n  smtpreply diff 252 530\n  smtpreply diff 5.1.1 5.7.1 --format markdown\n"
        ),
        formatter_class=_HelpFormatter,
    )
    diff_parser.add_argument("left", metavar="CODE", help="the first code, status or reply")
    diff_parser.add_argument("right", metavar="CODE", help="the second code, status or reply")
    diff_parser.add_argument("--format", **formats)  # type: ignore[arg-type]
    diff_parser.add_argument("--lang", **locales)  # type: ignore[arg-type]

    from smtpreply._cli_catalogue import add_catalogue_parsers
    from smtpreply._cli_classify import add_classify_parser

    add_catalogue_parsers(commands, _HelpFormatter)
    add_classify_parser(commands, _HelpFormatter)
    return parser


def _without_server_escapes(exp: Explanation) -> Explanation:
    """The explanation with each line of the server's text made inert."""
    if exp.server_text is None:
        return exp
    lines = exp.server_text.split("\n")
    return attrs.evolve(exp, server_text="\n".join(inert(line) for line in lines))


def _inert_rendering(subject: Explanation | Comparison, format: str) -> str:  # noqa: A002
    """The rendering, with every character from the input that could act on a terminal escaped.

    The server's text is escaped line by line before rendering, so that a character
    the rendering would take for a line break (a CR, a form feed) shows as an escape;
    the rendering's own newlines stay newlines.
    """
    if format == "json":
        return inert_json(subject.render("json"))
    from smtpreply._explain import Explanation

    if isinstance(subject, Explanation):
        subject = _without_server_escapes(subject)
    else:
        subject = attrs.evolve(
            subject,
            left=_without_server_escapes(subject.left),
            right=_without_server_escapes(subject.right),
        )
    return inert(subject.render(format), keep_newlines=True)  # type: ignore[arg-type]


def _run_explain(args: argparse.Namespace, out: Output) -> int:
    texts = []
    for code in args.codes:
        try:
            texts.append(_inert_rendering(explain(code, locale=args.lang), args.format))
        except InvalidReply as error:  # noqa: PERF203 - one try per argument is clearest
            raise CommandError(str(error).splitlines()[0], 2) from None
    separator = "\n" if args.format in ("text", "markdown") else ""
    out.write(separator.join(texts))
    return 0


def _run_diff(args: argparse.Namespace, out: Output) -> int:
    try:
        comparison = diff(args.left, args.right, locale=args.lang)
    except InvalidReply as error:
        raise CommandError(str(error).splitlines()[0], 2) from None
    out.write(_inert_rendering(comparison, args.format))
    return 0


def _arguments(argv: Sequence[str] | None) -> list[str]:
    """The arguments, with ``explain`` put first when no command word is given.

    Raises:
        CommandError: An argument is not UTF-8 (outside the file names of
            ``classify``), or the first word is no command and no code.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    for position, argument in enumerate(arguments, 1):
        if re.search("[\ud800-\udfff]", argument) and not (
            arguments[0] == "classify" and not argument.startswith("-")
        ):
            raise CommandError(f"argument {position} is not UTF-8: '{inert(argument)}'", 2)
    if arguments and arguments[0] not in _COMMANDS and not arguments[0].startswith("-"):
        if _COMMAND_WORD.fullmatch(arguments[0]):
            raise CommandError(
                f"unknown command '{arguments[0]}'; the commands are: {', '.join(_COMMANDS)}", 2
            )
        arguments.insert(0, "explain")
    return arguments


def _run(argv: Sequence[str] | None) -> int:
    arguments = _arguments(argv)
    out = Output(sys.stdout)
    parser = _parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit:  # after --help or --version, whose text may wait in a buffer
        out.flush()
        raise
    if args.command is None:
        if sys.stderr is not None:
            parser.print_help(sys.stderr)
        return 2
    if args.command == "classify":
        from smtpreply._cli_classify import run_classify

        status = run_classify(args, out)
    elif args.command in ("codes", "statuses"):
        from smtpreply._cli_catalogue import run_codes, run_statuses

        status = (run_codes if args.command == "codes" else run_statuses)(args, out)
    else:
        status = (_run_explain if args.command == "explain" else _run_diff)(args, out)
    out.flush()
    return status


def _abandon_stdout() -> None:
    """Point standard output at the null device, so the exit's flush cannot fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed, or not a file
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit status: 0 on success; 1 when the output cannot be written;
        2 for bad arguments or unreadable input; 130 after Ctrl-C; 141 when
        the reader of the output went away (``smtpreply codes | head -1``).
    """
    try:
        return _run(argv)
    except (ClosedPipe, BrokenPipeError):
        _abandon_stdout()
        return CLOSED_PIPE_STATUS
    except KeyboardInterrupt:
        return _INTERRUPTED
    except CommandError as error:
        if isinstance(error, OutputError):
            _abandon_stdout()
        say_error(error.message)
        return error.status
    except Exception as error:  # noqa: BLE001 - the command line never shows a traceback
        say_error(f"unexpected {type(error).__name__}: {error}; please report this")
        return 1


if __name__ == "__main__":
    sys.exit(main())
