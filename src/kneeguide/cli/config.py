"""``kneeguide config show``: where the user's defaults live and which are in effect."""

import sys
from pathlib import Path

import typer

from kneeguide.cli.guard import guarded

config_app = typer.Typer(help="Show the user's defaults.", no_args_is_help=True)


@config_app.command("show")
@guarded
def config_show() -> None:
    """Print the configuration file's location and the defaults in effect, with where
    the region came from (option, config, locale, or the rules' default)."""
    import yaml

    from kneeguide.cli.settings import load
    from kneeguide.inputs.config import config_path, effective

    chosen = effective(None, None, None)
    if chosen["region"] is None:  # only the rule set in effect knows its default region
        chosen["region"] = load(Path(chosen["rules"]) if chosen["rules"] else None).default_region
    exists = config_path().is_file()
    sys.stdout.write(f"# {config_path()}{'' if exists else ' (not created; built-in defaults)'}\n")
    shown = {k: v for k, v in chosen.items() if k != "config"}
    sys.stdout.write(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True))
