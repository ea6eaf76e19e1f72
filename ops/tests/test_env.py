"""Settings from the environment: a bad number names the variable."""

from __future__ import annotations

import pytest

from config.env import env_float, env_int


def test_numbers_from_the_environment(monkeypatch):
    monkeypatch.setenv("DUTDIEM_X", " 7 ")
    monkeypatch.setenv("DUTDIEM_P", "0.05")
    monkeypatch.delenv("DUTDIEM_MISSING", raising=False)
    assert env_int("DUTDIEM_X", 1) == 7 and env_float("DUTDIEM_P", 0.01) == 0.05
    assert env_int("DUTDIEM_MISSING", 3) == 3 and env_float("DUTDIEM_MISSING", 0.01) == 0.01


@pytest.mark.parametrize(("reader", "raw"), [(env_int, "3 days"), (env_float, "5%")])
def test_a_bad_number_names_the_variable(monkeypatch, reader, raw):
    monkeypatch.setenv("DUTDIEM_BAD", raw)
    with pytest.raises(ValueError, match=r"DUTDIEM_BAD must be .*number, got '"):
        reader("DUTDIEM_BAD", 1)
