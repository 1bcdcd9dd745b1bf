"""Shared vocabulary: the codes every subpackage speaks, below teams and programs.

`Role` (who a professional is in a team), `Activity` (a recurring activity whose
frequency a program sets) and `Sex` (of a patient or an identity) are defined here once;
`microstructure.teams`, `microstructure.programs`, `microstructure.eligibility` and
`microstructure.identifiers` re-export the names they use. Each is a `enum.StrEnum`
whose values are the stable codes written in files.

Examples:
    >>> from microstructure.vocabulary import Activity, Role, Sex
    >>> Activity.PSYCHOLOGIST_CONSULTATIONS.role is Role.PSYCHOLOGIST
    True
    >>> Sex("female").label_fr
    'femme'
"""

from microstructure._publish import publish as _publish
from microstructure.vocabulary._activity import Activity
from microstructure.vocabulary._role import Role
from microstructure.vocabulary._sex import Sex

__all__ = ["Activity", "Role", "Sex"]

# Published first (every re-exporting subpackage imports this one), so reprs, tracebacks
# and pickles name this module, the one owner.
_publish(__name__, globals())
