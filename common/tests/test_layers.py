"""The layering (docs/DEVELOPING.md) holds: every contract of ``.importlinter`` is kept.

``lint-imports`` reads every import statement, those inside functions included, so a lazy
import that goes the wrong way fails here as well as a top-level one.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_every_app_is_under_a_contract():
    """A new app must be placed in the layering: named in the contracts' root packages."""
    config = (ROOT / ".importlinter").read_text()
    roots = config.split("root_packages =", 1)[1].split("\n\n", 1)[0].split()
    from django.conf import settings

    apps = {a for a in settings.INSTALLED_APPS if "." not in a and (ROOT / a).is_dir()}
    assert apps <= set(roots), sorted(apps - set(roots))
    assert "detection" in roots and "common" in roots
