"""``smtpreply codes`` and ``smtpreply statuses``: the catalogues, as tables."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from smtpreply._cli_output import use_colour

if TYPE_CHECKING:
    import argparse

    from smtpreply._cli_output import Output

__all__ = ["add_catalogue_parsers", "run_codes", "run_statuses"]

_TABLE_FORMATS = ("text", "markdown", "json")


def add_catalogue_parsers(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """Add the ``codes`` and ``statuses`` commands to the command line's subparsers."""
    codes = commands.add_parser(
        "codes",
        help="the catalogue of reply codes as a table",
        description="List the reply codes smtpreply knows.",
        epilog="examples:\n  smtpreply codes\n  smtpreply codes --class 5 --format json\n",
        formatter_class=formatter,
    )
    codes.add_argument(
        "--class",
        dest="reply_class",
        type=int,
        choices=(2, 3, 4, 5),
        help="only the codes of this class: 2, 3, 4 or 5 (the first digit)",
    )
    codes.add_argument(
        "--format", choices=_TABLE_FORMATS, default="text", help="output format (default: text)"
    )
    statuses = commands.add_parser(
        "statuses",
        help="the registry of enhanced status codes as a table",
        description=(
            "List the enhanced status codes of the IANA registry, as X.subject.detail: "
            "the class X is 2 (success), 4 (transient failure) or 5 (permanent failure)."
        ),
        epilog="examples:\n  smtpreply statuses\n  smtpreply statuses --subject 7 --format json\n",
        formatter_class=formatter,
    )
    statuses.add_argument(
        "--subject",
        type=int,
        choices=range(8),
        metavar="{0-7}",
        help="only the statuses of this subject (the middle number), 0 to 7",
    )
    statuses.add_argument(
        "--format", choices=_TABLE_FORMATS, default="text", help="output format (default: text)"
    )


def run_codes(args: argparse.Namespace, out: Output) -> int:
    """Run ``smtpreply codes``; return the exit status."""
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
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if args.format == "markdown":
        lines = ["| code | title | class | RFCs |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {code.value} | {code.title} | {code.reply_class.title} | "
            f"{', '.join(code.rfcs) or 'industry usage'} |"
            for code in codes
        ]
        out.write("\n".join(lines) + "\n")
        return 0
    bold = use_colour(out.stream)
    width = max(len(code.title) for code in codes)
    for code in codes:
        number = f"\033[1m{code.value}\033[0m" if bold else str(code.value)
        rfcs = ", ".join(code.rfcs) or "industry usage"
        out.write(f"{number}  {code.title:<{width}}  {rfcs}\n")
    return 0


def run_statuses(args: argparse.Namespace, out: Output) -> int:
    """Run ``smtpreply statuses``; return the exit status."""
    from smtpreply._status import registry

    entries = [entry for entry in registry() if args.subject in (None, entry.subject)]
    if args.format == "json":
        rows = [
            {
                "status": f"X.{entry.subject}.{entry.detail}",
                "subject": entry.subject,
                "detail": entry.detail,
                "title": entry.title,
                "basic_codes": list(entry.basic_codes),
                "rfcs": list(entry.rfcs),
                "deprecated": entry.deprecated,
            }
            for entry in entries
        ]
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if args.format == "markdown":
        lines = ["| status | title | basic codes | RFCs |", "| --- | --- | --- | --- |"]
        lines += [
            f"| X.{entry.subject}.{entry.detail} | {_title(entry.title, entry.deprecated)} | "
            f"{', '.join(map(str, entry.basic_codes)) or 'any'} | {', '.join(entry.rfcs)} |"
            for entry in entries
        ]
        out.write("\n".join(lines) + "\n")
        return 0
    bold = use_colour(out.stream)
    for entry in entries:
        status = f"X.{entry.subject}.{entry.detail}"
        label = f"\033[1m{status:<7}\033[0m" if bold else f"{status:<7}"
        title = _title(entry.title, entry.deprecated)
        out.write(f"{label}  {title} ({', '.join(entry.rfcs)})\n")
    return 0


def _title(title: str, deprecated: bool) -> str:
    return f"{title} (deprecated)" if deprecated else title
