"""How each format writes the settings that the guardrail messages tell a reader to set.

A message that says "set `CodeSigningConfigArn`" to a Terraform user names a setting their code
does not have. The analyzers ask here by a format-free name; only the inventory knows formats.
"""

from __future__ import annotations

import re

from reviewer.model import Function, Location

# `Function.locations` key prefix of the line that passes the runtime another deployment environment
# deploys (`Runtime@prod`: a SAM CLI configuration's `[prod.deploy.parameters]`), judged as that one's.
ENVIRONMENT_RUNTIME = "Runtime@"
CODE_SIGNING = "code-signing"
PUBLISHED_VERSIONS = "published-versions"
# A resource named in a statement, and a scoped grant the format offers, for the IAM messages.
NAMED_RESOURCES = "named-resources"
SCOPED_GRANTS = "scoped-grants"
# How a statement allows SNS publishes to phone numbers and to no topic or endpoint (LR301).
NOT_RESOURCE_TOPICS = "not-resource-topics"
# How a route without an authorizer says it is public on purpose (LR305).
PUBLIC_ROUTE = "public-route"
PUBLIC_COMMENT = "a `lambda-review: public` comment on its line"

_CLOUDFORMATION = {
    CODE_SIGNING: "`CodeSigningConfigArn`",
    NAMED_RESOURCES: "`!GetAtt Queue.Arn`, `!Sub \"${Bucket.Arn}/*\"`",
    SCOPED_GRANTS: " (or a SAM policy template such as `S3ReadPolicy` or `DynamoDBCrudPolicy`)",
    NOT_RESOURCE_TOPICS: "`NotResource: \"arn:aws:sns:*:*:*\"` in place of `Resource: \"*\"`",
    PUBLISHED_VERSIONS: ("SAM `AutoPublishAlias: live`, or `AWS::Lambda::Version` and `AWS::Lambda::Alias` "
                         "targeted by the triggers"),
    PUBLIC_ROUTE: f"`Auth: {{Authorizer: NONE}}` on its event, or {PUBLIC_COMMENT}",
}
_BY_FORMAT = {
    # SAM policy templates exist only for `AWS::Serverless::Function`.
    "cloudformation": {SCOPED_GRANTS: "", PUBLIC_ROUTE: PUBLIC_COMMENT},
    # Serverless publishes a version on every deploy unless told not to; its events invoke an alias
    # only with `provisionedConcurrency` (the `provisioned` alias).
    "serverless": {SCOPED_GRANTS: "", PUBLIC_ROUTE: PUBLIC_COMMENT,
                   PUBLISHED_VERSIONS: ("`versionFunctions` left at its default, `true` (a version on every "
                                        "deploy), and `provisionedConcurrency`, whose `provisioned` alias the "
                                        "events then invoke")},
    "cdk": {
        CODE_SIGNING: "the construct's `codeSigningConfig` property (`code_signing_config` in Python)",
        NAMED_RESOURCES: "`queue.queueArn`, `bucket.arnForObjects('*')`",
        SCOPED_GRANTS: (" (or a construct's grant method, such as `bucket.grantRead(fn)` or "
                        "`table.grantReadWriteData(fn)`; `grant_read` in Python)"),
        NOT_RESOURCE_TOPICS: ("`notResources: [\"arn:aws:sns:*:*:*\"]` (`not_resources` in Python) in place of "
                              "`resources: [\"*\"]`"),
        PUBLIC_ROUTE: PUBLIC_COMMENT,
        PUBLISHED_VERSIONS: ("`fn.currentVersion` and an alias from `fn.addAlias('live')`, `current_version` and "
                             "`add_alias` in Python, targeted by the triggers"),
    },
    # A function read from an account (`lambda-review account`): its role's policies are JSON
    # documents, whatever tool wrote them.
    "deployed": {
        NAMED_RESOURCES: "its ARN, such as `arn:aws:sqs:us-east-1:123456789012:jobs`",
        SCOPED_GRANTS: "",
        NOT_RESOURCE_TOPICS: "`\"NotResource\": \"arn:aws:sns:*:*:*\"` in place of `\"Resource\": \"*\"`",
    },
    "terraform": {
        CODE_SIGNING: "`code_signing_config_arn`",
        NAMED_RESOURCES: "`aws_sqs_queue.jobs.arn`, `\"${aws_s3_bucket.uploads.arn}/*\"`",
        SCOPED_GRANTS: "",
        NOT_RESOURCE_TOPICS: ("`not_resources = [\"arn:aws:sns:*:*:*\"]` in place of `resources = [\"*\"]` "
                              "(`NotResource` in a JSON policy)"),
        PUBLISHED_VERSIONS: "`publish = true` on the function and an `aws_lambda_alias` targeted by the triggers",
        PUBLIC_ROUTE: PUBLIC_COMMENT,
    },
}
# A CDK app in Java, Kotlin, C# or Go names the same settings in its own language (by the suffix of
# the file that constructs the function; TypeScript and Python share the "cdk" wording above).
_JVM_GRANTS = " (or a construct's grant method, such as `bucket.grantRead(fn)` or `table.grantReadWriteData(fn)`)"
_CDK_BY_LANGUAGE = {
    ".java": {
        CODE_SIGNING: "the construct's `codeSigningConfig` property",
        NAMED_RESOURCES: "`queue.getQueueArn()`, `bucket.arnForObjects(\"*\")`",
        SCOPED_GRANTS: _JVM_GRANTS,
        NOT_RESOURCE_TOPICS: ("`.notResources(List.of(\"arn:aws:sns:*:*:*\"))` in place of "
                              "`.resources(List.of(\"*\"))`"),
        PUBLISHED_VERSIONS: "`fn.getCurrentVersion()` and an alias from `fn.addAlias(\"live\")` targeted by the triggers",
    },
    ".kt": {
        CODE_SIGNING: "the construct's `codeSigningConfig` property",
        NAMED_RESOURCES: "`queue.queueArn`, `bucket.arnForObjects(\"*\")`",
        SCOPED_GRANTS: _JVM_GRANTS,
        NOT_RESOURCE_TOPICS: ("`.notResources(listOf(\"arn:aws:sns:*:*:*\"))` in place of "
                              "`.resources(listOf(\"*\"))`"),
        PUBLISHED_VERSIONS: "`fn.currentVersion` and an alias from `fn.addAlias(\"live\")` targeted by the triggers",
    },
    ".cs": {
        CODE_SIGNING: "the construct's `CodeSigningConfig` property",
        NAMED_RESOURCES: "`queue.QueueArn`, `bucket.ArnForObjects(\"*\")`",
        SCOPED_GRANTS: (" (or a construct's grant method, such as `bucket.GrantRead(fn)` or "
                        "`table.GrantReadWriteData(fn)`)"),
        NOT_RESOURCE_TOPICS: ("`NotResources = new[] { \"arn:aws:sns:*:*:*\" }` in place of "
                              "`Resources = new[] { \"*\" }`"),
        PUBLISHED_VERSIONS: "`fn.CurrentVersion` and an alias from `fn.AddAlias(\"live\")` targeted by the triggers",
    },
    ".go": {
        CODE_SIGNING: "the construct's `CodeSigningConfig` property",
        NAMED_RESOURCES: "`queue.QueueArn()`, `bucket.ArnForObjects(jsii.String(\"*\"))`",
        SCOPED_GRANTS: (" (or a construct's grant method, such as `bucket.GrantRead(fn, nil)` or "
                        "`table.GrantReadWriteData(fn)`)"),
        NOT_RESOURCE_TOPICS: ("`NotResources: jsii.Strings(\"arn:aws:sns:*:*:*\")` in place of "
                              "`Resources: jsii.Strings(\"*\")`"),
        PUBLISHED_VERSIONS: ("`fn.CurrentVersion()` and an alias from `fn.AddAlias(jsii.String(\"live\"), nil)` "
                             "targeted by the triggers"),
    },
}
_CDK_BY_LANGUAGE[".kts"] = _CDK_BY_LANGUAGE[".kt"]


