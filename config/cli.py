"""The ``dutdiem`` command: any Django management command, with dashes allowed in names.

``dutdiem import-petitions ...`` runs the ``import_petitions`` command; ``dutdiem serve``
starts the web server with its job worker.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(args) > 1 and "-" in args[1] and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
