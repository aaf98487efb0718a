"""The Welsh catalogue holds each message once: Babel quietly keeps the last of two definitions,
where gettext's own tools refuse the file."""

from __future__ import annotations

import re
from collections import Counter

from react_toolkit.config import BASE_DIR

ENTRY = re.compile(
    r'^msgctxt "(?P<ctx>(?:[^"\\]|\\.)*)"\n|^msgid "(?P<id>(?:[^"\\]|\\.)*)"\n((?:"(?:[^"\\]|\\.)*"\n)*)',
    re.M,
)


def message_ids(text: str) -> list[str]:
    ids, context = [], None
    for match in ENTRY.finditer(text):
        if match.group("ctx") is not None:
            context = match.group("ctx")
            continue
        continued = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        ids.append(
            f"{context}\x04{match.group('id')}{continued}" if context else match.group("id") + continued
        )
        context = None
    return ids


def test_each_welsh_message_is_defined_once():
    text = (BASE_DIR / "translations/cy/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    ids = [i for i in message_ids(text) if i]
    assert len(ids) > 1000
    twice = [i for i, n in Counter(ids).items() if n > 1]
    assert twice == []


def test_the_check_finds_a_message_defined_twice():
    text = 'msgid "Save"\nmsgstr "Cadw"\n\nmsgid "Save"\nmsgstr "Cadw"\n\nmsgctxt "a"\nmsgid "Save"\nmsgstr "x"\n'
    ids = message_ids(text)
    assert [i for i, n in Counter(ids).items() if n > 1] == ["Save"]


def test_templates_follow_a_change_of_language_within_one_request(app):
    """Template gettext keeps the request's catalogue, but a notice drawn in its reader's language
    (force_locale) and the page after it each get their own."""
    from flask import render_template_string
    from flask_babel import force_locale, gettext

    source = '{{ _("Need help now?") }}'
    with app.test_request_context("/"):
        english = render_template_string(source)
        with force_locale("cy"):
            welsh = render_template_string(source)
            assert welsh == gettext("Need help now?")
        again = render_template_string(source)
    assert english == again == "Need help now?"
    assert welsh != english and welsh.strip()
