"""The taxonomy of who a microstructure serves, shipped as data (``eligibility/taxonomy.toml``)."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from typing import cast

import attrs

from microstructure._data import load_shipped
from microstructure._frozen import frozen_mapping, frozen_tuple
from microstructure._labels import Labelled
from microstructure._validators import identifier as _identifier
from microstructure.errors import ConfigurationError, NotFoundError

__all__ = [
    "Behaviour",
    "Family",
    "FollowUp",
    "Indication",
    "Label",
    "SituationKind",
    "Substance",
    "Taxonomy",
    "is_situation_code",
    "situation_kind",
    "taxonomy",
]

#: Prefix of the situation codes a network defines for itself (``x-harm-at-work``).
NETWORK_CODE_PREFIX = "x-"

_NETWORK_CODE_RE = re.compile(rf"^{re.escape(NETWORK_CODE_PREFIX)}[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Labelled(Labelled):
    """A labelled enum whose labels are data: they come from the shipped taxonomy file."""

    def _pair(self) -> tuple[str, str]:
        entry = taxonomy().label(self)
        return entry.label, entry.label_fr


class Indication(_Labelled):
    """The three indications of a microstructure (CNRMS poster).

    Examples:
        >>> from microstructure.eligibility import Indication
        >>> Indication.PRECARITY.label_fr
        'grande précarité'
    """

    ADDICTION = "addiction"
    PRECARITY = "precarity"
    MENTAL_HEALTH = "mental-health"


class Substance(_Labelled):
    """A substance involved in an addiction.

    Examples:
        >>> from microstructure.eligibility import Substance
        >>> Substance("opioid-substitution").label
        'opioid substitution treatment (methadone, buprenorphine)'
    """

    ALCOHOL = "alcohol"
    TOBACCO = "tobacco"
    CANNABIS = "cannabis"
    COCAINE = "cocaine"
    OPIOIDS = "opioids"
    OPIOID_SUBSTITUTION = "opioid-substitution"
    AMPHETAMINES = "amphetamines"
    MEDICINES = "medicines"
    OTHER = "other"


class Behaviour(_Labelled):
    """An addiction without a substance.

    Examples:
        >>> from microstructure.eligibility import Behaviour
        >>> Behaviour.GAMBLING.label_fr
        "jeux d'argent et de hasard"
    """

    GAMBLING = "gambling"
    SCREENS = "screens"
    OTHER = "other"


class Family(_Labelled):
    """The four families of inclusion criteria of the mental-health program.

    Source: the Concours pluripro article of October 2024.

    Examples:
        >>> from microstructure.eligibility import Family
        >>> [f.value for f in Family]
        ['somatic', 'psychiatric', 'psychological', 'environmental']
    """

    SOMATIC = "somatic"
    PSYCHIATRIC = "psychiatric"
    PSYCHOLOGICAL = "psychological"
    ENVIRONMENTAL = "environmental"


class FollowUp(_Labelled):
    """Another scheme that may already follow the patient.

    Examples:
        >>> from microstructure.eligibility import FollowUp
        >>> FollowUp.CSAPA.domain
        <Indication.ADDICTION: 'addiction'>
    """

    CSAPA = "csapa"
    CAARUD = "caarud"
    ELSA = "elsa"
    ADDICTION_OTHER = "addiction-other"
    CMP = "cmp"
    PSYCHIATRIST = "psychiatrist"
    MENTAL_HEALTH_OTHER = "mental-health-other"

    @property
    def domain(self) -> Indication:
        """The indication the scheme cares for (addiction or mental health)."""
        return taxonomy().follow_up_domain[self]


@attrs.frozen
class Label:
    """A taxonomy entry: a stable code with its English and French labels."""

    code: str = attrs.field(validator=_identifier)
    """Stable code."""
    label: str
    """English label."""
    label_fr: str
    """French label."""


@attrs.frozen(kw_only=True)
class SituationKind:
    """A situation of precarity or mental health, in one of the four `Family` groups.

    Examples:
        >>> from microstructure.eligibility import situation_kind
        >>> situation_kind("bereavement").family
        <Family.ENVIRONMENTAL: 'environmental'>
    """

    code: str = attrs.field(validator=_identifier)
    """Stable situation code."""
    family: Family
    """Family of the mental-health program's criteria."""
    label: str
    """English label."""
    label_fr: str
    """French label."""
    precarity: bool = False
    """Whether it is a precarity situation."""


