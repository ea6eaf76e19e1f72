"""``dutdiem detect``: the detection methods on any CSV of weekly counts (API.md)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a detection method on weekly counts: dutdiem detect --method M --input IN.csv --output OUT.csv"

    def run_from_argv(self, argv: list[str]) -> None:
        # The detection library has its own argument parser (and its own --help).
        from detection.cli import main

        sys.exit(main(argv[2:]))
