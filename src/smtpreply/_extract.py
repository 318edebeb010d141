"""``extract``: find the server's reply inside a log line, a bounce or a DSN.

Mail systems quote the replies they got in their own wording. What this module
recognises, and how (each a fact about a mail system's output format):

- DSN fields (RFC 3464): ``Diagnostic-Code: smtp; 550 5.1.1 ...``, folded lines
  included, and ``Final-Recipient`` for the recipient.
- Postfix: ``host mx[ip] said: 550 ... (in reply to RCPT TO command)``, and
  ``refused to talk to me: 554 ...`` for a refused greeting.
- Exim: ``SMTP error from remote mail server after RCPT TO:<bob@x>: 550 ...``,
  with the reply on the same line or the next.
- Sendmail: session transcripts (``>>> RCPT To:<bob@x>`` then ``<<< 550 ...``),
  and log fields such as ``reject=550 ...`` and ``stat=Deferred: 450 ...``.
- Exchange: ``Remote Server returned '550 5.1.1 ...'`` and ``#550 5.1.1 ... ##``.
- Multi-line replies that a log flattened onto one line
  (``550-5.7.26 first 550-5.7.26 second 550 5.7.26 last``).
- A status on its own: qmail's ``(#5.1.1)``, Sendmail's ``dsn=5.1.1``, or an
  enhanced status standing in the middle of the text.
- Python's smtplib: a reply as its exceptions print it in a log or a traceback,
  ``SMTPDataError: (554, b'5.7.1 ...')`` (see ``_printed``), with the command the
  exception's name stands for and, in a refused dict, the recipient.

Scanning is linear: two regular expressions without nested or unbounded
repetition (so no backtracking blow-up) find candidates, and each candidate is
checked by looking at a bounded amount of text around it. Each expression begins
with a character class, not a look-behind, so that the regular expression engine
skips at C speed over text without the digits a candidate starts with. The look
back for a reply's recipient reaches the start of its line, however many replies
the line holds: its search goes on from where the previous reply's stopped.
"""

from __future__ import annotations

import bisect
import re

import attrs

from smtpreply._errors import InvalidReply
from smtpreply._grammar import MAX_LINE_LENGTH, STATUS_PATTERN, command_verb
from smtpreply._parse import line_status, parse, reply_from
from smtpreply._printed import printed_replies
from smtpreply._public import public
from smtpreply._reply import Reply
from smtpreply._status import EnhancedStatus

__all__ = ["ExtractedReply", "extract", "extract_all"]

# A reply code: three digits, the first 2 to 5, not inside a longer number, a
# word, a dotted quad or a path, and followed by a space, "-", or the line end.
# The first digit comes before the look-behind that checks the character in front
# of it, so that the search skips ahead to a digit 2 to 5.
_CODE = re.compile(r"[2-5](?<![\w.\-/:%@][2-5])[0-9]{2}(?=[ \-]|\r?$|\r?\n)", re.MULTILINE)
# An enhanced status on its own, not inside a version number or an address: the
# grammar's STATUS_PATTERN, with the look-behind put after its class digit for the
# same reason. The groups are the class, the subject and the detail.
_CLASS, _DOT, _NUMBERS = STATUS_PATTERN.partition(r"\.")
_STATUS = re.compile(rf"{_CLASS}(?<![\w.\-/]{_CLASS[1:-1]}){_DOT}{_NUMBERS}(?![\w.\-/])")
# What may stand right before a quoted reply (after spaces are skipped).
_LEADS = (":", ";", "<<", "'", "#", "=", '"', "(", "[")
# Words that may stand right before a reply code, in any case: "SMTP code 421",
# "ResponseCode 421", "Remote error 550-'5.2.2 ...'".
_LEAD_WORDS = ("code", "error", "response", "reply")
# Quotes that may open the text right after a code's separator: "550-'5.2.2 ...'".
_QUOTES = ("'", '"')
# The wording of qmail-style wrappers (as Sisimai's examples show them), and the
# command each names.
_STAGE_WORDS = (
    ("but sender was rejected", "MAIL"),
    ("but my name was rejected", "EHLO"),
    ("but greeting failed", "CONNECT"),
    ("initial connection", "CONNECT"),
    ("talk to me:", "CONNECT"),
    ("does not like recipient", "RCPT"),
    ("failed on data command", "DATA"),
    ("failed after i sent the message", "DATA"),
)
# How far back from a code or status the scanner looks for the words that lead to
# it and for the command; the recipient is looked for back to the line's start.
_LOOKBACK = 200
# The fields that name a reply's recipient before it on its line, in any case:
# "RCPT TO:<bob@x>" (Exim) before "to=<bob@x>" (Postfix, Sendmail).
_TO_COLON = re.compile("to:", re.IGNORECASE)
_TO_FIELD = re.compile("to=", re.IGNORECASE)
# The most text read after such a field for the address: a path is at most 256
# octets (RFC 5321, section 4.5.3.1.3).
_ADDRESS = 256
# The most lines a quoted multi-line reply may span.
_MAX_LINES = 100
# The most text one quoted reply may span; a longer quote is cut there. Every
# search the scanner makes around a candidate stays within such bounds, which
# keeps the whole scan linear in the text.
_SPAN = MAX_LINE_LENGTH


