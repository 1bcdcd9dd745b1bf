"""Format names and versions: written first, optional on reading, newer ones refused."""

import json

import attrs
import pytest

from microstructure.errors import ValidationError
from microstructure.examples import example_national, write_example
from microstructure.io import (
    Format,
    _formats,
    document_format,
    document_types,
    dumps,
    from_data,
    to_data,
)
from microstructure.teams import Microstructure, NationalCoordination, Network, read_team_file

KEY = ("microstructure.teams", "Network")
FORMATS = {
    "national": "microstructure-national",
    "network": "microstructure-network",
    "microstructure": "microstructure-team",
    "program": "microstructure-program",
    "policy": "microstructure-policy",
    "decisions": "microstructure-decisions",
    "schedule": "microstructure-schedule",
    "held-sessions": "microstructure-held-sessions",
    "report": "microstructure-report",
    "indicators": "microstructure-indicators",
    "findings": "microstructure-findings",
}


def test_formats_of_the_document_types():
    """Each JSON object file kind has its format name at version 1; the others have none."""
    found = {
        name: fmt.name
        for name, cl in document_types().items()
        if (fmt := document_format(cl)) is not None
    }
    assert found == FORMATS
    assert document_format(document_types()["network"]) == Format("microstructure-network", 1)
    assert document_format([]) is None


def test_written_file_starts_with_format_and_version():
    """`dumps` writes the format name and version first, at the top level only."""
    national = example_national()
    data = json.loads(dumps(national))
    assert list(data)[:2] == ["format", "version"]
    assert (data["format"], data["version"]) == ("microstructure-national", 1)
    assert "format" not in data["networks"][0]
    assert from_data(NationalCoordination, data) == national


def test_files_without_format_still_load():
    """A file written before the envelope (no format, no version) reads as the current version."""
    data = to_data(example_national())
    del data["format"], data["version"]
    assert from_data(NationalCoordination, data) == example_national()
    only_version = {**to_data(example_national().networks[0]), "version": 1}
    del only_version["format"]
    assert from_data(Network, only_version) == example_national().networks[0]


def test_newer_version_is_refused_with_what_is_needed():
    """A file of a newer version is refused at $.version, saying a newer release is needed."""
    data = {**to_data(example_national().networks[0]), "version": 2}
    with pytest.raises(ValidationError) as caught:
        from_data(Network, data)
    (detail,) = caught.value.errors
    assert detail.path == "$.version"
    assert detail.value == 2
    assert "expected version 1 at most" in detail.message
    assert "newer release" in detail.message


@pytest.mark.parametrize("version", [0, -1, True, "1", 1.0, None])
def test_version_must_be_a_positive_integer(version):
    """A version that is not an integer of at least 1 is refused at $.version."""
    data = {**to_data(example_national().networks[0]), "version": version}
    with pytest.raises(ValidationError) as caught:
        from_data(Network, data)
    assert [d.path for d in caught.value.errors] == ["$.version"]


def test_another_format_is_refused():
    """A network read as a national file is refused at $.format, naming the expected format."""
    data = to_data(example_national().networks[0])
    with pytest.raises(ValidationError) as caught:
        from_data(NationalCoordination, data)
    assert caught.value.errors[0].path == "$.format"
    assert "'microstructure-national'" in caught.value.errors[0].message


def test_format_keys_are_refused_inside_a_document():
    """Only the file carries its format: a nested network with one is an unexpected key."""
    data = to_data(example_national())
    data["networks"][0] = {"format": "microstructure-network", **data["networks"][0]}
    with pytest.raises(ValidationError) as caught:
        from_data(NationalCoordination, data)
    assert [d.path for d in caught.value.errors] == ["$.networks[0].format"]


def test_older_version_is_migrated_or_named(monkeypatch):
    """An older version goes through its migration; one without a migration names the version."""
    table = dict(_formats._formats())
    fmt, document = table[KEY]

    def rename(body):
        return {("name" if key == "title" else key): value for key, value in body.items()}

    version_2 = attrs.evolve(document, version=2, migrations={1: rename})
    table[KEY] = (Format(fmt.name, 2), version_2)
    monkeypatch.setattr(_formats, "_formats", lambda: table)
    network = example_national().networks[0]
    old = {**to_data(network), "version": 1}
    old["title"] = old.pop("name")
    assert from_data(Network, old) == network
    table[KEY] = (Format(fmt.name, 2), attrs.evolve(document, version=2))
    with pytest.raises(ValidationError) as caught:
        from_data(Network, old)
    (detail,) = caught.value.errors
    assert detail.path == "$.version"
    assert "version 1 of 'microstructure-network' cannot be read by this release" in detail.message


def test_team_file_kind_follows_its_format(tmp_path):
    """`read_team_file` reads the kind its format names, even without the telling keys."""
    write_example(tmp_path)
    assert isinstance(read_team_file(tmp_path / "national.json"), NationalCoordination)
    ms = example_national().networks[0].microstructures[0]
    path = tmp_path / "ms.json"
    path.write_text(dumps(ms), encoding="utf-8")
    assert read_team_file(path) == ms
    data = to_data(ms)
    data["format"] = "microstructure-network"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="unexpected key"):
        read_team_file(path)
    assert Microstructure is type(ms)
