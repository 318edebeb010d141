"""Classifying in bulk: many texts or log lines at once, as plain rows and columns.

The functions here are for batch jobs and cluster partitions (docs/scale.md has
the Dask and Spark recipes). They share two rules:

- One bad item never fails the call. ``classify_many`` gives ``None`` where
  ``classify`` would raise :class:`InvalidReply`; ``classify_log_lines`` gives a
  row whose ``error`` column says what went wrong. Only a bad argument for the
  whole call (an unknown ``command``) raises.
- Rows have fixed column names in a fixed order (:data:`VERDICT_COLUMNS`,
  :data:`LOG_COLUMNS`) and plain values (str, int, float, bool, a list of str, or
  ``None``), so that pandas, Arrow and Spark read them with one schema.

``classify_many`` remembers the verdicts of the texts it has seen within one call
(at most ``_MEMO`` of them, the least recently seen forgotten first, each at most
``_MEMO_TEXT`` long): real logs repeat the same replies many times, and a repeat
then costs a dictionary look-up. Nothing is kept between calls.
"""

from __future__ import annotations

import bisect
import collections
from typing import TYPE_CHECKING

from smtpreply._classify import classify, classify_found
from smtpreply._errors import InvalidReply
from smtpreply._extract import extract_all
from smtpreply._parse import decode
from smtpreply._public import public
from smtpreply._reading import normal_command

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from smtpreply._extract import ExtractedReply
    from smtpreply._taxonomy import Verdict

__all__ = [
    "LOG_COLUMNS",
    "VERDICT_COLUMNS",
    "classify_log_lines",
    "classify_many",
    "verdict_columns",
    "verdict_rows",
]

#: The columns of :func:`verdict_rows` and :func:`verdict_columns`, in order: the
#: keys of :meth:`Verdict.to_dict`, with ``evidence`` as a list of strings.
VERDICT_COLUMNS: tuple[str, ...] = (
    "reason",
    "retry",
    "hard_bounce",
    "action",
    "delay_seconds",
    "scope",
    "code",
    "status",
    "command",
    "text",
    "evidence",
)
#: The columns of :func:`classify_log_lines`, in order: where the reply stands and
#: whom it concerns, the verdict's columns, and ``error``.
LOG_COLUMNS: tuple[str, ...] = ("source", "line", "recipient", *VERDICT_COLUMNS, "error")

# How many distinct texts one classify_many call remembers, and the longest it
# remembers: replies and log lines repeat, whole bounces seldom do, and so memory
# stays within a few megabytes.
_MEMO = 4096
_MEMO_TEXT = 2048
# Log lines are read in blocks, as the command line reads a file: a block ends at a
# blank line once it passes _SOFT characters (so a bounce's paragraphs stay whole),
# and at any line once it passes _HARD characters (so memory stays flat).
_SOFT = 64 * 1024
_HARD = 1024 * 1024


@public
def classify_many(
    texts: Iterable[str | bytes], *, command: str | None = None
) -> list[Verdict | None]:
    """Classify many texts, each as :func:`classify` would, repeats for the price of one.

    Args:
        texts: Replies, log lines or bounces, as ``str`` or ``bytes`` (anything
            :func:`classify` takes works too).
        command: The SMTP command that every one of the replies answered, when
            it is the same for all; see :func:`classify`.

    Returns:
        One entry per text, in order: the verdict, or ``None`` where
        :func:`classify` raises :class:`InvalidReply` (a text that holds no reply
        and no telling words, or a value that is not text). Call
        :func:`classify` on such a text to see why.

    Raises:
        InvalidReply: ``command`` is not an SMTP command. A bad text never raises.

    >>> verdicts = classify_many(["452 4.2.2 Mailbox full", "hello", "452 4.2.2 Mailbox full"])
    >>> [None if v is None else v.reason.value for v in verdicts]
    ['mailbox_full', None, 'mailbox_full']
    >>> verdicts[0] is verdicts[2]
    True
    """
    normal_command(command)  # a bad command fails the call at once, not each text
    memo: collections.OrderedDict[str | bytes, Verdict | None] = collections.OrderedDict()
    verdicts: list[Verdict | None] = []
    for text in texts:
        if (type(text) is not str and type(text) is not bytes) or len(text) > _MEMO_TEXT:
            verdicts.append(_verdict(text, command))  # not remembered
            continue
        if text in memo:
            memo.move_to_end(text)
            verdict = memo[text]
        else:
            verdict = _verdict(text, command)
            if len(memo) >= _MEMO:
                memo.popitem(last=False)
            memo[text] = verdict
        verdicts.append(verdict)
    return verdicts


def _verdict(text: str | bytes, command: str | None) -> Verdict | None:
    try:
        return classify(text, command=command)
    except InvalidReply:
        return None


@public
def verdict_rows(verdicts: Iterable[Verdict | None]) -> list[dict[str, object]]:
    """Verdicts as rows: one dict per verdict, keyed by :data:`VERDICT_COLUMNS`.

    Each row is :meth:`Verdict.to_dict` with the evidence as a list of strings
    (``"source: detail"``, and the documentation's address in angle brackets
    when there is one). ``None`` (a text :func:`classify_many` could not
    classify) gives a row of ``None``.

    >>> row = verdict_rows([classify("550 5.1.1 <bob@example.org>: User unknown")])[0]
    >>> row["reason"], row["hard_bounce"], row["code"], row["status"]
    ('user_unknown', True, 550, '5.1.1')
    >>> row["evidence"]
    ["text: the text says 'user unknown'", 'status: 5.1.1 Bad destination mailbox address']
    >>> set(verdict_rows([None])[0].values())
    {None}
    """
    return [_row(verdict) for verdict in verdicts]


