"""Enhanced mail system status codes (RFC 3463), such as ``5.7.0``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from smtpreply import _data
from smtpreply._codes import is_permanent, is_positive, is_transient
from smtpreply._data import Party
from smtpreply._errors import InvalidReply
from smtpreply._grammar import expect_status
from smtpreply._public import public

if TYPE_CHECKING:
    from smtpreply._data import RegistryEntry

__all__ = ["EnhancedStatus", "registry"]

#: The classes RFC 3463 defines: success, persistent transient failure, permanent failure.
_CLASSES = (2, 4, 5)
#: RFC 3463 allows one to three digits for the subject and for the detail.
_MAX_SUB_CODE = 999
_set = object.__setattr__


def _check_class(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in _CLASSES:
        raise InvalidReply(f"the class of an enhanced status must be 2, 4 or 5, not {value!r}")


def _check_sub_code(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_SUB_CODE:
        raise InvalidReply(
            f"the {attribute.name} of an enhanced status must be 0 to 999, not {value!r}"
        )


@public
@attrs.frozen(order=True)
class EnhancedStatus:
    """An enhanced mail system status code (RFC 3463), such as ``5.7.0``.

    Every well-formed status is accepted, registered or not. Registered ones carry
    the IANA registry's title; the others are described by their class and subject.

    >>> status = EnhancedStatus.parse("5.7.0")
    >>> status
    EnhancedStatus(class_=5, subject=7, detail=0)
    >>> str(status), status.title
    ('5.7.0', 'Other or undefined security status')
    >>> status.is_registered, status.rfcs
    (True, ('RFC 3463',))
    >>> EnhancedStatus.parse("5.7.999").is_registered
    False

    Attributes:
        class_: 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
        subject: The subject sub-code, 0 to 999 (1 addressing, 7 security...).
        detail: The detail sub-code, 0 to 999.
    """

    class_: int = attrs.field(validator=_check_class)
    subject: int = attrs.field(validator=_check_sub_code)
    detail: int = attrs.field(validator=_check_sub_code)

    @classmethod
    def _trusted(cls, class_: int, subject: int, detail: int) -> EnhancedStatus:
        """Build a status from numbers the parser has already checked."""
        status = object.__new__(cls)
        _set(status, "class_", class_)
        _set(status, "subject", subject)
        _set(status, "detail", detail)
        return status

    @classmethod
    def parse(cls, text: str | bytes) -> EnhancedStatus:
        """Read a status such as ``"5.1.1"``.

        Grammar (RFC 3463, section 2)::

            status-code = class "." subject "." detail
            class       = "2" / "4" / "5"
            subject     = 1*3digit      ; no leading zero
            detail      = 1*3digit      ; no leading zero

        Surrounding white space is ignored; nothing else may stand around the code.

        Args:
            text: The status, as ``str`` or ASCII ``bytes``.

        Returns:
            The status.

        Raises:
            InvalidReply: ``text`` is not a well-formed status; the message says why.

        >>> EnhancedStatus.parse("4.2.2").subject
        2
        >>> EnhancedStatus.parse("5.1.1000")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        smtpreply.InvalidReply: a sub-code of an enhanced status has at most 3 digits at pos...
        """
        if isinstance(text, bytes):
            text = text.decode("ascii", "replace")
        elif not isinstance(text, str):
            raise InvalidReply(
                f"expected an enhanced status code as str or bytes, not {type(text).__name__}"
            )
        start = len(text) - len(text.lstrip())
        numbers, end = expect_status(text, start)
        if text[end:].strip():
            raise InvalidReply("unexpected text after the enhanced status code", text, end)
        return status_of(*numbers)

    def __str__(self) -> str:
        return f"{self.class_}.{self.subject}.{self.detail}"

    @property
    def entry(self) -> RegistryEntry | None:
        """The registry's entry for this subject and detail, or ``None`` if it has none."""
        return _data.statuses().entries.get((self.subject, self.detail))

    @property
    def is_registered(self) -> bool:
        """True when the IANA registry lists this subject and detail."""
        return self.entry is not None

    @property
    def title(self) -> str:
        """The registry's title, or the subject's title for an unregistered status."""
        entry = self.entry
        if entry is not None:
            return entry.title
        return self._subject_info().title

    @property
    def description(self) -> str:
        """What the status means, in smtpreply's words."""
        entry = self.entry
        if entry is not None:
            return entry.description
        class_info = _data.statuses().classes[self.class_]
        return (
            f"A status that the registry does not list. {class_info.description} "
            f"{self._subject_info().description}"
        )

    @property
    def when(self) -> str:
        """When a sender sees the status."""
        entry = self.entry
        return entry.when if entry is not None else self._subject_info().when

    @property
    def fix(self) -> str:
        """What to do about it."""
        entry = self.entry
        return entry.fix if entry is not None else self._subject_info().fix

    @property
    def basic_codes(self) -> tuple[int, ...]:
        """The basic reply codes the registry associates with the status; ``()`` if none."""
        entry = self.entry
        return entry.basic_codes if entry is not None else ()

    @property
    def rfcs(self) -> tuple[str, ...]:
        """The documents the registry cites for the status (or for its subject)."""
        entry = self.entry
        return entry.rfcs if entry is not None else self._subject_info().rfcs

    @property
    def class_title(self) -> str:
        """The title of the class, e.g. ``"Permanent Failure"``."""
        return _data.statuses().classes[self.class_].title

    @property
    def party(self) -> Party:
        """Which side must act on the status, by its subject; nobody for a success.

        >>> EnhancedStatus.parse("5.1.1").party
        <Party.SENDER: 'sender'>
        """
        if self.class_ == 2:
            return Party.NOBODY
        return Party(self._subject_info().party)

    @property
    def subject_title(self) -> str:
        """The title of the subject, e.g. ``"Security or Policy Status"``."""
        return self._subject_info().title

    @property
    def is_success(self) -> bool:
        """True for class 2."""
        return is_positive(self.class_ * 100)

    @property
    def is_transient(self) -> bool:
        """True for class 4: a persistent transient failure."""
        return is_transient(self.class_ * 100)

    @property
    def is_permanent(self) -> bool:
        """True for class 5: a permanent failure."""
        return is_permanent(self.class_ * 100)

    def _subject_info(self) -> _data.GroupInfo:
        subjects = _data.statuses().subjects
        info = subjects.get(self.subject)
        if info is None:
            # A subject the registry does not define (8 to 999) is described as "other".
            info = subjects[0]
        return info


# Statuses seen so far, so that equal ones are shared; bounded.
_CACHE: dict[tuple[int, int, int], EnhancedStatus] = {}
_CACHE_SIZE = 4096


def status_of(class_: int, subject: int, detail: int) -> EnhancedStatus:
    """The status of numbers that the grammar has already checked (shared, cached)."""
    key = (class_, subject, detail)
    status = _CACHE.get(key)
    if status is None:
        status = EnhancedStatus._trusted(class_, subject, detail)
        if len(_CACHE) < _CACHE_SIZE:
            _CACHE[key] = status
    return status


@public
def registry() -> tuple[RegistryEntry, ...]:
    """Every enumerated code of the IANA "SMTP Enhanced Status Codes" registry, in order.

    Returns:
        The entries, ordered by subject and detail.

    >>> entries = registry()
    >>> entries[0].code, entries[0].title
    ('X.0.0', 'Other undefined Status')
    """
    return tuple(_data.statuses().entries.values())
