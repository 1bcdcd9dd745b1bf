"""Evaluation: an indicator catalogue as data, computed on DuckDB, with disclosure control.

Both Article 51 programs end in a national evaluation, and every network reports its
activity every year to its regional health agency (ARS) and to the CNRMS. The indicators
are numerator/denominator pairs over a period and an organisational level (microstructure,
network, region, nation); they are data, compiled to SQL and computed by DuckDB, which is
imported only when indicators are computed.
"""

from microstructure._publish import publish as _publish
from microstructure.evaluation._report import Report, render, report, write_report

__all__: list[str] = ["Report", "render", "report", "write_report"]

_publish(__name__, globals())
