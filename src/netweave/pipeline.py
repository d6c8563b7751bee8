"""The netweave pipeline, top to bottom. Each step is one module with one job:

    design.yaml --load--> Design --expand--> Network --lint--> findings --render--> configs --> apply/lab/diff

`validate` runs the first three and is what `netweave validate` and every later command start from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netweave.errors import DesignError, Problem
from netweave.expand.expander import expand
from netweave.intent.design import Design
from netweave.lint import Finding, lint
from netweave.load.loader import load, locate
from netweave.network.gcpause import end_startup
from netweave.network.model import Network


@dataclass
class Validated:
    """A design that loaded and expanded, with its lint findings (errors included)."""

    design: Design
    network: Network
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def problems(self) -> list[Problem]:
        """Findings as located problems (file:line of the design path each one names)."""
        out = []
        for finding in self.findings:
            file, line = locate(self.design, finding.path)
            out.append(
                Problem(
                    f"[{finding.rule}] {finding.severity}: {finding.message}",
                    path=finding.path,
                    file=file,
                    line=line,
                    hint=finding.hint,
                )
            )
        return out


def validate(
    path: str | Path, progress: Callable[[str], None] | None = None, *, parallel_lint: bool = False
) -> Validated:
    """Load, validate, expand and lint a design file.

    Raises `DesignError` when the file cannot be read, parsed, validated or expanded; lint findings
    (including errors) are returned for the caller to report. `progress` hears each stage as it starts
    (the CLI shows it on a terminal: a 100,000-GPU design takes seconds per stage). `parallel_lint` lets lint
    fork a second process for a big network: for a one-shot command (`netweave validate`/`build`), not for a
    library caller or a Pulumi program, whose process already shares the cores (and may run threads).
    """
    report = progress or (lambda _stage: None)
    report(f"loading {path}")
    design = load(path)  # YAML + JSON Schema + pydantic, located errors
    report(f"expanding {sum(len(site.fabrics) for site in design.sites)} fabric(s) of {design.name}")
    network = expand(design)  # modules derive devices, links, addresses, ASNs, sessions
    report(f"linting {len(network.devices)} devices, {len(network.links)} links")
    findings = lint(network, parallel=parallel_lint)  # rules over the Network; errors stop later stages
    end_startup()  # a CLI run's start-up ends here: what exists now lives to the end, keep it out of collections
    return Validated(design=design, network=network, findings=findings)


def require_clean(result: Validated) -> Validated:
    """Raise `DesignError` when lint found errors (stages after validation refuse to run on them)."""
    if result.errors:
        raise DesignError([p for p, f in zip(result.problems(), result.findings, strict=True) if f.severity == "error"])
    return result
