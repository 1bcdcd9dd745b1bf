"""Sample input files shared by the test modules."""

from typing import Any

from microstructure.examples import example_network
from microstructure.io import to_data

#: Paths of the four mistakes made by `network_with_four_mistakes`, in reported order.
FOUR_MISTAKE_PATHS = [
    "$.microstructures[0].programs[0].valid_from",
    "$.microstructures[0].colour",
    "$.microstructures[1].members[0].role",
    "$.microstructures[2].members",
]


def network_with_four_mistakes() -> Any:
    """The example network as JSON data with a wrong role, a bad date, an extra key and no GP."""
    data = to_data(example_network())
    data["microstructures"][1]["members"][0]["role"] = "nurse"
    data["microstructures"][0]["programs"][0]["valid_from"] = "2021-02-30"
    data["microstructures"][0]["colour"] = "blue"
    data["microstructures"][2]["members"] = [
        m for m in data["microstructures"][2]["members"] if m["role"] != "gp"
    ]
    return data