def spelled(function: Function, setting: str) -> str:
    """The Markdown that names `setting` in the function's own format (and a CDK app's language)."""
    if function.format == "cdk":
        suffix = function.location.path.rpartition(".")[2]
        own = _CDK_BY_LANGUAGE.get(f".{suffix}", {}).get(setting)
        if own is not None:
            return own
    return _BY_FORMAT.get(function.format, _CLOUDFORMATION).get(setting, _CLOUDFORMATION[setting])


# The conditions of a resource-based invoke permission (LR303), as the file that declares the
# permission writes them: Terraform's `aws_lambda_permission` and a Python CDK app's
# `add_permission` in snake case, the other CDK languages as `addPermission`'s options (C# and Go
# capitalized), every other reader's permissions (templates, a Serverless `resources:` block) in
# CloudFormation's names.
SOURCE_ARN, SOURCE_ACCOUNT, PRINCIPAL_ORG_ID = "SourceArn", "SourceAccount", "PrincipalOrgID"
# The flag that limits a `lambda:InvokeFunction` grant to calls through the function URL.
INVOKED_VIA_FUNCTION_URL = "InvokedViaFunctionUrl"
_TERRAFORM_CONDITIONS = {SOURCE_ARN: "source_arn", SOURCE_ACCOUNT: "source_account",
                         PRINCIPAL_ORG_ID: "principal_org_id", INVOKED_VIA_FUNCTION_URL: "invoked_via_function_url"}
