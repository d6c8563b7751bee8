"""Render many devices on two processes, byte-identical to the serial path.

Rendering is CPU-bound Python (Jinja), so threads do not help. A big network is split between this process and
one forked helper (`os.fork`): the helper inherits the already-built Network (no pickling of the model), first
does the caller's one-off side job (`netweave build`: network.json and cabling.csv), then both take chunks of
devices from one queue until it is empty, each applying `handle` where it rendered (the build writes each
config into its stage there). The helper sends back only what `handle` returned (file names) and how it ended.

Why not a `multiprocessing.Pool`, as before: on this 2-core machine a pool of 2 workers cost ~0.05-0.065 s to
start, feed and collect (a thread per pool, pickled tasks, 4 chunks per worker) while the parent sat idle; the
2+256 EOS fabric rendered faster serially (0.060 s) than forked (0.082-0.095 s). At 100,000 GPUs the parent
idled beside three children (two workers and the network.json writer) that each touched, and so copied, the
parent's heap: 451k minor page faults and 4.9 s of system time. One helper and a working parent use both
cores with one copy-on-write image; with the collector paused in both during the split (rendering makes no
cyclic garbage: measured 0 objects for 200 devices of the EVPN and AI fabrics), no collection walks the
inherited heap and dirties its pages. Measured on the 100,000-GPU NVUE build (whole process, machine load ~4):
Pool + writer 451-465k minor faults, 674 MB peak RSS, 15.0-16.6 s CPU; this split (with network.json written in
pieces, `netweave.output.network_json`) 275-288k faults, 430-434 MB, 12.9-13.9 s CPU; all in one process 137k
faults, 448 MB, 11.6-12.4 s CPU. The split's extra CPU is copy-on-write faults (~5-20 us each on this VM); it
pays in wall time only when the second core is free.

Failure semantics are the serial path's: the error raised is the one of the first failing device in
canonical order (when a process fails it drains the queue, so the other finishes only the chunks it holds,
all of which come before any chunk not yet handed out); a side job's error is raised only when every device
rendered. The helper is always reaped (killed first if this process fails or is interrupted), and on a system
without `fork` everything runs serially here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import statistics
import struct
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from netweave.network.model import Network
from netweave.render.context import index_for
from netweave.render.engine import RenderedConfig, render_device

PROBE_DEVICES = 16
"""Devices rendered serially first, in this process, to time this network's templates."""
FORK_MIN_SERIAL_S = 0.5
"""Split only when the rest would take at least this long serially. The split's cost is mostly page faults: every
page either process writes after the fork (reference counts of the modules, templates and Network objects it
touches) is copied or re-mapped, ~10,000 faults for the 2+256 EVPN fabric at ~5-20 us each on this VM. Measured
on 2 cores (machine load ~4), whole `netweave build` processes, SR Linux 2+256 (0.24-0.27 s of rendering):
serial 0.73 s wall / 0.70 s CPU, split 0.89 s / 0.89 s; in one warm process the split cost ~0.03-0.04 s of CPU
(EOS: 0.069 -> 0.10 s). At 100,000 GPUs (3.6 s of rendering) it halves the rendering's wall time. A device
count cannot say it (an SR Linux leaf costs ~4x an EOS one): the probe's timing decides."""
CHUNKS_PER_PROCESS = 16
"""Queue granularity: enough chunks that the two processes finish together (the helper starts late, after its
side job), few enough that taking one is negligible. The queue is preloaded into a pipe (4 bytes a chunk) before
forking, far below its 64 KiB buffer."""
T = TypeVar("T")
_CHUNK = struct.Struct("<I")


def render_all(network: Network, only: Iterable[str] | None = None, workers: int = 0) -> list[RenderedConfig]:
    """Render every device (or `only`), in canonical order. `workers`: 0 = split with a forked helper when the
    rest of the network would take `FORK_MIN_SERIAL_S` or more to render serially (timed on its first devices)
    and a core is free (`core_free`), 1 = serial, 2 or more = always split (there is one helper: this process is
    the other worker)."""
    return render_each(network, _same, only, workers)


