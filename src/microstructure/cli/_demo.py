"""The ``microstructure demo`` command: show the bundled example network."""

from __future__ import annotations

import argparse

from microstructure.cli._input import parse_date

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the command."""
    parser = subparsers.add_parser(
        "demo", help="show the bundled fictional example network: teams, counts, findings"
    )
    parser.add_argument("--on", type=parse_date, help="judge program memberships at DATE")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the example network in a readable terminal layout."""
    from rich.console import Console  # noqa: PLC0415 - heavy, CLI only
    from rich.table import Table  # noqa: PLC0415
    from rich.tree import Tree  # noqa: PLC0415

    from microstructure.examples import example_national  # noqa: PLC0415
    from microstructure.teams import Role, check, count_roles  # noqa: PLC0415
    from microstructure.territory import region  # noqa: PLC0415

    console = Console()
    national = example_national()
    console.rule(f"[bold]{national.name}[/bold]: example network bundled with microstructure")
    for network in national.networks:
        tree = Tree(f"[bold]{network.name}[/bold] · {region(network.region).name}")
        coordination = ", ".join(
            f"{p.role.label_fr}: {p.display_name or p.id}" for p in network.coordination
        )
        tree.add(f"[dim]coordination[/dim] {coordination}")
        for ms in network.microstructures:
            site = ms.site
            branch = tree.add(
                f"[bold cyan]{ms.name}[/bold cyan] · {site.kind.label_fr} · "
                f"{site.department_info.name} ({site.department}) · {site.timezone}"
            )
            for member in ms.members:
                branch.add(f"{member.role.label_fr}: {member.display_name or member.id}")
            programs = ", ".join(
                f"{m.program} {m.valid_from}→{m.valid_until or '…'}" for m in ms.programs
            )
            branch.add(f"[dim]programmes[/dim] {programs}")
        console.print(tree)

    table = Table(title="Professionals by role (distinct people)")
    table.add_column("role")
    table.add_column("rôle")
    columns = [(region(n.region).name, n) for n in national.networks]
    for title, _ in columns:
        table.add_column(title, justify="right")
    table.add_column("national", justify="right")
    per_network = [count_roles(n) for _, n in columns]
    total = count_roles(national)
    for role in Role:
        table.add_row(
            role.label, role.label_fr, *(str(c[role]) for c in per_network), str(total[role])
        )
    console.print(table)

    findings = check(national, on=args.on)
    findings_table = Table(title=f"Findings ({len(findings)})")
    for column in ("severity", "code", "path", "message"):
        findings_table.add_column(column, overflow="fold")
    for f in findings:
        findings_table.add_row(f.severity.value, f.code, f.path, f.message)
    console.print(findings_table)
    return 0
