"""The app with bench/load/proposed.py's visibility selector (for run.sh's second pass)."""

import importlib

# Order matters (Django first, then the views, then the patch), so no import statements here.
application = importlib.import_module("config.wsgi").application
importlib.import_module("config.urls")
importlib.import_module("proposed").install()
