"""The names a Terraform image function's `image_uri` is written with, to find its Dockerfile.

An image built outside Terraform (CI runs `docker build -f lambdas/ack_backend/Dockerfile` and
passes the pushed URI in as `TF_VAR_ack_backend_image_uri`, or pushes to the ECR repository the
configuration declares) leaves no path in the configuration: what links the function to its
Dockerfile is the name it is written with: the root variable (`var.ack_backend_image_uri`), the
ECR repository resource or data source (`aws_ecr_repository.ack_backend.repository_url`), that
repository's quoted `name`, and the quoted key that picks one image of a map
(`var.ecr_repository_urls["ack-backend-lambda"]`). The container reader matches these names against the folders of the
repository's Lambda Dockerfiles (`container/named_images.py`).

The expression is followed as written, not evaluated: a root variable's default (often `""`)
says nothing of the image, while its name does. A module's variable is followed into the
argument its call passes, a `local` into its expression.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.terraform.hcl import Expression
from reviewer.inventory.terraform.values import Scope

MAX_DEPTH = 16
_ECR_TYPES = ("aws_ecr_repository",)


def image_names(value: Any, scope: Scope, depth: int = 0) -> tuple[str, ...]:
    """The names `value` (an `image_uri` expression) is written with, outermost first, no repeats."""
    names: list[str] = []
    _collect(value, scope, depth, names)
    return tuple(dict.fromkeys(name for name in names if name))


def _collect(value: Any, scope: Scope, depth: int, names: list[str]) -> None:
    if depth > MAX_DEPTH or not isinstance(value, Expression):
        return
    if value.kind in ("template", "call", "conditional"):
        for part in value.args:
            _collect(part, scope, depth + 1, names)
        return
    if value.kind != "reference":
        return
    parts = value.name.split(".")
    if len(parts) < 2 or scope.bound(parts[0]) is not None:
        return
    # a quoted key picks one image of a map: `var.ecr_repository_urls["submission-lambda"]`
    names.extend(key for key in value.args if isinstance(key, str))
    instance = scope.instance
    if parts[0] == "var":
        if instance.call is not None and instance.caller is not None and parts[1] in instance.call.attributes:
            _collect(instance.call.attributes[parts[1]], instance.call_scope(), depth + 1, names)
        elif instance.caller is None:
            names.append(parts[1])           # a root variable: CI fills it (`TF_VAR_<name>`)
    elif parts[0] == "local" and parts[1] in instance.module.locals:
        local, path = instance.module.locals[parts[1]]
        _collect(local, Scope(instance, path), depth + 1, names)
    elif parts[0] in _ECR_TYPES:
        _repository(instance.module.resources.get((parts[0], parts[1])), parts[1], names)
    elif parts[0] == "data" and len(parts) >= 3 and parts[1] in _ECR_TYPES:
        _repository(instance.module.data.get((parts[1], parts[2])), parts[2], names)


def _repository(block: Any, label: str, names: list[str]) -> None:
    """An ECR repository is known by its label and, when quoted, the `name` it is created with."""
    names.append(label)
    if block is not None:
        written = block.attributes.get("name")
        if isinstance(written, str):
            names.append(written)
