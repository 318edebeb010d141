"""The command line: ``smtpreply explain 530``, ``smtpreply diff 252 530``, and more.

``python -m smtpreply 530`` (no command word) explains, as ``explain`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from smtpreply._compare import diff
from smtpreply._errors import InvalidReply
from smtpreply._explain import explain
from smtpreply._language import LOCALES
from smtpreply._render import FORMATS

if TYPE_CHECKING:
    from collections.abc import Sequence

_COMMANDS = ("explain", "diff", "codes", "classify")

_EXAMPLES = """\
examples:
  smtpreply explain 530                       explain a basic reply code
  smtpreply explain 5.7.26                    explain an enhanced status code
  smtpreply explain "550 5.1.1 User unknown"  explain a whole reply
  smtpreply diff 252 530 --lang fr            compare two codes, French headings
  smtpreply codes --class 4                   list the 4yz codes
  smtpreply classify /var/log/mail.log        one verdict per reply found
  smtpreply 530                               the same as "smtpreply explain 530"
"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smtpreply",
        description="Explain, compare and classify SMTP replies.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    formats = {"choices": FORMATS, "default": "text", "help": "output format (default: text)"}
    locales = {"choices": LOCALES, "default": "en", "help": "language of the headings"}

    explain_parser = commands.add_parser(
        "explain",
        help="explain reply codes, statuses or whole replies",
        description="Explain reply codes, enhanced status codes or whole replies.",
        epilog=(
            'examples:\n  smtpreply explain 530 5.7.26\n  smtpreply explain "421 4.7.0 Try later"'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    explain_parser.add_argument("codes", nargs="+", metavar="CODE")
    explain_parser.add_argument("--format", **formats)  # type: ignore[arg-type]
    explain_parser.add_argument("--lang", **locales)  # type: ignore[arg-type]

    diff_parser = commands.add_parser(
        "diff",
        help="the key differences between two codes",
        description="List the key differences between two codes, statuses or replies.",
        epilog=(
            "examples:\n  smtpreply diff 252 530\n  smtpreply diff 5.1.1 5.7.1 --format markdown"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff_parser.add_argument("left", metavar="CODE")
    diff_parser.add_argument("right", metavar="CODE")
    diff_parser.add_argument("--format", **formats)  # type: ignore[arg-type]
    diff_parser.add_argument("--lang", **locales)  # type: ignore[arg-type]

    codes_parser = commands.add_parser(
        "codes",
        help="the catalogue of reply codes as a table",
        description="List the reply codes smtpreply knows.",
        epilog="examples:\n  smtpreply codes\n  smtpreply codes --class 5 --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    codes_parser.add_argument("--class", dest="reply_class", type=int, choices=(2, 3, 4, 5))
    codes_parser.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format"
    )

    from smtpreply._cli_classify import add_classify_parser

    add_classify_parser(commands)
    return parser


def _fail(message: str) -> int:
    print(f"smtpreply: error: {message}", file=sys.stderr)
    return 2


def _run_explain(args: argparse.Namespace) -> int:
    texts = []
    for code in args.codes:
        try:
            texts.append(explain(code, locale=args.lang).render(args.format))
        except InvalidReply as error:  # noqa: PERF203 - one try per argument is clearest
            return _fail(str(error).splitlines()[0])
    separator = "\n" if args.format in ("text", "markdown") else ""
    sys.stdout.write(separator.join(texts))
    return 0


def _run_diff(args: argparse.Namespace) -> int:
    try:
        sys.stdout.write(diff(args.left, args.right, locale=args.lang).render(args.format))
    except InvalidReply as error:
        return _fail(str(error).splitlines()[0])
    return 0


def _run_codes(args: argparse.Namespace) -> int:
    from smtpreply._codes import ReplyCode

    codes = [code for code in ReplyCode if args.reply_class in (None, code.value // 100)]
    if args.format == "json":
        rows = [
            {
                "code": code.value,
                "name": code.name,
                "title": code.title,
                "class": code.reply_class.title,
                "rfcs": list(code.rfcs),
            }
            for code in codes
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if args.format == "markdown":
        lines = ["| code | title | class | RFCs |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {code.value} | {code.title} | {code.reply_class.title} | "
            f"{', '.join(code.rfcs) or 'industry usage'} |"
            for code in codes
        ]
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    from smtpreply._cli_classify import use_colour

    bold = use_colour(sys.stdout)
    width = max(len(code.title) for code in codes)
    for code in codes:
        number = f"\033[1m{code.value}\033[0m" if bold else str(code.value)
        rfcs = ", ".join(code.rfcs) or "industry usage"
        sys.stdout.write(f"{number}  {code.title:<{width}}  {rfcs}\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit status: 0 on success, 2 for bad arguments or input.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] not in _COMMANDS and not arguments[0].startswith("-"):
        arguments.insert(0, "explain")
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    runner = {
        "explain": _run_explain,
        "diff": _run_diff,
        "codes": _run_codes,
    }.get(args.command)
    if runner is not None:
        return runner(args)
    from smtpreply._cli_classify import run_classify

    return run_classify(args)


if __name__ == "__main__":
    sys.exit(main())