@public
@attrs.frozen
class ExtractedReply:
    """A reply found inside other text, without the wrapper around it.

    >>> found = extract("host mx.example.org[192.0.2.1] said: 550 5.1.1 <bob@example.org>"
    ...                 "... User unknown (in reply to RCPT TO command)")
    >>> found.code, found.enhanced, found.command
    (<ReplyCode.MAILBOX_UNAVAILABLE: 550>, EnhancedStatus(class_=5, subject=1, detail=1), 'RCPT')
    >>> found.text
    '<bob@example.org>... User unknown'

    Attributes:
        reply: The reply, when the text quotes a reply code; ``None`` when it
            holds only an enhanced status (as qmail's ``(#5.1.1)``).
        enhanced: The enhanced status: the reply's, or the one found alone.
        command: The SMTP command the text says the reply answered, as its verb
            (``"RCPT"``, ``"MAIL"``, ``"DATA"``, ``"EHLO"``...; ``"CONNECT"`` for
            the greeting), or ``None`` when the text does not say.
        recipient: The recipient address the text names for this reply, or ``None``.
        span: Where the reply (or status) stands in the text: ``text[start:end]``.
    """

    reply: Reply | None
    enhanced: EnhancedStatus | None
    command: str | None = None
    recipient: str | None = None
    span: tuple[int, int] = (0, 0)

    @property
    def code(self) -> int | None:
        """The reply code, or ``None`` when only a status was found."""
        return None if self.reply is None else self.reply.code

    @property
    def text(self) -> str:
        """The reply's human text without code and status; ``""`` for a status alone."""
        return "" if self.reply is None else self.reply.text


@public
def extract(text: str | bytes) -> ExtractedReply | None:
    """Find the first server reply quoted in ``text``.

    Args:
        text: A log line, a bounce message, a DSN, or a plain reply; ``bytes``
            are decoded as UTF-8 or else Latin-1.

    Returns:
        The first reply found (one with a reply code is preferred to a status
        standing alone), or ``None`` when the text holds none. Never raises for
        any ``str`` or ``bytes``.

    >>> extract("Diagnostic-Code: smtp; 452 4.2.2 Mailbox full").enhanced
    EnhancedStatus(class_=4, subject=2, detail=2)
    >>> extract("Sorry, no mailbox here by that name. (#5.1.1)").code is None
    True
    >>> extract("nothing to see here") is None
    True
    """
    found = _scan(_text(text), first=True)
    return found[0] if found else None


