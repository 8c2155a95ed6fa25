"""``kneeguide config show``: where the user's defaults live and which are in effect."""

import sys

import typer

from kneeguide.cli.guard import guarded

config_app = typer.Typer(help="Show the user's defaults.", no_args_is_help=True)


@config_app.command("show")
@guarded
def config_show() -> None:
    """Print the configuration file's location and the defaults in effect."""
    import yaml

    from kneeguide.inputs.config import config_path, effective

    chosen = effective(None, None, None)
    exists = config_path().is_file()
    sys.stdout.write(f"# {config_path()}{'' if exists else ' (not created; built-in defaults)'}\n")
    sys.stdout.write(yaml.safe_dump({k: v for k, v in chosen.items() if k != "config"}, sort_keys=False))
