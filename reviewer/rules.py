"""The rule catalogue: the one place that says what each rule id means.

`lambda-review rules`, `lambda-review explain`, SARIF `rules[]` and docs/rules.md all read these
entries, so a rule's title, default severity, rationale and fix are written exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.model import Finding, Severity

RUNTIMES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
RUNTIME_UPDATES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
SHARED_RESPONSIBILITY_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-security.html"
)
PROJECT_DOC = "https://github.com/lambda-review/lambda-review#rules"
RECURSION_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html"
EXECUTION_ROLE_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
FUNCTION_URL_AUTH_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"
CONFUSED_DEPUTY_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
SECRETS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html"
CODE_SIGNING_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html"
VERSIONS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html"
EPHEMERAL_STORAGE_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html"
API_AUTH_DOC = "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html"


@dataclass(frozen=True)
class Rule:
    """Metadata of one public rule id; the check itself lives in an analyzer."""

    id: str
    title: str
    severity: Severity
    rationale: str
    fix: str
    bad_example: str
    good_example: str
    help_url: str
    # The analyzer that emits it (its `name`), so a reader of the catalogue finds the check.
    analyzer: str = ""
    # The weaknesses (MITRE CWE ids) it reports, for code scanning's tags.
    cwes: tuple[int, ...] = ()

    def finding(self, message: str, path: str, line: int, *, severity: Severity | None = None,
                **fields: Any) -> Finding:
        """The one way to make a finding of this rule: id, title, default severity and reference
        come from the catalogue; `fields` are the rest of `Finding` (function, evidence...)."""
        return Finding(rule_id=self.id, severity=severity or self.severity, title=self.title, message=message,
                       path=path, line=line, help_url=fields.pop("help_url", self.help_url), **fields)

    def explain(self) -> str:
        """The user documentation of the rule, as `lambda-review explain` prints it."""
        return (
            f"{self.id}: {self.title}\n"
            f"Default severity: {self.severity.value}\n\n"
            f"Why it matters\n  {self.rationale}\n\n"
            f"How to fix it\n  {self.fix}\n\n"
            f"Flagged\n{_indent(self.bad_example)}\n\n"
            f"Not flagged\n{_indent(self.good_example)}\n\n"
            f"Reference: {self.help_url}\n"
        )


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())


LR100 = Rule(
    id="LR100",
    title="Runtime is deprecated",
    severity=Severity.WARNING,
    rationale=(
        "After its deprecation date a Lambda runtime receives no security patches and no "
        "technical support. Functions keep running, but later AWS blocks creating and then "
        "updating functions that use it."
    ),
    fix="Move the function to the successor runtime of the same language and test it.",
    bad_example="Runtime: python3.9",
    good_example="Runtime: python3.14",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR101 = Rule(
    id="LR101",
    title="Runtime is blocked for function creation or update",
    severity=Severity.ERROR,
    rationale=(
        "Lambda refuses to create functions with this runtime, and after the update-block "
        "date also refuses to update their code or configuration: a deployment of this "
        "template fails, and a fix to a running function can no longer be shipped."
    ),
    fix="Move the function to the successor runtime of the same language before deploying.",
    bad_example="Runtime: nodejs14.x",
    good_example="Runtime: nodejs24.x",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR102 = Rule(
    id="LR102",
    title="Runtime deprecation is near",
    severity=Severity.NOTICE,
    rationale=(
        "The runtime reaches its deprecation date within the configured warning window "
        "(`runtime-warning-days`, 180 by default). Planning the upgrade now avoids a rushed "
        "migration once patches stop."
    ),
    fix="Schedule the move to the successor runtime of the same language.",
    bad_example="Runtime: nodejs22.x   # deprecated 2027-04-30",
    good_example="Runtime: nodejs24.x",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR103 = Rule(
    id="LR103",
    title="Runtime identifier is not one Lambda accepts",
    severity=Severity.ERROR,
    rationale=(
        "Lambda rejects a function whose runtime is not in its list of identifiers, so the "
        "deployment fails. The list is botocore's Lambda service model, so identifiers AWS "
        "released recently are recognised and typos are not. A placeholder that a setup "
        "script fills in (`PYTHON3_VERSION`, `{{runtime}}`) and a value a Serverless plugin "
        "may rewrite when it packages the function are notices, not errors."
    ),
    fix="Use an identifier from the Lambda runtimes table; the message names the closest supported ones.",
    bad_example="Runtime: python3.1O",
    good_example="Runtime: python3.13",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
)

LR104 = Rule(
    id="LR104",
    title="OS-only runtime: the function owner patches the runtime",
    severity=Severity.NOTICE,
    rationale=(
        "With an OS-only runtime (`provided`, `provided.al2`, `provided.al2023`) Lambda "
        "patches the operating system only. The language runtime, the bootstrap and "
        "everything it bundles are the owner's to keep up to date under the shared "
        "responsibility model."
    ),
    fix=(
        "Rebuild and redeploy the function whenever its toolchain or bundled runtime gets a "
        "security fix, or use a managed runtime where one exists for the language."
    ),
    bad_example="Runtime: provided.al2023   # Go binary built once in 2024",
    good_example="Runtime: provided.al2023   # rebuilt by CI on every Go security release",
    help_url=SHARED_RESPONSIBILITY_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR105 = Rule(
    id="LR105",
    title="Runtime updates are pinned to Manual",
    severity=Severity.WARNING,
    rationale=(
        "`UpdateRuntimeOn: Manual` pins the function to one runtime version indefinitely: it "
        "stops receiving runtime security patches. AWS meant this mode for a short rollback "
        "after an incompatible runtime update."
    ),
    fix="Use `UpdateRuntimeOn: Auto` (the default), or `FunctionUpdate` if patches must ship with deployments.",
    bad_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Manual",
    good_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Auto",
    help_url=RUNTIME_UPDATES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR106 = Rule(
    id="LR106",
    title="Container base image is past or near its runtime's deprecation",
    severity=Severity.WARNING,
    rationale=(
        "An AWS Lambda base image (public.ecr.aws/lambda/<language>:<tag>) follows the lifecycle "
        "of its runtime: after the deprecation date AWS stops patching the image's operating "
        "system and language runtime. Lambda keeps deploying images built on it (the create and "
        "update blocks apply to the `Runtime` of .zip functions), so nothing stops the build, and "
        "every new image ships the unpatched software. Warning once deprecated; notice within "
        "`runtime-warning-days` of the date."
    ),
    fix=(
        "Build from the successor base image of the same language (the message names its tag), "
        "test the function, and rebuild and redeploy the image."
    ),
    bad_example="FROM public.ecr.aws/lambda/python:3.8",
    good_example="FROM public.ecr.aws/lambda/python:3.14",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR107 = Rule(
    id="LR107",
    title="Deployed layer is built only for deprecated runtimes",
    severity=Severity.WARNING,
    rationale=(
        "`lambda-review account` reads the compatible runtimes each layer version declares. A "
        "layer whose runtimes are all deprecated was built and tested for runtimes that no longer "
        "receive security patches: moving the function to a supported runtime needs a new build "
        "of the layer too, and its bundled libraries may be as old as its runtimes."
    ),
    fix="Publish a new version of the layer built for the successor runtime and point the function at it.",
    bad_example="Layer version with CompatibleRuntimes: [python3.7, python3.8]",
    good_example="Layer version with CompatibleRuntimes: [python3.13, python3.14]",
    help_url="https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
    analyzer="account",
    cwes=(1104,),
)

LR200 = Rule(
    id="LR200",
    title="Function invokes itself",
    severity=Severity.ERROR,
    rationale=(
        "A function that calls Lambda `Invoke` on its own name runs again for every run, and "
        "every run is billed. Lambda's recursive loop detection stops such a chain only after "
        "about 16 rounds, only for calls made with a supported SDK version, and not at all when "
        "it is switched off. A depth counter carried in the payload and checked before the call "
        "bounds the chain; then the finding is a warning that names the condition's line, since "
        "every pass is still billed and a bound above Lambda's ~16-invocation cut-off never "
        "takes effect (the chain is cut and its event dropped first)."
    ),
    fix=(
        "Do the work in a loop inside one invocation, hand it to a queue or Step Functions, or "
        "carry a depth counter in the payload and stop before the call when it reaches a limit."
    ),
    bad_example=(
        "lambda_client.invoke(FunctionName=context.function_name,\n"
        "                     Payload=json.dumps(event))"
    ),
    good_example=(
        "if event.get(\"depth\", 0) < MAX_DEPTH:\n"
        "    lambda_client.invoke(FunctionName=context.function_name,\n"
        "                         Payload=json.dumps({**event, \"depth\": event.get(\"depth\", 0) + 1}))"
    ),
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR201 = Rule(
    id="LR201",
    title="Function writes to the resource that triggers it",
    severity=Severity.ERROR,
    rationale=(
        "Every write produces a new event (an S3 notification, a queue message, a stream "
        "record, an EventBridge event) that invokes the function again: a loop that can run and "
        "bill for hours. Lambda's recursive loop detection covers SQS, SNS and S3 (not DynamoDB "
        "or Kinesis streams, nor EventBridge), stops a loop only after about 16 rounds, and can "
        "be switched off. A write behind a condition that can stop it (a counter in the message "
        "or object metadata, a marker or checksum checked first) is a warning naming that "
        "condition: every pass still costs an invocation. A condition that provably skips the "
        "function's own output (`if key.startswith(\"thumbs/\"): continue` before writing "
        "`thumbs/...`) ends the chain after one extra invocation: LR203, not a loop."
    ),
    fix=(
        "Write to a different resource (an output bucket, another queue), or filter the "
        "trigger so the function's own output never matches it (an S3 prefix or suffix filter "
        "that excludes the written keys, an EventBridge pattern that excludes the emitted "
        "detail-type)."
    ),
    bad_example=(
        "Events: {Upload: {Type: S3, Properties: {Bucket: !Ref Photos}}}\n"
        "s3.put_object(Bucket=os.environ[\"PHOTOS\"], Key=f\"thumbs/{key}\")   # PHOTOS: !Ref Photos"
    ),
    good_example="s3.put_object(Bucket=os.environ[\"THUMBS\"], Key=f\"thumbs/{key}\")   # THUMBS: !Ref Thumbnails",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR202 = Rule(
    id="LR202",
    title="Recursive loop detection is switched off",
    severity=Severity.WARNING,
    rationale=(
        "`RecursiveLoop: Allow` (Terraform: `recursive_loop = \"Allow\"`) tells Lambda not to "
        "stop the function when it detects a recursive loop through SQS, SNS or S3. An "
        "accidental loop then runs until someone notices the bill."
    ),
    fix=(
        "Remove the setting (the default is `Terminate`), unless the function is meant to loop "
        "and has its own bound, which the code should make visible."
    ),
    bad_example="RecursiveLoop: Allow",
    good_example="RecursiveLoop: Terminate   # or leave it out",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR203 = Rule(
    id="LR203",
    title="Function writes to its trigger, but a filter or its own condition excludes the writes",
    severity=Severity.NOTICE,
    rationale=(
        "The function writes to the bucket that triggers it, but the notification's prefix or "
        "suffix filter (or its event types) provably excludes the written keys, so the writes "
        "do not invoke it again. The safety rests on that filter: renaming the output prefix or "
        "widening the filter turns this into a loop. The same holds when the handler skips its "
        "own output before writing (an S3 key with the prefix or suffix it writes, a DynamoDB "
        "stream record whose attribute has the constant value it writes): each write then costs "
        "one extra invocation that stops at that condition."
    ),
    fix=(
        "Nothing is required. Writing the output to a separate bucket removes the dependency on "
        "the filter; otherwise keep the filter and the output prefix in step."
    ),
    bad_example=(
        "Filter: {S3Key: {Rules: [{Name: prefix, Value: uploads/}]}}\n"
        "s3.put_object(Bucket=SAME_BUCKET, Key=f\"thumbnails/{name}\")"
    ),
    good_example="s3.put_object(Bucket=THUMBNAIL_BUCKET, Key=f\"thumbnails/{name}\")",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR204 = Rule(
    id="LR204",
    title="Write to a triggering service whose target cannot be resolved",
    severity=Severity.NOTICE,
    rationale=(
        "The function is triggered by a service and writes to the same service, but static "
        "reading cannot tell which resource the write targets (or which resource the trigger "
        "names), so it cannot rule out a loop. The message says what could not be resolved."
    ),
    fix=(
        "Name the target through an environment variable set from the template (`!Ref`, "
        "`!GetAtt`, a Terraform reference) or a constant, so the review can follow it, or "
        "accept the finding with a reason if the target can never be the trigger."
    ),
    bad_example="s3.put_object(Bucket=config[\"bucket\"], Key=key)   # bucket read from a file at run time",
    good_example="s3.put_object(Bucket=os.environ[\"OUTPUT_BUCKET\"], Key=key)   # OUTPUT_BUCKET: !Ref Output",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR205 = Rule(
    id="LR205",
    title="Functions trigger each other in a loop",
    severity=Severity.ERROR,
    rationale=(
        "Each function writes to a resource that triggers the next, and the last one triggers "
        "the first again: a loop through several functions runs and bills just like a function "
        "that triggers itself, and is harder to see in review because no single function "
        "closes it."
    ),
    fix=(
        "Break the cycle at one step: write to a resource no function in the cycle is "
        "triggered by, or filter one trigger so the previous function's output does not match."
    ),
    bad_example="A: SQS jobs -> writes topic results;  B: SNS results -> sends to SQS jobs",
    good_example="B sends to SQS done instead of SQS jobs",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR206 = Rule(
    id="LR206",
    title="Triggered function whose code the loop check could not read",
    severity=Severity.NOTICE,
    rationale=(
        "The function is triggered by a service its own writes could trigger again (S3, SQS, "
        "SNS, a stream, EventBridge), but its handler code is not in the repository where the "
        "review can find it (the code location is a package built elsewhere, or the runtime is "
        "one the review does not read), so a loop in it cannot be ruled out."
    ),
    fix=(
        "Keep the handler's source in the repository beside the declaration (`src/<name>/`, "
        "the package's folder) or point the code location at the source directory; or accept "
        "the notice when the code lives in another repository."
    ),
    bad_example="Code: {S3Bucket: artifacts, S3Key: worker.zip}   # no source for worker here",
    good_example="CodeUri: src/worker/",
    help_url=RECURSION_DOC,
    analyzer="recursion",
)

LR300 = Rule(
    id="LR300",
    title="Function role allows every action of a service",
    severity=Severity.ERROR,
    rationale=(
        "A policy on the function's execution role allows `*`, a whole service (`s3:*`, "
        "`iam:*`, `lambda:*`), everything but a few actions (`NotAction`), or attaches "
        "`AdministratorAccess`, `PowerUserAccess` or an AWS `...FullAccess` policy. Whoever "
        "controls the function's input or code (an injection, a vulnerable dependency) then "
        "holds every one of those permissions. SAM policy templates (`S3ReadPolicy`, "
        "`DynamoDBCrudPolicy`, even `S3FullAccessPolicy`, which SAM scopes to the bucket its "
        "parameter names; the list is SAM's own) and managed policies scoped to a task are not "
        "flagged."
    ),
    fix=(
        "List the actions the code calls and the resources it touches, or use a SAM policy "
        "template for the resource (`S3ReadPolicy: {BucketName: !Ref Bucket}`)."
    ),
    bad_example=(
        "Policies:\n"
        "  - Statement:\n"
        "      - Effect: Allow\n"
        "        Action: s3:*\n"
        "        Resource: \"*\""
    ),
    good_example=(
        "Policies:\n"
        "  - S3ReadPolicy:\n"
        "      BucketName: !Ref UploadsBucket"
    ),
    help_url=EXECUTION_ROLE_DOC,
    analyzer="iam",
    cwes=(250,),
)

LR301 = Rule(
    id="LR301",
    title="Write or permission-changing action on every resource",
    severity=Severity.WARNING,
    rationale=(
        "`Resource: \"*\"` on an action that writes, deletes, sends, invokes or changes "
        "permissions (`iam:PassRole`, `s3:PutObject`, `lambda:InvokeFunction`, "
        "`sqs:SendMessage`...) lets the function do it to every such resource in the account, "
        "not only the one it needs: a bug or an injected input can then overwrite another "
        "team's data or pass an administrator role to a new resource. Not flagged: actions "
        "AWS only authorizes on `*` (`xray:PutTraceSegments`), the logging, metrics and VPC "
        "network-interface actions AWS's own Lambda execution policies grant on `*`, "
        "statements whose `Condition` narrows what they reach (`iam:AWSServiceName`, "
        "`aws:ResourceTag/...`; transport, time and MFA conditions do not), and "
        "service-wide wildcards, which are LR300's."
    ),
    fix=(
        "Name the resource: `!GetAtt Queue.Arn`, `!Sub \"${Bucket.Arn}/*\"`, the ARN of the "
        "one role that may be passed."
    ),
    bad_example=(
        "- Effect: Allow\n"
        "  Action: [sqs:SendMessage]\n"
        "  Resource: \"*\""
    ),
    good_example=(
        "- Effect: Allow\n"
        "  Action: [sqs:SendMessage]\n"
        "  Resource: !GetAtt OrdersQueue.Arn"
    ),
    help_url=EXECUTION_ROLE_DOC,
    analyzer="iam",
    cwes=(250,),
)

LR302 = Rule(
    id="LR302",
    title="Function URL without authentication",
    severity=Severity.ERROR,
    rationale=(
        "With `AuthType: NONE` (Terraform `authorization_type = \"NONE\"`) Lambda performs no "
        "authentication: anyone on the internet who learns the URL can invoke the function, "
        "and every invocation is billed to the account. Public endpoints belong behind API "
        "Gateway (authorizers, throttling, AWS WAF) or behind a URL with `AWS_IAM` auth."
    ),
    fix=(
        "Use `AuthType: AWS_IAM` and sign requests with SigV4 (or put CloudFront with origin "
        "access control in front), or expose the function through API Gateway with an "
        "authorizer."
    ),
    bad_example="FunctionUrlConfig:\n  AuthType: NONE",
    good_example="FunctionUrlConfig:\n  AuthType: AWS_IAM",
    help_url=FUNCTION_URL_AUTH_DOC,
    analyzer="exposure",
    cwes=(306,),
)

LR303 = Rule(
    id="LR303",
    title="Invoke permission open to anyone, or to a service without its source",
    severity=Severity.ERROR,
    rationale=(
        "A resource-based permission for principal `*` lets any AWS account invoke the "
        "function (a function URL's public grant, `FunctionUrlAuthType: NONE`, is LR302's "
        "and reported once, there). A permission for a service principal (`s3.amazonaws.com`, "
        "`sns.amazonaws.com`, `events.amazonaws.com`...) with neither `SourceArn` nor "
        "`SourceAccount` lets that service invoke it on behalf of any resource, including one "
        "in another account: the confused-deputy problem. `SourceAccount` alone closes it to "
        "other accounts and is not reported. S3 bucket ARNs carry no account id, so an S3 "
        "permission with `SourceArn` also needs `SourceAccount`."
    ),
    fix=(
        "Name the one resource that may invoke the function in `SourceArn` (and the account "
        "in `SourceAccount` for S3); replace `*` with the account or organization "
        "(`PrincipalOrgID`) that needs access."
    ),
    bad_example=(
        "Type: AWS::Lambda::Permission\n"
        "Properties:\n"
        "  FunctionName: !Ref Resizer\n"
        "  Action: lambda:InvokeFunction\n"
        "  Principal: s3.amazonaws.com"
    ),
    good_example=(
        "Type: AWS::Lambda::Permission\n"
        "Properties:\n"
        "  FunctionName: !Ref Resizer\n"
        "  Action: lambda:InvokeFunction\n"
        "  Principal: s3.amazonaws.com\n"
        "  SourceArn: !GetAtt Uploads.Arn\n"
        "  SourceAccount: !Ref AWS::AccountId"
    ),
    help_url=CONFUSED_DEPUTY_DOC,
    analyzer="exposure",
    cwes=(441,),
)

LR304 = Rule(
    id="LR304",
    title="Secret in a plain environment variable",
    severity=Severity.ERROR,
    rationale=(
        "A password, token, API key or private key written as a literal environment variable "
        "is in the repository's history for good, and readable by anyone allowed "
        "`lambda:GetFunctionConfiguration` or to view the stack. Flagged: a literal value "
        "under a name such as PASSWORD, SECRET, TOKEN, API_KEY or PRIVATE_KEY, and any value "
        "shaped like an AWS access key, a private key or credentials in a URL. The value "
        "decides: numbers (a port, an iteration count) are not secrets, and a placeholder "
        "(`YOUR-SECRET-HERE`, `<password>`, `changeme`) is only a notice. The review never "
        "repeats the value; it names the variable only."
    ),
    fix=(
        "Keep the secret in Secrets Manager or an SSM SecureString parameter and pass a "
        "reference: the secret's ARN for the code to fetch (the AWS Parameters and Secrets "
        "Lambda extension caches it), a `{{resolve:secretsmanager:...}}` dynamic reference, "
        "or a `NoEcho` parameter. Rotate the exposed secret: it stays in the history."
    ),
    bad_example="Environment:\n  Variables:\n    DB_PASSWORD: correct-horse-battery-staple",
    good_example=(
        "Environment:\n  Variables:\n"
        "    DB_SECRET_ARN: !Ref DatabaseSecret\n"
        "    DB_PASSWORD: '{{resolve:secretsmanager:prod/db:SecretString:password}}'"
    ),
    help_url=SECRETS_DOC,
    analyzer="secrets",
    cwes=(798,),
)

LR305 = Rule(
    id="LR305",
    title="HTTP route invokes the function without authorization",
    severity=Severity.WARNING,
    rationale=(
        "An API Gateway route (SAM `Api`/`HttpApi` event, `AWS::ApiGateway::Method` with "
        "`AuthorizationType: NONE`, `AWS::ApiGatewayV2::Route` without an authorizer, a "
        "Serverless `http`/`httpApi` event, a CDK `RestApi`/`LambdaRestApi` method or `HttpApi` route, a "
        "Terraform `aws_api_gateway_method`/`aws_apigatewayv2_route` with `authorization = "
        "\"NONE\"`) lets anyone on the internet invoke the function and send it any input. "
        "A route that only requires an API key is flagged too: a key identifies a client, but "
        "keys are shared, embedded in clients and long-lived, so they authorise nobody. A route "
        "declared public on purpose (`Auth: {Authorizer: NONE}` where the API has a default "
        "authorizer) is a notice."
    ),
    fix=(
        "Attach an authorizer (Cognito, JWT, Lambda or IAM) to the route or a default one to "
        "the API; for a route that must be public, say so explicitly and validate its input "
        "with a request validator and model."
    ),
    bad_example=(
        "Events:\n"
        "  Orders:\n"
        "    Type: Api\n"
        "    Properties: {Path: /orders, Method: post}"
    ),
    good_example=(
        "Events:\n"
        "  Orders:\n"
        "    Type: Api\n"
        "    Properties:\n"
        "      Path: /orders\n"
        "      Method: post\n"
        "      Auth: {Authorizer: CognitoAuthorizer}"
    ),
    help_url=API_AUTH_DOC,
    analyzer="routes",
    cwes=(306,),
)

LR307 = Rule(
    id="LR307",
    title="REST route accepts a body without request validation",
    severity=Severity.NOTICE,
    rationale=(
        "An authorised API Gateway REST route (SAM `Api` event, `AWS::ApiGateway::Method`, "
        "Serverless `http` event, Terraform `aws_api_gateway_method`) whose method takes a body "
        "(POST, PUT, PATCH, ANY) has no request validator and model, so malformed or oversized "
        "input reaches the function, which must reject it itself. API Gateway can reject it at "
        "the edge, before the function is invoked and billed. On a route without an authorizer "
        "the LR305 warning says this instead."
    ),
    fix=(
        "Declare a model of the body and turn body validation on: `RequestModel` with "
        "`ValidateBody: true` in SAM, `RequestModels` and `RequestValidatorId` on the method, "
        "`request.schemas` in Serverless, `request_models` and `request_validator_id` in Terraform."
    ),
    bad_example=(
        "Events:\n"
        "  CreateOrder:\n"
        "    Type: Api\n"
        "    Properties: {Path: /orders, Method: post, Auth: {Authorizer: Cognito}}"
    ),
    good_example=(
        "Events:\n"
        "  CreateOrder:\n"
        "    Type: Api\n"
        "    Properties:\n"
        "      Path: /orders\n"
        "      Method: post\n"
        "      Auth: {Authorizer: Cognito}\n"
        "      RequestModel: {Model: Order, Required: true, ValidateBody: true}"
    ),
    help_url="https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html",
    analyzer="routes",
    cwes=(20,),
)

LR306 = Rule(
    id="LR306",
    title="Untrusted event data reaches a dangerous sink",
    severity=Severity.ERROR,
    rationale=(
        "The handler passes data from its event (a field, or text built from one with "
        "f-strings, template literals, `format`, `+` or `json.loads`) to command execution, "
        "`eval`/`exec`/`vm`/`new Function`, SQL text, a DynamoDB expression or request, "
        "`pickle`/`yaml.load`, an HTML response or the URL of a server-side request. Whoever "
        "can send the event (an API caller, an uploaded object's key, a queue message) "
        "controls that value. Read statically from the handler and the code it calls; "
        "`int()`, `shlex.quote`, `html.escape`, query parameters and allow-list checks end "
        "the flow. When bandit reports the same line, the review shows this finding only."
    ),
    fix=(
        "Pass values as data, never as code: query parameters, argument lists without a "
        "shell, `ExpressionAttributeValues`, `json.loads`, escaping for HTML, a constant "
        "host for requests, or an allow-list check before the call."
    ),
    bad_example=(
        "def handler(event, context):\n"
        "    os.system(f\"convert {event['key']} out.png\")"
    ),
    good_example=(
        "def handler(event, context):\n"
        "    subprocess.run([\"convert\", event[\"key\"], \"out.png\"], check=True)"
    ),
    help_url=SHARED_RESPONSIBILITY_DOC,
    analyzer="untrusted-input",
    cwes=(78, 94, 89, 502, 79, 918),
)

LR400 = Rule(
    id="LR400",
    title="No code signing configuration",
    severity=Severity.NOTICE,
    rationale=(
        "Without a code signing configuration Lambda deploys whatever package it is given. "
        "With one (`CodeSigningConfigArn`, enforcement `Enforce`), it accepts only packages "
        "signed by the allowed AWS Signer profiles and unaltered since signing, so a tampered "
        "or unapproved artifact cannot reach the function. Notice by default; "
        "`severity: {LR400: warning}` in `.lambda-review.yml` makes it a warning."
    ),
    fix=(
        "Create an `AWS::Signer::SigningProfile` and an `AWS::Lambda::CodeSigningConfig` "
        "that allows it, set `CodeSigningConfigArn` on the function, and sign packages in "
        "the pipeline (`sam package --signing-profiles`)."
    ),
    bad_example="HealthFunction:\n  Type: AWS::Serverless::Function\n  Properties:\n    Runtime: python3.13",
    good_example=(
        "HealthFunction:\n  Type: AWS::Serverless::Function\n  Properties:\n    Runtime: python3.13\n"
        "    CodeSigningConfigArn: !Ref SigningConfig"
    ),
    help_url=CODE_SIGNING_DOC,
    analyzer="deployment",
    cwes=(494,),
)

LR401 = Rule(
    id="LR401",
    title="Invocations target $LATEST and no version is published",
    severity=Severity.NOTICE,
    rationale=(
        "The function's triggers, URL or permissions point at the unqualified function, "
        "which runs `$LATEST`, and the template publishes no version or alias. A published "
        "version is immutable (code and configuration), so an alias can move back to the "
        "previous version in one step, gradual deployments become possible, and every "
        "deployment leaves a numbered record of what ran. With `$LATEST` each deploy "
        "replaces the running code in place."
    ),
    fix=(
        "Publish versions and point invocations at an alias: SAM `AutoPublishAlias: live` "
        "(events and the URL then target the alias), or an `AWS::Lambda::Version` and "
        "`AWS::Lambda::Alias` referenced by the triggers and permissions."
    ),
    bad_example="Events:\n  Upload: {Type: S3, Properties: {Bucket: !Ref Uploads}}",
    good_example="AutoPublishAlias: live\nEvents:\n  Upload: {Type: S3, Properties: {Bucket: !Ref Uploads}}",
    help_url=VERSIONS_DOC,
    analyzer="deployment",
)

LR402 = Rule(
    id="LR402",
    title="Handler writes under /tmp and never removes the files",
    severity=Severity.NOTICE,
    rationale=(
        "Lambda reuses an execution environment for later invocations, and `/tmp` lives as "
        "long as the environment. Files written there and never removed accumulate until the "
        "ephemeral storage (512 MB by default) is full and invocations fail, and data of one "
        "request stays readable by the next. Read statically from the handler module and the "
        "local modules it imports: writes to a `/tmp` path, `tempfile.gettempdir()`, "
        "`mkstemp`/`mkdtemp` or `NamedTemporaryFile(delete=False)`, with no `os.remove`, "
        "`os.unlink`, `Path.unlink`, `shutil.rmtree` or `TemporaryDirectory` anywhere in them."
    ),
    fix=(
        "Write inside `with tempfile.TemporaryDirectory() as workdir:` or remove the file in "
        "a `finally:` block. If the file is a deliberate cache shared by invocations, keep "
        "its name fixed and say so with an ignore comment."
    ),
    bad_example=(
        "with open(f\"/tmp/report-{stage}.html\", \"w\") as handle:\n"
        "    handle.write(page)"
    ),
    good_example=(
        "with tempfile.TemporaryDirectory() as workdir:\n"
        "    with open(os.path.join(workdir, \"report.html\"), \"w\") as handle:\n"
        "        handle.write(page)"
    ),
    help_url=EPHEMERAL_STORAGE_DOC,
    analyzer="tmp-storage",
    cwes=(459,),
)

LR500 = Rule(
    id="LR500",
    title="A pinned dependency has a known vulnerability",
    severity=Severity.ERROR,
    rationale=(
        "The function ships a release of a library with a published advisory (OSV, PyPI). "
        "Under the shared responsibility model the libraries bundled into a function are "
        "its owner's to patch: Lambda never updates them, however long the function runs."
    ),
    fix=(
        "Pin the smallest release that fixes every listed advisory (the suggestion shows it) "
        "and re-lock; when no fix exists, replace the library or document the accepted risk "
        "with `ignore-vulns`."
    ),
    bad_example="jinja2==2.10",
    good_example="jinja2==2.10.1",
    help_url="https://osv.dev/",
    analyzer="dependencies",
    cwes=(1395,),
)

LR501 = Rule(
    id="LR501",
    title="A dependency cannot be audited",
    severity=Severity.NOTICE,
    rationale=(
        "The audit checks exact releases and never resolves, downloads or builds anything "
        "from the repository. A range (`>=`), a bare name, a local path, a URL or a VCS "
        "checkout does not say which release the function ships, so known vulnerabilities "
        "in it go unreported (and the build is not reproducible)."
    ),
    fix=(
        "Pin every requirement to one release with hashes, for example with "
        "`pip-compile --generate-hashes` or `uv pip compile --generate-hashes`, and commit "
        "the result (or a lock file)."
    ),
    bad_example="requests>=2.0\ngit+https://github.com/acme/lib.git",
    good_example="requests==2.32.4 \\\n    --hash=sha256:<digest from pip-compile>",
    help_url="https://pip.pypa.io/en/stable/topics/secure-installs/",
    analyzer="dependencies",
    cwes=(1104,),
)

LR900 = Rule(
    id="LR900",
    title="An analysis engine did not run",
    severity=Severity.NOTICE,
    rationale=(
        "One engine could not run (for example the dependency audit could not reach its "
        "vulnerability service, or a check stopped on an input it could not handle). The "
        "rest of the review went on, but its results are incomplete. When the review's time "
        "limit or memory ceiling stopped the analysis early, this finding is an error: every "
        "finding so far is reported, and a review that did not finish does not pass."
    ),
    fix="Read the reason in the message; fix the configuration or network access and re-run.",
    bad_example="osv-url: https://unreachable.example",
    good_example="osv-url left at its default",
    help_url=PROJECT_DOC,
    analyzer="any analyzer",
)

LR901 = Rule(
    id="LR901",
    title="A file could not be parsed",
    severity=Severity.NOTICE,
    rationale=(
        "A file that looks like infrastructure code could not be read (syntax error, "
        "binary content, wrong encoding, or a reader that stopped on it). Functions it "
        "declares were not reviewed. When a pull request changes a file that declared "
        "functions and it no longer parses, this finding is an error."
    ),
    fix="Fix the syntax or encoding so the file parses (CloudFormation would reject it too).",
    bad_example="Resources:\n  Fn: {Type: AWS::Serverless::Function",
    good_example="Resources:\n  Fn: {Type: AWS::Serverless::Function}",
    help_url=PROJECT_DOC,
    analyzer="inventory and code readers",
)

LR902 = Rule(
    id="LR902",
    title="A file was skipped to keep the review bounded",
    severity=Severity.NOTICE,
    rationale=(
        "The file was larger than `max-file-size`, expanded beyond the YAML alias limit, or "
        "is a link that leads outside the workspace. It was not read, so anything it "
        "declares was not reviewed."
    ),
    fix="Keep infrastructure files small and inside the repository, or raise `max-file-size`.",
    bad_example="template.yaml -> /etc/passwd",
    good_example="template.yaml as a regular file in the repository",
    help_url=PROJECT_DOC,
    analyzer="workspace",
)

LR903 = Rule(
    id="LR903",
    title="A file needs a newer Python grammar",
    severity=Severity.NOTICE,
    rationale=(
        "The file uses syntax of a newer Python than the interpreter running the review (for "
        "example PEP 701 f-strings or type parameters, from 3.12; template strings, from "
        "3.14). It is valid for its runtime, but this run could not analyse it, so its "
        "recursion, /tmp and bandit checks are missing."
    ),
    fix=(
        "Run the action's image, whose Python reads newer syntax, or run `lambda-review` on "
        "a Python at least as new as the version the message names."
    ),
    bad_example='# reviewed on Python 3.11\nmessage = f"{event["name"]}"',
    good_example='# reviewed on Python 3.13 (the action\'s image)\nmessage = f"{event["name"]}"',
    help_url=PROJECT_DOC,
    analyzer="code readers and bandit",
)

LR904 = Rule(
    id="LR904",
    title="A Lambda declaration could not be read",
    severity=Severity.NOTICE,
    rationale=(
        "The file declares a Lambda function (a CDK construct, a Serverless service in "
        "TypeScript or JavaScript, a Terraform module call or a `count` that cannot be known) "
        "in a form that static reading cannot follow: properties passed in from another file, "
        "a spread of an imported value, a value computed when the app runs. The function is "
        "listed, but its runtime and the checks that need it are missing from the review."
    ),
    fix=("Write the runtime where the function is declared, or in a constant, variable or helper "
         "of the same file; the review never runs the app to find it."),
    bad_example="new lambda.Function(this, 'Orders', props);  // props from another module",
    good_example="new lambda.Function(this, 'Orders', { ...props, runtime: lambda.Runtime.NODEJS_22_X });",
    help_url=PROJECT_DOC,
    analyzer="inventory",
)

_RULES: tuple[Rule, ...] = (
    LR100,
    LR101,
    LR102,
    LR103,
    LR104,
    LR105,
    LR106,
    LR107,
    LR200,
    LR201,
    LR202,
    LR203,
    LR204,
    LR205,
    LR206,
    LR300,
    LR301,
    LR302,
    LR303,
    LR304,
    LR305,
    LR306,
    LR307,
    LR400,
    LR401,
    LR402,
    LR500,
    LR501,
    LR900,
    LR901,
    LR902,
    LR903,
    LR904,
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}



def get_rule(rule_id: str) -> Rule | None:
    """The catalogue entry for `rule_id` (case-insensitive), or None."""
    return RULES.get(rule_id.upper())
