"""Each vault test gets its own keyring file, so rotation tests never touch var/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vault import keys


@pytest.fixture(autouse=True)
def vault_keyring(settings: Any, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "vault.key"
    settings.VAULT_KEY = ""
    settings.VAULT_KEY_PATH = str(path)
    keys.keyring_reset()
    yield path
    keys.keyring_reset()
