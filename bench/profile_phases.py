"""Sorts `perf script -F comm,pid,tid,ip,sym` samples (with call chains) of one process into
phases, for bench/profile-page.sh. A sample belongs to the deepest phase on its stack (a statement
run from a component counts as sqlx, not as the component); the SQLite connection threads are
their own phase. Prints each phase's share and its server CPU per request.
Usage: profile_phases.py PID REQUESTS_PER_S WINDOW_START WINDOW_END SAMPLE_HZ < samples"""
import collections
import sys

# (phase, the path a frame's function starts with), from the outside in: the deepest match names
# the sample
RULES = [
    ("HTTP: hyper, sockets", "hyper::"),
    ("Leptos around the render (owner, context, stream)", "leptos_axum::"),
    ("rendering HTML (tachys)", "tachys::"),
    ("our components and server functions", "app::"),
    ("leptos_meta tags", "leptos_meta::"),
    ("sessions", "tower_sessions::"),
    ("sqlx, async side (pool, channels, rows)", "sqlx_core::"),
    ("sqlx, async side (pool, channels, rows)", "sqlx_sqlite::"),
]
SQLITE_THREADS = "SQLite connection threads (statements, waking, channels)"
OTHER = "runtime, scheduler, kernel (no phase on the stack)"


def main():
    pid, rps, start, end, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    counts = collections.Counter()
    total = 0
    header, frames = None, []

    def flush():
        nonlocal total
        if header is None:
            return
        fields = header.split()
        ids = next((f for f in fields if "/" in f and f.split("/")[0].isdigit()), None)
        if ids is None or ids.split("/")[0] != pid:
            return
        total += 1
        if header.startswith("sqlx-sqlite"):
            counts[SQLITE_THREADS] += 1
            return
        phase = OTHER
        for frame in reversed(frames):  # root first
            function = frame.lstrip("<")
            for name, path in RULES:
                if function.startswith(path):
                    phase = name
        counts[phase] += 1

    for line in sys.stdin:
        if not line.strip():
            continue
        if not line[0].isspace():
            flush()
            header, frames = line, []
            continue
        parts = line.strip().split(" ", 1)
        frames.append(parts[-1])
    flush()
    if total == 0:
        print("no samples of the server in this window")
        return
    cpu_s = total / hz  # CPU seconds sampled in the window
    per_request_us = cpu_s / (end - start) / rps * 1e6 if rps > 0 else float("nan")
    print(f"server CPU {cpu_s / (end - start):.2f} cores, {per_request_us:.0f} µs per request ({total} samples)")
    for phase, n in counts.most_common():
        print(f"  {100 * n / total:5.1f} %  {per_request_us * n / total:6.0f} µs  {phase}")


main()
