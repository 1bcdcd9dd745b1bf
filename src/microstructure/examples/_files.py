"""The bundled example written as the files the command line reads."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from microstructure._data import load_data
from microstructure.errors import ConfigurationError, FieldError
from microstructure.io import document_format, document_types

__all__ = ["EXAMPLE_FILES", "write_example"]

#: The files `write_example` writes, in order, with what each holds.
EXAMPLE_FILES: dict[str, str] = {
    "national.json": "team file: the national level with its two regional networks",
    "national.schedule.json": "schedule file of every microstructure of national.json",
    "network.json": "team file: the Alsace network alone (three microstructures)",
    "network.schedule.json": "schedule file of the microstructures of network.json",
    "situations.csv": "patient situations to decide eligibility for (codes, no names)",
    "identities.csv": "invented patients' identities to pseudonymise",
    "held.json": "sessions held in the Alsace network in March 2026",
    "policy.json": "the Alsace network's own Equip'addict eligibility policy",
}

_COPIED = ("situations.csv", "identities.csv", "held.json", "policy.json")


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _versioned(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the format name and version of its document ``kind`` first."""
    fmt = document_format(document_types()[kind])
    if fmt is None:  # pragma: no cover - every generated example has a format
        return data
    body = {key: value for key, value in data.items() if key not in {"format", "version"}}
    return {"format": fmt.name, "version": fmt.version, **body}


def _contents() -> dict[str, str]:
    national: dict[str, Any] = load_data("examples/national.json")
    schedule: dict[str, Any] = load_data("examples/schedule.json")
    network = next(n for n in national["networks"] if n["region"] == "44")
    ids = {ms["id"] for ms in network["microstructures"]}
    network_schedule = {
        **schedule,
        "schedules": [s for s in schedule["schedules"] if s["microstructure"] in ids],
    }
    from importlib import resources  # noqa: PLC0415 - loads tempfile, shutil, zipfile…

    folder = resources.files("microstructure").joinpath("data").joinpath("examples")
    copied = {name: folder.joinpath(name).read_text(encoding="utf-8") for name in _COPIED}
    generated = {
        "national.json": _json_text(_versioned("national", national)),
        "national.schedule.json": _json_text(_versioned("schedule", schedule)),
        "network.json": _json_text(_versioned("network", network)),
        "network.schedule.json": _json_text(_versioned("schedule", network_schedule)),
    }
    return {name: {**generated, **copied}[name] for name in EXAMPLE_FILES}


def _write_new(path: Path, text: str, *, overwrite: bool) -> None:
    """Write a complete file at ``path`` in one step: a part file, then a rename or a link."""
    import tempfile  # noqa: PLC0415 - loads shutil and random: only when writing

    descriptor, part = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(part, 0o644)  # noqa: PTH101 - the sample files are public, fictional data
        if overwrite:
            Path(part).replace(path)  # replaces a symbolic link, never follows it
        else:
            os.link(part, path)  # fails if the path exists, even as a dangling link
    finally:
        with contextlib.suppress(OSError):
            Path(part).unlink()


def write_example(directory: str | os.PathLike[str], *, overwrite: bool = False) -> list[Path]:
    """Write the bundled fictional example as files, for the command line or a tutorial.

    The files are those of `EXAMPLE_FILES`: team files with their schedule files
    beside them (``network.json`` and ``network.schedule.json``, as
    ``microstructure schedule`` expects), a situations CSV, an identities CSV of
    invented people, a held-sessions file and a network's own policy. Every name in
    them is invented. The directory is created if needed.

    Args:
        directory: where to write; created with its parents if missing.
        overwrite: replace files that exist already (refused by default, before
            anything is written).

    Returns:
        The paths written, in the order of `EXAMPLE_FILES`.

    Raises:
        ConfigurationError: if a file exists already and ``overwrite`` is false, or a
            file cannot be written.
        FieldError: if ``directory`` is not a path or ``overwrite`` not a boolean.

    Examples:
        >>> import tempfile
        >>> from microstructure.examples import write_example
        >>> from microstructure.io import read_file
        >>> folder = tempfile.mkdtemp()
        >>> [path.name for path in write_example(folder)][:2]
        ['national.json', 'national.schedule.json']
        >>> read_file(f"{folder}/network.json", what="team")["id"]
        'reseau-alsace'
        >>> write_example(folder)
        Traceback (most recent call last):
        ...
        microstructure.errors.ConfigurationError: the example files exist already in ...: national.json, ...; pass overwrite=True (--force) to replace them
    """
    if not isinstance(directory, str | os.PathLike):
        raise FieldError(type(directory).__name__, "a directory path", field="directory")
    if not isinstance(overwrite, bool):
        raise FieldError(type(overwrite).__name__, "True or False", field="overwrite")
    folder = Path(directory)
    contents = _contents()
    targets = [folder / name for name in contents]
    existing = [path.name for path in targets if path.exists() or path.is_symlink()]
    if existing and not overwrite:
        msg = (
            f"the example files exist already in {str(folder)!r}: {', '.join(existing)}; "
            "pass overwrite=True (--force) to replace them"
        )
        raise ConfigurationError(msg)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in zip(targets, contents.values(), strict=True):
            _write_new(path, text, overwrite=overwrite)
    except FileExistsError:
        msg = (
            f"the example files exist already in {str(folder)!r}; "
            "pass overwrite=True (--force) to replace them"
        )
        raise ConfigurationError(msg) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) else "not a usable path"
        msg = f"cannot write the example files in {str(folder)!r}: {reason or exc}"
        raise ConfigurationError(msg) from None
    return targets
