"""A reader that stops early (``microstructure … | head -1``) never gets a traceback."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "--example", "--format", "json"],
        ["schedule", "--example", "--from", "2026-01-01", "--to", "2026-12-31"],
    ],
)
def test_a_closed_pipe_ends_quietly(arguments):
    """The command stops with 141 (128 + SIGPIPE) and prints no traceback."""
    command = [sys.executable, "-m", "microstructure", *arguments]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(1)
        process.stdout.close()  # the reader goes away after one byte
        errors = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
    assert status in {0, 141}
