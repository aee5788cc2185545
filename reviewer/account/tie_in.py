"""Declared versus deployed: a function the repository declares that runs an older runtime in AWS.

A deployed function is this repository's function when:
- its name is the one the declaration writes (`Function.physical_name`, as text the repository
  fixes); every declaration that writes it claims it, and no other way of matching is tried;
- else its name is one a reader worked out (`physical_name_evaluated`: Serverless's
  `<service>-<stage>-<key>`, a Terraform root variable's default), exactly, or the name
  CloudFormation generated for a template's function (`<stack>-<LogicalId>-<suffix>`) or a CDK
  construct's made in its stack (`<stack>-<ConstructId><8 hex>-<suffix>`; `Orders` is not
  `OrdersHandler5E6F7A8B`, whose rest is no hash): such a claim ties only when it is the one
  candidate, since a `--stage`, a `-var` or a logical id two templates share would otherwise tie one
  deployed function to two declarations. A construct made inside another construct has that
  construct's path before its id (`ApiHandler<hash>`); it is not tied, as `Handler` alone would
  claim every `...Handler<hash>` of the account, and a truncated logical id (a long stack name)
  has lost its hash and is not tied either. Which names a format generates, and the words for
  each match, are the inventory's (reviewer.inventory.deployed_names).
Older means the same runtime family with a lower version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer.account.listing import DeployedFunction
from reviewer.data.lifecycle import load_lifecycle
from reviewer.inventory.deployed_names import generated_name_matches, match_basis
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
    basis: str = ""   # empty when the repository writes the deployed name


def _version(runtime: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", runtime))


def _written(declared: Function) -> str | None:
    return declared.physical_name if not declared.physical_name_evaluated else None


def _inferred(declared: Function, deployed: str) -> bool:
    """Whether `deployed` is the name a reader worked out for `declared`, or the one CloudFormation
    generates from its logical id or construct id. A written name rules these out."""
    if declared.physical_name is not None:
        # kept even with a `${...}` in it: such a name matches no deployed function
        return declared.physical_name_evaluated and declared.physical_name == deployed
    return generated_name_matches(declared, deployed)


def _ties(declared: list[Function], deployed: DeployedFunction) -> list[tuple[Function, str]]:
    """The declarations `deployed` is, each with the basis of the match (see the module's docstring)."""
    written = [(function, "") for function in declared if _written(function) == deployed.name]
    if written:
        return written
    inferred = [function for function in declared if _inferred(function, deployed.name)]
    if len(inferred) != 1:
        return []
    return [(inferred[0], match_basis(inferred[0]))]


def older_deployments(declared: list[Function], deployed: list[DeployedFunction]) -> list[OlderDeployment]:
    table = load_lifecycle()
    ties = [(live, dict((id(function), basis) for function, basis in _ties(declared, live))) for live in deployed]
    found = []
    for function in declared:
        want = table.get(function.runtime or "")
        if want is None:
            continue
        for live, tied in ties:
            have = table.get(live.runtime or "")
            if (id(function) not in tied or have is None or have.family != want.family
                    or _version(have.identifier) >= _version(want.identifier)):
                continue
            found.append(OlderDeployment(function.name, str(function.location), want.identifier, live.name,
                                         live.region, have.identifier, tied[id(function)]))
    return found


def _basis(item: OlderDeployment) -> str:
    return f" ({item.basis})" if item.basis else ""


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
             f"{item.deployed} in {item.region}{_basis(item)} runs the older {item.deployed_runtime}: the next "
             "deployment moves it, and anything that depends on the old version should be checked first."
             for item in older_deployments(declared, deployed)]
    if refused:
        notes.append(f"The deployed runtimes could not be compared with the template: {refused[0].operation} "
                     f"was refused ({refused[0].action}).")
    return notes