def _same(config: RenderedConfig) -> RenderedConfig:
    return config


def render_each(
    network: Network,
    handle: Callable[[RenderedConfig], T],
    only: Iterable[str] | None = None,
    workers: int = 0,
    side: Callable[[], None] | None = None,
) -> list[T]:
    """`render_all`, with `handle` applied to each config where it was rendered (in the helper, when split);
    what `handle` returns comes back, in device order. `netweave build` writes each config to its stage where
    it was rendered and gets back only the file names: at 100,000 GPUs the configs are hundreds of MB.

    `side`: a job to run once besides rendering, in the helper before it renders when the work is split (so it
    overlaps with this process's rendering), else here after rendering; its error is raised after any
    rendering error, as when it ran last."""
    wanted = set(only) if only is not None else None
    first: list[T] = []
    split = wanted is None and workers != 1 and hasattr(os, "fork")
    if split and workers == 0:
        first, per_device = _probe(network, handle)
        split = per_device * (len(network.devices) - len(first)) >= FORK_MIN_SERIAL_S and core_free()
    if split:
        return first + _split(network, handle, len(first), side)
    rest = network.devices[len(first) :]
    done = first + [handle(render_device(network, d)) for d in rest if wanted is None or d.name in wanted]
    if side is not None:
        side()
    return done