@attrs.frozen(kw_only=True)
class _FollowUpEntry:
    code: FollowUp
    domain: Indication
    label: str
    label_fr: str


@attrs.frozen(kw_only=True)
class _TaxonomyFile:
    indications: tuple[Label, ...] = attrs.field(converter=frozen_tuple)
    substances: tuple[Label, ...] = attrs.field(converter=frozen_tuple)
    behaviours: tuple[Label, ...] = attrs.field(converter=frozen_tuple)
    families: tuple[Label, ...] = attrs.field(converter=frozen_tuple)
    follow_ups: tuple[_FollowUpEntry, ...] = attrs.field(converter=frozen_tuple)
    situations: tuple[SituationKind, ...] = attrs.field(converter=frozen_tuple)


@attrs.frozen(kw_only=True)
class Taxonomy:
    """The shipped taxonomy: labels of every code, and the situations by family.

    Its mappings are read-only: the taxonomy is cached and shared by every caller.

    Examples:
        >>> from microstructure.eligibility import Family, taxonomy
        >>> [s.code for s in taxonomy().in_family(Family.SOMATIC)][:2]
        ['chronic-illness', 'use-complications']
    """

    labels: Mapping[tuple[type[enum.Enum], str], Label] = attrs.field(converter=frozen_mapping)
    """Labels of indications, substances, behaviours and follow-up schemes."""
    situations: Mapping[str, SituationKind] = attrs.field(converter=frozen_mapping)
    """Situation codes, with their family."""
    follow_up_domain: Mapping[FollowUp, Indication] = attrs.field(converter=frozen_mapping)
    """Domain (addiction, mental health) of each follow-up scheme."""

    def label(self, member: enum.Enum) -> Label:
        """The labels of an enum member (indication, substance, behaviour, family, follow-up)."""
        return self.labels[type(member), member.value]

    def in_family(self, family: Family) -> tuple[SituationKind, ...]:
        """The shipped situations of ``family``, in file order."""
        return tuple(s for s in self.situations.values() if s.family is family)


def _check_codes(kind: str, enum_cls: type[enum.Enum], entries: tuple[Label, ...]) -> None:
    codes = [e.code for e in entries]
    expected = [m.value for m in enum_cls]
    if sorted(codes) != sorted(expected):
        msg = f"taxonomy {kind} are {codes}, the code expects {expected}"
        raise ConfigurationError(msg)


@functools.cache
def taxonomy() -> Taxonomy:
    """The shipped taxonomy (cached).

    Examples:
        >>> from microstructure.eligibility import taxonomy
        >>> len(taxonomy().situations) > 20
        True
    """
    data = load_shipped(_TaxonomyFile, "eligibility/taxonomy.toml")
    labels: dict[tuple[type[enum.Enum], str], Label] = {}
    for kind, enum_cls, entries in (
        ("indications", Indication, data.indications),
        ("substances", Substance, data.substances),
        ("behaviours", Behaviour, data.behaviours),
        ("families", Family, data.families),
        (
            "follow-ups",
            FollowUp,
            tuple(Label(e.code, e.label, e.label_fr) for e in data.follow_ups),
        ),
    ):
        _check_codes(kind, enum_cls, entries)
        labels.update({(enum_cls, e.code): e for e in entries})
    return Taxonomy(
        labels=labels,
        situations={s.code: s for s in data.situations},
        follow_up_domain={e.code: e.domain for e in data.follow_ups},
    )


def is_situation_code(code: str) -> bool:
    """Whether ``code`` is a shipped situation or a network code (``x-`` prefix).

    Examples:
        >>> from microstructure.eligibility import is_situation_code
        >>> is_situation_code("isolation"), is_situation_code("x-harm-at-work"), is_situation_code("lonely")
        (True, True, False)
    """
    if not isinstance(cast("object", code), str):
        return False
    return code in taxonomy().situations or bool(_NETWORK_CODE_RE.match(code))


def situation_kind(code: str) -> SituationKind:
    """The shipped situation with ``code``.

    Raises:
        NotFoundError: if no shipped situation has that code.
    """
    found = taxonomy().situations.get(code) if isinstance(cast("object", code), str) else None
    if found is None:
        raise NotFoundError(
            kind="situation",
            code=code if isinstance(cast("object", code), str) else f"<{type(code).__name__}>",
            expected="a code of the shipped taxonomy (see microstructure.eligibility.taxonomy)",
        )
    return found
