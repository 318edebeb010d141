"""explain(): codes, statuses and whole replies, read the way the reply in front of it says."""

from __future__ import annotations

import pickle
import smtplib

import pytest

from smtpreply import (
    LOCALES,
    EnhancedStatus,
    Explanation,
    InvalidReply,
    Party,
    Reason,
    ReplyClass,
    ReplyCode,
    _data,
    explain,
    parse,
)

CODES = list(ReplyCode)
GMAIL_APP_PASSWORD = (
    "534-5.7.9 Application-specific password required. Learn more at\n"
    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor "
    "d2e1a72fcca58-7e8c5f6e0a1sm1234567b3a.12 - gsmtp"
)
MICROSOFT_SMTP_AUTH_OFF = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[SN4PR0201CA0045.namprd02.prod.outlook.com]"
)


def test_explain_code_forms_agree() -> None:
    expected = explain(ReplyCode.AUTHENTICATION_REQUIRED)
    assert explain(530) == expected
    assert explain("530") == expected
    assert explain(" 530 ") == expected
    assert explain(b"530") == expected
    assert expected.title == "Authentication Required"
    assert expected.reply_class is ReplyClass.PERMANENT_NEGATIVE
    assert expected.party is Party.SENDER
    assert expected.status is None
    assert expected.sources, "every code's facts name their sources"


def test_explain_status() -> None:
    exp = explain("5.7.26")
    assert exp == explain(EnhancedStatus.parse("5.7.26"))
    assert exp.code is None
    assert exp.status == EnhancedStatus(5, 7, 26)
    assert exp.title == "Multiple authentication checks failed"
    assert exp.reply_class is ReplyClass.PERMANENT_NEGATIVE
    assert "RFC 7372" in exp.rfcs
    assert explain("2.1.5").party is Party.NOBODY


def test_explain_reply_uses_code_status_and_verdict() -> None:
    exp = explain("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown")
    assert exp.label == "550 5.1.1"
    assert exp.title == "Mailbox Unavailable: Bad destination mailbox address"
    assert exp.code is ReplyCode.MAILBOX_UNAVAILABLE
    assert exp.status == EnhancedStatus(5, 1, 1)
    assert exp.server_text is not None
    assert exp.server_text.endswith("User unknown")
    assert exp.verdict is not None
    assert exp.verdict.reason is Reason.USER_UNKNOWN
    assert exp.verdict.hard_bounce
    assert not exp.verdict.retry


def _conditional_advice() -> list[tuple[int, _data.Advice]]:
    return [
        (number, item)
        for number, info in _data.reply_codes().items()
        for item in info.advice
        if item.statuses
    ]


@pytest.mark.parametrize(("number", "item"), _conditional_advice())
def test_reply_gets_only_the_advice_its_status_leaves_open(
    number: int, item: _data.Advice
) -> None:
    """Advice for one status appears for that status, and not for another."""
    pattern = item.statuses[0]
    subject, detail = pattern.split(".")[1:]
    status = f"{number // 100}.{subject}.{0 if detail == '*' else detail}"
    fits = explain(f"{number} {status} Something happened")
    assert item.text in fits.fix
    others = [
        other
        for other in _data.reply_codes()[number].advice
        if other.statuses and not other.fits(int(subject), int(status.split(".")[2]), None)
    ]
    for other in others:
        assert other.text not in fits.fix


def test_relay_denied_does_not_get_the_unknown_mailbox_advice() -> None:
    relay = explain("550 5.7.1 Relay access denied")
    unknown = explain("550 5.1.1 User unknown")
    assert relay.fix != unknown.fix
    assert "5.1.1" not in relay.fix
    assert "5.7.1" not in unknown.fix


@pytest.mark.parametrize(
    "number", [number for number, info in _data.reply_codes().items() if len(info.meanings) > 1]
)
def test_a_reply_to_a_known_command_gets_only_that_commands_meanings(number: int) -> None:
    info = _data.reply_codes()[number]
    for meaning in info.meanings:
        commands = [command for command in meaning.commands if command != "*"]
        if not commands:
            continue
        exp = explain(f"{number} Something", command=commands[0])
        assert meaning.text in exp.description
        for other in info.meanings:
            if not other.answers(commands[0]):
                assert other.text not in exp.description


def test_a_reply_without_a_command_gets_the_default_meanings() -> None:
    exp = explain("451 4.7.500 Server busy, try again later")
    info = _data.reply_codes()[451]
    for meaning in info.meanings:
        assert (meaning.text in exp.description) is meaning.default


def test_a_status_that_cannot_apply_to_the_code_is_called_loose() -> None:
    exp = explain("535 5.7.3 Authentication unsuccessful")
    assert "loosely" in exp.description
    assert exp.title == "Authentication Failed"
    assert _data.reply_codes()[535].meanings[0].text in exp.description
    # The registry's meaning of 5.7.3 is not given as the reply's meaning.
    assert EnhancedStatus(5, 7, 3).description not in exp.description


