"""The command line: ``python -m smtpreply 530`` or ``python -m smtpreply 5.7.26``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from smtpreply._errors import InvalidReply
from smtpreply._explain import explain

if TYPE_CHECKING:
    from collections.abc import Sequence

_EXAMPLES = """\
examples:
  smtpreply 530                          explain a basic reply code
  smtpreply 5.7.26                       explain an enhanced status code
  smtpreply "550 5.1.1 User unknown"     explain a whole reply
  smtpreply 550 5.1.1                    explain several at once
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; ``sys.argv[1:]`` by default.

    Returns:
        The exit status: 0 on success, 2 for bad input.
    """
    parser = argparse.ArgumentParser(
        prog="smtpreply",
        description="Explain SMTP reply codes, enhanced status codes and replies.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "codes", nargs="+", metavar="CODE", help="a reply code, a status, or a whole reply"
    )
    args = parser.parse_args(argv)
    texts = []
    for code in args.codes:
        try:
            texts.append(explain(code).render())
        except InvalidReply as error:  # noqa: PERF203 - one try per argument is clearest
            reason = str(error).splitlines()[0]
            print(f"smtpreply: error: {reason}", file=sys.stderr)
            return 2
    print("\n".join(texts), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
