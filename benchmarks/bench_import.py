"""Import time of `microstructure`, as a ratio to `import attrs, cattrs, pendulum`.

`import microstructure` loads subpackages on first use (PEP 562), so the script also
times importing every subpackage, which is what a program using everything pays.
Each figure is the median wall time of a fresh interpreter importing the modules
(minus an empty interpreter's start-up), over several runs, in this same run.

Run: python benchmarks/bench_import.py
"""

import statistics
import subprocess
import sys
import time

RUNS = 15


def _time(code: str) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    """Print the import times and their ratio."""
    empty = _time("pass")
    baseline = _time("import attrs, cattrs, pendulum") - empty
    ours = _time("import microstructure") - empty
    full = (
        _time(
            "import microstructure.teams, microstructure.programs, microstructure.territory, "
            "microstructure.eligibility, microstructure.identifiers, microstructure.scheduling"
        )
        - empty
    )
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys, microstructure; "
                "print(sorted(m for m in ('holidays', 'icalendar', 'rich') if m in sys.modules))"
            ),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"interpreter start-up        {empty * 1000:7.1f} ms (subtracted)")
    print(f"import attrs, cattrs, pendulum {baseline * 1000:7.1f} ms")
    print(f"import microstructure       {ours * 1000:7.1f} ms")
    print(f"ratio                       {ours / baseline:7.2f}x (aim <= 1.3x)")
    print(f"every subpackage imported   {full * 1000:7.1f} ms ({full / baseline:.2f}x)")
    print(f"heavy modules loaded        {heavy}")


if __name__ == "__main__":
    main()
