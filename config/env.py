"""Tiny typed readers for settings that come from the environment or from files.

A variable ``NAME`` may also be given as ``NAME_FILE`` pointing at a file holding the value,
so that secrets need not sit in the environment of every process.
"""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name, "")
    if raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _number(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        return kind(raw.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {raw!r}") from None


def env_int(name: str, default: int) -> int:
    raw = env_str(name, "")
    return int(_number(name, raw, int)) if raw.strip() else default


def env_float(name: str, default: float) -> float:
    raw = env_str(name, "")
    return float(_number(name, raw, float)) if raw.strip() else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = env_str(name, "")
    if not raw.strip():
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]
