"""The command line: ``python -m smtpreply 530`` or ``python -m smtpreply 5.7.26``."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING

from smtpreply._codes import Category, ReplyClass, ReplyCode
from smtpreply._errors import InvalidReply
from smtpreply._status import EnhancedStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

_EXAMPLES = """\
examples:
  smtpreply 530          explain a basic reply code
  smtpreply 5.7.26       explain an enhanced status code
  smtpreply 550 5.1.1    explain several at once
"""


def _paragraph(heading: str, text: str) -> list[str]:
    wrapped = textwrap.wrap(text, width=78, initial_indent="  ", subsequent_indent="  ")
    return ["", heading, *wrapped]


def explain_code(code: ReplyCode) -> str:
    """Describe a reply code as plain text for a terminal.

    Args:
        code: The code.

    Returns:
        The text, without a trailing newline.
    """
    reply_class = code.reply_class
    category = code.category
    lines = [
        f"{code.value} {code.title}",
        (
            f"Class: {reply_class.value}yz {reply_class.title}. "
            f"Category: x{category.value}z {category.title}."
        ),
        "Defined in: " + (", ".join(code.rfcs) if code.rfcs else "no RFC (industry usage)") + ".",
        *_paragraph("Description", code.description),
        *_paragraph("When you see it", code.when),
        *_paragraph("How to fix", code.fix),
    ]
    statuses = code.typical_statuses
    if statuses:
        lines += ["", "Usually sent with"]
        lines.extend(f"  {status} {status.title}" for status in statuses)
    return "\n".join(lines)


def explain_status(status: EnhancedStatus) -> str:
    """Describe an enhanced status code as plain text for a terminal.

    Args:
        status: The status.

    Returns:
        The text, without a trailing newline.
    """
    registered = "" if status.is_registered else " (not in the IANA registry)"
    lines = [
        f"{status} {status.title}{registered}",
        (
            f"Class: {status.class_} {status.class_title}. "
            f"Subject: {status.subject} {status.subject_title}."
        ),
        "Defined in: " + ", ".join(status.rfcs) + ".",
        *_paragraph("Description", status.description),
        *_paragraph("When you see it", status.when),
        *_paragraph("How to fix", status.fix),
    ]
    if status.basic_codes:
        lines += ["", "Sent with the basic codes"]
        for number in status.basic_codes:
            member = ReplyCode.get(number)
            lines.append(f"  {number} {member.title}" if member else f"  {number}")
    return "\n".join(lines)


def explain(text: str) -> str:
    """Describe a basic reply code (``"530"``) or an enhanced status (``"5.7.0"``).

    Args:
        text: What the user typed.

    Returns:
        The description.

    Raises:
        InvalidReply: ``text`` is neither.
    """
    text = text.strip()
    if "." in text:
        return explain_status(EnhancedStatus.parse(text))
    if len(text) != 3 or not text.isdigit() or not text.isascii():
        raise InvalidReply("expected a 3-digit reply code or an enhanced status", text, 0)
    number = int(text)
    member = ReplyCode.get(number)
    if member is not None:
        return explain_code(member)
    reply_class = ReplyClass.of(number)
    category = Category.of(number)
    if reply_class is None:
        raise InvalidReply(f"{number} is not a reply code: its first digit names no class")
    lines = [
        f"{number} is not a code that any standard defines.",
        f"Class: {reply_class.value}yz {reply_class.title}.",
        *_paragraph("Description", reply_class.description),
    ]
    if category is not None:
        lines.insert(2, f"Category: x{category.value}z {category.title}.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit status: 0 on success, 2 for bad input.
    """
    parser = argparse.ArgumentParser(
        prog="smtpreply",
        description="Explain SMTP reply codes and enhanced status codes.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("codes", nargs="+", metavar="CODE", help="a reply code or a status")
    args = parser.parse_args(argv)
    texts = []
    for code in args.codes:
        try:
            texts.append(explain(code))
        except InvalidReply as error:  # noqa: PERF203 - one try per argument is clearest
            reason = str(error).splitlines()[0]
            print(f"smtpreply: error: {reason}", file=sys.stderr)
            return 2
    print("\n\n".join(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