_CDK_CONDITIONS = {SOURCE_ARN: "sourceArn", SOURCE_ACCOUNT: "sourceAccount", PRINCIPAL_ORG_ID: "principalOrgId"}


def permission_condition(path: str, condition: str, format_: str = "") -> str:
    """`condition` (SOURCE_ARN, SOURCE_ACCOUNT, PRINCIPAL_ORG_ID) as the file at `path`, which
    declares the permission, names it: Terraform's `source_arn`, a template's `SourceArn`, a CDK
    app's `sourceArn` (`format_` says a CDK app's, whose TypeScript is not a serverless.ts's)."""
    lowered = path.lower()
    if lowered.endswith((".tf", ".tf.json")) or (format_ == "cdk" and lowered.endswith(".py")):
        return _TERRAFORM_CONDITIONS[condition]
    if format_ == "cdk" and not lowered.endswith((".json", ".yaml", ".yml", ".template")):
        camel = _CDK_CONDITIONS[condition]
        return camel[:1].upper() + camel[1:] if lowered.endswith((".cs", ".go")) else camel
    return condition


def url_invoke_flag(path: str, format_: str = "") -> str:
    """The flag that limits a `lambda:InvokeFunction` grant to calls through the function URL, as
    the file at `path` names it (`invoked_via_function_url`, `InvokedViaFunctionUrl`); empty for a
    CDK app, whose function URL writes its own grants."""
    return "" if format_ == "cdk" else permission_condition(path, INVOKED_VIA_FUNCTION_URL, format_)


def cdk_grant(method: str | None) -> str:
    """`method` when it is a CDK grant (`grantInvoke`, `grant_invoke_url`), which takes a principal
    and no condition; "" for `addPermission` or no CDK method."""
    return method if method and method_alike(method, "addPermission") != method else ""


def organization_condition(path: str, format_: str, method: str | None) -> str:
    """The organization a `*` principal is limited to, as the call that declares the permission
    names it: CDK's `addPermission` takes `organizationId` (`organization_id`, `OrganizationId`),
    its `CfnPermission` `principalOrgId`, every other format as `permission_condition` says."""
    if method and method_alike(method, "addPermission") == method:
        return method_alike(method, "organizationId")
    return permission_condition(path, PRINCIPAL_ORG_ID, format_)


def method_alike(written: str, camel: str) -> str:
    """`camel` (a CDK method, `addPermission`) in the case of `written`, another method of the same
    file: `add_permission` beside `grant_invoke` (Python), `AddPermission` beside `GrantInvoke`
    (C#, Go), `addPermission` beside `grantInvoke` (TypeScript, Java, Kotlin)."""
    if "_" in written:
        return "".join(f"_{char.lower()}" if char.isupper() else char for char in camel)
    return camel[:1].upper() + camel[1:] if written[:1].isupper() else camel


def default_input(function: Function, location: Location | None = None) -> str:
    """What writes the default a deploy-time input gives a setting, as LR304 names it: a
    template's "parameter" (whose `NoEcho` also hides it), the "override" a SAM CLI configuration
    passes for one (`parameter_overrides` of samconfig.toml, written at `location`), a Serverless
    variable's "fallback" (`${env:X, 'value'}`), or a Terraform "variable"'s default; neither of
    the last two has a `NoEcho` to speak of."""
    from reviewer.inventory.cloudformation.samconfig import CONFIG_NAMES

    if location is not None and function.format in ("sam", "cloudformation") \
            and location.path.rpartition("/")[2] in CONFIG_NAMES:
        return "override"
    return {"serverless": "fallback", "terraform": "variable"}.get(function.format, "parameter")


def runtime_replaced(line: str, runtime: str, successor: str, source: str | None = None) -> str | None:
    """The line that declares `runtime` with `successor` in its place, as the line spells it: the
    identifier itself (templates, Terraform, serverless.yml, CDK's `Runtime("python3.9")`) when
    it appears exactly once, else the constant CDK source names it by (not in a CDK v1 app:
    `source` is the file's text); None when neither is sure."""
    from reviewer.inventory.cdk.runtime_spelling import constant_replaced

    token = re.compile(r"(?<![\w.-])" + re.escape(runtime) + r"(?![\w.-])")
    if len(token.findall(line)) != 1:
        return constant_replaced(line, runtime, successor, source)
    return token.sub(successor, line)
