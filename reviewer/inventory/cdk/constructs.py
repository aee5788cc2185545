"""What CDK source says about a Lambda function, whatever the language it is written in.

The CDK source readers (`cdk/python.py` for Python, `cdk/source.py` for TypeScript, JavaScript,
Java, Kotlin, C# and Go) find construct calls and hand back `ConstructCall`s; `cdk/read.py` turns them into `Function`s.
A runtime constant (`Runtime.PYTHON_3_12`) maps to its identifier by rule, so constants CDK adds
later resolve without a code change; the exceptions table holds the few names the rule cannot
derive, and the lifecycle table is the check that a derived identifier exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewer.data.lifecycle import load_lifecycle

if TYPE_CHECKING:
    from reviewer.inventory.cdk.path_templates import PathTemplate

# Canonical module (aws_cdk.<module> in Python, aws-cdk-lib/<module> in TypeScript, ...) → constructs.
CONSTRUCTS_BY_MODULE: dict[str, frozenset[str]] = {
    "aws_lambda": frozenset({"Function", "DockerImageFunction", "SingletonFunction", "CfnFunction"}),
    "aws_lambda_nodejs": frozenset({"NodejsFunction"}),
    "aws_sam": frozenset({"CfnFunction"}),
    "aws_lambda_python_alpha": frozenset({"PythonFunction"}),
    "aws_lambda_python": frozenset({"PythonFunction"}),
    "aws_lambda_go_alpha": frozenset({"GoFunction"}),
    "aws_lambda_go": frozenset({"GoFunction"}),
    "aws_cloudfront.experimental": frozenset({"EdgeFunction"}),
}
IMAGE_CONSTRUCTS = frozenset({"DockerImageFunction"})

# Runtime constant names the rule cannot derive (checked against the lifecycle table by the tests).
CONSTANT_EXCEPTIONS = {
    "NODEJS": "nodejs",
    "JAVA_8_CORRETTO": "java8.al2",
    "DOTNET_CORE_1": "dotnetcore1.0",
    "DOTNET_CORE_2": "dotnetcore2.0",
}
# Constants whose value moves with the aws-cdk-lib version: reading the source cannot say which.
VARIABLE_CONSTANTS = {
    "NODEJS_LATEST": ("`Runtime.NODEJS_LATEST` is the newest Node.js runtime the installed aws-cdk-lib "
                      "knows, so it changes with the aws-cdk-lib version"),
}
FROM_IMAGE = "FROM_IMAGE"

_FAMILIES = {"NODEJS": "nodejs", "PYTHON": "python", "RUBY": "ruby", "GO": "go", "DOTNET_CORE": "dotnetcore",
             "DOTNET": "dotnet", "JAVA": "java"}
_VERSIONED = re.compile(r"(NODEJS|PYTHON|RUBY|GO|DOTNET_CORE|DOTNET|JAVA)_(\d+)(?:_(\d+|X))?(?:_(AL2023|AL2))?")
_PROVIDED = re.compile(r"PROVIDED(?:_(AL2023|AL2))?")
_CONSTANT_EXPRESSION = re.compile(r"(?:[A-Za-z_$][\w$]*\s*\.\s*)*Runtime\s*\.\s*([A-Z][A-Z0-9_]*)")
_CONSTRUCTED = re.compile(r"(?:new\s+)?(?:[A-Za-z_$][\w$]*\s*\.\s*)*Runtime\s*\(\s*(['\"])([\w.\-]{1,40})\1")
_LATEST_NODE = re.compile(r"(?:[\w$]+\s*\.\s*)*determine_?latest_?node_?runtime\s*\(", re.I)
_LATEST_PYTHON = re.compile(r"(?:[\w$]+\s*\.\s*)*Runtime\s*\.\s*determine_?latest_?python_?runtime\s*\(", re.I)


@dataclass
class ConstructCall:
    """One Lambda construct in CDK source, as written; `cdk/read.py` makes it a `Function`.

    `runtime_line` is the line of the `runtime` argument; `runtime_default_line` the line of the
    named constant it refers to, when the value is written elsewhere in the file. `asset` is the
    code path as written, relative to the CDK app (`asset_base == "app"`, the directory holding
    cdk.json, where `cdk synth` runs), to the source file (`"file"`, for `__dirname` joins) or to the
    repository (`"repo"`, for a `__dirname` join written in a module the source file imports).
    `runtime_default_path` is the file of `runtime_default_line` when it is not the construct's.
    """

    construct: str
    name: str
    line: int
    # A helper's instance is listed at the helper's call (`line`); this is its construct call's line.
    construct_line: int | None = None
    name_is_literal: bool = True
    # When the construct id is an expression: the variable or field the construct is stored in, if any.
    variable: str | None = None
    id_is_expression: bool = False
    runtime: str | None = None
    runtime_given: bool = False
    runtime_line: int | None = None
    runtime_default_line: int | None = None
    runtime_default_path: str | None = None
    runtime_note: str | None = None
    runtime_follows: str | None = None   # RuntimeValue.follows of the runtime read
    image: bool = False
    handler: str | None = None
    index: str | None = None   # PythonFunction's handler module, relative to `entry` (default index.py)
    asset: str | None = None
    asset_base: str = "app"
    dockerfile: str | None = None
    docker_target: str | None = None
    # The image asset's `cmd` and `entrypoint` (`cdk/image_options.py`): None when not set, `()` when
    # set to what the reader cannot tell; and the line of `cmd`.
    docker_command: tuple[str, ...] | None = None
    docker_entry_point: tuple[str, ...] | None = None
    docker_command_line: int | None = None
    inline: bool = False       # `Code.fromInline(...)` / `new InlineCode(...)`: synthesized as `ZipFile`
    # The object key of `Code.fromBucket(bucket, "lambdas/orders.zip")`, a package built elsewhere.
    bucket_key: str | None = None
    # The code location as written when static reading cannot follow it (`path.join(base, name)`).
    code_unread: str | None = None
    # The line of a `codeSigningConfig` property (`code_signing_config`, `CodeSigningConfig`), when one is set.
    code_signing_line: int | None = None
    # Environment variables written as string literals: name → (value, line). Values the file
    # computes (`bucket.bucketName`, a parameter) are left out: only a literal can be a plain secret.
    environment: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Environment variables naming a construct of the file (`BUCKET: bucket.bucketName`): name →
    # (the variable or field holding the construct, line).
    environment_refs: dict[str, tuple[str, int]] = field(default_factory=dict)
    # Environment variables whose value the file computes (a parameter, a call): name → (the value
    # as written, line); and why the environment could not be read whole (a spread from elsewhere).
    environment_computed: dict[str, tuple[str, int]] = field(default_factory=dict)
    environment_unread: str | None = None
    # A part of the declaration static reading could not follow: (line, what it is), for a notice.
    unread: tuple[int, str] | None = None
    # What that notice says is missing, when not the runtime (`cdk/caller_settings.py`).
    unread_missing: str | None = None
    # The C# construct class whose callers pass the code location (`props.ProjectPath`), not followed.
    code_from_callers: str | None = None
    # A module-level helper of a Python file, not called there, that takes this construct's id,
    # runtime or handler as parameters: (its name, its parameters, (role, parameter) pairs), and
    # for Python the construct id's expression when it is made from a parameter (`f"{id}Fn"`); a
    # TypeScript/JavaScript helper adds whether it is a construct class, the asset path it
    # builds from what its callers pass (`cdk/class_factories.py`, `cdk/path_templates.py`), and
    # for a class's instance method the types its callers hold the instance as.
    factory: tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]] \
        | tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], str | None] \
        | tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], None, bool, PathTemplate | None, tuple[str, ...]] \
        | None = None
    # The other files of the repository whose content decided a fact of the construct (a module it
    # imports its runtime, handler, id or asset path from): `Function.declaration_inputs`.
    inputs: tuple[str, ...] = ()


# How CDK reads a Secrets Manager secret into a value (`secret.secretValue`,
# `secret.secretValueFromJson('password')`, `SecretValue.secretsManager('id', {jsonField})`): it
# synthesizes a `{{resolve:secretsmanager:...}}` dynamic reference, which an environment variable
# holds in plain text once deployed. The methods count only when called: a member of that name
# (`props.secretsManager`, the secret's name a stack passes down) is any value.
SECRET_VALUE_PROPERTIES = frozenset({"secretValue", "secret_value"})
SECRET_VALUE_METHODS = frozenset({"secretValueFromJson", "secretsManager", "secret_value_from_json",
                                  "secrets_manager"})
SECRET_VALUE_NAMES = SECRET_VALUE_PROPERTIES | SECRET_VALUE_METHODS


def secret_reference(json_key: str | None) -> str:
    """The dynamic reference CDK writes for a secret read into a value, as the environment keeps it."""
    return "{{resolve:secretsmanager:" + (f"<secret>:SecretString:{json_key}" if json_key else "<secret>") + "}}"


# Attributes of a construct that name it in an environment value (`bucket.bucketName`).
RESOURCE_ATTRIBUTES = frozenset({
    "bucketName", "bucketArn", "queueUrl", "queueArn", "queueName", "topicArn", "topicName", "tableName",
    "tableArn", "streamName", "streamArn", "eventBusName", "eventBusArn", "functionName", "functionArn",
    "bucket_name", "bucket_arn", "queue_url", "queue_arn", "queue_name", "topic_arn", "topic_name", "table_name",
    "table_arn", "stream_name", "stream_arn", "event_bus_name", "event_bus_arn", "function_name", "function_arn",
})

def resource_name(parts: list[str]) -> str:
    """How a construct held in a variable or field is named on both sides of a match (its trigger,
    an environment value): `images`, `this.images` → `images`; `processed.bucket` stays whole, so
    two constructs' `.bucket` are not one."""
    return ".".join(parts[1:] if len(parts) > 1 and parts[0] in ("this", "self") else parts)


