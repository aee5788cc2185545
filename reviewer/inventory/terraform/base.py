"""What every part of the Terraform reader shares: the instances, functions, blocks and roles read so far, and
the data files `file()` reads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from reviewer.inventory.interface import InventoryResult
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.modules import MAX_MODULE_NESTING, Evaluator, Instance, ParsedModule, is_local_source, module_directory
from reviewer.inventory.terraform.terragrunt import TerragruntUnit
from reviewer.inventory.terraform.values import Literal, Reference, Scope, Unknown, Value, display
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.findings import Finding
from reviewer.model import Function, Location, ManagedPolicy, PolicyStatement, ResourceRef
from reviewer.workspace import (
    UnreadableFile,
    Workspace,
)


class ReaderBase:
    """The state every part of the Terraform reader shares."""

    def __init__(self, workspace: Workspace, modules: dict[str, ParsedModule], result: InventoryResult) -> None:
        self.workspace = workspace
        self.modules = modules
        self.result = result
        self.evaluator = Evaluator(self._read_data_file)
        self.instances: list[Instance] = []
        # Everything is keyed by (root module directory, address): two roots that both declare
        # `aws_lambda_function.this` are two functions, each with its own resources and roles.
        self.functions: dict[tuple[str, str], Function] = {}
        self.function_groups: dict[tuple[str, str], list[Function]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], Function | None] = {}
        self.blocks: dict[tuple[str, str], tuple[Block, Instance]] = {}
        self.roles_by_name: dict[tuple[str, str], str] = {}
        self.role_grants: dict[tuple[str, str], list[PolicyStatement | ManagedPolicy]] = defaultdict(list)
        self.role_unresolved: dict[tuple[str, str], str] = {}
        self._instance_limit_reported = False
        # Root directories that are module folders no configuration calls (`terraform.templates`).
        self.templates: set[str] = set()
        # Root directories whose only calls are commented out: none of their functions is deployed.
        self.switched_off: set[str] = set()
        # Module calls a root's feature switch leaves out, with their notices (`_Reader._switched_off`).
        self._switched_off_calls: list[tuple[str, Finding]] = []
        # Module folders a call's `for_each` over an input empty by default instantiates nowhere,
        # with the arguments those calls set.
        self._inputs_left_to_callers: dict[str, set[str]] = {}
        self._calls: dict[str, dict[str, str]] = {}
        # The Terragrunt units that run each module folder (`terraform.terragrunt`).
        self.units: dict[str, list[TerragruntUnit]] = {}
        self._data_files: dict[str, str | None] = {}

    def _deploy_time_input(self, raw: Any, scope: Scope) -> tuple[str, Block | None, Instance] | None:
        """(variable name, its block, its instance) when `raw` is `var.x` set by no module call."""
        instance = scope.instance
        for _ in range(MAX_MODULE_NESTING + 1):
            if not (isinstance(raw, Expression) and raw.kind == "reference" and raw.name.startswith("var.")
                    and raw.name.count(".") == 1 and not raw.args):
                return None
            name = raw.name[4:]
            if instance.call is not None and instance.caller is not None and name in instance.call.attributes:
                raw, instance = instance.call.attributes[name], instance.caller
                continue
            return name, instance.module.variables.get(name), instance
        return None

    def _read_data_file(self, rel: str) -> str | None:
        """A repository file that `file()` reads (functions listed in JSON or YAML), bounded like
        any file the review reads; None when it leaves the workspace or cannot be read."""
        resolved = self.workspace.resolve(rel)
        if resolved is None:
            return None
        if resolved not in self._data_files:
            try:
                text: str | None = self.workspace.read_text(resolved)
            except UnreadableFile:
                text = None
            self._data_files[resolved] = text if text is None or len(text) <= MAX_DATA_FILE_CHARS else None
        return self._data_files[resolved]

    def _block(self, reference: Reference) -> tuple[Block, Instance] | None:
        """The block a reference names, in the root module the reference is written in."""
        root = reference.scope.instance.root_directory if reference.scope is not None else ""
        return self.blocks.get((root, reference.ref.value))

    def _local_calls(self, module: ParsedModule) -> dict[str, str]:
        """The calls of `module` to local modules that were read: call name → module directory."""
        if module.directory in self._calls:
            return self._calls[module.directory]
        calls = {}
        for name, block in module.modules.items():
            source = block.get("source")
            if isinstance(source, str) and is_local_source(source):
                target = module_directory(module.directory, source, self.workspace.resolve)
                if target is not None and target in self.modules:
                    calls[name] = target
        self._calls[module.directory] = calls
        return calls

    if TYPE_CHECKING:  # defined by the other parts of the reader (functions, policies, links), called across them
        def _role(self, function: Function, value: Any, scope: Scope, location: Location) -> None: ...
        def _module_policies(self, function: Function, attrs: LocatedMap, scope: Scope, block: Block) -> None: ...
        def _module_permissions(self, function: Function, attrs: LocatedMap, scope: Scope) -> None: ...
        def _module_event_sources(self, function: Function, attrs: LocatedMap, scope: Scope) -> None: ...


def callers_of(instance: Any) -> list[Instance]:
    """The module instances between a function's instance and its root, innermost first."""
    chain: list[Instance] = []
    while isinstance(instance, Instance) and instance.caller is not None:
        chain.append(instance)
        instance = instance.caller
    return chain


def environment_value(result: Value) -> Any:
    """A literal as a string; a reference as ResourceRef("terraform"); anything else unresolved."""
    if isinstance(result, Literal):
        return result.value if isinstance(result.value, str) else display(result)
    if isinstance(result, Reference):
        return result.ref
    return ResourceRef("unresolved", display(result))


def unresolved_reason(result: Value) -> str:
    if isinstance(result, Unknown):
        return result.reason
    if isinstance(result, Reference):
        return f"refers to {result.ref.value}"
    if isinstance(result, Literal):
        return f"is {result.text}"
    return f"is computed by {display(result)}"


def json_document(text: str) -> LocatedMap | None:
    """A JSON policy document with the line of each statement (JSON is YAML)."""
    if len(text) > MAX_JSON_BYTES:
        return None
    try:
        document = load_yaml(text)
    except DocumentError:
        return None
    return document if isinstance(document, LocatedMap) else None


def json_text(value: Any) -> str:
    if isinstance(value, str):
        return str(value)
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return str(value)


EVENT_SOURCE_KINDS = {"aws_sqs_queue": "sqs", "aws_kinesis_stream": "kinesis", "aws_dynamodb_table": "dynamodb"}


ARN_SERVICE_KINDS = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb"}


PHYSICAL_NAME = {
    "aws_s3_bucket": "bucket", "aws_sqs_queue": "name", "aws_sns_topic": "name", "aws_dynamodb_table": "name",
    "aws_kinesis_stream": "name", "aws_cloudwatch_event_bus": "name", "aws_lambda_function": "function_name",
    "aws_sfn_state_machine": "name",
}


MAX_POLICY_NESTING = 5


MAX_JSON_BYTES = 256 * 1024


MAX_DATA_FILE_CHARS = 256 * 1024  # a file read by file(): a list of functions, not a data set


FORMAT = "terraform"
