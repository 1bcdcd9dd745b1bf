"""The patterns the schemas publish say what the library's validators accept."""

import re

from hypothesis import given
from hypothesis import strategies as st

from microstructure._validators import ID_PATTERN, is_identifier
from microstructure.io import document_types, schema

TEXT = st.text(alphabet=st.sampled_from("aZ09._:-/ é\t"), max_size=70) | st.from_regex(
    ID_PATTERN, fullmatch=True
)


@given(TEXT)
def test_id_pattern_and_validator_agree(text):
    """A string is an id for the library exactly when the published pattern matches it."""
    assert is_identifier(text) == (re.fullmatch(ID_PATTERN.strip("^$"), text) is not None)


def test_id_with_a_line_break_is_refused():
    """Python's ``$`` matches before a final line break; ids are matched whole."""
    assert not is_identifier("ms-1\n")
    assert is_identifier("ms-1")


def test_ids_use_the_published_pattern():
    """Every id of the network schema is the published pattern."""
    defs = schema(document_types()["network"])["$defs"]
    assert defs["Professional"]["properties"]["id"]["pattern"] == ID_PATTERN
    assert defs["Site"]["properties"]["id"]["pattern"] == ID_PATTERN
