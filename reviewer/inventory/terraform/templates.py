"""Terraform module folders that no configuration of the repository calls.

Every directory of Terraform files that no other directory calls is read as a root module. A
folder under a `modules/` path segment is meant to be called, though: when the repository deploys
from roots that call its own local modules and none calls this folder, it is a leftover copy or a
module kept for others to call, not a deployment. Its functions are inputs away from existing
(`runtime = var.python_version` with no default), and listing them would invent a function with
an unresolved runtime next to the copy the repository really deploys; so are those whose handler
or image is a variable no default gives (`handler = var.lambda_handler`, `image_uri =
var.image_uri`), or whose code path leads out of the folder to nothing (`"../../lambdas/x"`,
written for a caller's root): which code runs is each caller's to say, and the function was listed
with no handler, or a missing folder, beside the calls of its sibling module. A folder that says it is
run as a root stays one: one that configures a backend, a provider (beyond the `alias` a module
declares to receive one) or has its own `terraform.tfvars`, as a `modules/x` folder applied with
`-var-file` does. A repository that calls its modules from Terragrunt (`terragrunt.hcl`) calls
them outside Terraform files, so its folders stay roots (those a unit runs from a local source
are read once per unit, `terraform.terragrunt`; a remote source's cannot be told apart). The
same holds of a folder beside a called module that takes inputs only a caller gives (a variable
without a default) and is not configured as a root: `lambdas/worker/` beside the `lambdas/api/` a
root calls.

A folder whose only call is commented out (`# module "alarm" { source = "./lambdas/alarm" ... }`)
was switched off by the team: nothing deploys it, whatever its runtime, so none of its functions
is listed (a folder configured as a root still is).

The other way round, a call of a local module folder the repository does not hold (moved or
deleted since) is told apart here as a Lambda function's or not, so it is never dropped silently.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Callable

from reviewer.comments import comments_of
from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.modules import ParsedModule, module_directory
from reviewer.inventory.terraform.terragrunt import TERRAGRUNT_FILE
from reviewer.model import Function
from reviewer.workspace import UnreadableFile, Workspace

MODULES_SEGMENT = "modules"
_LAMBDA_WORD = "lambda"
_FUNCTION_ARGUMENTS = ("handler", "runtime", "function_name", "image_uri")
# Words of a module folder's or call's name that say it makes something other than a function:
# another service (`./modules/s3`, `cloudwatch_events`), or, last in a name that says Lambda, a
# companion of one (`lambda_role`, `reporting_lambda_bucket`; `lambda_s3` is still a function).
_COMPANIONS = frozenset({
    "bucket", "buckets", "parameter", "parameters", "topic", "topics", "queue", "queues", "table",
    "tables", "alarm", "alarms", "dashboard", "role", "roles", "policy", "policies", "permission",
    "permissions", "certificate", "layer", "layers", "logs", "sg",
})
_SERVICES = frozenset({
    "s3", "ssm", "sns", "sqs", "dynamodb", "kms", "vpc", "ecr", "rds", "cloudwatch", "iam", "waf",
    "route53", "acm",
})
# The last word of an argument that points at a function made elsewhere (`lambda_arn`).
_REFERENCE_WORDS = frozenset({"arn", "arns"})
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_MAX_NAME_CHARS = 300
# A local module's source inside a comment: the call of a module switched off by commenting it out.
_COMMENTED_SOURCE = re.compile(r'\bsource\s*=\s*"(\.\.?/[^"\n]{0,300})"')


def module_templates(workspace: Workspace, modules: dict[str, ParsedModule],
                     local_calls: Callable[[ParsedModule], dict[str, str]]) -> set[str]:
    """The directories read as roots that are module folders nothing in the repository calls, in
    a repository whose other roots call local modules: under a `modules` path segment, or beside
    a called module and taking an input no default gives (the top folder of a repository that is
    itself a module calls its own modules, and stays a root)."""
    called = {target for module in modules.values() for target in local_calls(module).values()}
    if not called or _uses_terragrunt(workspace):
        return set()
    beside_called = {str(PurePosixPath(target).parent) for target in called}
    return {directory for directory, module in modules.items()
            if directory not in called and not _configured_as_root(module)
            and (MODULES_SEGMENT in PurePosixPath(directory).parts[:-1]
                 or directory not in ("", ".") and str(PurePosixPath(directory).parent) in beside_called
                 and _takes_inputs(module))}


def commented_out_modules(workspace: Workspace, modules: dict[str, ParsedModule],
                          local_calls: Callable[[ParsedModule], dict[str, str]]) -> set[str]:
    """The directories read as roots whose only calls are in comments of another folder's files
    (`# source = "./lambdas/alarm"`): module folders the team switched off, deployed by nothing."""
    called = {target for module in modules.values() for target in local_calls(module).values()}
    uncalled = {directory for directory, module in modules.items()
                if directory not in called and not _configured_as_root(module)}
    if not uncalled or _uses_terragrunt(workspace):
        return set()
    switched_off: set[str] = set()
    for module in modules.values():
        for rel in module.files:
            try:
                text = workspace.read_text(rel)
            except UnreadableFile:
                continue    # its notice was given when the folder was read
            if "source" not in text:
                continue
            for comment in comments_of(rel, text).values():
                for source in _COMMENTED_SOURCE.findall(comment):
                    target = module_directory(module.directory, source.rstrip("/"), workspace.resolve)
                    if target in uncalled and target != module.directory:
                        switched_off.add(target)
    return switched_off


def is_module_input(function: Function) -> bool:
    """A function of a module folder whose runtime is left to its callers: with no caller in the
    repository, it is a module's declaration, not a deployed function. An image function, or one
    whose runtime is written in the module, is still listed, unless its handler is left to the
    callers too (`handler = var.lambda_handler`, which the Terraform reader asks of the value)."""
    return function.runtime is None and function.package_type.lower() != "image"


def names_lambda(name: str, source: str, call: Block) -> bool:
    """Whether a call of a module the review cannot find is a Lambda function's: its name, its
    folder's name or an argument it passes says so (`module "lambdas"`, `./modules/api_lambda`,
    `lambda_name`, `function_name`). A missing table or layer module is no function to miss, nor
    is the bucket or parameter module a call names after the function it serves."""
    return says_lambda(name, source, call) or any(argument in call.attributes for argument in _FUNCTION_ARGUMENTS)


def says_lambda(name: str, source: str, call: Block) -> bool:
    """Whether a module call's source folder, its name or one of its argument names says Lambda
    (`...//lambda?ref=v1`, `module "heartbeat_lambda"`, `enable_lambda_insights`), the first that
    tells deciding: a folder named for another service (`./modules/s3`, `ssm_parameter`) makes no
    function whatever its call is named (`module "reporting_lambda_bucket"`), nor does a call named
    for what it makes about a function (`lambda_role`, `lambda_layer`), nor an argument that points
    at a function made elsewhere (`lambda_arn`, `lambda_event_target_arn`)."""
    for words in (_words(_source_folder(source)), _words(name)):
        verdict = _names_function(words)
        if verdict is not None:
            return verdict
    return any(_names_function(words) and words[-1] not in _REFERENCE_WORDS
               for words in map(_words, call.attributes))


def _source_folder(source: str) -> str:
    """The folder a module source names: the last path segment, without a `?ref=` query; the
    module's name of a registry address (`terraform-aws-modules/lambda/aws`)."""
    path = source.split("?", 1)[0].rstrip("/")
    parts = path.split("/")
    if "//" not in path and ":" not in path and not path.startswith("."):
        if len(parts) == 3 and "." not in parts[0]:  # not `github.com/acme/terraform-aws-lambda`
            return parts[1]
        if len(parts) == 4 and "." in parts[0]:  # a registry host: `app.terraform.io/acme/lambda/aws`
            return parts[2]
    return PurePosixPath(path).name