@public
def extract_all(text: str | bytes) -> list[ExtractedReply]:
    """Find every server reply quoted in ``text``, in order.

    Args:
        text: A log, a bounce message with several recipients, or any text.

    Returns:
        The replies found, in the order they stand in the text. A status
        standing alone is listed only on a line that quotes no reply code.
    """
    return _scan(_text(text), first=False)


def _text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        from smtpreply._parse import decode

        return decode(text)
    raise InvalidReply(f"expected text as str or bytes, not {type(text).__name__}")


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    """The line around ``position``; a very long line is cut to a window before it."""
    low = max(0, position - _LOOKBACK * 10)
    newline = text.rfind("\n", low, position)
    return (newline + 1 if newline >= 0 else low), _end_of_line(text, position)


def _end_of_line(text: str, position: int) -> int:
    """The next line end after ``position``, or where the search bound stops."""
    limit = min(len(text), position + _SPAN)
    end = text.find("\n", position, limit)
    return limit if end < 0 else end


def _scan(text: str, *, first: bool) -> list[ExtractedReply]:
    results: list[ExtractedReply] = []
    printed = _printed(text) if "(" in text else []
    consumed = 0
    recipients = _Recipients(text, (_TO_COLON, _TO_FIELD))
    for match in _CODE.finditer(text):
        start = match.start()
        if start < consumed:
            continue
        found, reach = _reply_at(text, start, recipients)
        if found is None:
            # A candidate that read lines and still failed consumes them: a later
            # candidate among them would read the same lines and fail the same way.
            consumed = reach
            continue
        results.append(found)
        consumed = found.span[1]
        if first and not printed:
            return results
    if printed:
        results = _with_printed(results, printed)
        if first and results:
            return results[:1]
    # A printed reply is a record of its own: a status elsewhere does not restate it.
    printed_spans = {item.span for item in printed}
    lines_with_code = {_line_bounds(text, found.span[0])[0] for found in results}
    starts = [found.span[0] for found in results]
    recipients = _Recipients(text, (_TO_FIELD,))
    alone = []
    for match in _STATUS.finditer(text):
        line_start = _line_bounds(text, match.start())[0]
        if line_start in lines_with_code:
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        if index >= 0 and match.start() < results[index].span[1]:
            continue
        if _restates(text, match, results, index, printed_spans):
            continue
        found = _status_alone(text, match, line_start, recipients)
        if found is not None:
            alone.append(found)
            if first:
                return alone
    if not alone:
        return results
    return sorted([*results, *alone], key=lambda found: found.span)


def _printed(text: str) -> list[ExtractedReply]:
    """The replies that ``text`` quotes as smtplib prints them."""
    found = []
    for item in printed_replies(text):
        try:
            reply = reply_from(item.code, item.words)
        except InvalidReply:  # words no reply can hold
            continue
        if reply is not None:
            found.append(
                ExtractedReply(
                    reply=reply,
                    enhanced=reply.enhanced,
                    command=item.command,
                    recipient=item.recipient,
                    span=(item.start, item.end),
                )
            )
    return found


def _with_printed(
    results: list[ExtractedReply], printed: list[ExtractedReply]
) -> list[ExtractedReply]:
    """Both lists in the text's order; a reply inside a printed one is part of it."""
    starts = [item.span[0] for item in printed]
    kept = []
    for item in results:
        index = bisect.bisect_right(starts, item.span[0]) - 1
        if index < 0 or item.span[0] >= printed[index].span[1]:
            kept.append(item)
    return sorted([*kept, *printed], key=lambda item: item.span)


