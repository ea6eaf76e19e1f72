"""The ``dutdiem`` command: any Django management command, with dashes allowed in names.

``dutdiem import-petitions ...`` runs the ``import_petitions`` command; ``dutdiem serve``
starts the web server with its job worker. ``dutdiem detect ...`` goes straight to the
detection library's own parser, without loading Django (the library imports none of it, and
the start-up was a third of a run on a nation's communes).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "detect":
        from detection.cli import main as detect

        sys.exit(detect(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
