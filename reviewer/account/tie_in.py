"""Declared versus deployed: a function the repository declares that runs an older runtime in AWS.

A deployed function is matched to a declaration by its physical name (`Function.physical_name`,
when the declaration writes one as text; a name the reader evaluated from variables and their
defaults, as Terraform's is, may not be the deployed one and is not used) or, for CloudFormation's
generated names (`<stack>-<LogicalId>-<suffix>`), by the logical id between dashes. Older means
the same runtime family with a lower version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.account.listing import DeployedFunction
from reviewer.data.lifecycle import load_lifecycle
from reviewer.model import Function


@dataclass(frozen=True)
class OlderDeployment:
    """A function deployed with an older runtime than the repository now declares for it."""

    declared: str
    location: str
    declared_runtime: str
    deployed: str
    region: str
    deployed_runtime: str


def _version(runtime: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", runtime))


def _matches(declared: Function, deployed: DeployedFunction) -> bool:
    physical = declared.physical_name if not declared.physical_name_evaluated else None
    if physical:   # kept even with a `${...}` in it: such a name matches no deployed function
        return physical == deployed.name
    if deployed.name == declared.name:
        return True
    return f"-{declared.name}-" in f"-{deployed.name}" and deployed.name.count("-") >= 2


def older_deployments(declared: list[Function], deployed: list[DeployedFunction]) -> list[OlderDeployment]:
    table = load_lifecycle()
    found = []
    for function in declared:
        want = table.get(function.runtime or "")
        if want is None:
            continue
        for live in deployed:
            have = table.get(live.runtime or "")
            if (have is None or have.family != want.family or not _matches(function, live)
                    or _version(have.identifier) >= _version(want.identifier)):
                continue
            found.append(OlderDeployment(function.name, str(function.location), want.identifier, live.name,
                                         live.region, have.identifier))
    return found


def deployed_runtime_notes(declared: list[Function], regions: list[str], endpoint_url: str | None) -> list[str]:
    """On a pull request whose workflow configured AWS credentials: one summary note per declared
    function that runs an older runtime where deployed. Only `ListFunctions` is called; a failure
    becomes one note, never a failed review."""
    from botocore.exceptions import BotoCoreError, ClientError

    from reviewer.account.access import AccountAccess
    from reviewer.account.connection import connect
    from reviewer.account.listing import list_functions

    if not regions or not declared:
        return []
    deployed: list[DeployedFunction] = []
    try:
        connection = connect(None, endpoint_url)
        access = AccountAccess("pull request")
        for region in regions:
            deployed.extend(list_functions(connection.client("lambda", region), region, access) or [])
        refused = access.unavailable()
    except (BotoCoreError, ClientError) as exc:
        return [f"The deployed runtimes could not be compared with the template ({type(exc).__name__})."]
    notes = [f"{item.declared} ({item.location}) declares {item.declared_runtime}, but the deployed function "
             f"{item.deployed} in {item.region} runs the older {item.deployed_runtime}: the next deployment "
             "moves it, and anything that depends on the old version should be checked first."
             for item in older_deployments(declared, deployed)]
    if refused:
        notes.append(f"The deployed runtimes could not be compared with the template: {refused[0].operation} "
                     f"was refused ({refused[0].action}).")
    return notes