def _restates(
    text: str,
    match: re.Match[str],
    results: list[ExtractedReply],
    index: int,
    printed: set[tuple[int, int]],
) -> bool:
    """True when a reply next to the status, in the same paragraph, has that status.

    A DSN says ``Status: 5.1.1`` beside ``Diagnostic-Code: smtp; 550 5.1.1 ...``:
    one failure, not two. A reply as smtplib prints it (``printed``, by span)
    stands for itself and restates nothing.
    """
    position = match.start()
    low = text.rfind("\n\n", max(0, position - _LOOKBACK * 10), position)
    high = text.find("\n\n", position, position + _LOOKBACK * 10)
    low = max(0, position - _LOOKBACK * 10) if low < 0 else low
    high = min(len(text), position + _LOOKBACK * 10) if high < 0 else high
    status = match.group(0)
    for neighbour in results[max(0, index) : index + 2]:
        if neighbour.span in printed:
            continue
        if low <= neighbour.span[0] < high and str(neighbour.enhanced) == status:
            return True
    return False


def _lead(text: str, line_start: int, position: int) -> str:
    """The text on the same line before ``position``, right-stripped, at most _LOOKBACK long."""
    return text[max(line_start, position - _LOOKBACK) : position].rstrip()


def _reply_at(text: str, start: int, recipients: _Recipients) -> tuple[ExtractedReply | None, int]:
    """Check the code candidate at ``start``; read the whole quoted reply if it is one.

    Returns the reply (or ``None``) and how far the reading went.
    """
    line_start, line_end = _line_bounds(text, start)
    before = _lead(text, line_start, start)
    code = text[start : start + 3]
    quote = text[start + 4 : start + 5]
    quoted = quote in _QUOTES
    head = start + 4 + quoted
    has_status = line_status(int(code), text[head : min(line_end, head + 16)])[0] is not None
    if (
        before
        and not before.endswith(_LEADS)
        and not before.lower().endswith(_LEAD_WORDS)
        and not has_status
    ):
        return None, start
    end = _reply_end(text, start, line_end, before)
    if quoted:
        closing = text.find(quote, head, end)
        end = closing if closing >= 0 else end
    position = end
    body = text[start:end] if not quoted else text[start : start + 4] + text[head:end]
    # Flattened continuation lines: "550-... 550-... 550 ..." on one line.
    lines = _unflatten(body.rstrip().replace("\r", " "), code)
    # The wrapper's words after the reply ("(in reply to RCPT TO command)") start
    # where the reply ends on this line, unless the reply goes on below.
    wrapper = end
    # Continuation lines on the following lines, with the same prefix.
    if lines[-1][3:4] == "-":
        read = len(lines)
        lines, position = _next_lines(text, lines, code, line_end)
        if len(lines) > read:
            wrapper = position
    if lines[-1][3:4] == "-":
        lines[-1] = code + " " + lines[-1][4:]
    try:
        reply = parse("\n".join(lines))
    except InvalidReply:
        return None, start if position == end else position
    command, recipient = _context(
        text, before, recipients, line_start=line_start, start=start, end=wrapper
    )
    found = ExtractedReply(
        reply=reply,
        enhanced=reply.enhanced,
        command=command,
        recipient=recipient,
        span=(start, position),
    )
    return found, position


def _reply_end(text: str, start: int, line_end: int, before: str) -> int:
    """Where the quoted reply on this line ends, its MTA's wrapper left out."""
    end = line_end
    postfix = text.find(" (in reply to ", start, end)
    if postfix >= 0:
        return postfix
    if before.endswith("'"):
        quote = text.rfind("'", start, end)
        if quote > start:
            return quote
    if before.endswith("#"):
        marks = text.find(" ##", start, end)
        if marks >= 0:
            return marks
    if before.endswith(";") and before.lower().startswith("diagnostic-code"):
        # A folded DSN field goes on while the next lines start with white space.
        limit = start + _SPAN
        while end < min(len(text) - 1, limit) and text[end + 1 : end + 2] in (" ", "\t"):
            end = _end_of_line(text, end + 1)
        end = min(end, limit)
    return end


