"""Plain data shared by every room: where things are and what a function is, as declared.

Nothing here does I/O or knows GitHub; every other module speaks in these types. What a finding
says about them is `reviewer.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.path_globs import Glob, matches


# Names the review quotes are shortened past this many characters.
MAX_NAME_CHARS = 256


def bounded_text(value: str, limit: int = MAX_NAME_CHARS) -> str:
    """`value`, or its first `limit - 1` characters and an ellipsis."""
    return value if len(value) <= limit else value[:limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Location:
    """A place in the workspace: repo-relative POSIX path and 1-based lines."""

    path: str
    line: int
    end_line: int | None = None

    @property
    def last_line(self) -> int:
        return self.end_line or self.line

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


# The `type` of an `other` trigger that is a CloudFormation custom resource of the app (CDK's
# `CustomResource` whose `serviceToken` is the function's ARN, a `Provider`'s `onEventHandler`).
CUSTOM_RESOURCE_TYPE = "CustomResource"
TRIGGER_KINDS = ("s3", "sqs", "sns", "dynamodb", "kinesis", "eventbridge", "api", "schedule", "stepfunctions", "other")


@dataclass(frozen=True)
class Trigger:
    """An event source that invokes a function (S3 notification, queue, stream, rule...).

    `kind` is one of TRIGGER_KINDS. `target` names the resource that emits the events, in the
    declaring format's own terms (see `ResourceRef`). `attributes` holds kind-specific details:
    s3: events (list), prefix, suffix; eventbridge: pattern (dict), bus; sqs/kinesis/dynamodb:
    batch settings; stepfunctions (a state machine's task invokes the function): `machine`, the
    state machine's name, `starters`, the kinds of what the declarations say starts its executions
    (`schedule`, `api`, `eventbridge`, `other`; empty when none is declared), and `qualified`, when
    the task names a version or an alias, and (CDK) `payload`, `fixed` when every task sends the
    function constants its definition writes rather than the state; plus `raw`, the declaration as written.
    """

    kind: str
    location: Location
    target: "ResourceRef | None" = None
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ResourceRef:
    """A reference to an infrastructure resource, as precise as static reading allows.

    `kind` says how to read `value`: "logical-id" (CloudFormation/SAM/Serverless resources),
    "terraform" (a resource address such as aws_s3_bucket.uploads), "name" (a literal physical
    name), "arn" (a literal ARN), "cdk" (`<file>#<variable>`: the construct a CDK source file keeps
    in that variable or field; a serverless-lift construct of a serverless.yml is `<file>#<id>`), or "unresolved" (value then says what could not be resolved).
    """

    kind: str
    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class DefaultedWildcard:
    """A `Resource` of a statement that is `*` only through the default of a deploy-time input: a
    CloudFormation parameter's `Default`, a Terraform root variable's `default`, a Serverless
    variable's fallback (`${param:arn, '*'}`). It is what deploys when the deployment passes
    nothing, so it is judged as `*`; the words name the input, which a deployment can override."""

    written: str  # how the statement names the input: `lambdaResource`, `var.functions`, `${param:arn, '*'}`
    location: Location  # where the default `*` is written


@dataclass(frozen=True)
class PolicyStatement:
    """One IAM statement that applies to the function's execution role."""

    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    location: Location
    source: str = ""
    # `NotAction` / `NotResource`: everything except these (an Allow with NotAction is broad).
    not_actions: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    # The keys its `Condition` block tests (`iam:AWSServiceName`, `aws:ResourceTag/team`...).
    condition_keys: tuple[str, ...] = ()
    # One per `*` of `resources` that an input's default supplies rather than the statement itself.
    defaulted_wildcards: tuple[DefaultedWildcard, ...] = ()
    # The IAM service of each value of `resources`, in order (`cognito-idp` for a user pool's ARN),
    # "" where the reader cannot tell: the services a statement's actions can apply to.
    resource_services: tuple[str, ...] = ()
    # The role the statement is on, when the reader tells roles apart (CDK: the role a construct is
    # given, or the function's own); "" when it does not: functions sharing the statement's line are
    # then taken to share one role. Findings say "roles" when the functions named hold several.
    role: str = ""
    # The ways of deciding a template's conditions under which the statement is the one deployed (a
    # statement, or its `Resource`, chosen by `Fn::If`), each a tuple of (condition, decided); empty
    # when it deploys whatever they are.
    when: tuple[tuple[tuple[str, bool], ...], ...] = ()


@dataclass(frozen=True)
class ManagedPolicy:
    """A managed policy attached to the function's role, by ARN or SAM policy-template name."""

    name: str
    location: Location
    # Where the attachment comes from, names quoted in backticks (a deployed function's role), or "".
    source: str = ""
    # The role it is attached to, as `PolicyStatement.role`.
    role: str = ""
    # The ways of deciding a template's conditions under which it is attached (chosen by `Fn::If`),
    # as `PolicyStatement.when`; empty when it is attached whatever they are.
    when: tuple[tuple[tuple[str, bool], ...], ...] = ()


# `Function.unresolved` key of a function whose published versions and aliases the reader cannot
# tell: LR401 (invoked only through `$LATEST`) stays silent rather than guess.
PUBLISHED_VERSIONS_KEY = "Versions"

# `Function.properties` key of the one function that stands for a service whose functions could not
# be read (a Serverless `functions:` computed or loaded by a script): its runtime is the provider's,
# reviewed once; it has no handler or code of its own to read.
FUNCTIONS_UNREAD_KEY = "functions_unread"


@dataclass(frozen=True)
class LibraryFunction:
    """A function a library adds to the deployment by itself, read from the library's output (a
    synthesized template): aws-cdk-lib's handler of S3 bucket notifications, of log retention, of
    its custom resources. Its code, runtime and (unless `policy_from_app`) its role are the
    library's: the team changes them only by upgrading `library`.

    `purpose` says what the function does for the library, in a few words (`S3 bucket
    notifications`); `policy_from_app` marks a function whose role policy the app writes (the
    `policy` of CDK's `AwsCustomResource`), so role findings still concern the team.
    """

    library: str
    purpose: str
    policy_from_app: bool = False


@dataclass(frozen=True)
class FunctionUrl:
    """A function URL: its auth type and where it is declared."""

    auth_type: str
    location: Location


@dataclass(frozen=True)
class ImportedGrant:
    """A permission or event source a template gives a function of another stack, named through
    `Fn::ImportValue`, that no function read is exported under (reviewer.inventory.cloudformation.
    imported_functions): what a change to it edits, said by the review's note. `kind`:
    "permission", "event_source" (a mapping) or "subscription" (a topic's lambda one); `name`: the import's name as written ("" when computed);
    `exported`: how many functions of the repository's templates are exported under a name it
    matches (0, or several it cannot choose between)."""

    kind: str
    path: str
    line: int
    name: str
    exported: int = 0


@dataclass(frozen=True)
class InvokePermission:
    """A resource-based permission (AWS::Lambda::Permission, aws_lambda_permission...)."""

    principal: str
    location: Location
    source_arn: str | None = None
    source_account: str | None = None
    # The resource `source_arn` names, as the declaring format resolved it: a resource of the
    # function's own template or configuration, or a literal ARN; None when it names neither.
    source: "ResourceRef | None" = None
    qualifier: str | None = None
    # The permitted action (lambda:InvokeFunction, lambda:InvokeFunctionUrl), the organization a
    # `*` principal is limited to, and the URL auth type the permission is conditioned on.
    action: str | None = None
    principal_org_id: str | None = None
    function_url_auth_type: str | None = None
    # The grant holds only for calls that arrive through the function URL (CloudFormation's
    # `InvokedViaFunctionUrl`, the policy condition `lambda:InvokedViaFunctionUrl`): the
    # `lambda:InvokeFunction` half of a URL's access, which URLs created since October 2025 need.
    invoked_via_function_url: bool = False
    # The CDK method that wrote the permission, as the file spells it: a grant (`grantInvoke`) takes
    # a principal and no condition, so LR303 says where the conditions go instead; `addPermission`
    # names its organization `organizationId`, where CfnPermission (None here) has `principalOrgId`.
    cdk_method: str | None = None
    # The template's conditions under which this principal is the one deployed (a principal chosen
    # by `Fn::If`): each way, the conditions it passes and how they are decided, so LR303 says when
    # the function is open; empty when the principal does not hang on a condition.
    principal_when: tuple[tuple[tuple[str, bool], ...], ...] = ()

    @property
    def service(self) -> str:
        """The principal as checks match it against service names: lower case, and a China
        partition's service principal (`logs.amazonaws.com.cn`) as the service's own name."""
        principal = self.principal.strip().lower()
        return principal[:-len(".cn")] if principal.endswith(".amazonaws.com.cn") else principal


@dataclass(frozen=True)
class InlineCode:
    """Handler code written in the declaration itself (a template's inline code, CDK's
    `Code.fromInline(...)`), as the declaring format resolved it.

    `text` is the code and `location` the place of its first line, so findings in it point where
    it is written; `text` is None when a deploy-time function builds the code, and `built_by`
    then names that function. `in_template` says the code is a property of a deployment
    template (which makes the package Lambda receives, so no signature can cover it) rather
    than an argument in an app's program source. `packaged` says the code, though written in
    the declaration, reaches Lambda in a .zip package the deployment tool builds (Terraform's
    `archive_file` with `source { content = ... }`), which a signature can cover.
    """

    location: Location
    text: str | None = None
    built_by: str | None = None
    in_template: bool = True
    packaged: bool = False


@dataclass(frozen=True)
class HttpRoute:
    """An HTTP route of API Gateway that invokes the function, as every IaC format can say it.

    `authorizer` names what authorises callers (an authorizer's name, `AWS_IAM`, `COGNITO_USER_POOLS`,
    `private API`); None when nothing does. `declared_public` is an explicit "no authorizer on
    this route" (SAM `Auth: {Authorizer: NONE}`). `unvalidated_body` marks a REST route whose
    method takes a body (POST, PUT, PATCH, ANY) with no request validator or model.
    `api_key_required` marks a route that demands an API key, which identifies a client but
    authorises nobody (keys are shared and long-lived). `websocket` marks the `$connect` route of
    a WebSocket API (`method` `WEBSOCKET`, `path` `$connect`; reviewer.inventory.websocket_routes).
    `in_definition` marks a route an API's OpenAPI document declares, whose authorization is the
    operation's `security` (reviewer.inventory.cloudformation.openapi_routes). `proxy_event` marks
    a REST route whose integration hands the function API Gateway's proxy event (a Lambda proxy
    integration), where the request body is the event's `body`; False when a mapping template
    builds the event (a non-proxy integration, whose event may be the body itself) or the
    integration is not known, so nothing is concluded from which keys the handler reads.
    A route whose authorization a template chooses by conditions (CloudFormation `Fn::If`) is open
    when some case leaves it open: `open_by` names the conditions it then hangs on, and
    `open_when` the value each takes where the route is open, when such values say it exactly
    (reviewer.inventory.cloudformation.route_conditions); both empty for a route open in every case.
    """

    method: str
    path: str
    authorizer: str | None
    location: Location
    declared_public: bool = False
    unvalidated_body: bool = False
    api_key_required: bool = False
    websocket: bool = False
    in_definition: bool = False
    proxy_event: bool = False
    open_when: tuple[tuple[str, bool], ...] = ()
    open_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackageContents:
    """Which files of its folder a function's package holds, where the declaration chooses them by
    patterns (a Serverless service's `package.patterns`, `include`, `exclude`).

    Every file under `root` (a repo-relative folder, `.` the whole repository) starts in the
    package; each rule, in order, then puts in (`True`) or takes out (`False`) the files whose
    path relative to `root` one of its globs matches whole (reviewer.path_globs, linear in the
    path, since the patterns are the repository's), the last match deciding. The format's reader
    turns its own pattern syntax into these rules, so the code readers need not know it.
    `location` is the line that states the settings; `image` says they are what an image's
    Dockerfile copies of its build context (reviewer.inventory.container.context_copies), not
    package settings, as a summary names the files left out.
    """

    root: str
    rules: tuple[tuple[bool, tuple[Glob, ...]], ...]
    location: Location
    image: bool = False

    def holds(self, rel: str) -> bool:
        """Whether the repo-relative file `rel` is in the package."""
        if self.root not in ("", "."):
            prefix = self.root.rstrip("/") + "/"
            if not rel.startswith(prefix):
                return False
            rel = rel[len(prefix):]
        shipped = True
        for ships, globs in self.rules:
            if shipped != ships and any(matches(glob, rel) for glob in globs):
                shipped = ships
        return shipped


@dataclass
class Function:
    """One Lambda function as declared in infrastructure code.

    `locations` maps each property the rules read (``Runtime``, ``Handler``, ...) to the exact
    line that sets it, which may be a ``Globals`` section rather than the resource itself.
    """

    name: str
    format: str
    location: Location
    runtime: str | None = None
    handler: str | None = None
    code_path: str | None = None
    # The name of a package the declaration deploys from an object built and uploaded elsewhere, when
    # it names the object (`create_baseline_job` of CDK's `Code.from_bucket(bucket,
    # "lambdas/create_baseline_job.zip")`): it tells the handler's source among files of one name
    # (`code/handler_search.py`), as a package file's name does.
    built_package: str | None = None
    package_type: str = "Zip"
    image_uri: str | None = None
    update_runtime_on: str | None = None
    environment: dict[str, Any] = field(default_factory=dict)
    triggers: list[Trigger] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict, repr=False)
    unresolved: dict[str, str] = field(default_factory=dict)
    # The deployed function's name when the declaration states it (templates' `FunctionName`,
    # Terraform's `function_name`), as the reader found it: a `${...}` it could not resolve stays
    # in, each reader of the name decides what such a name is worth. None when no name is stated.
    physical_name: str | None = None
    # True when the reader worked `physical_name` out from what a deployment may change (a
    # Terraform root variable's default, Serverless's service and stage) instead of text the
    # repository fixes (a quoted name, a local or module argument built only of such text);
    # the account tie-in then trusts it only as the one exact candidate.
    physical_name_evaluated: bool = False
    # Guardrail facts, filled by each format reader where its format can say them.
    policy_statements: list[PolicyStatement] = field(default_factory=list)
    managed_policies: list[ManagedPolicy] = field(default_factory=list)
    url: FunctionUrl | None = None
    permissions: list[InvokePermission] = field(default_factory=list)
    code_signing: Location | None = None
    published: bool = False
    recursive_loop: str | None = None
    # How the function's configuration spells that setting when it lets loops go on, as messages
    # quote it: `RecursiveLoop: Allow` in templates; a reader whose format spells it otherwise sets it.
    recursion_setting_text: str = "RecursiveLoop: Allow"
    # Where the code readers find a function's code, set by the readers whose format says so:
    # the directory Lambda imports the handler from when that is not the code directory
    # (Serverless packages the whole service), and the code itself when the declaration writes
    # it inline.
    task_root: str | None = None
    inline_code: InlineCode | None = None
    # Folders of the repository that the function's layers put on its import path (a SAM layer
    # built from a local `ContentUri`, Python's or Node.js's; a Serverless `layers:` path, a
    # Terraform layer's zipped folder, a CDK `LayerVersion` or `PythonLayerVersion`, Python's),
    # searched after the code directory for its imports; a change under them touches it.
    layer_paths: tuple[str, ...] = ()
    # What an image's Dockerfile copies onto its task root besides the handler's folder, each as
    # (repository path, the name it has there): a folder copied into a subfolder (`COPY
    # services/utils ./utils`: ("services/utils", "utils")) or a Python file copied from another
    # folder (`COPY model/resnet.py ./`: ("model/resnet.py", "resnet")). The handler imports them
    # by exactly that name, so they are its code as a layer's folder is; their parent folders are
    # not (putting those on the import path would make every sibling importable).
    task_root_copies: tuple[tuple[str, str], ...] = ()
    # The dependency files of the repository its image's Dockerfile installs (`COPY requirements.txt
    # .`, `RUN pip install -r requirements.txt`): an image has no code folder that says what it
    # ships, so the audit reads these, and a change to one touches the function.
    image_dependency_files: tuple[str, ...] = ()
    # The files besides its declaring one that its declaration reads, whether or not they could be
    # read or parsed (a Serverless service's `${file(../common.yml):provider.runtime}`, the module a
    # CDK construct imports its handler from or the helper module that makes it, the files of the
    # Terraform module folder a module call makes it from): a change to
    # one may change what the declaration says, so it touches the function, and a review's base
    # reads the declaration again rather than taking it over from the head.
    declaration_inputs: tuple[str, ...] = ()
    # Environment variables set from a deploy-time input that is not marked secret (a
    # CloudFormation parameter without NoEcho, a Terraform variable without `sensitive`): the
    # input's literal default and the line that writes it.
    environment_defaults: dict[str, tuple[str, Location]] = field(default_factory=dict)
    # The runtime other deployment environments pass instead, where it differs (a SAM CLI
    # configuration's `[prod.deploy.parameters]`): environment → runtime (its line: `locations`).
    runtime_by_environment: dict[str, str] = field(default_factory=dict)
    # API Gateway routes that invoke the function (LR305), filled by each format's reader.
    routes: list[HttpRoute] = field(default_factory=list)
    # Whether the recursion check read the function's code: ("read", what was read) or
    # ("not read", why); None when the check did not look at the function (outside a review's focus).
    loop_coverage: tuple[str, str] | None = field(default=None, compare=False)
    # The folder that scopes the name, when the format has one (Terraform's root module, "" for
    # the top directory): the name starts with "<scope>:" when several scopes would share it. A
    # review matches a base function to the head's by it when a root is added or moved.
    name_scope: str | None = None
    # The files of its folder the function's package holds, when the declaration narrows them
    # by patterns (reviewer.code.ownership leaves the others out of its code); None: every file.
    package_contents: PackageContents | None = None
    # Set when a library adds the function itself (reviewer.inventory.cdk.generated_functions): only
    # its runtime is reviewed, as a matter of the library's version.
    added_by: LibraryFunction | None = None

    def __post_init__(self) -> None:
        # A name or handler of a megabyte (a YAML explicit key) would be copied into every
        # finding and report: shown shortened, like every value the review quotes.
        self.name = bounded_text(self.name)
        if isinstance(self.handler, str):
            self.handler = bounded_text(self.handler)

    def where(self, prop: str) -> Location:
        """Line that declares `prop`, or the function's own declaration line."""
        return self.locations.get(prop, self.location)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "format": self.format,
            "path": self.location.path,
            "line": self.location.line,
            "runtime": self.runtime,
            "handler": self.handler,
            "code_path": self.code_path,
            "package_type": self.package_type,
            "image_uri": self.image_uri,
            "update_runtime_on": self.update_runtime_on,
            "unresolved": dict(self.unresolved),
            "declarations": {
                prop: {"path": loc.path, "line": loc.line}
                for prop, loc in sorted(self.locations.items())
            },
        }
