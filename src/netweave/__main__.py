"""`python -m netweave` runs the CLI."""

from netweave.cli import run

run()
