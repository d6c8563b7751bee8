"""The README's Quick tour runs as documented: every command a newcomer can run without root or a device.

Each `.venv/bin/netweave ...` line of the tour runs in a temporary copy of the bundled stacks (committed to a
git repository with a `main` branch, as `diff --base main` needs) and must exit 0. Lines that need root (`sudo`:
a lab) or a running lab (`plan --lab`) are covered by the lab and apply tests instead; the test asserts it
skipped only those, so a new tour line cannot silently go unchecked.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

NEEDS_A_LAB = ("sudo ", "--lab ")


def tour_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    block = re.search(r"## Quick tour\n\n```bash\n(.*?)```", text, re.S)
    assert block is not None, "README has no Quick tour block"
    lines = [re.split(r"\s#\s", line, maxsplit=1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


def test_every_tour_command_runs_as_documented(tmp_path: Path) -> None:
    work = tmp_path / "tour"
    for folder in ("stacks", "schemas"):  # the tour runs in a checkout: `schema --check` reads ./schemas
        shutil.copytree(REPO / folder, work / folder)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=work, check=True)
    subprocess.run([*git, "add", "-A"], cwd=work, check=True)
    subprocess.run([*git, "commit", "-qm", "stacks"], cwd=work, check=True)
    ran, skipped = [], []
    for line in tour_commands():
        if any(marker in line for marker in NEEDS_A_LAB):
            skipped.append(line)
            continue
        argv = shlex.split(line.split(">", 1)[0])
        assert argv[0] == ".venv/bin/netweave", line
        env = {k: v for k, v in os.environ.items() if not k.startswith("NETWEAVE_PASSWORD")}
        done = subprocess.run(
            [sys.executable, "-m", "netweave", *argv[1:]],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        assert done.returncode == 0, (line, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, line
        ran.append(line)
    assert len(ran) >= 10 and all(any(m in line for m in NEEDS_A_LAB) for line in skipped)
    assert (work / "build" / "prod" / "configs").is_dir() and (
        work / "build" / "prod" / "docs" / "index.html"
    ).is_file()
