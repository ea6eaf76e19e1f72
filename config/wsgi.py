import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Build the holiday calendar once per worker at start, not in the first official's request.
from calendars.workdays import WorkCalendar  # noqa: E402

WorkCalendar()
