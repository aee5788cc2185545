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
become triggers; notifications and subscriptions that deliver to a queue or topic are listed per
root as `Delivery`s (`terraform.deliveries`); `aws_lambda_permission`, `aws_lambda_function_url`, the recursion and
runtime-management configs, and the IAM policies of its role fill the guardrail facts.

Only directories that mention Lambda (or call a local module), and the local modules those call,
are parsed; a file that is not valid HCL2 gives an LR901 notice and the scan goes on; a
declaration that cannot be read (an unknown count, a handler passed to an unreadable module) an
LR904 notice. Values are resolved statically
and boundedly by `terraform.modules.Evaluator`; what cannot be resolved is recorded in
`Function.unresolved`, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from reviewer.inventory.interface import InventoryResult
from reviewer.inventory.terraform.base import FORMAT, environment_value
from reviewer.inventory.terraform.configuration_files import (
    CONFIGURATION_SUFFIXES,
    TFVARS_SUFFIXES,
    declares_functions,
    is_test_configuration,
)
from reviewer.inventory.terraform.count import iterations, switched_off_by_default
from reviewer.inventory.terraform.deliveries import ResourceDeliveries
from reviewer.inventory.terraform.functions import FunctionAttributes
from reviewer.inventory.terraform.hcl import Block, HclError, parse_hcl
from reviewer.inventory.terraform.json_syntax import parse_tf_json
from reviewer.inventory.terraform.modules import (
    MAX_INSTANCES,
    MAX_MODULE_NESTING,
    Instance,
    ParsedModule,
    is_lambda_module,
    is_local_source,
    module_directory,
)
from reviewer.inventory.terraform.policies import RolePolicies
from reviewer.inventory.terraform.state_machines import StateMachineLinks
from reviewer.inventory.terraform.templates import commented_out_modules, module_templates
from reviewer.inventory.terraform.terragrunt import TerragruntUnit, merge_deployments, read_units
from reviewer.inventory.terraform.values import Iteration, Scope
from reviewer.located import LocatedMap
from reviewer.workspace import (
    UnreadableFile,
    Workspace,
    skipped_notice,
    unparsed_notice,
    unread_declaration_notice,
)

MAX_HCL_BYTES = 512 * 1024  # python-hcl2's parser takes seconds beyond this; larger .tf is generated
# Per scan. Real Terraform parses at about 8 µs a byte, adversarial HCL (dense tiny attributes,
# long operator and call chains) at about 40 µs: this bounds the worst case to about 40 s, and the
# run's deadline (reviewer.run_limits) stops the rest with an LR900 error.
MAX_TOTAL_HCL_BYTES = 1024 * 1024
# The Terragrunt files parsed (units that run a folder read here, and the files they include).
MAX_TERRAGRUNT_BYTES = 256 * 1024
# A directory is parsed when a file of it names Lambda, calls a local module, passes a runtime,
# handler or image (a module this review cannot read), in HCL (`x =`) or JSON (`"x":`) syntax, or declares
# a notification or subscription that may deliver to a function's queue (a local module's).
_LAMBDA_MARKERS = re.compile(r"aws_lambda_|terraform-aws-modules/lambda|terraform-aws-lambda"
                             r"|aws_s3_bucket_notification|aws_sns_topic_subscription"
                             r"|source\s*=\s*\"\.\.?/|\b(?:runtime|handler|image_uri)\s*="
                             r"|\"source\"\s*:\s*\"\.\.?/|\"(?:runtime|handler|image_uri)\"\s*:")

# The attribute holding a resource's physical name, for matching literal names in handler code.
class TerraformFormat:
    """Reads Lambda functions and everything attached to them from Terraform configurations."""

    name = FORMAT

    def declares_functions(self, rel: str, text: str) -> bool:
        return declares_functions(rel, text)

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        modules, units = _load_modules(workspace, result)
        if modules:
            reader = _Reader(workspace, modules, result)
            for unit in units:
                if unit.module_directory in modules:
                    reader.units.setdefault(unit.module_directory, []).append(unit)
            reader.read()
        return result