def _unflatten(line: str, code: str) -> list[str]:
    """Split ``550-a 550-b 550 c`` (one line) into its reply lines."""
    if line[3:4] != "-":
        # A folded field: join its lines with one space.
        return [" ".join(part.strip() for part in line.split("\n"))]
    line = " ".join(line.split())
    final = line.find(f" {code} ", 4)
    if final < 0 and line.endswith(f" {code}"):
        final = len(line) - 4
    limit = len(line) if final < 0 else final
    lines: list[str] = []
    start = 0
    while len(lines) < _MAX_LINES:
        nxt = line.find(f" {code}-", start + 4, limit)
        if nxt < 0:
            break
        lines.append(line[start:nxt])
        start = nxt + 1
    lines.append(line[start:limit])
    if final >= 0:
        lines.append(line[final + 1 :])
    return lines


def _next_lines(text: str, lines: list[str], code: str, line_end: int) -> tuple[list[str], int]:
    """Read continuation lines that follow on the next lines of ``text``."""
    position = line_end
    while lines[-1][3:4] == "-" and len(lines) < _MAX_LINES and position < len(text):
        start = position + 1
        end = _end_of_line(text, start)
        row = text[start:end].strip().replace("\r", " ")
        if row.startswith("<<<"):
            row = row[3:].lstrip()
        if not row.startswith(code) or row[3:4] not in ("-", " ", ""):
            break
        lines.append(row)
        position = end
    return lines, position


def _context(
    text: str, before: str, recipients: _Recipients, *, line_start: int, start: int, end: int
) -> tuple[str | None, str | None]:
    """The command and recipient that the words around a reply name.

    The reply starts at ``start`` on the line that starts at ``line_start``; the
    words after it start at ``end``.
    """
    command = _wrapper_command(text[end : end + 80], before)
    recipient = None
    if command is None and before.startswith("<<<"):
        command, recipient = _transcript_command(text, line_start)
    if command is None and not before:
        command, recipient = _exim_line_above(text, line_start)
    if recipient is None and before:
        recipient = recipients.before(start)
    if recipient is None:
        recipient = _final_recipient(text, line_start)
    return command, recipient


def _wrapper_command(after: str, before: str) -> str | None:
    """The command the words around a reply name: "(in reply to ...)", "after ...", qmail's."""
    lowered = before.lower()
    if after.startswith(" (in reply to "):
        command = command_verb(after[len(" (in reply to ") :])
    elif "after " in lowered:
        command = command_verb(before[lowered.rfind("after ") + len("after ") :])
    else:
        command = None
    if command is None:
        command = next((verb for words, verb in _STAGE_WORDS if words in lowered), None)
    return command


def _exim_line_above(text: str, line_start: int) -> tuple[str | None, str | None]:
    """Exim puts the reply on the line after "SMTP error from ... after RCPT TO:<x>:"."""
    previous = text.rfind("\n", max(0, line_start - _LOOKBACK), max(0, line_start - 1))
    above = text[previous + 1 : max(0, line_start - 1)].strip()
    lowered = above.lower()
    if "after " not in lowered or not above.endswith(":"):
        return None, None
    clause = above[lowered.rfind("after ") + len("after ") :]
    return command_verb(clause), _address_after(clause, "to:")


def _transcript_command(text: str, line_start: int) -> tuple[str | None, str | None]:
    """In a Sendmail transcript, the ``>>>`` line the ``<<<`` reply answers."""
    search_from = max(0, line_start - _LOOKBACK * 5)
    sent = text.rfind(">>> ", search_from, line_start)
    if sent < 0:
        return None, None
    clause = text[sent + 4 : _end_of_line(text, sent)]
    return command_verb(clause), _address_after(clause, "to:")


