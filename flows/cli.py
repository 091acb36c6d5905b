"""The `gridscout` command line: thin wiring over plain functions.

Each command group lives in its own module (`flows/cli_*.py`) exposing `register(app)`; this module only
assembles them so the groups can evolve independently.
"""

from __future__ import annotations

import logging

import typer

from flows import cli_evaluate, cli_extract, cli_ingest, cli_sources, cli_warehouse

app = typer.Typer(
    name="gridscout",
    help="Turn energy news into a clean, queryable register of energy facilities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (cli_ingest, cli_extract, cli_evaluate, cli_warehouse, cli_sources):
    _module.register(app)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug details to stderr.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
