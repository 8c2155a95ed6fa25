"""The ``kneeguide`` command line: one module per command or group of commands.

Each command parses its options, calls the core and picks a renderer; machine
output goes to stdout, everything else to stderr. Every error that is the user's
(bad answers, bad rules) is one line per problem and exit status 2; a traceback
appears only with ``--debug``. Heavy modules (rich, questionary, the rule-set
builder) are imported inside the commands that need them.

``app``       the typer app built per run, the root options, :func:`main`
``guard``     exit statuses; kneeguide's errors as one line each
``options``   the options several commands share, their choices from ``kneeguide.ids``
``settings``  options, then config, then locale; terminal colour and width
``signals``   SIGTERM/SIGHUP as Ctrl-C; signals held while a batch block is written
``assess``, ``questions``, ``interview``, ``notes`` (note, export), ``batch``,
``rules`` (the ``rules`` group), ``config`` (the ``config`` group): the commands
"""

from kneeguide.cli.app import main

__all__ = ["main"]