def _words(text: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(text.lower()[:_MAX_NAME_CHARS]) if word]


def _names_function(words: list[str]) -> bool | None:
    """What a name's words say: a Lambda function (`orders_lambda`, `generic_lambda`), something
    else (`lambda_role`, `s3`, `cloudwatch_events`), or nothing (`worker`, `api`)."""
    if not words:
        return None
    if any(_LAMBDA_WORD in word for word in words):
        return words[-1] not in _COMPANIONS
    return False if any(word in _COMPANIONS or word in _SERVICES for word in words) else None


def _takes_inputs(module: ParsedModule) -> bool:
    """Whether the folder declares a variable without a default: an input its caller gives."""
    return any("default" not in block.attributes for block in module.variables.values())


def _configured_as_root(module: ParsedModule) -> bool:
    """Whether the folder carries what only a root module uses: a backend (or Terraform Cloud)
    setting, a provider configured with settings, or a `terraform.tfvars` of its own."""
    if module.tfvars:
        return True
    for block in module.blocks:
        if block.type == "terraform" and (block.blocks_named("backend") or block.blocks_named("cloud")):
            return True
        if block.type == "provider" and (set(block.attributes) - {"alias"} or block.blocks):
            return True
    return False


def _uses_terragrunt(workspace: Workspace) -> bool:
    return any(PurePosixPath(rel).name == TERRAGRUNT_FILE for rel in workspace.iter_files((TERRAGRUNT_FILE,)))
