"""``python -m kneeguide`` runs the same program as the ``kneeguide`` command."""

from kneeguide.cli import main

main()
