"""Import time of `microstructure` against ``import attrs, cattrs, pendulum``.

`import microstructure` loads only `microstructure.errors` and loads subpackages on
first use (PEP 562), and each subpackage loads its private modules on first use of one of
its names; a program using the library pays for what it uses. So the script prints, each
as a median time ratio with min–max over interleaved runs of fresh interpreters (CPU time;
an empty interpreter's start-up, measured in the same rounds, is subtracted from both
sides):

- headline: every subpackage (found in the package, `io`, `cli` and `examples` included);
- every subpackage with every public name of each used once (all of the library loaded);
- `import microstructure` alone (errors only);
- each subpackage alone.

Every interpreter loads cached bytecode, as after ``pip install`` (see
`_harness.python_env`). Before timing, each import runs once and must succeed; `import microstructure` must not
load holidays, icalendar, rich, duckdb or matplotlib.

Run: python benchmarks/bench_import.py
"""

from __future__ import annotations

import argparse
import json
import pkgutil
import subprocess
import sys

import _harness

import microstructure

PEER = "import attrs, cattrs, pendulum"
SUBPACKAGES = tuple(
    sorted(info.name for info in pkgutil.iter_modules(microstructure.__path__) if info.ispkg)
)
EVERYTHING = "import " + ", ".join(f"microstructure.{name}" for name in SUBPACKAGES)
# Every subpackage imported and every public name of each used once: what a program
# pays that ends up using all of the library (subpackages load their names lazily).
EVERY_NAME = (
    f"import importlib; [getattr(m, n) for m in map(importlib.import_module, {EVERYTHING[7:].split(', ')!r})"
    " for n in m.__all__]"
)


def _cpu_of(code: str) -> float:
    command = [sys.executable, "-c", code]
    return _harness.timed(lambda: subprocess.run(command, check=True, env=_harness.python_env()))


def _heavy_after(code: str) -> list[str]:
    probe = (
        code
        + "; import json, sys; print(json.dumps(sorted(m for m in ('holidays', 'icalendar', 'rich', 'duckdb', 'matplotlib') if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env=_harness.python_env(),
    )
    return json.loads(result.stdout)


def run(args: argparse.Namespace) -> None:
    cases = {
        "every subpackage (cli, io, examples included)": (EVERYTHING, "<= 1.3x"),
        "every subpackage, every public name used once": (EVERY_NAME, ""),
        "import microstructure (errors only)": ("import microstructure", "<= 1.3x"),
        **{
            f"import microstructure.{name}": (f"import microstructure.{name}", "")
            for name in SUBPACKAGES
        },
    }
    light = _heavy_after("import microstructure")
    _harness.require_equal("heavy modules loaded by import microstructure", light, [])
    for code, _ in cases.values():
        _cpu_of(code)  # must succeed (check=True), and warms the file cache
    _cpu_of(PEER)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    peer: list[float] = []
    empty: list[float] = []
    for index in range(args.repeats):
        # One round: the empty interpreter, the peer and every case, in an order that
        # rotates between rounds so that no side always runs first.
        jobs = [("", "pass"), (PEER, PEER), *((name, code) for name, (code, _) in cases.items())]
        shift = index % len(jobs)
        for name, code in jobs[shift:] + jobs[:shift]:
            elapsed = _cpu_of(code)
            if name == "":
                empty.append(elapsed)
            elif name == PEER:
                peer.append(elapsed)
            else:
                samples[name].append(elapsed)
    peer_net = [p - e for p, e in zip(peer, empty, strict=True)]
    _harness.note(
        f"interpreter start-up (subtracted) {min(empty) * 1000:.1f} ms best; "
        f"heavy modules loaded by import microstructure: {light}"
    )
    for name, (_, aim) in cases.items():
        ours = [s - e for s, e in zip(samples[name], empty, strict=True)]
        _harness.summarize(_harness.Row(name, PEER, ours, peer_net, aim=aim))


if __name__ == "__main__":
    arguments = _harness.parser(__doc__)
    arguments.set_defaults(repeats=15)
    _harness.main(run, arguments)
