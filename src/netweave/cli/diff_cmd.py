"""`netweave diff`: per-device config diffs between two git revisions of a design (for pull requests)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from netweave.cli.app import EXIT_FAILED, app, emit_json, reports_problems, stderr, stdout

if TYPE_CHECKING:  # expanding and rendering two revisions: imported when `diff` runs
    from netweave.diff.configs import DiffReport


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
@reports_problems
def diff(
    design: Path = typer.Argument(..., help="design YAML file (its path in the repository)", show_default=False),
    base: str = typer.Option(
        ..., "--base", help="git revision to compare against, e.g. origin/main", show_default=False
    ),
    head: str = typer.Option(None, "--head", help="git revision to compare (default: the working tree)"),
    output_format: DiffFormat = typer.Option(
        DiffFormat.text, "--format", "-f", help="text (coloured in a terminal), markdown (PR comment) or json"
    ),
    exit_code: bool = typer.Option(False, "--exit-code", help="exit 1 when there are changes, like git diff"),
    context: int = typer.Option(3, "--context", "-U", min=0, help="lines of context around each change"),
) -> None:
    """Show which devices a change adds, removes or changes, with a unified diff of each config.

    Revisions are read from git, never checked out: working tree, index and branch stay untouched.

    Lint findings that appear or disappear are listed too.

    Devices whose NOS has no renderer yet are compared by their expanded data.

    Exit 0, or 1 with --exit-code when something changed; 2 for a bad revision or an invalid design.

    Example: netweave diff stacks/lab/design.yaml --base origin/main --format markdown > diff.md
    """
    from netweave.diff.configs import diff_revisions
    from netweave.diff.markdown import to_markdown

    with _status(f"comparing {design} at {base} and {head or 'the working tree'}"):
        # the neighbourhood of the changed devices is drawn only by the markdown view
        markdown = output_format is DiffFormat.markdown
        report = diff_revisions(design, base, head, context=context, with_neighbourhood=markdown)
    if output_format is DiffFormat.json:
        emit_json(report.as_dict())
    elif output_format is DiffFormat.markdown:
        sys.stdout.write(to_markdown(report))
    else:
        print_text(report)
    if exit_code and report.has_changes:
        raise typer.Exit(EXIT_FAILED)


@contextlib.contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner on stderr in a terminal; nothing when piped (CI logs stay clean)."""
    if stderr.is_terminal:
        with stderr.status(message, spinner="dots"):
            yield
    else:
        yield


_STATUS_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}


def print_text(report: DiffReport) -> None:
    """The human view: summary, per-device counts, lint changes, then the coloured diffs."""
    from rich.text import Text  # rich loads when something is printed, not for `--help`

    s = report.summary()
    out = Text()
    out.append(f"{report.design}: ", style="bold").append(f"{report.base.label} -> {report.head.label}\n")
    if not report.devices:
        state = "design identical at both revisions" if report.stats.same_text else "no device configuration changes"
        out.append(f"{state} ({s['unchanged']} devices unchanged)\n")
    else:
        out.append(f"{s['added']} added, {s['removed']} removed, {s['changed']} changed, {s['unchanged']} unchanged; ")
        out.append(f"+{s['lines_added']}", style="green").append(" ").append(f"-{s['lines_removed']}", style="red")
        out.append(" lines\n")
        width = max(len(d.name) for d in report.devices)
        for device in report.devices:
            out.append(f"  {device.name:<{width}}  ").append(f"{device.status:<8}", style=_STATUS_STYLE[device.status])
            out.append(f" {device.nos:<8} ").append(f"+{device.added}", style="green").append(" ")
            out.append(f"-{device.removed}", style="red")
            out.append(f"  ({device.note})\n" if device.note else "\n")
    for change in report.lint:
        f = change.finding
        out.append(f"lint {change.change}: ", style="red" if change.change == "appeared" else "green")
        out.append(f"[{f.rule}] {f.severity}: {f.path}: {f.message}\n")
    for margin in report.optical_margins:
        out.append(f"optical margin {margin.path}: {margin.base_margin_db} dB -> {margin.head_margin_db} dB\n")
    for device in report.devices:
        out.append(f"\n{device.name} ({device.status})\n", style="bold")
        for line in device.diff.splitlines():
            out.append(line + "\n", style=_line_style(line))
    stdout.print(out, markup=False, highlight=False, end="")


def _line_style(line: str) -> str:
    if line.startswith(("+++ ", "--- ")):
        return "bold"
    if line.startswith("@@"):
        return "cyan"
    if line.startswith("+"):
        return "green"
    if line.startswith("-"):
        return "red"
    return ""
