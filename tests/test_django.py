"""The Django recipe of docs/classifying.md, run under Django against aiosmtpd on loopback.

The recipe's code is read from the page itself, so the page and the test cannot drift.
"""

from __future__ import annotations

import doctest
import socket
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

import django  # type: ignore[import-untyped]
import pytest
from aiosmtpd.controller import Controller
from django.core import mail  # type: ignore[import-untyped]

from smtpreply import Action, Failure, Reason

if TYPE_CHECKING:
    from collections.abc import Iterator

PAGE = Path(__file__).parent.parent / "docs" / "classifying.md"
HEADING = "### Django: the refusals that `send_mail` drops"

# What the test server answers to RCPT TO, by the recipient's local part.
RCPT_REPLIES = {
    "bob": "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown",
    "cat": "450 4.2.0 <cat@example.org>: Recipient address rejected: Greylisted, try again",
}
OK, BOB, CAT = "ok@example.org", "bob@example.org", "cat@example.org"
# The recipe runs as a module of this name, so that the settings can name its backend.
RECIPE = "smtpreply_django_recipe"
# Django 6.1 configures mail with MAILERS; the EMAIL_* settings before it.
MAILERS = django.VERSION >= (6, 1)


class Handler:
    """Refuses ``bob@`` for good, greylists ``cat@``, and keeps what it accepts."""

    def __init__(self) -> None:
        self.delivered: list[list[str]] = []

    async def handle_RCPT(  # noqa: N802 - the hook's name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        local = address.split("@")[0]
        if local in RCPT_REPLIES:
            return RCPT_REPLIES[local]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.delivered.append(list(envelope.rcpt_tos))
        return "250 2.0.0 Ok: queued"


def recipe_examples() -> list[doctest.Example]:
    """The examples of the page's Django recipe."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n#", start + len(HEADING))
    section = text[start : end if end >= 0 else len(text)]
    return doctest.DocTestParser().get_examples(section)


@pytest.fixture(scope="module")
def recipe() -> Iterator[types.ModuleType]:
    module = types.ModuleType(RECIPE)
    examples = recipe_examples()
    assert examples, "the Django recipe has no examples"
    for example in examples:
        exec(compile(example.source, str(PAGE), "exec"), module.__dict__)  # noqa: S102 - our page
    sys.modules[RECIPE] = module
    try:
        yield module
    finally:
        del sys.modules[RECIPE]


@pytest.fixture(scope="module")
def server(recipe: types.ModuleType) -> Iterator[Handler]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    # Imported here: pytest's doctest collection would touch the unconfigured settings.
    from django.conf import settings  # type: ignore[import-untyped]

    if MAILERS:
        options = {"host": "127.0.0.1", "port": port, "timeout": 5}
        backend = f"{RECIPE}.RefusalsBackend"
        email: dict[str, object] = {
            "MAILERS": {
                "default": {"OPTIONS": options},
                "refusals": {"BACKEND": backend, "OPTIONS": options},
            }
        }
    else:
        email = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_TIMEOUT": 5}
    if settings.configured:  # a second run in the same process
        for name, value in email.items():
            setattr(settings, name, value)
    else:
        settings.configure(**email)
    try:
        yield handler
    finally:
        controller.stop()


def refusals_backend() -> Any:
    """The recipe's backend, named in the settings as the page says."""
    if MAILERS:
        return mail.mailers["refusals"]
    return mail.get_connection(f"{RECIPE}.RefusalsBackend")


def message(*to: str) -> Any:
    return mail.EmailMessage(
        subject="Hello", body="Hi.", from_email="amy@example.com", to=list(to)
    )


def by_recipient(failures: list[Failure]) -> dict[str | None, tuple[Reason, Action, bool]]:
    return {
        f.recipient: (f.verdict.reason, f.verdict.action, f.verdict.hard_bounce) for f in failures
    }


def test_django_alone_loses_a_partial_refusal(server: Handler) -> None:
    server.delivered.clear()
    sent = mail.send_mail("Hello", "Hi.", "amy@example.com", [OK, BOB, CAT])
    assert sent == 1  # no exception, and no word of bob@ and cat@
    assert server.delivered == [[OK]]


def test_the_recipe_sorts_a_partial_refusal(server: Handler, recipe: types.ModuleType) -> None:
    server.delivered.clear()
    backend = refusals_backend()
    assert isinstance(backend, recipe.RefusalsBackend)
    failures = recipe.send_and_sort(message(OK, BOB, CAT), backend)
    assert server.delivered == [[OK]]
    assert by_recipient(failures) == {
        BOB: (Reason.USER_UNKNOWN, Action.STOP, True),
        CAT: (Reason.GREYLISTED, Action.RETRY, False),
    }
    assert sorted(backend.refused) == [BOB, CAT]
    assert backend.refused[BOB][0] == 550
    [grey] = [failure for failure in failures if failure.verdict.retry]
    assert grey.verdict.delay is not None
    assert grey.reply is not None
    assert str(grey.reply.enhanced) == "4.2.0"


def test_the_recipe_reads_a_refusal_of_every_recipient(
    server: Handler, recipe: types.ModuleType
) -> None:
    server.delivered.clear()
    backend = refusals_backend()
    failures = recipe.send_and_sort(message(BOB, CAT), backend)
    assert server.delivered == []
    assert by_recipient(failures) == {
        BOB: (Reason.USER_UNKNOWN, Action.STOP, True),
        CAT: (Reason.GREYLISTED, Action.RETRY, False),
    }


def test_the_recipe_sends_like_django_when_nothing_is_refused(
    server: Handler, recipe: types.ModuleType
) -> None:
    server.delivered.clear()
    backend = refusals_backend()
    assert recipe.send_and_sort(message(OK), backend) == []
    assert backend.refused == {}
    assert server.delivered == [[OK]]


def test_a_backend_reused_for_a_second_message_forgets_the_first(
    server: Handler, recipe: types.ModuleType
) -> None:
    server.delivered.clear()
    backend = refusals_backend()
    with backend:  # one connection for both messages
        first = recipe.send_and_sort(message(OK, BOB), backend)
        second = recipe.send_and_sort(message(OK, CAT), backend)
    assert [f.recipient for f in first] == [BOB]
    assert [f.recipient for f in second] == [CAT]
    assert server.delivered == [[OK], [OK]]
