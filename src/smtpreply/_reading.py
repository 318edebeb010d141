"""What a text says before it is weighed: the reply that decides, and its words.

``classify`` takes many shapes of input. This module turns each into readings:
the code, the status, the reply, the command it answered, the reply's own words
(the *headline*) and the words around it (the *wrapper*), lower case and with
white space collapsed. The rules of docs/conventions.md that pick the reply are
applied here:

- a reply quoted inside another (``Remote error 550-'5.2.2 ...'``) gives the
  code and status, and the outer words stay as the wrapper;
- when a text holds several replies (a transcript, ``451 busy 550 5.1.1 ...``),
  the failing ones are the candidates, the last first; ``classify`` takes the
  first candidate that says something of its own, so a closing
  ``554 5.0.0 Service unavailable`` does not hide the reply that said why;
- a status that the reply grammar leaves in the text (``554 4.4.7``,
  ``550 #5.1.0``) is kept as evidence;
- where a client library says which words are the server's (.NET's
  ``Mailbox unavailable. The server response was: ...``), its own description of
  the code is the wrapper, not the reply's words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from smtpreply._errors import InvalidReply
from smtpreply._extract import ExtractedReply, extract_all
from smtpreply._grammar import COMMANDS, STATUS_PATTERN, command_verb
from smtpreply._parse import build, decode, parse_or_none, text_and_status
from smtpreply._reply import Reply
from smtpreply._status import EnhancedStatus, status_of

__all__ = [
    "MAX_TEXT",
    "Reading",
    "normal_command",
    "of_reply",
    "read",
    "read_found",
    "reading",
    "words_alone",
]

#: The most of a text that is read: a reply line's limit many times over. A longer
#: text (a 10 MB exception message) is cut here, so a verdict stays fast.
MAX_TEXT = 64 * 1024
# How deep replies quoted inside replies are followed.
_MAX_NESTING = 3
# How many of a text's failing replies are read, the last first: a bounce or a
# transcript quotes a few; a text of thousands (hostile, or a whole log) is read in
# bounded time.
_MAX_READINGS = 16
# An enhanced status at the start of a reply's text that the reply grammar does not
# take: of another class than the code ("554 4.4.7 ..."), or after a "#" ("550
# #5.1.0 ..."). It is kept as evidence.
_ANY_STATUS = re.compile(rf"#?{STATUS_PATTERN}(?![\w.])")
# The same anywhere in the text, standing alone as qmail and Exchange write it:
# "(#5.1.3)", "#5.1.0", "<... #4.4.7>".
_STATUS_IN_TEXT = re.compile(rf"(?<![\w.\-/]){STATUS_PATTERN}(?![\w.\-/])")
# A failing reply code that may start a reply quoted in a reply's text: most texts
# have none, and then the text is not scanned.
_QUOTED_CODE = re.compile(r"[45][0-9][0-9](?:[ \-]|$)", re.MULTILINE)


class Reading(NamedTuple):
    """What a text says, ready to be weighed."""

    code: int | None
    status: EnhancedStatus | None
    reply: Reply | None
    command: str | None
    headline: str  # the reply's own words, lower case, white space collapsed
    wrapper: str  # the words around the reply, the same way

    @property
    def digit(self) -> int | None:
        """The class: the code's first digit, else the status's, else ``None``."""
        if self.code is not None:
            return self.code // 100
        return self.status.class_ if self.status is not None else None


def _flat(text: str) -> str:
    return " ".join(text[:MAX_TEXT].lower().split())


def normal_command(command: object) -> str | None:
    """The verb a command names, as the rules use it (HELO and LHLO count as EHLO).

    Raises:
        InvalidReply: ``command`` is not a string naming an SMTP command.
    """
    if command is None:
        return None
    if not isinstance(command, str):
        raise InvalidReply(f"a command is a str such as 'RCPT', not {type(command).__name__}")
    if not command.split():
        return None
    verb = command_verb(command)
    if verb is None:
        raise InvalidReply(
            f"unknown SMTP command {command[:40]!r}; expected one of "
            + ", ".join(sorted(COMMANDS))
        )
    return "EHLO" if verb == "HELO" else verb


# Where a client library says that the server's words follow its own: .NET's
# SmtpException writes its description of the code first ("Mailbox unavailable.
# The server response was: 5.1.1 User unknown"), in English or German.
_SERVER_SAID = ("The server response was:", "Die Serverantwort war:")


def reading(
    reply: Reply | None, status: EnhancedStatus | None, command: str | None, wrapper: str = ""
) -> Reading:
    """A reading of one reply (or of a status or words alone, when ``reply`` is None).

    Where a client library marks where the server's words start (``_SERVER_SAID``),
    words alone are read from there, and the library's own words are the wrapper.
    """
    if reply is None:
        for marker in _SERVER_SAID:
            at = wrapper.find(marker)
            if at >= 0:
                at += len(marker)
                return Reading(
                    None, status, None, command, _flat(wrapper[at:]), _flat(wrapper[:at])
                )
        return Reading(None, status, None, command, _flat(wrapper), "")
    if status is None:
        status = reply.enhanced or _loose_status(reply)
    return Reading(int(reply.code), status, reply, command, _flat(reply.text), _flat(wrapper))


def _loose_status(reply: Reply) -> EnhancedStatus | None:
    """A status the reply grammar leaves in the text, kept as evidence.

    One at the start of the text whatever its class (``554 4.4.7``, ``550
    #5.1.0``), else one standing alone in the text (``554 ... (#5.1.3)``).
    """
    match = _ANY_STATUS.match(reply.lines[0])
    if match is None:
        line = reply.lines[0] if len(reply.lines) == 1 else " ".join(reply.lines)
        match = _STATUS_IN_TEXT.search(line, 0, MAX_TEXT)
        # Standing alone, only a failure's status about a failing reply counts: "2.1.5"
        # in a 550's text is more likely a version number.
        if match is None or match[1] == "2" or reply.code // 100 not in (4, 5):
            return None
    return status_of(int(match[1]), int(match[2]), int(match[3]))


def _failing(found: ExtractedReply) -> bool:
    code = found.code
    if code is not None:
        return code // 100 in (4, 5)
    return found.enhanced is not None and found.enhanced.class_ in (4, 5)


def _innermost(
    reply: Reply, text: str, command: str | None, depth: int = 0
) -> tuple[Reply, str, str | None]:
    """The last failing reply quoted inside ``reply``'s ``text``, else ``reply``; its text."""
    if depth >= _MAX_NESTING or _QUOTED_CODE.search(text, 0, MAX_TEXT) is None:
        return reply, text, command
    inner = [item for item in extract_all(text[:MAX_TEXT]) if item.reply and _failing(item)]
    if not inner:
        return reply, text, command
    chosen = inner[-1].reply
    assert chosen is not None  # noqa: S101 - filtered above
    return _innermost(chosen, text_and_status(chosen)[0], command or inner[-1].command, depth + 1)


def of_reply(reply: Reply, command: str | None, wrapper: str = "") -> Reading:
    """The reading of a whole reply: the reply it quotes, if any, decides."""
    outer, status = text_and_status(reply)
    inner, text, command = _innermost(reply, outer, command)
    if inner is not reply:
        wrapper = f"{wrapper} | {outer}" if wrapper else outer
        text, status = text_and_status(inner)
    status = status or _loose_status(inner)
    return Reading(int(inner.code), status, inner, command, _flat(text), _flat(wrapper))


def read_found(found: ExtractedReply, command: str | None, wrapper: str = "") -> Reading:
    """The reading of a reply that :func:`extract` found, with the words around it."""
    command = command or normal_command(found.command)
    if found.reply is None:
        return reading(None, found.enhanced, command, wrapper)
    return of_reply(found.reply, command, wrapper)


# A line that starts with white space continues the line before it, the way mail
# headers are folded, and the way bounces wrap a long reply ("said: 550 No such\n
#    domain ..."). A reply's own lines start with their code, never with a space.
_FOLD = re.compile(r"\r?\n[ \t]+(?=\S)")


def _unfold(text: str) -> str:
    if "_said:_" in text or ("_said:" in text and " " not in text):
        # qmail's logs write the remote host's words with underscores for spaces.
        text = text.replace("_", " ")
    return _FOLD.sub(" ", text) if "\n " in text or "\n\t" in text else text


def _read_text(text: str, command: str | None) -> list[Reading]:
    head = text.lstrip()[:3]
    if head.isdigit() and head.isascii() and " (in reply to " not in text:
        reply = parse_or_none(text)
        if reply is not None:
            return [of_reply(reply, command)]
    text = _unfold(text)
    found = extract_all(text[:MAX_TEXT])
    failing = [item for item in reversed(found) if _failing(item)]
    readings = []
    for item in failing[:_MAX_READINGS] or found[:1]:
        start, end = item.span
        wrapper = text if item.reply is None else f"{text[:start]} | {text[end:]}"
        readings.append(read_found(item, command, wrapper))
    return readings


def read(subject: object, command: str | None) -> list[Reading]:
    """The readings of anything ``classify`` takes, the most likely to decide first.

    An empty list means a text with no reply in it.

    Raises:
        InvalidReply: ``subject`` is of no type ``classify`` takes, or an ``int``
            that is no reply code.
    """
    if isinstance(subject, ExtractedReply):
        return [read_found(subject, command)]
    if isinstance(subject, Reply):
        return [of_reply(subject, command)]
    if isinstance(subject, EnhancedStatus):
        return [reading(None, subject, command)]
    if isinstance(subject, int) and not isinstance(subject, bool):
        if not 100 <= subject <= 999:
            raise InvalidReply(f"expected a 3-digit reply code, not {subject!r}")
        return [reading(build(subject, ("",)), None, command)]
    if isinstance(subject, (bytes, bytearray, memoryview)):
        subject = decode(subject)
    if not isinstance(subject, str):
        raise InvalidReply(
            "expected a reply, its text, a code, a status or an exception, "
            f"not {type(subject).__name__}"
        )
    return _read_text(subject, command)


def words_alone(text: str, command: str | None) -> Reading:
    """A reading of a text that quotes no reply: only its words may say why."""
    return reading(None, None, command, text)
