"""What one ListFunctions page already says about each function, and the region's event source mappings.

The listing answers runtime, package type, environment variables, layers and whether the code
was signed (`SigningProfileVersionArn`), so none of those cost a call of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.account.access import MISSING, AccountAccess
from reviewer.account.roles import ExecutionRole


@dataclass
class DeployedFunction:
    """One function of one region of one account, as listed and then as asked about (details.py)."""

    name: str
    arn: str
    region: str
    account: str
    runtime: str | None
    package_type: str
    environment: dict[str, str]
    layers: tuple[str, ...]
    signed: bool
    last_modified: str = ""
    role: str = ""          # the execution role's ARN
    # Filled by details.py; None means "not asked" (not applicable, or the call was refused).
    recursive_loop: str | None = None
    update_runtime_on: str | None = None
    code_signing_config: str | None = None
    code_signing_known: bool = False
    url_auth_type: str | None = None
    policy: dict[str, Any] | None = None
    # Event sources (queue, stream ARNs) mapped to the unqualified function, i.e. to $LATEST.
    latest_event_sources: list[str] = field(default_factory=list)
    published_versions: int | None = None
    # Filled by roles.py, once per role; None when the role was not read.
    execution_role: ExecutionRole | None = None

    @property
    def is_image(self) -> bool:
        return self.package_type.lower() == "image"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "arn": self.arn, "region": self.region, "account": self.account,
            "runtime": self.runtime, "package_type": self.package_type, "last_modified": self.last_modified,
            "layers": list(self.layers), "role": self.role or None,
            # Names only: values are never printed.
            "environment_variables": sorted(self.environment),
            "recursive_loop": self.recursive_loop, "update_runtime_on": self.update_runtime_on,
            "code_signing_config": self.code_signing_config, "url_auth_type": self.url_auth_type,
            "path": None, "line": None,
        }


def account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""


def _from_listing(item: dict[str, Any], region: str) -> DeployedFunction:
    variables = (item.get("Environment") or {}).get("Variables") or {}
    return DeployedFunction(
        name=str(item.get("FunctionName", "")), arn=str(item.get("FunctionArn", "")), region=region,
        account=account_of(str(item.get("FunctionArn", ""))), runtime=item.get("Runtime") or None,
        package_type=str(item.get("PackageType") or "Zip"),
        environment={str(key): str(value) for key, value in variables.items()},
        layers=tuple(str(layer.get("Arn", "")) for layer in item.get("Layers") or () if layer.get("Arn")),
        signed=bool(item.get("SigningProfileVersionArn")), last_modified=str(item.get("LastModified") or ""),
        role=str(item.get("Role") or ""),
    )


def list_functions(client: Any, region: str, access: AccountAccess) -> list[DeployedFunction] | None:
    """Every function of the region, page by page; None when the listing itself is refused."""
    if not access.usable("list_functions"):
        return None
    functions: list[DeployedFunction] = []
    marker: str | None = None
    while True:
        page = access.ask(client, "list_functions", region, **({"Marker": marker} if marker else {}))
        if page is None or page is MISSING:
            return None
        functions.extend(_from_listing(item, region) for item in page.get("Functions") or ())
        marker = page.get("NextMarker")
        if not marker:
            return functions


def latest_event_sources(client: Any, region: str, access: AccountAccess) -> dict[str, list[str]]:
    """Function ARN → event sources whose mapping names the unqualified function (so `$LATEST`).

    One paginated listing per region instead of one call per function.
    """
    found: dict[str, list[str]] = {}
    marker: str | None = None
    while True:
        page = access.ask(client, "list_event_source_mappings", region, **({"Marker": marker} if marker else {}))
        if page is None or page is MISSING:
            return found
        for mapping in page.get("EventSourceMappings") or ():
            arn = str(mapping.get("FunctionArn") or "").removesuffix(":$LATEST")
            if arn and _unqualified(arn):
                found.setdefault(arn, []).append(str(mapping.get("EventSourceArn") or "an event source"))
        marker = page.get("NextMarker")
        if not marker:
            return found


def _unqualified(arn: str) -> bool:
    """arn:aws:lambda:region:account:function:name has 7 parts; a version or alias adds an eighth."""
    parts = arn.split(":")
    return len(parts) == 7 or (len(parts) == 8 and parts[7] == "$LATEST")
