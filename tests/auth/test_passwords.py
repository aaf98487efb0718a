"""Password rules and hashing: argon2id, length not composition, common passwords refused."""

from react_toolkit.auth.forum_names import forum_name_problem
from react_toolkit.auth.passwords import common_passwords, hash_password, password_problem, verify_password


def test_hash_is_argon2id_and_verifies(app):
    hashed = hash_password("a perfectly fine password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a perfectly fine password")
    assert not verify_password(hashed, "a perfectly fine passworD")
    assert not verify_password(None, "anything")


def test_production_parameters_are_not_the_test_ones(make_app):
    app = make_app(ARGON2_FAST=False)
    with app.app_context():
        hashed = hash_password("a perfectly fine password")
    memory_kib = int(hashed.split("m=")[1].split(",")[0])
    assert hashed.startswith("$argon2id$")
    assert memory_kib >= 19456  # OWASP's minimum for argon2id


def test_shipped_list_has_at_least_ten_thousand_passwords():
    assert len(common_passwords()) >= 10_000


def test_common_password_refused_even_when_long_enough():
    assert "password1" in common_passwords()
    assert (
        password_problem("password1") == "This password is too common and easy to guess. Choose another one"
    )
    assert password_problem("Password1") is not None  # case does not make it safer


def test_length_rules_without_composition_rules():
    assert "at least 8" in password_problem("short")
    assert password_problem("all lower case words here") is None
    assert password_problem("x" * 64 + " long passphrases are welcome") is None
    assert "256 characters or fewer" in password_problem("y" * 257)


def test_password_may_not_be_the_email_or_forum_name():
    assert password_problem("someone@example.org", email="someone@example.org") is not None
    assert password_problem("HopefulMum", forum_name="HopefulMum") is not None


def test_forum_name_rules():
    assert "email address" in forum_name_problem("jane@example.org")
    assert "email address" in forum_name_problem("jane at gmail dot com")
    assert "phone number" in forum_name_problem("Dad 07700 900123")
    assert "upset other people" in forum_name_problem("Sh1tHead")
    assert "at least 3" in forum_name_problem("ab")
    assert forum_name_problem("Hopeful Mum") is None
    assert forum_name_problem("Prickly Pear") is None
