"""Find the rendered files of a build directory and have each NOS's validator judge them.

`VALIDATORS` is the one registry, keyed by validator name; `SUFFIXES` says which validator judges which
rendered file. A validator takes every file it judges at once, because the YANG-based ones pay seconds to
load a schema and must do so once per run, not once per file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import netweave.check.eos as eos
import netweave.check.frr as frr
import netweave.check.nvue as nvue
import netweave.check.srlinux as srlinux
from netweave.check.problems import CheckProblem, ValidatorUnavailable
from netweave.check.sonic import check_sonic
from netweave.check.sros import check_sros
from netweave.check.yang import default_models_dir

__all__ = [
    "SUFFIXES",
    "VALIDATORS",
    "CheckReport",
    "RenderedFile",
    "Validator",
    "ValidatorUnavailable",
    "check_build",
    "rendered_files",
    "run_checks",
]

Validator = Callable[[list[Path], Mapping[str, str], Path], list[CheckProblem]]
"""(files, device -> catalogue platform, models folder) -> problems. Raises ValidatorUnavailable when its tool
or model set is missing."""


def _platform_free(check: Callable[[Sequence[Path], Path], list[CheckProblem]]) -> Validator:
    """A validator whose model does not depend on the platform (the SONiC and SR OS YANG)."""

    def validate(files: list[Path], _platform_of: Mapping[str, str], models: Path) -> list[CheckProblem]:
        return check(files, models)

    return validate


VALIDATORS: dict[str, Validator] = {
    "eos": eos.validate,  # Arista AVD's eos_cli_config_gen command forms + the catalogue's cage layout
    "frr": frr.validate,  # FRR's own parser: vtysh --dryrun
    "nvue": nvue.validate,  # NVIDIA's NVUE model of the release the file names (nvueschema)
    "sonic": _platform_free(check_sonic),  # sonic-yang-models with yanglint
    "srlinux": srlinux.validate,  # Nokia's SR Linux YANG with yanglint, per platform feature profile
    "sros": _platform_free(check_sros),  # Nokia's SR OS 25.10 YANG with yanglint
}
"""The judge of each rendered file kind: the vendor's published model wherever one exists."""

SUFFIXES: tuple[tuple[str, str], ...] = (
    (".config_db.json", "sonic"),
    (".sonic-frr.conf", "frr"),
    (".sros.cfg", "sros"),
    (".srlinux.json", "srlinux"),
    (".eos.cfg", "eos"),
    (".nvue.yaml", "nvue"),
    (".frr.conf", "frr"),
)
"""Rendered file suffix -> validator, longest first where one suffix ends another (.sonic-frr.conf is FRR's
parser's business: SONiC's bgpd reads it as FRR does)."""


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """One rendered config: where it is, whose it is, and what judges it."""

    path: Path
    device: str
    validator: str
    platform: str | None = None


@dataclass(slots=True)
class CheckReport:
    """What a check run found: problems, the files judged, and files no installed validator judges."""

    problems: list[CheckProblem] = field(default_factory=list)
    checked: list[RenderedFile] = field(default_factory=list)
    unchecked: list[RenderedFile] = field(default_factory=list)


def rendered_files(build_dir: Path) -> list[RenderedFile]:
    """The rendered configs under BUILD_DIR/configs, with each device's platform from network.json."""
    configs = build_dir / "configs"
    if not configs.is_dir():
        raise FileNotFoundError(f"{configs} does not exist: run `netweave build DESIGN -o {build_dir}` first")
    platforms: dict[str, str | None] = {}
    network = build_dir / "network.json"
    if network.is_file():
        try:
            data = json.loads(network.read_text())
            platforms = {d["name"]: d.get("platform") for d in data.get("devices", []) if isinstance(d, dict)}
        except (ValueError, KeyError, TypeError, AttributeError):
            platforms = {}
    found: list[RenderedFile] = []
    for path in sorted(configs.iterdir()):
        if not path.is_file():
            continue
        for suffix, validator in SUFFIXES:
            if path.name.endswith(suffix):
                device = path.name[: -len(suffix)]
                found.append(RenderedFile(path, device, validator, platforms.get(device)))
                break
    return found


def run_checks(build_dir: Path, models: Path | None = None, only: Sequence[str] | None = None) -> CheckReport:
    """Judge every rendered file of BUILD_DIR by its NOS's validator; `only` limits the validators run.

    Raises ValidatorUnavailable (naming what to install) when a needed validator's tool or models are missing,
    and FileNotFoundError when BUILD_DIR has no configs.
    """
    folder = models if models is not None else default_models_dir()
    report = CheckReport()
    by_validator: dict[str, list[RenderedFile]] = {}
    for rendered in rendered_files(build_dir):
        if only is not None and rendered.validator not in only:
            continue
        if rendered.validator in VALIDATORS:
            by_validator.setdefault(rendered.validator, []).append(rendered)
        else:
            report.unchecked.append(rendered)
    for name, files in sorted(by_validator.items()):
        platform_of = {f.device: f.platform for f in files if f.platform}
        report.problems.extend(VALIDATORS[name]([f.path for f in files], platform_of, folder))
        report.checked.extend(files)
    report.problems.sort(key=lambda p: (p.file, p.line or 0, p.path, p.message))
    return report


def check_build(build_dir: Path, models: Path | None = None) -> list[CheckProblem]:
    """Every problem the vendors' published models find in BUILD_DIR's rendered configs (empty: all valid)."""
    return run_checks(build_dir, models).problems
