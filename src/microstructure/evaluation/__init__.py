"""Evaluation: an indicator catalogue as data, computed on DuckDB, with disclosure control.

Both Article 51 programs end in a national evaluation, and every network reports its
activity every year to its regional health agency (ARS) and to the CNRMS. The indicators
are numerator/denominator pairs over a period and an organisational level (microstructure,
network, region, nation); they are data (`indicators`, `load_indicators`), compiled to SQL
and computed by DuckDB (`compute`), which is imported only when indicators are computed.

Examples:
    >>> from microstructure.evaluation import ReportingPeriod, indicator
    >>> indicator("active-file").title.fr
    'File active'
    >>> ReportingPeriod.parse("2026-05").end.isoformat()
    '2026-05-31'
"""

import typing as _typing

from microstructure._publish import lazy as _lazy

if _typing.TYPE_CHECKING:
    from microstructure.evaluation._catalogue import (
        ImprovementThreshold,
        age_bands,
        improvement_thresholds,
        indicator,
        indicators,
        load_indicators,
    )
    from microstructure.evaluation._compute import (
        Cell,
        Table,
        compute,
    )
    from microstructure.evaluation._disclosure import (
        disclose,
        suppress,
    )
    from microstructure.evaluation._model import (
        AgeBand,
        Aggregate,
        Condition,
        Dimension,
        Indicator,
        Level,
        Mask,
        Measure,
        Operator,
        Population,
        ReportingPeriod,
        Text,
        Unit,
    )
    from microstructure.evaluation._report import (
        Report,
        render,
        report,
        write_report,
    )
    from microstructure.evaluation._store import (
        Database,
    )

__all__ = [
    "AgeBand",
    "Aggregate",
    "Cell",
    "Condition",
    "Database",
    "Dimension",
    "ImprovementThreshold",
    "Indicator",
    "Level",
    "Mask",
    "Measure",
    "Operator",
    "Population",
    "Report",
    "ReportingPeriod",
    "Table",
    "Text",
    "Unit",
    "age_bands",
    "compute",
    "disclose",
    "improvement_thresholds",
    "indicator",
    "indicators",
    "load_indicators",
    "render",
    "report",
    "suppress",
    "write_report",
]

# Names load on first use (PEP 562), so that importing this subpackage costs little.
if not _typing.TYPE_CHECKING:
    __getattr__, __dir__ = _lazy(
        globals(),
        {
            "microstructure.evaluation._catalogue": (
                "ImprovementThreshold",
                "age_bands",
                "improvement_thresholds",
                "indicator",
                "indicators",
                "load_indicators",
            ),
            "microstructure.evaluation._compute": (
                "Cell",
                "Table",
                "compute",
            ),
            "microstructure.evaluation._disclosure": (
                "disclose",
                "suppress",
            ),
            "microstructure.evaluation._model": (
                "AgeBand",
                "Aggregate",
                "Condition",
                "Dimension",
                "Indicator",
                "Level",
                "Mask",
                "Measure",
                "Operator",
                "Population",
                "ReportingPeriod",
                "Text",
                "Unit",
            ),
            "microstructure.evaluation._report": (
                "Report",
                "render",
                "report",
                "write_report",
            ),
            "microstructure.evaluation._store": ("Database",),
        },
    )