class _Recipients:
    """The recipient that a reply's line names before it, for one pass over a text.

    The first ``to:`` field on the line before the reply names it, else the first
    ``to=`` field (the order of ``markers``). The look back reaches the start of
    the line, or ``_SPAN`` characters on a longer line. Within a pass the positions
    asked about only grow, so each marker's search goes on from where it stopped:
    every character is searched about once per marker, however many replies a
    long line holds.
    """

    __slots__ = ("_found", "_line", "_markers", "_searched", "_text", "_until")

    def __init__(self, text: str, markers: tuple[re.Pattern[str], ...]) -> None:
        self._text = text
        self._markers = markers
        self._start()

    def _start(self) -> None:
        self._line = 0  # the start of the line of the last position asked about
        self._until = 0  # the last position asked about
        self._found: list[int | None] = [None] * len(self._markers)  # each marker's first
        self._searched = [0] * len(self._markers)  # where each marker's search stopped

    def before(self, position: int) -> str | None:
        """The address of the first field before ``position`` on its line, if any."""
        if position < self._until:
            self._start()  # a new pass
        newline = self._text.rfind("\n", max(self._until, position - _SPAN), position)
        if newline >= 0:
            self._line = newline + 1
        self._until = position
        low = max(self._line, position - _SPAN)
        for index, marker in enumerate(self._markers):
            at = self._first(index, marker, low, position)
            address = (
                None if at is None else _address(self._text[at : min(position, at + _ADDRESS)])
            )
            if address is not None:
                return address
        return None

    def _first(self, index: int, marker: re.Pattern[str], low: int, position: int) -> int | None:
        """Where the first ``marker`` in ``text[low:position]`` ends, or ``None``."""
        found = self._found[index]
        if found is None or found < low:
            # A field cut at the previous position is searched again whole.
            start = max(low, self._searched[index] - len(marker.pattern) + 1)
            match = marker.search(self._text, start, position)
            found = None if match is None else match.start()
            self._found[index] = found
            self._searched[index] = position if match is None else match.end()
        return None if found is None else found + len(marker.pattern)


def _address_after(clause: str, marker: str) -> str | None:
    lowered = clause.lower()
    at = lowered.find(marker)
    if at < 0:
        return None
    return _address(clause[at + len(marker) :])


def _address(rest: str) -> str | None:
    """The address at the start of ``rest``: ``<bob@x>``, or a word with an ``@``."""
    rest = rest.lstrip()
    if rest.startswith("<"):
        close = rest.find(">")
        if close > 1:
            return rest[1:close]
        return None
    word = rest.split(maxsplit=1)[0] if rest.split() else ""
    word = word.rstrip(",;:")
    return word if "@" in word else None


def _final_recipient(text: str, line_start: int) -> str | None:
    """The ``Final-Recipient`` field of the DSN block the reply stands in, if any."""
    low = max(0, line_start - _LOOKBACK * 10)
    block = text.rfind("\n\n", low, line_start)
    block = low if block < 0 else block
    lowered = text[block:line_start].lower()
    at = lowered.rfind("final-recipient:")
    if at < 0:
        return None
    value = text[block + at + len("final-recipient:") : line_start].split("\n", 1)[0]
    if ";" in value:
        value = value.split(";", 1)[1]
    value = value.strip().strip("<>")
    return value or None


def _status_alone(
    text: str, match: re.Match[str], line_start: int, recipients: _Recipients
) -> ExtractedReply | None:
    """Accept a status standing alone when its context marks it as one."""
    start = match.start()
    before = text[max(line_start, start - 20) : start]
    after = text[match.end() : match.end() + 1]
    subject = int(match.group(2))
    if subject > 7:
        return None
    if not (before == "" or before.endswith((" ", "\t", "#", "=", ":", "(", "[", "'", '"'))):
        return None
    if after not in ("", " ", ")", ",", ";", "\r", "\n", "]", "'", '"', "\t"):
        return None
    try:
        status = EnhancedStatus(int(match.group(1)), subject, int(match.group(3)))
    except InvalidReply:
        return None
    recipient = recipients.before(start) or _final_recipient(text, line_start)
    return ExtractedReply(
        reply=None, enhanced=status, recipient=recipient, span=(start, match.end())
    )
