from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_dashboard(settings: Any, tmp_path: Any) -> None:
    """Every change shows on the next dashboard request, files go to a scratch folder, and
    the per-snapshot cache starts empty."""
    from django.core.cache import cache

    settings.DASHBOARD_REFRESH_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