def core_free() -> bool:
    """Whether a second core is likely idle for the helper: the 1-minute load average is below the cores this
    process may run on minus a half (a build that has run for a while counts ~1 itself).

    On a busy machine the split only adds its copy-on-write faults: measured here at machine load 2.5-5, the
    100,000-GPU build took 12.6-20.9 s wall / 12.1-12.4 s CPU in one process and 14.3-22.1 s / 12.0-13.9 s split;
    the split is for a free core. Where the load cannot be read, two or more cores count as free."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return cores > 1
    return cores > 1 and load < cores - 0.5


def _probe(network: Network, handle: Callable[[RenderedConfig], T]) -> tuple[list[T], float]:
    """The first `PROBE_DEVICES` rendered, and the median CPU seconds one of them took: CPU, not wall, so other
    jobs' load does not make forking look worth it; the median, so neither the first device (which compiles
    the templates) nor a spine with hundreds of sessions stands for a typical device."""
    first: list[T] = []
    times: list[float] = []
    for device in network.devices[:PROBE_DEVICES]:
        started = time.process_time()
        config = render_device(network, device)
        times.append(time.process_time() - started)
        first.append(handle(config))
    return first, statistics.median(times) if times else 0.0


def _split(
    network: Network, handle: Callable[[RenderedConfig], T], start: int, side: Callable[[], None] | None
) -> list[T]:
    """Devices `start`.. rendered (and handled) by this process and one forked helper; results in device order."""
    count = len(network.devices)
    chunks = 2 * CHUNKS_PER_PROCESS
    step = max(1, -(-(count - start) // chunks))
    bounds = [(lo, min(lo + step, count)) for lo in range(start, count, step)]
    network.device_by_name  # noqa: B018  (build shared indexes once, before forking: both processes use them)
    network.neighbors(network.devices[0].name) if network.devices else None
    index_for(network)
    queue_read, queue_write = os.pipe()
    try:
        os.write(queue_write, b"".join(_CHUNK.pack(n) for n in range(len(bounds))))  # < 64 KiB: never blocks
    finally:
        os.close(queue_write)
    answer_read, answer_write = os.pipe()
    collecting = gc.isenabled()
    gc.disable()
    try:
        pid = os.fork()
        if pid == 0:  # the helper: never returns into the caller's code
            os.close(answer_read)
            _helper(network, handle, bounds, queue_read, answer_write, side)
        os.close(answer_write)
        answer_write = -1
        try:
            mine, failed = _take(network, handle, bounds, queue_read)
            if failed is not None:
                _drain(queue_read)
            theirs = _answer(answer_read, pid)
        except BaseException:
            _reap(pid, kill=True)
            raise
    finally:
        for fd in (queue_read, answer_read, answer_write):
            if fd >= 0:
                os.close(fd)
        if collecting:
            gc.enable()
    their_done, their_failed, side_error = theirs
    failures = [f for f in (failed, their_failed) if f is not None]
    if failures:
        raise min(failures, key=lambda f: f[0])[1]
    if side_error is not None:
        raise side_error
    by_chunk = {**mine, **their_done}
    return [result for n in range(len(bounds)) for result in by_chunk[n]]


def _take(
    network: Network, handle: Callable[[RenderedConfig], T], bounds: list[tuple[int, int]], queue: int
) -> tuple[dict[int, list[T]], tuple[int, BaseException] | None]:
    """Render chunks from the queue until it is empty or one fails: (results by chunk, (chunk, error) or None).
    A 4-byte read from a pipe is atomic, so each chunk goes to exactly one process."""
    done: dict[int, list[T]] = {}
    while True:
        data = os.read(queue, _CHUNK.size)
        if not data:
            return done, None
        (n,) = _CHUNK.unpack(data)
        lo, hi = bounds[n]
        try:
            done[n] = [handle(render_device(network, device)) for device in network.devices[lo:hi]]
        except Exception as exc:  # KeyboardInterrupt and the like end the split at once instead
            return done, (n, exc)


def _drain(queue: int) -> None:
    """Empty the queue (after a failure): the other process then finishes only the chunk it is rendering."""
    while os.read(queue, 4096):
        pass


def _helper(
    network: Network,
    handle: Callable[[RenderedConfig], T],
    bounds: list[tuple[int, int]],
    queue: int,
    answer: int,
    side: Callable[[], None] | None,
) -> None:
    """The forked helper's whole life: the side job, then chunks; the answer (pickled) on `answer`; exit."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends the helper; the parent reports it
        side_error: BaseException | None = None
        done: dict[int, list[T]] = {}
        failed: tuple[int, BaseException] | None = None
        if side is not None:
            try:
                side()
            except Exception as exc:  # raised by the parent once every device rendered, as the serial path does
                side_error = exc
        if side_error is None:  # else the parent renders every chunk: its render errors come first
            done, failed = _take(network, handle, bounds, queue)
            if failed is not None:
                _drain(queue)
        payload = _pickled((done, failed, side_error))
        view = memoryview(payload)
        while view:
            view = view[os.write(answer, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _pickled(answer: tuple[dict[int, list[Any]], tuple[int, BaseException] | None, BaseException | None]) -> bytes:
    """The helper's answer, with any error that would not survive pickling replaced by a RuntimeError saying
    what it was (the parent must be able to raise something with the device's message)."""
    done, failed, side_error = answer

    def portable(exc: BaseException) -> BaseException:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            return RuntimeError(f"{type(exc).__name__}: {exc}")
        return exc

    return pickle.dumps(
        (
            done,
            (failed[0], portable(failed[1])) if failed is not None else None,
            portable(side_error) if side_error is not None else None,
        )
    )


def _answer(
    answer: int, pid: int
) -> tuple[dict[int, list[Any]], tuple[int, BaseException] | None, BaseException | None]:
    """Read the helper's answer to its end and reap it; a helper that died without one is an error."""
    parts = []
    while chunk := os.read(answer, 1 << 20):
        parts.append(chunk)
    status = _reap(pid, kill=False)
    if not parts:
        raise RuntimeError(f"the forked render helper ended without an answer (wait status {status})")
    result: tuple[dict[int, list[Any]], tuple[int, BaseException] | None, BaseException | None]
    result = pickle.loads(b"".join(parts))
    return result


def _reap(pid: int, kill: bool) -> int:
    """Wait for the helper (killing it first when `kill`): no zombie is left. Its wait status."""
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0
