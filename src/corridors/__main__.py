"""``python -m corridors`` runs the command line."""

import sys

from corridors.cli import main

if __name__ == "__main__":
    sys.exit(main())
