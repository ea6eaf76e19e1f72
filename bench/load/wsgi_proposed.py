"""The app with bench/load/proposed.py's visibility selector (for run.sh's second pass)."""

from proposed import install  # noqa: E402

import config.urls  # noqa: F401, E402 - import the views before patching their globals
from config.wsgi import application  # noqa: F401 - sets Django up, loads every app

install()