def _load_modules(workspace: Workspace, result: InventoryResult
                  ) -> tuple[dict[str, ParsedModule], list[TerragruntUnit]]:
    """Parse every module directory that mentions Lambda or calls a local module, and the local
    modules those call; then the Terragrunt units that run one of them."""
    files: dict[str, list[str]] = defaultdict(list)
    listed = list(workspace.iter_files(CONFIGURATION_SUFFIXES + TFVARS_SUFFIXES))
    workspace.prefetch(listed)
    for rel in listed:
        files[str(PurePosixPath(rel).parent)].append(rel)
    modules: dict[str, ParsedModule] = {}
    budget = [MAX_TOTAL_HCL_BYTES]
    texts: dict[str, dict[str, str]] = {}
    for directory, paths in sorted(files.items()):
        texts[directory] = {}
        for rel in paths:
            if not rel.endswith(CONFIGURATION_SUFFIXES):
                continue
            try:
                texts[directory][rel] = workspace.read_text(rel)
            except UnreadableFile as unreadable:
                result.notices.append(unreadable.notice)
    # test input is no root of its own; a module it calls is one when nothing else calls it
    pending = [directory for directory in sorted(texts) if not is_test_configuration(directory)
               and any(_LAMBDA_MARKERS.search(text) for text in texts[directory].values())]
    while pending:
        directory = pending.pop(0)
        if directory in modules:
            continue
        module = ParsedModule(directory, files=sorted(texts[directory]))
        for rel, text in texts[directory].items():
            parsed = _parse(workspace, rel, text, result, budget)
            if parsed is not None:
                module.add(parsed[1])
        for rel in sorted(files[directory], key=_tfvars_order):
            name = PurePosixPath(rel).name.removesuffix(".json")
            if name == "terraform.tfvars" or name.endswith(".auto.tfvars"):
                _read_tfvars(workspace, rel, module, result, budget)
        modules[directory] = module
        pending.extend(_called_directories(workspace, module, texts, modules))
    if not modules:
        return modules, []

    configs: dict[str, tuple[LocatedMap, list[Block]] | None] = {}
    config_budget = [MAX_TERRAGRUNT_BYTES]

    def parse_config(rel: str) -> tuple[LocatedMap, list[Block]] | None:
        """A Terragrunt file, parsed once (a root file every unit includes), within a budget of
        its own so that units never leave Terraform files unread."""
        if rel not in configs:
            try:
                configs[rel] = _parse(workspace, rel, workspace.read_text(rel), result, config_budget,
                                      "Terragrunt", MAX_TERRAGRUNT_BYTES)
            except UnreadableFile as unreadable:
                result.notices.append(unreadable.notice)
                configs[rel] = None
        return configs[rel]

    return modules, read_units(workspace, parse_config, set(modules))


def _called_directories(workspace: Workspace, module: ParsedModule, texts: dict[str, dict[str, str]],
                        parsed: dict[str, ParsedModule]) -> list[str]:
    """The local modules `module` calls that are not parsed yet. A module that never names Lambda
    (one that zips the code, or computes names) still gives the values a function is declared
    with (`filename = module.packaging.archive_path`), so it is read because it is called."""
    called = []
    for block in module.modules.values():
        source = block.get("source")
        if isinstance(source, str) and is_local_source(source):
            target = module_directory(module.directory, source, workspace.resolve)
            if target is not None and target in texts and target not in parsed:
                called.append(target)
    return sorted(called)


