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

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.vocabulary._activity import Activity
    from microstructure.vocabulary._role import Role
    from microstructure.vocabulary._sex import Sex

__all__ = ["Activity", "Role", "Sex"]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.vocabulary._activity": ("Activity",),
            "microstructure.vocabulary._role": ("Role",),
            "microstructure.vocabulary._sex": ("Sex",),
        },
    )
