"""The README's command-line section runs as written, in the directory the example makes."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"
SETUP = "microstructure example --out demo && cd demo"


def _blocks(section: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {section}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```bash\n(.*?)```", text[start:end], flags=re.DOTALL)


def _commands() -> list[str]:
    blocks = _blocks("Command line")
    assert blocks[0].strip() == SETUP, "the section starts with the example set-up"
    return [line for line in blocks[1].splitlines() if line.strip()]


def _environment() -> dict[str, str]:
    scripts = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": scripts + os.pathsep + os.environ.get("PATH", ""),
        "COLUMNS": "100",
    }


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = _environment()
    program = shutil.which(argv[0], path=environment["PATH"])
    assert program is not None, f"{argv[0]} is not installed next to {sys.executable}"
    return subprocess.run(
        [program, *argv[1:]],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_readme_section_has_the_expected_commands():
    """The block holds one command per line, each a microstructure command."""
    commands = _commands()
    assert len(commands) >= 6
    assert all(shlex.split(line, comments=True)[0] == "microstructure" for line in commands)


def test_readme_commands_run_as_written(tmp_path):
    """After the example set-up, each README command in turn exits 0 and writes the files it names."""
    setup = _run(["microstructure", "example", "--out", "demo"], tmp_path)
    assert setup.returncode == 0, setup.stderr
    demo = tmp_path / "demo"
    for command in _commands():
        argv = shlex.split(command, comments=True)
        before = {p.name for p in demo.iterdir()}
        result = _run(argv, demo)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        named = [a for a in argv[1:] if not a.startswith("-") and re.fullmatch(r"[\w.-]+\.\w+", a)]
        missing = [name for name in named if not (demo / name).is_file()]
        assert missing == [], f"{command} did not write {missing}"
        written = {p.name for p in demo.iterdir()} - before
        assert written <= set(named), f"{command} wrote files it does not name: {written}"
        assert all((demo / name).stat().st_size > 0 for name in written)


def test_example_refuses_to_overwrite(tmp_path):
    """A second `example --out` into the same directory fails and leaves the files alone."""
    assert _run(["microstructure", "example", "--out", "demo"], tmp_path).returncode == 0
    network = tmp_path / "demo" / "network.json"
    network.write_text("{}", encoding="utf-8")
    again = _run(["microstructure", "example", "--out", "demo"], tmp_path)
    assert again.returncode == 2
    assert "exist already" in again.stderr
    assert network.read_text(encoding="utf-8") == "{}"
    forced = _run(["microstructure", "example", "--out", "demo", "--force"], tmp_path)
    assert forced.returncode == 0
    assert '"reseau-alsace"' in network.read_text(encoding="utf-8")


def test_cli_reference_lists_every_command():
    """The command-line reference page has a row for every registered command."""
    from microstructure.cli._main import _COMMANDS

    page = (README.parent / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    missing = [
        name for name in _COMMANDS if f"| `{name} " not in page and f"| `{name}`" not in page
    ]
    assert missing == []
