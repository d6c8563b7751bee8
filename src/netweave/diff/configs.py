"""Compare two renderings of a design: which devices were added, removed or changed, and how.

This is what a reviewer reads in a pull request: for each device whose configuration would change, a
unified diff per rendered file with +/- line counts, plus lint findings that appear or disappear.

Both sides are rendered by the same (installed) netweave, so a difference is always a difference in the
design, never in the tool. That also makes rendering reusable, which keeps a one-leaf change to a
1,000-switch design cheap:

1. identical design text at both revisions: load and expand once, render nothing (nothing can differ);
2. otherwise load and expand both, and compare each device's render inputs, everything rendering it
   reads (`netweave.render.context.render_inputs`: the device, its BGP neighbors, its peers' roles, the
   loopback pools, its platform, its QoS profile and the advertised pools). Equal inputs mean equal
   configs, so only devices whose inputs differ are rendered, on both sides, and diffed.

Devices whose NOS has no renderer (`UnsupportedNos`), or whose intent the renderer cannot express
(any `RenderError`), are compared by those same inputs as JSON instead, and the report says so.

For a big design (`FORK_MIN_SIZE`), where processes can fork, each revision is expanded, linted and digested in
a forked child of its own, both at once (at 100,000 GPUs each side is seconds of CPU): each child sends a digest
of each device's render inputs, its lint findings and optical margins, then renders its side of the devices
whose digests differ (`netweave.diff.forked`). The Networks never cross a pipe, and this process never holds one.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from netweave.diff.forked import FORK_MIN_SIZE, SideProcessError, compare_forked, declared_size
from netweave.diff.gitrev import RevisionText, read_at, read_revisions, read_working_tree
from netweave.diff.report import DATA_SUFFIX, DeviceDiff, DiffReport, DiffStats, FileDiff, LintChange, MarginChange
from netweave.diff.sides import Side, compare_sides, lint_changes, load_side, optical_margin_changes
from netweave.diff.unified import file_diff, unified_diff
from netweave.errors import DesignError
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.network.gcpause import gc_paused

__all__ = [
    "DATA_SUFFIX",
    "FORK_MIN_SIZE",
    "DeviceDiff",
    "DiffReport",
    "DiffStats",
    "FileDiff",
    "LintChange",
    "MarginChange",
    "Side",
    "SideProcessError",
    "compare_sides",
    "compare_texts",
    "diff_revisions",
    "file_diff",
    "lint_changes",
    "load_side",
    "optical_margin_changes",
    "unified_diff",
]


def diff_revisions(
    design: Path,
    base: str,
    head: str | None = None,
    *,
    context: int = 3,
    reuse: bool = True,
    with_neighbourhood: bool = True,
) -> DiffReport:
    """Compare `design` at git revision `base` with the working tree (or with revision `head`).

    Reads revisions with `git cat-file`, never checking anything out. Raises `DesignError` (located) for
    a bad revision, a design missing at a revision, or a design invalid at either side. `with_neighbourhood`
    False leaves `DiffReport.neighbourhood` None: only the markdown view draws it.
    """
    if head is None:
        base_text, head_text = read_at(design, base), read_working_tree(design)
    else:
        base_text, head_text = read_revisions(design, [base, head])
    return compare_texts(
        base_text, head_text, design=str(design), context=context, reuse=reuse, with_neighbourhood=with_neighbourhood
    )


def compare_texts(
    base: RevisionText,
    head: RevisionText,
    *,
    design: str,
    context: int = 3,
    reuse: bool = True,
    with_neighbourhood: bool = True,
) -> DiffReport:
    """Compare two design texts. With `reuse` (the default) identical texts are expanded once and not
    rendered, and unchanged devices are recognised by their render inputs; `reuse=False` renders everything."""
    started = time.perf_counter()
    with gc_paused():  # two expanded networks stay alive throughout: cycle scans would be wasted time
        if reuse and base.text == head.text:
            side = load_side(head)
            report = DiffReport(
                design=design,
                base=base,
                head=head,
                unchanged=len(side.network.devices),
                stats=DiffStats(same_text=True),
            )
        elif reuse:
            report = _compare_reusing(base, head, design=design, context=context, with_neighbourhood=with_neighbourhood)
        else:
            base_side, head_side = load_side(base), load_side(head)
            report = compare_sides(
                base_side, head_side, design=design, context=context, reuse=False, with_neighbourhood=with_neighbourhood
            )
    report.stats.seconds = time.perf_counter() - started
    return report


def _compare_reusing(
    base: RevisionText, head: RevisionText, *, design: str, context: int, with_neighbourhood: bool
) -> DiffReport:
    """`compare_sides` of the two revisions, each side in a forked process when the design is big enough and
    the platform can fork, else in this process.

    Both texts are loaded here first: after the first load (~50 ms of schema and model set-up, which the
    children then inherit) a load takes 1-7 ms, and the sizes the designs declare decide whether to fork. A base
    that does not load is reported first, as when the sides run in turn; a head that does not load is reported
    after the base has been expanded (which may fail first)."""
    base_design = loads(base.text, file=base.file)
    try:
        head_design = loads(head.text, file=head.file)
    except DesignError as exc:  # reported after the base's expansion errors, as when the sides run in turn
        expand(base_design)
        raise exc from None
    sizes = [declared_size(d) for d in (base_design, head_design)]
    big = any(size is None or size >= FORK_MIN_SIZE for size in sizes)
    if not big or "fork" not in multiprocessing.get_all_start_methods():
        base_side = load_side(base, base_design)
        head_side = load_side(head, head_design)
        return compare_sides(
            base_side, head_side, design=design, context=context, with_neighbourhood=with_neighbourhood
        )
    return compare_forked(
        (base, base_design), (head, head_design), design=design, context=context, with_neighbourhood=with_neighbourhood
    )