def _parse(workspace: Workspace, rel: str, text: str, result: InventoryResult, budget: list[int],
           kind: str = "Terraform", limit: int = MAX_TOTAL_HCL_BYTES) -> tuple[LocatedMap, list[Block]] | None:
    """The file's attributes and blocks; parsed once per run for a path and text, so a review's
    base reuses the head's parse of every Terraform file the change left alone (lark's parser is
    the largest cost of reading Terraform). The result is only read, never changed, by readers."""
    size = len(text.encode("utf-8", "ignore"))
    if size > MAX_HCL_BYTES:
        result.notices.append(skipped_notice(
            rel, f"it is larger than {MAX_HCL_BYTES:,} bytes, the limit for parsing Terraform files"))
        return None
    if size > budget[0]:
        result.notices.append(skipped_notice(
            rel, f"the {kind} files of this repository exceed {limit:,} bytes, "
                 "the limit parsed in one review"))
        return None
    budget[0] -= size
    try:
        return workspace.parsed.get(f"terraform:{rel}", text, lambda source: parse_tf_json(source, rel)
                                    if rel.endswith(".json") else parse_hcl(source, rel))
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
    parsed = _parse(workspace, rel, text, result, budget)
    if parsed is None:
        return
    for name, value in parsed[0].items():
        module.tfvars[name] = (value, rel)


