"""``python -m kneeguide`` runs the same program as the ``kneeguide`` command."""

from kneeguide.interrupts import quiet_until_the_command

quiet_until_the_command()  # before anything else loads: a signal now exits 130, in one line

from kneeguide.cli import main  # noqa: E402 - after the start-up handler

main()
