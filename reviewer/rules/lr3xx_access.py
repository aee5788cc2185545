"""LR3xx: access and secrets. Broad execution-role permissions, function URLs and invoke permissions
open to anyone, routes without authorization or request validation, secrets in plain environment
variables, and untrusted event data reaching a dangerous sink.

One module per rule family; `reviewer.rules` gathers every family into `RULES`.
"""

from __future__ import annotations

from reviewer.findings import Severity
from reviewer.rules.references import (
    API_AUTH_DOC, CONFUSED_DEPUTY_DOC, EXECUTION_ROLE_DOC, FUNCTION_URL_AUTH_DOC,
    SECRETS_DOC, SHARED_RESPONSIBILITY_DOC,
)
from reviewer.rules.rule import Rule

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
        "`Resource: \"*\"` on an action that IAM counts as a write (its Write, Permissions "
        "management and Tagging access levels: actions that write, delete, send, invoke, run, "
        "tag, decrypt or change permissions, such as `iam:PassRole`, `s3:PutObject`, "
        "`lambda:InvokeFunction`, `sqs:SendMessage`, `rds-data:ExecuteStatement`, `kms:Decrypt`) "
        "lets the function do it to every such resource in the account, not only the one it "
        "needs: a bug or an injected input can then overwrite another team's data, pass an "
        "administrator role to a new resource or decrypt what any key protects, another "
        "account's key shared with this one included. A `*` that only a "
        "deploy-time input's default supplies (`!Ref` a parameter with `Default: '*'`, a root "
        "variable's `default`, `${param:x, '*'}`) counts the same: it deploys when nobody passes "
        "a value. Not flagged: actions "
        "AWS only authorizes on `*` (`xray:PutTraceSegments`), the logging, metrics and VPC "
        "network-interface actions AWS's own Lambda execution policies grant on `*`, "
        "statements whose `Condition` narrows what they reach (`iam:AWSServiceName`, "
        "`aws:ResourceTag/...`; transport, time and MFA conditions do not), and "
        "service-wide wildcards, which are LR300's. `sns:Publish` for code whose every SNS "
        "publish is an SMS to a phone number, which has no ARN, is a notice that says how to "
        "leave the account's topics out (`NotResource`)."
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
        "(`YOUR-SECRET-HERE`, `<password>`, `changeme`) is only a notice. A Secrets Manager "
        "secret the deployment resolves into the variable (a `{{resolve:secretsmanager:...}}` "
        "dynamic reference, a Serverless `${ssm:/aws/reference/secretsmanager/...}` variable) is "
        "not in the repository but is in the function's configuration in plain text: a warning. "
        "The review never repeats the value; it names the variable only."
    ),
    fix=(
        "Keep the secret in Secrets Manager or an SSM SecureString parameter, pass only its name "
        "or ARN, and let the code fetch the value when it runs (the AWS Parameters and Secrets "
        "Lambda extension caches it). A `{{resolve:secretsmanager:...}}` dynamic reference or a "
        "`NoEcho` parameter keeps the value out of the repository but still writes it into the "
        "function's configuration, so it is a warning too. Rotate an exposed secret: the history "
        "keeps it."
    ),
    bad_example="Environment:\n  Variables:\n    DB_PASSWORD: correct-horse-battery-staple",
    good_example="Environment:\n  Variables:\n    DB_SECRET_ARN: !Ref DatabaseSecret",
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
        "`AuthorizationType: NONE`, `AWS::ApiGatewayV2::Route` without an authorizer, an operation of an API's OpenAPI "
        "document (inline, or a local file the template includes) with no `security` naming an authorizer, a "
        "Serverless `http`/`httpApi`/`websocket` event, a CDK `RestApi`/`LambdaRestApi` method or `HttpApi` route, a "
        "Terraform `aws_api_gateway_method`/`aws_apigatewayv2_route` with `authorization = "
        "\"NONE\"`, or a method's `authorization` a condition the review cannot decide chooses between `NONE` "
        "and an authorizer, said of the case that chooses `NONE`) lets anyone on the internet invoke the function "
        "and send it any input. "
        "Of a WebSocket API only the `$connect` route is judged: it is the one route that takes "
        "an authorizer, and every other route is reached through the connection it accepted. "
        "A route that only requires an API key is flagged too: a key identifies a client, but "
        "keys are shared, embedded in clients and long-lived, so they authorise nobody. A route "
        "declared public on purpose (`Auth: {Authorizer: NONE}` where the API has a default "
        "authorizer) is a notice. A CORS preflight route (`OPTIONS`) is not judged: browsers send "
        "it without credentials, so no authorizer could let it through."
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
        "the LR305 warning says this instead. A Lambda proxy route whose handler provably never "
        "reads the body (its event is used only through other keys, such as `pathParameters`) "
        "is not reported."
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
        "`int()`, `shlex.quote`, `html.escape`, query parameters, allow-list checks, arithmetic "
        "(its result is a number), a FastAPI parameter typed as a number, UUID or date, a "
        "signature or digest of the value (`jsonwebtoken.sign`, `jwt.encode`, "
        "`createHash(...).digest()`, `hmac`, `hashlib`) and the response of an HTTP request (the "
        "service's answer; the request's URL is still checked) or of a DynamoDB request end the flow; `JSON.stringify` and "
        "`json.dumps` do not. The request's `Host` header is the caller's only behind an Application "
        "Load Balancer: API Gateway and function URLs pass on only the API's own host names. A "
        "value the API's authorizer writes (`requestContext.authorizer`), or one of a function with "
        "no declared trigger (invoked directly by the account), is a warning; one of a function "
        "only schedules invoke is a notice. The fields the invoking service writes itself give none "
        "(a scheduled event's time, an S3 record's bucket, a queue's ARN, an API's stage, a Cognito "
        "custom message's code placeholder), when every source of the functions that ship the code "
        "writes them; other event data in the same value is reported in their place. When bandit "
        "reports the same line, the review shows this finding only."
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
