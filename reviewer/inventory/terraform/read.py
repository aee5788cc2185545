"""Terraform (`.tf`, `.tf.json`) → functions with the line of every property used.

Functions are `aws_lambda_function` resources, calls of the terraform-aws-modules Lambda module
(`source = "terraform-aws-modules/lambda/aws"`) and calls of unreadable modules that pass a
`runtime`. Every directory of Terraform files is a root module with its own namespace, unless
another directory calls it as a local module: blocks, functions and roles are keyed by (root
directory, address), so two roots that both declare `aws_lambda_function.this` stay two
functions with their own code, triggers and IAM. Each is named by its Terraform address
(`aws_lambda_function.orders`, `module.orders`, `module.api.aws_lambda_function.this` for a
function inside a local module, `module.job["nightly"]` for a `for_each` instance), prefixed by its
root's directory when the repository has several roots. `count`, `for_each` and `create*` flags
decide which instances exist (`terraform.count`). What other resources say about a function is
attached to it: event source mappings, S3 notifications, SNS subscriptions and EventBridge targets
become triggers; `aws_lambda_permission`, `aws_lambda_function_url`, the recursion and
runtime-management configs, and the IAM policies of its role fill the guardrail facts.

Only directories that mention Lambda (or call a local module) are parsed; a file that is not valid
HCL2 gives an LR901 notice and the scan goes on; a declaration that cannot be read (an unknown
count, a handler passed to an unreadable module) an LR904 notice. Values are resolved statically
and boundedly by `terraform.modules.Evaluator`; what cannot be resolved is recorded in
`Function.unresolved`, never guessed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.terraform.hcl import Block, Expression, HclError, parse_hcl
from reviewer.inventory.iam import statements_from_document, strings
from reviewer.inventory.interface import InventoryResult
from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.json_syntax import parse_tf_json
from reviewer.inventory.terraform.routes import RootBlocks, integration_routes
from reviewer.inventory.terraform.modules import (
    MAX_INSTANCES, MAX_MODULE_NESTING, Evaluator, Instance, Iteration, JsonDocument, Literal, ParsedModule,
    Reference, Scope, Structure, Unknown, Value, display, is_lambda_module, is_local_source, module_directory,
)
from reviewer.located import DocumentError, LocatedMap, load_yaml
from reviewer.model import (
    Function, FunctionUrl, InvokePermission, Location, ManagedPolicy, PolicyStatement, ResourceRef, Trigger,
)
from reviewer.workspace import (
    UnreadableFile, Workspace, skipped_notice, unparsed_notice, unread_declaration_notice,
)

FORMAT = "terraform"
MAX_HCL_BYTES = 512 * 1024  # python-hcl2's parser takes seconds beyond this; larger .tf is generated
# Per scan. Real Terraform parses at about 8 µs a byte, adversarial HCL (dense tiny attributes,
# long operator and call chains) at about 40 µs: this bounds the worst case to about 40 s, and the
# run's deadline (reviewer.run_limits) stops the rest with an LR900 error.
MAX_TOTAL_HCL_BYTES = 1024 * 1024
MAX_POLICY_NESTING = 5
MAX_JSON_BYTES = 256 * 1024
MAX_DATA_FILE_CHARS = 256 * 1024  # a file read by file(): a list of functions, not a data set

# A directory is parsed when a file of it names Lambda, calls a local module or passes a runtime or
# handler (a module this review cannot read), in HCL (`x =`) or JSON (`"x":`) syntax.
_LAMBDA_MARKERS = re.compile(r"aws_lambda_|terraform-aws-modules/lambda|terraform-aws-lambda"
                             r"|source\s*=\s*\"\.\.?/|\b(?:runtime|handler)\s*="
                             r"|\"source\"\s*:\s*\"\.\.?/|\"(?:runtime|handler)\"\s*:")
_CONFIGURATION_SUFFIXES = (".tf", ".tf.json")
_TFVARS_SUFFIXES = (".tfvars", ".tfvars.json")

EVENT_SOURCE_KINDS = {"aws_sqs_queue": "sqs", "aws_kinesis_stream": "kinesis", "aws_dynamodb_table": "dynamodb"}
ARN_SERVICE_KINDS = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb"}
# The attribute holding a resource's physical name, for matching literal names in handler code.
PHYSICAL_NAME = {
    "aws_s3_bucket": "bucket", "aws_sqs_queue": "name", "aws_sns_topic": "name", "aws_dynamodb_table": "name",
    "aws_kinesis_stream": "name", "aws_cloudwatch_event_bus": "name", "aws_lambda_function": "function_name",
    "aws_sfn_state_machine": "name",
}


class TerraformFormat:
    """Reads Lambda functions and everything attached to them from Terraform configurations."""

    name = FORMAT

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        modules = _load_modules(workspace, result)
        if modules:
            _Reader(workspace, modules, result).read()
        return result


def _load_modules(workspace: Workspace, result: InventoryResult) -> dict[str, ParsedModule]:
    """Parse every module directory that mentions Lambda or calls a local module."""
    files: dict[str, list[str]] = defaultdict(list)
    listed = list(workspace.iter_files(_CONFIGURATION_SUFFIXES + _TFVARS_SUFFIXES))
    workspace.prefetch(listed)
    for rel in listed:
        files[str(PurePosixPath(rel).parent)].append(rel)
    modules: dict[str, ParsedModule] = {}
    budget = [MAX_TOTAL_HCL_BYTES]
    for directory, paths in sorted(files.items()):
        texts: dict[str, str] = {}
        for rel in paths:
            if not rel.endswith(_CONFIGURATION_SUFFIXES):
                continue
            try:
                texts[rel] = workspace.read_text(rel)
            except UnreadableFile as unreadable:
                result.notices.append(unreadable.notice)
        if not any(_LAMBDA_MARKERS.search(text) for text in texts.values()):
            continue
        module = ParsedModule(directory)
        for rel, text in texts.items():
            parsed = _parse(rel, text, result, budget)
            if parsed is not None:
                module.add(parsed[1])
        for rel in sorted(paths, key=_tfvars_order):
            name = PurePosixPath(rel).name.removesuffix(".json")
            if name == "terraform.tfvars" or name.endswith(".auto.tfvars"):
                _read_tfvars(workspace, rel, module, result, budget)
        modules[directory] = module
    return modules


def _parse(rel: str, text: str, result: InventoryResult, budget: list[int]) -> tuple[LocatedMap, list[Block]] | None:
    size = len(text.encode("utf-8", "ignore"))
    if size > MAX_HCL_BYTES:
        result.notices.append(skipped_notice(
            rel, f"it is larger than {MAX_HCL_BYTES:,} bytes, the limit for parsing Terraform files"))
        return None
    if size > budget[0]:
        result.notices.append(skipped_notice(
            rel, f"the Terraform files of this repository exceed {MAX_TOTAL_HCL_BYTES:,} bytes, "
                 "the limit parsed in one review"))
        return None
    budget[0] -= size
    try:
        return parse_tf_json(text, rel) if rel.endswith(".json") else parse_hcl(text, rel)
    except HclError as exc:
        result.notices.append(unparsed_notice(rel, str(exc), exc.line))
        return None


def _tfvars_order(rel: str) -> tuple[int, str]:
    """Terraform's order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name;
    a later file overrides an earlier one."""
    name = PurePosixPath(rel).name
    return (0 if name == "terraform.tfvars" else 1 if name == "terraform.tfvars.json" else 2), name


def _read_tfvars(workspace: Workspace, rel: str, module: ParsedModule, result: InventoryResult,
                 budget: list[int]) -> None:
    """`terraform.tfvars` and `*.auto.tfvars`: Terraform loads them by itself in a root module."""
    try:
        text = workspace.read_text(rel)
    except UnreadableFile as unreadable:
        result.notices.append(unreadable.notice)
        return
    parsed = _parse(rel, text, result, budget)
    if parsed is None:
        return
    for name, value in parsed[0].items():
        module.tfvars[name] = (value, rel)


class _Reader:
    """Instantiates the modules, reads the functions, then attaches what other resources say."""

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
        self._calls: dict[str, dict[str, str]] = {}
        self._data_files: dict[str, str | None] = {}

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

    # -- module instances ----------------------------------------------------------------------

    def read(self) -> None:
        called = {target for module in self.modules.values() for target in self._local_calls(module).values()}
        for directory, module in self.modules.items():
            if directory not in called:
                self._instantiate(module, "", directory, None, None, 0)
        reached = {instance.module.directory for instance in self.instances}
        for directory, module in self.modules.items():  # modules only called in a cycle
            if directory not in reached:
                self._instantiate(module, "", directory, None, None, 0)
        for instance in self.instances:
            self._index(instance)
        for instance in self.instances:
            self._read_functions(instance)
        for instance in self.instances:
            self._link(instance)
        self._grant_role_policies()
        self._name_by_root()
        self.result.functions.extend(self.functions.values())

    def _name_by_root(self) -> None:
        """With several root modules, a function's name starts with its root's directory
        (`envs/prod:module.api`), so two roots never share one; a repository with one root (or
        functions only in the repository's top directory) keeps the bare Terraform address."""
        roots = {root for root, _ in self.functions}
        if len(roots) <= 1:
            return
        for (root, _), function in self.functions.items():
            if root not in ("", "."):
                function.name = f"{root}:{function.name}"

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

    def _instantiate(self, module: ParsedModule, prefix: str, root: str, caller: Instance | None,
                     call: Block | None, depth: int, iteration: Iteration | None = None) -> Instance | None:
        if len(self.instances) >= MAX_INSTANCES:
            if not self._instance_limit_reported:
                self._instance_limit_reported = True
                self.result.notices.append(skipped_notice(
                    module.directory, f"its modules expand to more than {MAX_INSTANCES} module instances"))
            return None
        instance = Instance(module, prefix, root, caller, call, iteration=iteration)
        self.instances.append(instance)
        if depth >= MAX_MODULE_NESTING:
            if self._local_calls(module):
                self.result.notices.append(skipped_notice(
                    module.directory, f"its module calls nest deeper than {MAX_MODULE_NESTING} levels"))
            return instance
        for name, target in self._local_calls(module).items():
            if target in instance.chain():
                continue  # a module that calls itself: Terraform rejects it; do not recurse
            call = module.modules[name]
            for iteration in iterations(self.evaluator, call, Scope(instance, call.path)):
                child = self._instantiate(self.modules[target], f"{prefix}module.{name}{iteration.suffix}.", root,
                                          instance, call, depth + 1, iteration)
                if child is not None:
                    instance.children[name + iteration.suffix] = child
        return instance

    def _index(self, instance: Instance) -> None:
        for (type_, name), block in instance.module.resources.items():
            self.blocks[instance.key(f"{type_}.{name}")] = (block, instance)
            if type_ == "aws_iam_role":
                role_name = self.evaluator.literal_text(block.get("name"), Scope(instance, block.path))
                if role_name:
                    self.roles_by_name.setdefault((instance.root_directory, role_name),
                                                  instance.address(f"aws_iam_role.{name}"))
        for (type_, name), block in instance.module.data.items():
            self.blocks[instance.key(f"data.{type_}.{name}")] = (block, instance)

    def _block(self, reference: Reference) -> tuple[Block, Instance] | None:
        """The block a reference names, in the root module the reference is written in."""
        root = reference.scope.instance.root_directory if reference.scope is not None else ""
        return self.blocks.get((root, reference.ref.value))

    # -- functions -----------------------------------------------------------------------------

    def _read_functions(self, instance: Instance) -> None:
        """One function per instance Terraform creates: none for `count = 0` or a false
        `create_*` flag, one per `for_each` entry, one (saying so) when the count is unknown."""
        for name, block in instance.module.resources_of("aws_lambda_function"):
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                scope = Scope(instance, block.path, iteration)
                self._add(self._resource_function(instance, name, block, scope), iteration, block)
        for name, block in instance.module.modules.items():
            source = block.get("source")
            if not isinstance(source, str):
                continue
            generic = not is_lambda_module(source) and self._function_like_call(instance, name, block)
            if not is_lambda_module(source) and not generic:
                self._unreadable_lambda_call(instance, name, block, source)
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                function = self._module_function(instance, name, block, Scope(instance, block.path, iteration),
                                                 generic)
                if function is not None:
                    self._add(function, iteration, block)

    def _unreadable_lambda_call(self, instance: Instance, name: str, block: Block, source: str) -> None:
        """A call that passes Lambda arguments (`handler`) to a module this review cannot read,
        without a `runtime` to read the function from: say so rather than miss it silently."""
        if "handler" not in block.attributes:
            return
        if is_local_source(source):
            target = module_directory(instance.module.directory, source, self.workspace.resolve)
            if target is None or target in self.modules or self.workspace.is_dir(target):
                return  # read already, or a directory of the repository that declares no function
        self.result.notices.append(unread_declaration_notice(
            block.path, block.line,
            f"module \"{name}\" passes a Lambda handler to {source}, a module that is not in the repository, "
            "and no runtime argument"))

    def _function_like_call(self, instance: Instance, name: str, block: Block) -> bool:
        """A call of a module this review cannot read (remote, or a local path that is not in the
        repository) that passes a Lambda `runtime` (and `handler` or `function_name`): read as a
        function from its arguments, so a deprecated runtime is still found at its line."""
        source = str(block.get("source"))
        if is_local_source(source) and name in self._local_calls(instance.module):
            return False
        attrs = block.attributes
        return "runtime" in attrs and ("handler" in attrs or "function_name" in attrs)

    def _add(self, function: Function, iteration: Iteration, block: Block) -> None:
        root = str(function.properties.get("terraform_root", ""))
        base = str(function.properties.pop("base_address"))
        unknown = [(iteration, block, base)] + [
            (caller.iteration, caller.call, caller.prefix.removesuffix("."))
            for caller in _callers(function.properties.pop("instance", None))]
        for counted, declared, address in unknown:
            if counted is None or counted.unknown is None or declared is None:
                continue
            function.unresolved.setdefault(
                "Count", f"how many instances Terraform creates is not known: {counted.unknown}")
            self.result.notices.append(unread_declaration_notice(
                declared.path, declared.line,
                f"{address}: {counted.unknown}, so how many functions Terraform creates is not known; "
                "it is reviewed once"))
        self.functions[(root, function.name)] = function
        self.function_groups[(root, base)].append(function)
        physical = function.properties.get("function_name")
        if isinstance(physical, str):
            self.by_name.setdefault((root, physical), function)
            # Another root may name this function by its physical name; when two roots deploy
            # functions of the same name (one per account), such a name is ambiguous.
            other = self.by_name.get(("*", physical))
            if ("*", physical) not in self.by_name:
                self.by_name[("*", physical)] = function
            elif other is not None and other.properties.get("terraform_root") != root:
                self.by_name[("*", physical)] = None

    def _new_function(self, address: str, block: Block, instance: Instance, scope: Scope) -> Function:
        """A function declared by `block`; inside a local module, it is located at the root
        module's `module` call that creates this instance (each instance has its own line, and a
        new call in a pull request is where its findings belong). The resource stays in
        `properties["resource_location"]`."""
        declared = Location(block.path, block.line)
        outermost = instance
        while outermost.caller is not None and outermost.caller.caller is not None:
            outermost = outermost.caller
        call = outermost.call
        location = Location(call.path, call.line) if call is not None else declared
        suffix = scope.iteration.suffix if scope.iteration is not None else ""
        function = Function(name=address + suffix, format=FORMAT, location=location)
        function.properties.update(address=address + suffix, resource_location=declared, end_line=block.end_line,
                                   terraform_root=instance.root_directory, base_address=address,
                                   instance=instance)  # both taken out again by _add
        return function

    def _resource_function(self, instance: Instance, name: str, block: Block, scope: Scope) -> Function:
        function = self._new_function(instance.address(f"aws_lambda_function.{name}"), block, instance, scope)
        attrs = block.attributes
        function.properties["resource_type"] = "aws_lambda_function"
        for key in ("count", "for_each"):
            if key in attrs:
                function.properties[key] = self.evaluator.text(attrs[key], scope)
        self._scalar(function, attrs, "function_name", scope, "FunctionName", into="function_name")
        package_type = self._scalar(function, attrs, "package_type", scope, "PackageType")
        function.package_type = package_type or "Zip"
        self._scalar(function, attrs, "handler", scope, "Handler", into="handler")
        self._runtime(function, attrs, "runtime", scope)
        if "image_uri" in attrs:
            function.image_uri = self.evaluator.text(attrs["image_uri"], scope)
            function.locations["ImageUri"] = Location(block.path, attrs.line_of("image_uri"))
        self._package(function, attrs, scope)
        for environment in block.blocks_named("environment")[:1]:
            if "variables" in environment.attributes:
                self._environment(function, environment.attributes["variables"], scope.at(environment.path))
        if "role" in attrs:
            self._role(function, attrs["role"], scope, Location(block.path, attrs.line_of("role")))
        self._guardrail_attributes(function, attrs, scope, block.path)
        return function

    def _module_function(self, instance: Instance, name: str, block: Block, scope: Scope,
                         generic: bool = False) -> Function | None:
        """A call of terraform-aws-modules/lambda/aws (or of a module read from its arguments
        alone): its inputs say what the function is."""
        attrs = block.attributes
        truthy = self.evaluator.truthy
        if (truthy(attrs.get("create"), scope) is False or truthy(attrs.get("create_function"), scope) is False
                or truthy(attrs.get("create_layer"), scope) is True):
            return None
        function = self._new_function(instance.address(f"module.{name}"), block, instance, scope)
        function.properties["module_source"] = str(attrs.get("source"))
        if generic:
            function.properties["read_from_arguments"] = True
        for key in ("count", "for_each"):
            if key in attrs:
                function.properties[key] = self.evaluator.text(attrs[key], scope)
        self._scalar(function, attrs, "function_name", scope, "FunctionName", into="function_name")
        function.package_type = self._scalar(function, attrs, "package_type", scope, "PackageType") or "Zip"
        self._scalar(function, attrs, "handler", scope, "Handler", into="handler")
        self._runtime(function, attrs, "runtime", scope)
        if "image_uri" in attrs:
            function.image_uri = self.evaluator.text(attrs["image_uri"], scope)
            function.locations["ImageUri"] = Location(block.path, attrs.line_of("image_uri"))
        self._module_code_path(function, attrs, scope)
        if "environment_variables" in attrs:
            self._environment(function, attrs["environment_variables"], scope)
        self._guardrail_attributes(function, attrs, scope, block.path)
        if truthy(attrs.get("create_lambda_function_url"), scope):
            key = "authorization_type" if "authorization_type" in attrs else "create_lambda_function_url"
            auth = self.evaluator.text(attrs["authorization_type"], scope) if "authorization_type" in attrs else "NONE"
            function.url = FunctionUrl(auth, Location(block.path, attrs.line_of(key)))
        self._module_permissions(function, attrs, scope)
        self._module_event_sources(function, attrs, scope)
        self._module_policies(function, attrs, scope, block)
        return function

    def _scalar(self, function: Function, attrs: LocatedMap, key: str, scope: Scope, prop: str,
                into: str | None = None) -> str | None:
        if key not in attrs:
            return None
        function.locations[prop] = Location(scope.path, attrs.line_of(key))
        value = self.evaluator.literal_text(attrs[key], scope)
        if value is None:
            function.unresolved.setdefault(prop, _reason(self.evaluator.evaluate(attrs[key], scope)))
        if into == "handler":
            function.handler = value
        elif into == "function_name":
            if value is not None:
                function.properties["function_name"] = value
        return value

    def _runtime(self, function: Function, attrs: LocatedMap, key: str, scope: Scope) -> None:
        if function.package_type.lower() == "image":
            function.unresolved["Runtime"] = "an image function takes its runtime from its base image, not `runtime`"
            return
        if key not in attrs:
            function.unresolved["Runtime"] = "no runtime is declared"
            return
        declared = Location(scope.path, attrs.line_of(key))
        function.locations["Runtime"] = declared
        result = self.evaluator.evaluate(attrs[key], scope)
        if isinstance(result, Literal) and isinstance(result.value, str) and result.value:
            function.runtime = result.value
            if result.location is not None and result.location != declared:
                function.locations["Runtime.Default"] = result.location
            return
        if isinstance(result, Literal):
            function.unresolved["Runtime"] = f"runtime is {result.text}"
            return
        function.unresolved["Runtime"] = _reason(result)

    def _package(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        """filename (or the archive_file it comes from), else s3_bucket/s3_key."""
        if "filename" in attrs:
            function.locations["Code"] = Location(scope.path, attrs.line_of("filename"))
            result = self.evaluator.evaluate(attrs["filename"], scope)
            if isinstance(result, Reference) and result.resource_type == "data.archive_file":
                self._archive_source(function, result)
            elif isinstance(result, Literal) and isinstance(result.value, str):
                function.code_path = self._workspace_path(result.value, scope, function)
            else:
                function.unresolved["Code"] = _reason(result)
        elif "s3_key" in attrs or "s3_bucket" in attrs:
            for key in ("s3_bucket", "s3_key"):
                if key in attrs:
                    function.properties[key] = self.evaluator.text(attrs[key], scope)
            function.locations["Code"] = Location(scope.path, attrs.line_of("s3_key" if "s3_key" in attrs else "s3_bucket"))

    def _archive_source(self, function: Function, archive: Reference) -> None:
        """`filename = data.archive_file.x.output_path`: the code is what the archive zips."""
        found = self._block(archive)
        function.properties["archive"] = archive.ref.value
        if found is None:
            function.unresolved["Code"] = f"{archive.ref.value} is not declared"
            return
        block, instance = found
        scope = Scope(instance, block.path)
        for key in ("source_dir", "source_file"):
            if key in block.attributes:
                value = self.evaluator.literal_text(block.attributes[key], scope)
                if value is not None:
                    function.code_path = self._workspace_path(value, scope, function)
                else:
                    function.unresolved["Code"] = _reason(self.evaluator.evaluate(block.attributes[key], scope))
                return
        function.unresolved["Code"] = f"{archive.ref.value} zips inline content, not a directory"

    def _module_code_path(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        """source_path: a path, a list of paths or of {path = ...}, or one such object."""
        for key in ("source_path", "local_existing_package"):
            if key not in attrs:
                continue
            function.locations["Code"] = Location(scope.path, attrs.line_of(key))
            result = self.evaluator.evaluate(attrs[key], scope)
            if isinstance(result, Structure):
                first = result.value[0] if isinstance(result.value, list) and result.value else result.value
                if isinstance(first, dict) and "path" in first:
                    first = first["path"]
                result = self.evaluator.evaluate(first, result.scope) if not isinstance(first, (dict, list)) else \
                    Unknown("a source_path entry without a path", "")
            if isinstance(result, Literal) and isinstance(result.value, str):
                function.code_path = self._workspace_path(result.value, scope, function)
            else:
                function.unresolved["Code"] = _reason(result)
            return

    def _workspace_path(self, value: str, scope: Scope, function: Function) -> str | None:
        """A Terraform filesystem path (relative to the root module) as a repo-relative path."""
        if value.startswith("/") or "://" in value:
            function.unresolved["Code"] = "an absolute path outside the repository"
            return None
        root = scope.instance.root_directory
        joined = value if root in ("", ".") else f"{root}/{value}"
        resolved = self.workspace.resolve(joined)
        if resolved is None:
            function.unresolved["Code"] = "the path leads outside the workspace"
        return resolved

    def _environment(self, function: Function, value: Any, scope: Scope) -> None:
        """Variables as literal strings, or ResourceRef for references and unresolved values.

        A variable set straight from a deploy-time input (`var.x` that no module call sets) is,
        as a CloudFormation `!Ref Parameter` is, not a literal of the function: its value stays
        unresolved and the input's default (from `terraform.tfvars` or the `default`), unless the
        variable is `sensitive`, goes to `environment_defaults` with the line that writes it.
        """
        result = self.evaluator.evaluate(value, scope)
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            function.unresolved["Environment"] = _reason(result)
            return
        variables: LocatedMap = result.value
        expressions: dict[str, str] = {}
        for name, raw in variables.items():
            function.locations[f"Environment.{name}"] = Location(result.scope.path, variables.line_of(name))
            evaluated = self.evaluator.evaluate(raw, result.scope)
            expressions[name] = display(evaluated)
            input_variable = self._deploy_time_input(raw, result.scope)
            if input_variable is None:
                function.environment[name] = environment_value(evaluated)
                continue
            function.environment[name] = ResourceRef("unresolved", "${var." + input_variable[0] + "}")
            block = input_variable[1]
            sensitive = block is not None and self.evaluator.truthy(block.get("sensitive"), Scope(input_variable[2], block.path))
            if isinstance(evaluated, Literal) and evaluated.location is not None and not sensitive:
                function.environment_defaults[name] = (evaluated.text, evaluated.location)
        function.properties["environment_expressions"] = expressions

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

    def _guardrail_attributes(self, function: Function, attrs: LocatedMap, scope: Scope, path: str) -> None:
        evaluator = self.evaluator
        if "code_signing_config_arn" in attrs:
            result = evaluator.evaluate(attrs["code_signing_config_arn"], scope)
            if not (isinstance(result, Literal) and result.value in (None, "")):
                function.code_signing = Location(path, attrs.line_of("code_signing_config_arn"))
                function.locations["CodeSigningConfigArn"] = function.code_signing
        if "publish" in attrs:
            function.locations["Publish"] = Location(path, attrs.line_of("publish"))
            function.published = evaluator.truthy(attrs["publish"], scope) is True
        if "recursive_loop" in attrs:
            function.recursive_loop = evaluator.literal_text(attrs["recursive_loop"], scope)
            function.locations["RecursiveLoop"] = Location(path, attrs.line_of("recursive_loop"))

    def _role(self, function: Function, value: Any, scope: Scope, location: Location) -> None:
        function.locations["Role"] = location
        result = self.evaluator.evaluate(value, scope)
        address = self._role_address(result, scope)
        if address is not None:
            function.properties["role"] = address[1]
            function.properties["role_key"] = address
        elif isinstance(result, Literal):
            function.properties["role"] = result.text
        else:
            function.unresolved["Role"] = _reason(result)

    def _role_address(self, result: Value, scope: Scope) -> tuple[str, str] | None:
        """(root, address) of the role a value names, in the root module it is written in."""
        root = scope.instance.root_directory
        if isinstance(result, Reference) and result.resource_type == "aws_iam_role":
            return root, result.ref.value
        if isinstance(result, Literal) and isinstance(result.value, str):
            name = result.value.rsplit("/", 1)[-1] if result.value.startswith("arn:") else result.value
            address = self.roles_by_name.get((root, name))
            return (root, address) if address is not None else None
        return None

    # -- the terraform-aws-modules Lambda module's own inputs ---------------------------------

    def _module_permissions(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        result = self.evaluator.evaluate(attrs.get("allowed_triggers"), scope) if "allowed_triggers" in attrs else None
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            return
        triggers: LocatedMap = result.value
        for key, entry in triggers.items():
            entry_value = self.evaluator.evaluate(entry, result.scope)
            if not isinstance(entry_value, Structure) or not isinstance(entry_value.value, dict):
                continue
            item, inner = entry_value.value, entry_value.scope
            if "principal" in item:
                principal = self.evaluator.text(item["principal"], inner)
            elif "service" in item:
                principal = f"{self.evaluator.text(item['service'], inner)}.amazonaws.com"
            else:
                principal = "(not declared)"
            optional = {key: self.evaluator.text(item[key], inner) if key in item else None
                         for key in ("source_arn", "source_account", "action", "principal_org_id")}
            function.permissions.append(InvokePermission(
                principal=principal, location=Location(result.scope.path, triggers.line_of(key)),
                source_arn=optional["source_arn"], source_account=optional["source_account"],
                action=optional["action"] or "lambda:InvokeFunction", principal_org_id=optional["principal_org_id"],
            ))

    def _module_event_sources(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        result = self.evaluator.evaluate(attrs.get("event_source_mapping"), scope) \
            if "event_source_mapping" in attrs else None
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            return
        mappings: LocatedMap = result.value
        for key, entry in mappings.items():
            entry_value = self.evaluator.evaluate(entry, result.scope)
            if not isinstance(entry_value, Structure) or not isinstance(entry_value.value, dict):
                continue
            location = Location(result.scope.path, mappings.line_of(key))
            function.triggers.append(self._event_source_trigger(entry_value.value, entry_value.scope, location,
                                                                f"{function.name} event_source_mapping.{key}"))

    def _module_policies(self, function: Function, attrs: LocatedMap, scope: Scope, block: Block) -> None:
        truthy = self.evaluator.truthy
        if truthy(attrs.get("create_role"), scope) is False:
            if "lambda_role" in attrs:
                self._role(function, attrs["lambda_role"], scope, Location(block.path, attrs.line_of("lambda_role")))
            return
        source = function.name
        if truthy(attrs.get("attach_policy_statements"), scope) and "policy_statements" in attrs:
            result = self.evaluator.evaluate(attrs["policy_statements"], scope)
            if isinstance(result, Structure) and isinstance(result.value, dict):
                for key, entry in result.value.items():
                    statement = self.evaluator.evaluate(entry, result.scope)
                    if isinstance(statement, Structure) and isinstance(statement.value, dict):
                        location = Location(result.scope.path, result.value.line_of(key))
                        function.policy_statements.append(
                            self._hcl_statement(statement.value, statement.scope, location, f"{source} policy_statements"))
        if truthy(attrs.get("attach_policy_json"), scope) and "policy_json" in attrs:
            self._extend_policies(function, attrs["policy_json"], scope, f"{source} policy_json")
        if truthy(attrs.get("attach_policy_jsons"), scope) and "policy_jsons" in attrs:
            result = self.evaluator.evaluate(attrs["policy_jsons"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                for item in result.value:
                    self._extend_policies(function, item, result.scope, f"{source} policy_jsons")
        if truthy(attrs.get("attach_policy"), scope) and "policy" in attrs:
            self._attach_policy_arn(function.policy_statements, function.managed_policies, attrs["policy"], scope,
                                    Location(block.path, attrs.line_of("policy")), function)
        if truthy(attrs.get("attach_policies"), scope) and "policies" in attrs:
            result = self.evaluator.evaluate(attrs["policies"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                lines = getattr(result.value, "item_lines", [])
                for index, item in enumerate(result.value):
                    line = lines[index] if index < len(lines) else attrs.line_of("policies")
                    self._attach_policy_arn(function.policy_statements, function.managed_policies, item,
                                            result.scope, Location(result.scope.path, line), function)

    def _extend_policies(self, function: Function, value: Any, scope: Scope, source: str) -> None:
        statements, reason = self._policy_document(value, scope, source, 0)
        function.policy_statements.extend(statements)
        if reason:
            function.unresolved.setdefault("Policies", f"{source}: {reason}")

    def _attach_policy_arn(self, statements: list[PolicyStatement], managed: list[ManagedPolicy], value: Any,
                           scope: Scope, location: Location, function: Function | None = None) -> None:
        """A policy ARN: an AWS managed policy by name, or a customer policy whose statements we read."""
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, Reference) and result.resource_type == "aws_iam_policy":
            found = self._block(result)
            if found is not None and "policy" in found[0].attributes:
                block, instance = found
                read, reason = self._policy_document(block.attributes["policy"], Scope(instance, block.path),
                                                     result.ref.value, 0)
                statements.extend(read)
                if reason and function is not None:
                    function.unresolved.setdefault("Policies", f"{result.ref.value}: {reason}")
                return
        if isinstance(result, Reference) and result.resource_type == "data.aws_iam_policy":
            found = self._block(result)
            if found is not None:
                block, instance = found
                inner = Scope(instance, block.path)
                name = self.evaluator.literal_text(block.get("arn"), inner) or \
                    self.evaluator.literal_text(block.get("name"), inner)
                if name:
                    managed.append(ManagedPolicy(name, location))
                    return
        managed.append(ManagedPolicy(display(result), location))

    # -- IAM documents ---------------------------------------------------------------------------

    def _policy_document(self, value: Any, scope: Scope, source: str, depth: int
                         ) -> tuple[list[PolicyStatement], str | None]:
        """Statements of a policy written as jsonencode(...), JSON text, or a policy document data source."""
        if depth > MAX_POLICY_NESTING:
            return [], "policy documents nested too deeply"
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, JsonDocument):
            inner = result.scope
            return statements_from_document(result.value, inner.path, source,
                                            lambda item: self.evaluator.text(item, inner)), None
        if isinstance(result, Literal) and isinstance(result.value, str) and result.location is not None:
            document = _json_document(result.value)
            if document is None:
                return [], "the policy is not a JSON document"
            return statements_from_document(document, result.location.path, source, _json_text,
                                            line_offset=result.location.line - 1), None
        if isinstance(result, Reference):
            if result.resource_type == "data.aws_iam_policy_document":
                return self._policy_document_data(result, depth), None
            found = self._block(result)
            if result.resource_type == "aws_iam_policy" and found is not None:
                block, instance = found
                return self._policy_document(block.get("policy"), Scope(instance, block.path), source, depth + 1)
        return [], _reason(result)

    def _policy_document_data(self, reference: Reference, depth: int) -> list[PolicyStatement]:
        address = reference.ref.value
        found = self._block(reference)
        if found is None:
            return []
        block, instance = found
        scope = Scope(instance, block.path)
        statements: list[PolicyStatement] = []
        for key in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
            if key not in block.attributes:
                continue
            result = self.evaluator.evaluate(block.attributes[key], scope)
            items = result.value if isinstance(result, Structure) and isinstance(result.value, list) else [block.attributes[key]]
            inner = result.scope if isinstance(result, Structure) else scope
            for item in items:
                statements.extend(self._policy_document(item, inner, address, depth + 1)[0])
        for statement in block.blocks_named("statement"):
            made = self._hcl_statement(statement.attributes, Scope(instance, statement.path),
                                       Location(statement.path, statement.line), address)
            # `condition { test, variable, values }` blocks: the keys they test narrow the statement.
            keys = tuple(self.evaluator.text(condition.attributes["variable"], Scope(instance, condition.path))
                         for condition in statement.blocks_named("condition") if "variable" in condition.attributes)
            statements.append(replace(made, condition_keys=keys) if keys else made)
        return statements

    def _hcl_statement(self, attrs: dict[str, Any], scope: Scope, location: Location, source: str) -> PolicyStatement:
        """A statement written in HCL (`effect`, `actions`, `resources`, `not_actions`...)."""
        def listed(key: str) -> tuple[str, ...]:
            if key not in attrs:
                return ()
            result = self.evaluator.evaluate(attrs[key], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                return strings(result.value, lambda item: self.evaluator.text(item, result.scope))
            return (display(result),)
        effect = self.evaluator.text(attrs["effect"], scope) if "effect" in attrs else "Allow"
        return PolicyStatement(effect=effect, actions=listed("actions"), resources=listed("resources"),
                               not_actions=listed("not_actions"), not_resources=listed("not_resources"),
                               location=location, source=source)

    def _grant_role_policies(self) -> None:
        for function in self.functions.values():
            role = function.properties.pop("role_key", None)
            if not isinstance(role, tuple):
                continue
            for grant in self.role_grants.get(role, []):
                if isinstance(grant, PolicyStatement):
                    function.policy_statements.append(grant)
                else:
                    function.managed_policies.append(grant)
            if role in self.role_unresolved:
                function.unresolved.setdefault("Policies", self.role_unresolved[role])

    # -- what other resources say about a function -----------------------------------------------

    def _link(self, instance: Instance) -> None:
        for (type_, name), block in instance.module.resources.items():
            link = getattr(self, f"_link_{type_}", None)
            if link is None:
                continue
            for iteration in iterations(self.evaluator, block, Scope(instance, block.path)):
                link(instance.address(f"{type_}.{name}") + iteration.suffix, block,
                     Scope(instance, block.path, iteration))

    def _function_for(self, value: Any, scope: Scope, depth: int = 0) -> tuple[Function | None, str | None]:
        """The function a `function_name`/`arn`/`endpoint` value names, and the qualifier if any."""
        result = self.evaluator.evaluate(value, scope)
        root = scope.instance.root_directory
        if isinstance(result, Reference):
            if result.resource_type in ("aws_lambda_function", "module"):
                return self._function_instance(result), None
            found = self._block(result)
            if result.resource_type == "aws_lambda_alias" and depth < 3 and found is not None:
                block, instance = found
                inner = Scope(instance, block.path)
                function, _ = self._function_for(block.get("function_name"), inner, depth + 1)
                return function, self.evaluator.literal_text(block.get("name"), inner)
            return None, None
        if isinstance(result, Literal) and isinstance(result.value, str):
            name, qualifier = result.value, None
            if name.startswith("arn:"):
                parts = name.split(":")
                if len(parts) >= 7 and parts[5] == "function":
                    name, qualifier = parts[6], (parts[7] if len(parts) > 7 else None)
            return self.by_name.get((root, name)) or self.by_name.get(("*", name)), qualifier
        return None, None

    def _function_instance(self, reference: Reference) -> Function | None:
        """The function a reference names: the one instance, or the one its key selects."""
        root = reference.scope.instance.root_directory if reference.scope is not None else ""
        group = self.function_groups.get((root, reference.ref.value), [])
        if len(group) == 1:
            return group[0]
        if reference.index is not None:
            wanted = reference.ref.value + reference.index
            return next((fn for fn in group if fn.properties.get("address") == wanted), None)
        return None

    def _link_aws_lambda_event_source_mapping(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None:
            function.triggers.append(self._event_source_trigger(
                block.attributes, scope, Location(block.path, block.line), address, block))

    def _event_source_trigger(self, attrs: dict[str, Any], scope: Scope, location: Location, name: str,
                              block: Block | None = None) -> Trigger:
        """An event source mapping (resource or module entry) → sqs/kinesis/dynamodb/other trigger."""
        source = self.evaluator.evaluate(attrs.get("event_source_arn"), scope) if "event_source_arn" in attrs \
            else Unknown("no event_source_arn", "")
        attributes: dict[str, Any] = {"name": name}
        kind: str | None = None
        if isinstance(source, Reference):
            kind = EVENT_SOURCE_KINDS.get(source.resource_type)
            target = source.ref
            self._target_name(source, attributes)
        elif isinstance(source, Literal) and isinstance(source.value, str):
            parts = source.value.split(":")
            kind = ARN_SERVICE_KINDS.get(parts[2], "other") if len(parts) > 2 else "other"
            target = ResourceRef("arn" if source.value.startswith("arn:") else "name", source.value)
        else:
            target = ResourceRef("unresolved", display(source))
        if kind is None:
            kind = "other"
            if not any(key in attrs for key in ("starting_position", "topics", "queues", "self_managed_event_source",
                                                "amazon_managed_kafka_event_source_config")):
                kind = "sqs"  # every other event source requires starting_position, topics or queues
                attributes["kind_inferred"] = "no starting_position, topics or queues: only SQS omits them"
        for key in ("batch_size", "starting_position", "enabled", "maximum_batching_window_in_seconds"):
            if key in attrs:
                attributes[key] = self.evaluator.to_plain(attrs[key], scope)
        patterns = self._filter_patterns(attrs, block, scope)
        if patterns:
            attributes["filter_patterns"] = patterns
        attributes["raw"] = {str(key): self.evaluator.to_plain(value, scope) for key, value in list(attrs.items())[:50]}
        return Trigger(kind=kind, location=location, target=target, attributes=attributes)

    def _filter_patterns(self, attrs: dict[str, Any], block: Block | None, scope: Scope) -> list[Any]:
        """filter_criteria { filter { pattern = jsonencode(...) } } (resource) or the module's map form."""
        patterns: list[Any] = []
        if block is not None:
            for criteria in block.blocks_named("filter_criteria"):
                for entry in criteria.blocks_named("filter"):
                    if "pattern" in entry.attributes:
                        patterns.append(self._json_value(entry.attributes["pattern"], scope.at(entry.path)))
        elif "filter_criteria" in attrs:
            criteria = self.evaluator.evaluate(attrs["filter_criteria"], scope)
            if isinstance(criteria, Structure) and isinstance(criteria.value, dict) and "pattern" in criteria.value:
                patterns.append(self._json_value(criteria.value["pattern"], criteria.scope))
        return patterns

    def _json_value(self, value: Any, scope: Scope) -> Any:
        """jsonencode(...) or JSON text as a plain Python value; None when it cannot be read."""
        result = self.evaluator.evaluate(value, scope)
        if isinstance(result, JsonDocument):
            return self.evaluator.to_plain(result.value, result.scope)
        if isinstance(result, Literal) and isinstance(result.value, str) and len(result.value) <= MAX_JSON_BYTES:
            try:
                return json.loads(result.value)
            except ValueError:
                return None
        return None

    def _target_name(self, reference: Reference, attributes: dict[str, Any]) -> None:
        """The physical name of the referenced resource, when it is written as a literal."""
        key = PHYSICAL_NAME.get(reference.resource_type)
        found = self._block(reference)
        if key is None or found is None:
            return
        block, instance = found
        name = self.evaluator.literal_text(block.get(key), Scope(instance, block.path))
        if name is not None:
            attributes["target_name"] = name

    def _link_aws_s3_bucket_notification(self, address: str, block: Block, scope: Scope) -> None:
        bucket = self.evaluator.evaluate(block.get("bucket"), scope)
        target, extra = self._resource_ref(bucket)
        for entry in block.blocks_named("lambda_function"):
            inner = scope.at(entry.path)
            function, _ = self._function_for(entry.get("lambda_function_arn"), inner)
            if function is None:
                continue
            events = self.evaluator.evaluate(entry.get("events"), inner)
            event_list = ([self.evaluator.text(item, events.scope) for item in events.value]
                          if isinstance(events, Structure) and isinstance(events.value, list) else [])
            attributes: dict[str, Any] = {
                "name": address, "events": event_list,
                "prefix": self.evaluator.text(entry.get("filter_prefix"), inner) if "filter_prefix" in entry.attributes else "",
                "suffix": self.evaluator.text(entry.get("filter_suffix"), inner) if "filter_suffix" in entry.attributes else "",
                "raw": {str(k): self.evaluator.to_plain(v, inner) for k, v in entry.attributes.items()},
                **extra,
            }
            function.triggers.append(Trigger("s3", Location(entry.path, entry.line), target, attributes))

    def _resource_ref(self, result: Value) -> tuple[ResourceRef, dict[str, Any]]:
        extra: dict[str, Any] = {}
        if isinstance(result, Reference):
            self._target_name(result, extra)
            return result.ref, extra
        if isinstance(result, Literal) and isinstance(result.value, str):
            return ResourceRef("arn" if result.value.startswith("arn:") else "name", result.value), extra
        return ResourceRef("unresolved", display(result)), extra

    def _link_aws_sns_topic_subscription(self, address: str, block: Block, scope: Scope) -> None:
        if (self.evaluator.literal_text(block.get("protocol"), scope) or "").lower() != "lambda":
            return
        function, _ = self._function_for(block.get("endpoint"), scope)
        if function is None:
            return
        target, extra = self._resource_ref(self.evaluator.evaluate(block.get("topic_arn"), scope))
        attributes: dict[str, Any] = {"name": address, **extra}
        if "filter_policy" in block.attributes:
            attributes["filter_policy"] = self._json_value(block.attributes["filter_policy"], scope)
        attributes["raw"] = {str(k): self.evaluator.to_plain(v, scope) for k, v in block.attributes.items()}
        function.triggers.append(Trigger("sns", Location(block.path, block.line), target, attributes))

    def _link_aws_cloudwatch_event_target(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("arn"), scope)
        if function is None:
            return
        rule = self.evaluator.evaluate(block.get("rule"), scope)
        attributes: dict[str, Any] = {"name": address, "pattern": {}}
        bus_value, bus_scope = block.get("event_bus_name"), scope
        kind = "eventbridge"
        rule_found = self._block(rule) if isinstance(rule, Reference) else None
        if isinstance(rule, Reference) and rule.resource_type == "aws_cloudwatch_event_rule" \
                and rule_found is not None:
            rule_block, instance = rule_found
            rule_scope = Scope(instance, rule_block.path)
            attributes["rule"] = rule.ref.value
            if "event_pattern" in rule_block.attributes:
                pattern = self._json_value(rule_block.attributes["event_pattern"], rule_scope)
                attributes["pattern"] = pattern if isinstance(pattern, dict) else {}
                attributes["pattern_location"] = Location(rule_block.path, rule_block.line_of("event_pattern"))
                if not isinstance(pattern, dict):
                    attributes["pattern_unresolved"] = _reason(
                        self.evaluator.evaluate(rule_block.attributes["event_pattern"], rule_scope))
            if "schedule_expression" in rule_block.attributes:
                kind = "schedule"
                attributes["schedule"] = self.evaluator.text(rule_block.attributes["schedule_expression"], rule_scope)
            if bus_value is None and "event_bus_name" in rule_block.attributes:
                bus_value, bus_scope = rule_block.attributes["event_bus_name"], rule_scope
        else:
            attributes["rule"] = display(rule)
        if bus_value is None:
            target = ResourceRef("name", "default")
        else:
            target, extra = self._resource_ref(self.evaluator.evaluate(bus_value, bus_scope))
            attributes.update(extra)
        attributes["bus"] = target.value
        function.triggers.append(Trigger(kind, Location(block.path, block.line), target, attributes))

    def _link_aws_scheduler_schedule(self, address: str, block: Block, scope: Scope) -> None:
        for target_block in block.blocks_named("target"):
            function, _ = self._function_for(target_block.get("arn"), scope.at(target_block.path))
            if function is not None:
                schedule = self.evaluator.text(block.get("schedule_expression"), scope)
                function.triggers.append(Trigger("schedule", Location(block.path, block.line), None,
                                                 {"name": address, "schedule": schedule}))

    def _link_aws_apigatewayv2_integration(self, address: str, block: Block, scope: Scope) -> None:
        self._api_trigger(address, block, scope, "integration_uri", "api_id")

    def _link_aws_api_gateway_integration(self, address: str, block: Block, scope: Scope) -> None:
        self._api_trigger(address, block, scope, "uri", "rest_api_id")

    def _api_trigger(self, address: str, block: Block, scope: Scope, uri_key: str, api_key: str) -> None:
        function, _ = self._function_for(block.get(uri_key), scope)
        if function is None:
            return
        target, _ = self._resource_ref(self.evaluator.evaluate(block.get(api_key), scope)) \
            if api_key in block.attributes else (None, {})
        function.triggers.append(Trigger("api", Location(block.path, block.line), target, {"name": address}))
        function.routes.extend(integration_routes(self.evaluator, RootBlocks(self.blocks, scope.instance.root_directory),
                                                  address, block, scope))

    def _link_aws_lambda_permission(self, address: str, block: Block, scope: Scope) -> None:
        function, qualifier = self._function_for(block.get("function_name"), scope)
        if function is None:
            return
        attrs = block.attributes

        def text(key: str) -> str | None:
            return self.evaluator.text(attrs[key], scope) if key in attrs else None
        function.permissions.append(InvokePermission(
            principal=text("principal") or "",
            location=Location(block.path, block.line_of("principal") if "principal" in attrs else block.line),
            source_arn=text("source_arn"), source_account=text("source_account"),
            qualifier=text("qualifier") or qualifier, action=text("action"),
            principal_org_id=text("principal_org_id"), function_url_auth_type=text("function_url_auth_type"),
        ))

    def _link_aws_lambda_function_url(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is None:
            return
        key = "authorization_type" if "authorization_type" in block.attributes else None
        auth = self.evaluator.text(block.attributes[key], scope) if key else "(not declared)"
        function.url = FunctionUrl(auth, Location(block.path, block.line_of(key) if key else block.line))

    def _link_aws_lambda_function_recursion_config(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None and "recursive_loop" in block.attributes:
            function.recursive_loop = self.evaluator.text(block.attributes["recursive_loop"], scope)
            function.locations["RecursiveLoop"] = Location(block.path, block.line_of("recursive_loop"))

    def _link_aws_lambda_runtime_management_config(self, address: str, block: Block, scope: Scope) -> None:
        function, _ = self._function_for(block.get("function_name"), scope)
        if function is not None and "update_runtime_on" in block.attributes:
            function.update_runtime_on = self.evaluator.text(block.attributes["update_runtime_on"], scope)
            function.locations["RuntimeManagementConfig"] = Location(block.path, block.line_of("update_runtime_on"))

    # IAM: grants are collected per role address and given to the functions that use the role.

    def _role_of(self, value: Any, scope: Scope) -> tuple[str, str] | None:
        return self._role_address(self.evaluator.evaluate(value, scope), scope)

    def _collect(self, role: tuple[str, str] | None, statements: list[PolicyStatement], reason: str | None,
                 source: str) -> None:
        if role is None:
            return
        self.role_grants[role].extend(statements)
        if reason:
            self.role_unresolved.setdefault(role, f"{source}: {reason}")

    def _link_aws_iam_role(self, address: str, block: Block, scope: Scope) -> None:
        suffix = scope.iteration.suffix if scope.iteration is not None else ""
        role = (scope.instance.root_directory, address.removesuffix(suffix) if suffix else address)
        for inline in block.blocks_named("inline_policy"):
            if "policy" in inline.attributes:
                statements, reason = self._policy_document(inline.attributes["policy"], scope.at(inline.path),
                                                           f"{address} inline_policy", 0)
                self._collect(role, statements, reason, address)
        if "managed_policy_arns" in block.attributes:
            result = self.evaluator.evaluate(block.attributes["managed_policy_arns"], scope)
            if isinstance(result, Structure) and isinstance(result.value, list):
                lines = getattr(result.value, "item_lines", [])
                for index, item in enumerate(result.value):
                    line = lines[index] if index < len(lines) else block.line_of("managed_policy_arns")
                    self._attach_to_role(role, item, result.scope, Location(result.scope.path, line))

    def _attach_to_role(self, role: tuple[str, str], value: Any, scope: Scope, location: Location) -> None:
        statements: list[PolicyStatement] = []
        managed: list[ManagedPolicy] = []
        self._attach_policy_arn(statements, managed, value, scope, location)
        self.role_grants[role].extend(statements)
        self.role_grants[role].extend(managed)

    def _link_aws_iam_role_policy(self, address: str, block: Block, scope: Scope) -> None:
        role = self._role_of(block.get("role"), scope)
        if role is not None and "policy" in block.attributes:
            statements, reason = self._policy_document(block.attributes["policy"], scope, address, 0)
            self._collect(role, statements, reason, address)

    def _link_aws_iam_role_policy_attachment(self, address: str, block: Block, scope: Scope) -> None:
        role = self._role_of(block.get("role"), scope)
        if role is not None and "policy_arn" in block.attributes:
            self._attach_to_role(role, block.attributes["policy_arn"], scope,
                                 Location(block.path, block.line_of("policy_arn")))

    def _link_aws_iam_policy_attachment(self, address: str, block: Block, scope: Scope) -> None:
        roles = self.evaluator.evaluate(block.get("roles"), scope)
        if not (isinstance(roles, Structure) and isinstance(roles.value, list)) or "policy_arn" not in block.attributes:
            return
        for item in roles.value:
            role = self._role_of(item, roles.scope)
            if role is not None:
                self._attach_to_role(role, block.attributes["policy_arn"], scope,
                                     Location(block.path, block.line_of("policy_arn")))


def _callers(instance: Any) -> list[Instance]:
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


def _reason(result: Value) -> str:
    if isinstance(result, Unknown):
        return result.reason
    if isinstance(result, Reference):
        return f"refers to {result.ref.value}"
    if isinstance(result, Literal):
        return f"is {result.text}"
    return f"is computed by {display(result)}"


def _json_document(text: str) -> LocatedMap | None:
    """A JSON policy document with the line of each statement (JSON is YAML)."""
    if len(text) > MAX_JSON_BYTES:
        return None
    try:
        document = load_yaml(text)
    except DocumentError:
        return None
    return document if isinstance(document, LocatedMap) else None


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return str(value)
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return str(value)


__all__ = ["TerraformFormat", "environment_value"]