def test_a_status_that_fits_adds_its_meaning() -> None:
    exp = explain("550 5.1.1 User unknown")
    assert EnhancedStatus(5, 1, 1).description in exp.description
    assert EnhancedStatus(5, 1, 1).fix in exp.fix


def test_an_unregistered_status_keeps_the_codes_title() -> None:
    exp = explain(MICROSOFT_SMTP_AUTH_OFF)
    assert exp.title == "Authentication Failed"
    assert "does not list 5.7.139" in exp.description


def test_gmail_app_password_pasted_from_a_log() -> None:
    exp = explain(GMAIL_APP_PASSWORD)
    assert exp.label == "534 5.7.9"
    assert exp.provider is not None
    assert exp.provider.startswith("Google documents this reply")
    assert "app password" in exp.fix
    assert "stronger mechanism" not in exp.fix
    assert exp.verdict is not None
    assert exp.verdict.reason is Reason.SECURITY_ERROR
    # The same reply flattened onto one log line reads the same.
    assert explain(GMAIL_APP_PASSWORD.replace("\n", " ")).fix == exp.fix


def test_microsoft_smtp_auth_disabled_gets_its_own_fix() -> None:
    exp = explain(MICROSOFT_SMTP_AUTH_OFF)
    assert exp.provider is not None
    assert "Microsoft" in exp.provider
    assert "SmtpClientAuthenticationDisabled" in exp.fix


def test_provider_meaning_needs_evidence_of_the_provider() -> None:
    assert explain("534 5.7.9 Authentication mechanism is too weak").provider is None


def test_smtplib_pairs_and_exceptions() -> None:
    pair = explain((535, b"5.7.8 Username and Password not accepted"))
    assert pair.label == "535 5.7.8"
    error = smtplib.SMTPAuthenticationError(535, b"5.7.8 Username and Password not accepted")
    from_error = explain(error)
    assert (from_error.label, from_error.description) == (pair.label, pair.description)
    assert from_error.command == "AUTH"
    refused = smtplib.SMTPRecipientsRefused({"bob@example.org": (550, b"5.1.1 User unknown")})
    assert explain(refused).label == "550 5.1.1"
    sender = smtplib.SMTPSenderRefused(553, b"5.1.8 Bad sender domain", "a@example.org")
    assert explain(sender).command == "MAIL"


def test_explain_and_classify_agree_on_the_verdict() -> None:
    from smtpreply import classify

    for text in ("452 4.2.2 Mailbox full", GMAIL_APP_PASSWORD, "421 4.7.0 Try again later"):
        exp = explain(text)
        assert exp.verdict == classify(text)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (None, "expected"),
        (3.5, "expected"),
        ("hello", "reply"),
        ("", "reply"),
        (b"\xff\xfe", "reply"),
        (99, "99"),
        ((535,), "pair"),
        (("x", "y"), "pair"),
        (smtplib.SMTPServerDisconnected("gone"), "no reply"),
    ],
)
def test_bad_input_is_invalid_reply(bad: object, message: str) -> None:
    with pytest.raises(InvalidReply, match=message):
        explain(bad)  # type: ignore[arg-type]


def test_unassigned_code() -> None:
    exp = explain(299)
    assert exp.code == 299
    assert exp.reply_class is ReplyClass.POSITIVE_COMPLETION
    assert "299" in exp.description
    assert explain("299 2.0.0 Fine").label == "299 2.0.0"


@pytest.mark.parametrize("code", CODES)
def test_every_code_explains_in_every_locale(code: ReplyCode) -> None:
    english = explain(code)
    for locale in LOCALES:
        exp = explain(code, locale=locale)
        assert exp.locale == locale
        assert exp == english.in_locale(locale)
        assert exp.title == english.title  # data stays English where no translation exists
        assert exp.render()


def test_locale_marks_the_language_of_each_part() -> None:
    exp = explain("550 5.1.1 User unknown", locale="de")
    languages = {lang for lang, _ in exp.description.segments}  # type: ignore[attr-defined]
    assert languages == {"de", "en"}
    page = exp.render("html")
    assert '<span lang="en">' in page


def test_unknown_locale() -> None:
    with pytest.raises(ValueError, match="unknown locale"):
        explain(550, locale="xx")  # type: ignore[arg-type]


def test_explanations_pickle_and_hash() -> None:
    for subject in (550, "5.7.26", "550 5.1.1 User unknown", GMAIL_APP_PASSWORD):
        exp = explain(subject, locale="fr")
        copy = pickle.loads(pickle.dumps(exp))
        assert copy == exp
        assert copy.render() == exp.render()
        assert hash(copy) == hash(exp)


def test_to_dict_is_the_json_rendering() -> None:
    import json

    exp = explain(GMAIL_APP_PASSWORD)
    data = exp.to_dict()
    assert data == json.loads(exp.render("json"))
    assert data["verdict"] == exp.verdict.to_dict()  # type: ignore[union-attr]


def test_reply_explanations_read_the_parsed_reply() -> None:
    reply = parse("452 4.5.3 Too many recipients")
    exp = explain(reply)
    assert exp == explain("452 4.5.3 Too many recipients")
    assert isinstance(exp, Explanation)
