"""Where one `netweave build` (or `validate`) of the 2+256 EVPN fabric spends its CPU time (not a test).

Issue #19's small targets are whole processes (`targets.py`); this splits one such run into the steps the
`build` command takes, in the same order, each timed in CPU seconds (`time.process_time`: steadier than wall
time on a shared machine, and what a step costs whoever else runs). Each run is a fresh interpreter (imports
are most of the figure); the table is the minimum of each step over the runs, beside the bare interpreter start.

Usage (from the repository root, sources byte-compiled as `targets.py` does):
  .venv/bin/python -m benchmarks.breakdown [--nos eos|srlinux] [--runs N] [--validate]
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from benchmarks.floor import interpreter_start
from benchmarks.pipeline_scale import evpn_design

REPO = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, sys, time
from pathlib import Path
from netweave.network.gcpause import end_startup, pause_startup
pause_startup()  # as `netweave build`/`validate` do, until validation ends
steps = {}
last = time.process_time()
def step(name):
    global last
    now = time.process_time()
    steps[name] = now - last
    last = now
import typer
step("import typer (click, its pydantic adapters load on first use)")
import netweave.cli
step("import the CLI's command modules")
from netweave.pipeline import validate
step("import the pipeline (pydantic, intent models, network model, yaml)")
from netweave.output.build import build
step("import the build stage (jinja2, render, output)")
import netweave.load.loader
loader = sys.modules["netweave.load.loader"]
from netweave.expand.expander import expand
from netweave.lint import lint
loader.generated_check()  # the generated validator (jsonschema only loads for a rejected design)
step("entry points: fabric modules, NOS profiles, lint rules, Design model, schema validator")
from netweave.load.yamlsource import load_yaml
doc = load_yaml(Path(sys.argv[1]))
step("YAML with a line per value")
assert not loader.schema_problems(doc)
step("JSON Schema")
design = loader.design_model_for(doc.data).model_validate(doc.data)  # as `load` does
design._source = doc
step("pydantic validation")
network = expand(design)
step("expand")
findings = lint(network)
end_startup()
step("lint")
if len(sys.argv) > 2:
    from netweave.output import tree, views
    from netweave.render.parallel import render_all
    configs = render_all(network)
    step("render (serial or forked: CPU of this process only)")
    files = {f"configs/{name}": text for c in configs for name, text in c.files.items()}
    files["network.json"] = network.to_json_bytes(newline=True)
    step("network.json")
    files["cabling.csv"] = views.to_csv(views.cabling(network))
    step("cabling.csv")
    out = Path(sys.argv[2])
    with tree.build_lock(out):
        tree.recover(out)
        previous = {str(p) for p in tree.read_manifest(out)}
        tree.commit(tree.begin(out, files, sorted(files), sorted(previous - set(files))))
    step("write the build directory (lock, compare, stage, commit)")
print(json.dumps(steps))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nos", default="eos", help="leaf and spine NOS (eos, srlinux, ...)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--validate", action="store_true", help="stop after lint (what `netweave validate` does)")
    args = parser.parse_args()
    compileall.compile_dir(REPO / "src" / "netweave", quiet=1)
    with tempfile.TemporaryDirectory(prefix="netweave-breakdown-") as name:
        tmp = Path(name)
        data = evpn_design(256, args.nos)
        data["sites"][0]["fabrics"][0]["oversubscription"] = 24  # as targets.py: 48 x 100G over 2 x 100G
        design = tmp / "design.yaml"
        design.write_text(yaml.safe_dump(data, sort_keys=False))
        argv = [sys.executable, "-c", PROBE, str(design)] + ([] if args.validate else [str(tmp / "out")])
        runs = [
            json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)
            for _ in range(args.runs)
        ]
    start = interpreter_start()
    steps = {key: min(run[key] for run in runs) for key in runs[0]}
    width = max(len(key) for key in steps)
    print(f"{'interpreter start (wall, python -c pass)':<{width}}  {start:6.3f}")
    for key, seconds in steps.items():
        print(f"{key:<{width}}  {seconds:6.3f}")
    print(f"{'sum of the minimums (CPU s)':<{width}}  {sum(steps.values()):6.3f}")


if __name__ == "__main__":
    main()