# Calls that make inline code, as their last name part lower-cased without underscores, in every
# CDK language (`fromInline`, `from_inline`, `FromInline`, `Code_FromInline`, `new InlineCode`).
INLINE_CODE_CALLS = frozenset({"frominline", "inline", "inlinecode", "newinlinecode"})   # Go: `NewInlineCode`
# Constructs that compile their code from another language, whose runtime the source may leave unwritten.
SOURCE_LANGUAGES = {"GoFunction": "Go"}
# The runtime a construct deploys when the app sets none, where it is the same in every release:
# `GoFunction` (`@aws-cdk/aws-lambda-go-alpha`, CDK v1's `@aws-cdk/aws-lambda-go`, and their Go,
# Python and Java bindings) documents and assigns `lambda.Runtime.PROVIDED_AL2` (`props.runtime ??
# lambda.Runtime.PROVIDED_AL2` in its lib/function.ts, unchanged through 2.27x).
CONSTRUCT_DEFAULT_RUNTIMES = {"GoFunction": "provided.al2"}
# Constructs whose handler is in one language whatever runtime they are given (or left to default):
# the code reader reads it as that language when the runtime is not known.
HANDLER_LANGUAGES = {"NodejsFunction": "javascript", "PythonFunction": "python"}


@dataclass(frozen=True)
class RuntimeValue:
    """A runtime expression read statically: an identifier, or why there is none."""

    identifier: str | None = None
    note: str | None = None
    image: bool = False
    # (file, line) that names the runtime when it is another module than the construct's
    # (`export const LAMBDA_RUNTIME = Runtime.NODEJS_20_X` in `constants.ts`).
    written_in: tuple[str, int] | None = None
    # The aws-cdk-lib constant or method whose runtime moves with the release ("NODEJS_LATEST"):
    # `cdk/variable_runtimes.py` names it from the release the app locks or pins.
    follows: str | None = None


