import base64

import pytest

from common.keyfile import key_from_text

KEY = bytes(range(32))


@pytest.mark.parametrize(
    "text",
    [KEY.hex(), KEY.hex().upper(), base64.b64encode(KEY).decode(), f"  {KEY.hex()}\n"],
)
def test_a_key_reads_from_hex_or_base64(text):
    assert key_from_text(text) == KEY


@pytest.mark.parametrize(
    "text",
    [
        "",
        KEY.hex()[:-2],  # 31 bytes
        base64.b64encode(KEY[:16]).decode(),  # base64 of the wrong length
        "z" * 64,  # 64 characters, neither hex nor base64 of 32 bytes
        "not a key at all!",
    ],
)
def test_anything_else_is_no_key(text):
    assert key_from_text(text) is None
