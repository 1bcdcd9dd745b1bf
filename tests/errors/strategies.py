"""Hypothesis strategies for findings, error details and findings reports."""

from hypothesis import strategies as st

from microstructure.errors import ErrorDetail, FindingsReport, finding_catalogue

_TEXT = st.text(min_size=1, max_size=40).filter(str.strip)
#: The values a report keeps as they are: JSON scalars of bounded size.
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80)
)

FINDINGS = st.builds(
    lambda kind, path, message, message_fr: kind.at(path, message, message_fr),
    st.sampled_from(sorted(finding_catalogue().values(), key=lambda kind: kind.code)),
    _TEXT,
    _TEXT,
    st.none() | _TEXT,
)

ERROR_DETAILS = st.builds(
    ErrorDetail, path=st.text(max_size=40), message=st.text(max_size=60), value=JSON_SCALARS
) | st.builds(ErrorDetail, path=st.text(max_size=40), message=_TEXT, redacted=st.just(True))  # noqa: FBT003

_COUNTS = st.none() | st.integers(min_value=0, max_value=10**9)

REPORTS = st.builds(
    FindingsReport.of,
    st.lists(FINDINGS, max_size=5),
    events=_COUNTS,
    patients=_COUNTS,
) | st.builds(
    lambda errors: FindingsReport(valid=False, errors=tuple(errors)),
    st.lists(ERROR_DETAILS, min_size=1, max_size=5),
)