def construct_of(module: str, name: str) -> str | None:
    """`name` when it is a Lambda construct of the canonical `module`, else None."""
    return name if name in CONSTRUCTS_BY_MODULE.get(module, ()) else None


def identifier_for_constant(constant: str) -> RuntimeValue:
    """`PYTHON_3_12` → python3.12, `NODEJS_20_X` → nodejs20.x, `PROVIDED_AL2023` → provided.al2023."""
    if constant == FROM_IMAGE:
        return RuntimeValue(image=True)
    if constant in VARIABLE_CONSTANTS:
        return RuntimeValue(note=VARIABLE_CONSTANTS[constant], follows=constant)
    identifier = CONSTANT_EXCEPTIONS.get(constant)
    if identifier is None and (match := _VERSIONED.fullmatch(constant)):
        family, major, minor, linux = match.groups()
        identifier = _FAMILIES[family] + major + (f".{minor.lower()}" if minor else "") + \
            (f".{linux.lower()}" if linux else "")
    elif identifier is None and (match := _PROVIDED.fullmatch(constant)):
        identifier = "provided" + (f".{match[1].lower()}" if match[1] else "")
    if identifier is None or load_lifecycle().get(identifier) is None:
        return RuntimeValue(note=f"`Runtime.{constant}` is not a runtime constant this review knows")
    return RuntimeValue(identifier=identifier)


