"""Argon2id hashing and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher

from sar.auth import passwords


def test_hash_is_argon2id_and_verifies():
    hashed = passwords.hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "correct horse battery staple")
    assert not passwords.verify_password(hashed, "Correct horse battery staple")


def test_verify_never_raises_on_rubbish():
    assert not passwords.verify_password("not a hash", "anything")
    assert not passwords.verify_password("", "")


def test_needs_rehash_when_parameters_are_weaker_than_current():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("some password here")
    assert passwords.needs_rehash(weak)
    assert not passwords.needs_rehash(passwords.hash_password("some password here"))


def test_dummy_hash_is_a_real_hash_that_matches_nothing_typed():
    assert passwords.DUMMY_HASH.startswith("$argon2id$")
    assert not passwords.verify_password(passwords.DUMMY_HASH, "")


def test_policy():
    assert passwords.password_problem("short") == "Password must be 12 characters or more"
    assert passwords.password_problem("x" * 257) == "Password must be 256 characters or fewer"
    assert passwords.password_problem("aaaaaaaaaaaaaaaa") == "Password must not repeat the same few characters"
    assert (
        passwords.password_problem("jo.bloggs is my password", email="jo.bloggs@council.example")
        == "Password must not contain your email address"
    )
    # A very short local part does not forbid ordinary words containing it.
    assert passwords.password_problem("a long first password", email="a@council.example") is None
    assert passwords.password_problem("correct horse battery staple") is None