class _Reader(FunctionAttributes, RolePolicies, StateMachineLinks, ResourceDeliveries):
    """Instantiates the modules, reads the functions, then attaches what other resources say."""

    # -- module instances ----------------------------------------------------------------------

    def read(self) -> None:
        self.templates = module_templates(self.workspace, self.modules, self._local_calls)
        self.switched_off = commented_out_modules(self.workspace, self.modules, self._local_calls)
        called = {target for module in self.modules.values() for target in self._local_calls(module).values()}
        for directory, module in self.modules.items():
            # a module folder Terragrunt units run is a root once per unit, in the unit's name,
            # whether or not a configuration of the repository calls it too (an example root)
            units: list[TerragruntUnit | None] = list(self.units.get(directory, []))
            if directory in called and not units:
                continue
            units = units or [None]
            for unit in units:
                self._instantiate(module, "", unit.directory if unit is not None else directory, None, None, 0,
                                  unit=unit)
        reached = {instance.module.directory for instance in self.instances}
        for directory, module in self.modules.items():  # modules only called in a cycle
            if directory not in reached:
                self._instantiate(module, "", directory, None, None, 0)
        self._say_switched_off()
        for instance in self.instances:
            self._index(instance)
        for instance in self.instances:
            self._read_functions(instance)
        self._without_callers_defaults()
        for instance in self.instances:
            self._link(instance)
            self._read_deliveries(instance)
        self._grant_role_policies()
        if self.units:
            self.functions = merge_deployments(self.functions, self.units)
            for (root, _), function in self.functions.items():
                merged = function.properties.get("terragrunt_units")
                if merged and root not in self.result.deliveries and merged[0] in self.result.deliveries:
                    self.result.deliveries[root] = list(self.result.deliveries[merged[0]])
        self._name_by_root()
        self.result.functions.extend(self.functions.values())

    def _without_callers_defaults(self) -> None:
        """Drop a function of a module folder reviewed on its own because its only calls are a
        `for_each` over an input empty by default (`for_each = var.lambdas`, which each
        environment's Terragrunt inputs or `-var-file` fill) when its runtime is the default of a
        variable those calls set (`runtime = coalesce(each.value.runtime, var.lambda_runtime)`):
        that default is not what any caller deploys, and the function it makes up (the module's
        default handler, no code) is none of the repository's. A runtime the folder writes itself
        still describes every instance, and its function stays."""
        for key, function in list(self.functions.items()):
            passed = self._inputs_left_to_callers.get(key[0])
            default = function.locations.get("Runtime.Default")
            if passed is None or default is None or key[0] not in self.modules:
                continue
            if any(name in passed and block.path == default.path and block.line <= default.line <= block.end_line
                   for name, block in self.modules[key[0]].variables.items()):
                del self.functions[key]

    def _name_by_root(self) -> None:
        """With several root modules, a function's name starts with its root's directory
        (`envs/prod:module.api`), so two roots never share one; a repository with one root (or
        functions only in the repository's top directory) keeps the bare Terraform address."""
        roots = {root for root, _ in self.functions}
        for (root, _), function in self.functions.items():
            function.name_scope = "" if root in ("", ".") else root
        if len(roots) <= 1:
            return
        for (root, _), function in self.functions.items():
            if root not in ("", "."):
                function.name = f"{root}:{function.name}"

    def _instantiate(self, module: ParsedModule, prefix: str, root: str, caller: Instance | None,
                     call: Block | None, depth: int, iteration: Iteration | None = None,
                     unit: TerragruntUnit | None = None) -> Instance | None:
        if len(self.instances) >= MAX_INSTANCES:
            if not self._instance_limit_reported:
                self._instance_limit_reported = True
                self.result.notices.append(skipped_notice(
                    module.directory, f"its modules expand to more than {MAX_INSTANCES} module instances"))
            return None
        instance = Instance(module, prefix, root, caller, call, iteration=iteration, unit=unit)
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
            made = iterations(self.evaluator, call, Scope(instance, call.path))
            if not made and _declares_functions(self.modules[target]):
                self._switched_off(instance, call, f"module.{name}", target)
            if not made and "for_each" in call.attributes:
                self._inputs_left_to_callers.setdefault(target, set()).update(call.attributes)
            for iteration in made:
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

    # -- functions -----------------------------------------------------------------------------

    def _read_functions(self, instance: Instance) -> None:
        """One function per instance Terraform creates: none for `count = 0` or a false
        `create_*` flag, one per `for_each` entry, one (saying so) when the count is unknown."""
        for name, block in instance.module.resources_of("aws_lambda_function"):
            made = iterations(self.evaluator, block, Scope(instance, block.path))
            if not made:
                self._switched_off(instance, block, f"aws_lambda_function.{name}")
            for iteration in made:
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
            made = iterations(self.evaluator, block, Scope(instance, block.path))
            if not made:
                self._switched_off(instance, block, f"module.{name}")
            for iteration in made:
                function = self._module_function(instance, name, block, Scope(instance, block.path, iteration),
                                                 generic)
                if function is not None:
                    self._add(function, iteration, block)

    def _switched_off(self, instance: Instance, block: Block, address: str, target: str | None = None) -> None:
        """A function (or a module of functions) no instance of which is made only because of the
        defaults of the root's variables: a feature switch another environment turns on at plan
        time. Not reviewed, as with the defaults, but never dropped silently. A call of a module
        folder (`target`) is said only when no other root switches it on (`_say_switched_off`):
        `envs/prod` calling it with the switch on reviews that folder's functions already."""
        root = instance.root_directory
        if root in self.templates or root in self.switched_off:
            return  # a module folder nothing calls, or one switched off by a comment
        argument = switched_off_by_default(self.evaluator, block, Scope(instance, block.path))
        if argument is None:
            return
        where = instance.address(address)
        notice = unread_declaration_notice(
            block.path, block.line, f"{root}:{where}: {argument}" if root not in ("", ".") else f"{where}: {argument}",
            missing=("the function is left out, as the variables' defaults make none of it, though an "
                     "environment that sets them at plan time deploys it"))
        if target is None:
            self.result.notices.append(notice)
        else:
            self._switched_off_calls.append((target, notice))

    def _say_switched_off(self) -> None:
        """The notices of `_switched_off` for module calls, but for folders another call instantiates."""
        instantiated = {instance.module.directory for instance in self.instances}
        self.result.notices.extend(notice for target, notice in self._switched_off_calls if target not in instantiated)
        self._switched_off_calls.clear()


def _declares_functions(module: ParsedModule) -> bool:
    """Whether a module folder declares a Lambda function of its own (a resource or a call of the
    registry's Lambda module)."""
    return bool(module.resources_of("aws_lambda_function")) or any(
        isinstance(call.get("source"), str) and is_lambda_module(str(call.get("source")))
        for call in module.modules.values())


__all__ = ["TerraformFormat", "environment_value"]