def constant_for_identifier(identifier: str) -> str | None:
    """python3.14 → PYTHON_3_14, java8.al2 → JAVA_8_CORRETTO: the inverse of the rule, checked."""
    constant = next((name for name, value in CONSTANT_EXCEPTIONS.items() if value == identifier), None)
    if constant is None and (match := re.fullmatch(r"([a-z]+)([\w.]*)", identifier)):
        rest = match[2].upper().replace(".", "_")
        family = {"dotnetcore": "DOTNET_CORE"}.get(match[1], match[1].upper())
        constant = family + ("_" + rest if rest[:1].isdigit() else rest)
    if constant is None or identifier_for_constant(constant).identifier != identifier:
        return None
    return constant


def runtime_from_expression(expression: str) -> RuntimeValue:
    """A runtime argument as written: `lambda_.Runtime.PYTHON_3_12`, `new Runtime('nodejs22.x')`, ..."""
    text = re.sub(r"\s+as\s+[\w$.]+\s*$|!\s*$", "", expression.strip()).strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if match := _CONSTANT_EXPRESSION.fullmatch(text):
        return identifier_for_constant(match[1])
    if match := _CONSTRUCTED.match(text):
        identifier = match[2]
        if load_lifecycle().get(identifier) is None and not re.fullmatch(r"[a-z]+[\w.\-]*", identifier):
            return RuntimeValue(note=f"`{identifier}` is not a runtime identifier")
        return RuntimeValue(identifier=identifier)
    if _LATEST_NODE.match(text):
        return RuntimeValue(note="the newest Node.js runtime of the stack's region, as the installed "
                                 "aws-cdk-lib version knows it")
    if _LATEST_PYTHON.match(text):
        return RuntimeValue(note="the Python runtime the installed aws-cdk-lib version names",
                            follows="determineLatestPythonRuntime")
    shown = " ".join(text.split())
    return RuntimeValue(note=f"computed by `{shown[:80]}`")


def default_handler(construct: str, handler: str | None, index: str | None) -> str | None:
    """The handler a construct deploys when the source leaves it to the construct's defaults.

    `PythonFunction` builds `<index without .py>.<handler>` from `index` (default `index.py`) and
    `handler` (default `handler`), both relative to its `entry` directory; the other constructs
    take the handler as written (`NodejsFunction` names its file by `entry`, `GoFunction` needs none).
    """
    if construct != "PythonFunction":
        return handler
    module = (index or "index.py").strip().removeprefix("./")
    module = module[:-3] if module.endswith(".py") else module
    return f"{module.replace('/', '.')}.{handler or 'handler'}" if module else None


def default_runtime_follows(call: ConstructCall, nodejs_latest_flag: bool | None, cdk_v1: bool) -> str | None:
    """`NODEJS_LATEST` for a CDK v2 `NodejsFunction` without `runtime` when cdk.json turns on
    `@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion` (its default is then `Runtime.NODEJS_LATEST`)."""
    given = call.runtime_given or call.runtime_note is not None
    return "NODEJS_LATEST" if call.construct == "NodejsFunction" and nodejs_latest_flag and not cdk_v1 \
        and not given else None


def default_runtime_note(construct: str, nodejs_latest_flag: bool | None, cdk_v1: bool = False) -> str:
    """Why a construct without `runtime` has no runtime the review can name. CDK v1's
    `NodejsFunction` (`@aws-cdk/aws-lambda-nodejs`) knows neither aws-cdk-lib nor its flag: its
    default was `NODEJS_14_X` from May 2021 (aws/aws-cdk#14538), 12.x or 10.x before."""
    if construct == "NodejsFunction" and cdk_v1:
        return ("not set: NodejsFunction of CDK v1 then uses `Runtime.NODEJS_14_X` in its later versions "
                "(`NODEJS_12_X` or older before May 2021), a deprecated runtime whichever it is")
    if construct == "NodejsFunction":
        if nodejs_latest_flag:
            return ("not set: NodejsFunction then uses `Runtime.NODEJS_LATEST` (the "
                    "`@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion` flag is on in cdk.json), which "
                    "changes with the aws-cdk-lib version")
        return ("not set: NodejsFunction then uses the CDK default, which depends on the aws-cdk-lib version "
                "(`Runtime.NODEJS_16_X` in recent versions unless cdk.json turns on "
                "`@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion`)")
    if construct == "PythonFunction":
        return f"not set: {construct} then uses its default, which depends on the CDK version"
    return "not set in the construct call"
