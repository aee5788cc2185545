"""The public documentation pages rules point at (`help_url`), named once and shared by families."""

from __future__ import annotations

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
