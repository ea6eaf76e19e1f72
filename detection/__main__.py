"""``python -m detection ...`` runs the ``dutdiem detect`` command."""

import sys

from detection.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