@public
def verdict_columns(verdicts: Iterable[Verdict | None]) -> dict[str, list[object]]:
    """Verdicts as columns: :data:`VERDICT_COLUMNS`, each a list with one value per verdict.

    The values are those of :func:`verdict_rows`; the columns are all there, in
    order, even for no verdicts, so that ``pyarrow.table(...)`` or
    ``pandas.DataFrame(...)`` always sees the same names.

    >>> columns = verdict_columns(classify_many(["452 4.2.2 Mailbox full", "250 OK"]))
    >>> columns["reason"], columns["retry"], columns["delay_seconds"]
    (['mailbox_full', 'delivered'], [True, False], [3600.0, None])
    >>> list(columns) == list(VERDICT_COLUMNS)
    True
    """
    columns: dict[str, list[object]] = {name: [] for name in VERDICT_COLUMNS}
    for verdict in verdicts:
        for name, value in _row(verdict).items():
            columns[name].append(value)
    return columns


def _row(verdict: Verdict | None) -> dict[str, object]:
    if verdict is None:
        return dict.fromkeys(VERDICT_COLUMNS)
    plain = verdict.to_dict()
    row = {name: plain[name] for name in VERDICT_COLUMNS}
    row["evidence"] = [
        f"{item.source}: {item.detail}" + ("" if item.url is None else f" <{item.url}>")
        for item in verdict.evidence
    ]
    return row


@public
def classify_log_lines(
    lines: Iterable[str | bytes | None], *, source: str | None = None
) -> Iterator[dict[str, object]]:
    """Classify every reply in the lines of a log: one row per reply found.

    The lines are read together, as ``smtpreply classify FILE`` reads a file, so
    that a reply the log writes below its context (Exim's ``SMTP error ...``
    line, a Sendmail transcript, a folded DSN field) is found with it: give the
    lines of one log, in order.

    Args:
        lines: The log's lines, ``str`` or ``bytes`` (decoded as UTF-8, else
            Latin-1), with or without their line ends. One item counts as one
            line even when it holds line breaks.
        source: A name for the log (its path, say), copied into every row.

    Yields:
        One row per reply found, in order, keyed by :data:`LOG_COLUMNS`:
        ``source``; ``line``, the number of the item (from 1) where the reply
        starts; ``recipient``, when the log names it; the verdict's columns (see
        :func:`verdict_rows`); and ``error``, ``None`` unless the item could not be
        read. An item that is not text (``None``, a float NaN from a table) gives
        a row whose ``error`` says so, with ``None`` in the verdict's columns; the
        lines after it are read as usual. Lines that hold no reply give no row.

    >>> log = [
    ...     "Jun  1 10:00:00 mx postfix/smtp[42]: 3F2A1: to=<bob@example.org>, status=bounced "
    ...     "(host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown "
    ...     "(in reply to RCPT TO command))",
    ...     "Jun  1 10:00:01 mx postfix/qmgr[40]: 3F2A1: removed",
    ...     None,
    ... ]
    >>> first, second = classify_log_lines(log, source="mail.log")
    >>> first["line"], first["recipient"], first["reason"], first["command"], first["error"]
    (1, 'bob@example.org', 'user_unknown', 'RCPT', None)
    >>> second["line"], second["reason"], second["error"]
    (3, None, 'expected a log line as str or bytes, not NoneType')
    """
    block: list[str] = []
    first = 1  # the number of the block's first line
    size = 0
    for number, line in enumerate(lines, start=1):
        if not block:
            first = number
        if not isinstance(line, (str, bytes, bytearray)):
            yield from _block_rows(block, first, source)
            yield _error_row(
                source,
                number,
                None,
                f"expected a log line as str or bytes, not {type(line).__name__}",
            )
            block, size = [], 0
            continue
        text = line if isinstance(line, str) else decode(line)
        if text.endswith("\n"):
            text = text[:-1]
        block.append(text)
        size += len(text) + 1
        if (size >= _SOFT and not text.strip()) or size >= _HARD:
            yield from _block_rows(block, first, source)
            block, size = [], 0
    yield from _block_rows(block, first, source)


def _block_rows(block: list[str], first: int, source: str | None) -> Iterator[dict[str, object]]:
    """The rows of the replies in ``block``, whose first line is number ``first``."""
    if not block:
        return
    text = "\n".join(block)
    starts = []
    offset = 0
    for line in block:
        starts.append(offset)
        offset += len(line) + 1
    for found in extract_all(text):
        number = first + bisect.bisect_right(starts, found.span[0]) - 1
        try:
            verdict = classify_found(found, text)
        except InvalidReply as error:  # an unknown command word in a log
            yield _error_row(source, number, found, str(error))
            continue
        row: dict[str, object] = {
            "source": source,
            "line": number,
            "recipient": found.recipient,
            **_row(verdict),
            "error": None,
        }
        # As the command line does: the found reply's code and text, when the
        # verdict has none (a status alone, quoted without a code).
        if row["code"] is None and found.code is not None:
            row["code"] = int(found.code)
        if row["text"] is None:
            row["text"] = found.text
        yield row


def _error_row(
    source: str | None, number: int, found: ExtractedReply | None, error: str
) -> dict[str, object]:
    row: dict[str, object] = {"source": source, "line": number, "recipient": None}
    row.update(_row(None))
    if found is not None:
        row["recipient"] = found.recipient
        row["code"] = found.code if found.code is None else int(found.code)
        row["status"] = None if found.enhanced is None else str(found.enhanced)
        row["text"] = found.text
    row["error"] = error
    return row
