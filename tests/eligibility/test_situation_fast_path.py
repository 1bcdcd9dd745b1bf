"""The quick checks of a situation never pass what the full checks would refuse."""

from hypothesis import given
from hypothesis import strategies as st
from tests.eligibility.strategies import SITUATIONS

from microstructure.eligibility import instruments
from microstructure.eligibility._situation import _full_checks, _plainly_valid


@given(SITUATIONS)
def test_plainly_valid_implies_no_problem(situation):
    """Whenever the quick test passes a built situation, the full checks find nothing."""
    if _plainly_valid(situation):
        assert _full_checks(situation) == []


@st.composite
def _answers(draw):
    name = draw(st.sampled_from(sorted(instruments())))
    inst = instruments()[name]
    answers = [draw(st.sampled_from(item.options)).answer for item in inst.items]
    if draw(st.booleans()):  # sometimes a wrong answer, of the wrong type or value
        index = draw(st.integers(0, len(answers) - 1))
        answers[index] = draw(st.sampled_from([True, False, 0, 1, 2, 5, 99, "1", None, 1.0]))
    return inst, answers


@given(_answers())
def test_list_and_mapping_answers_score_alike(case):
    """Answers as a list (quick path) score as the same answers keyed by item id."""
    inst, answers = case
    by_item = {item.id: value for item, value in zip(inst.items, answers, strict=True)}

    def outcome(given_answers: object) -> object:
        try:
            return inst.score(given_answers)
        except Exception as exc:  # noqa: BLE001 - the kind of error is what is compared
            return type(exc)

    assert outcome(answers) == outcome(by_item)
