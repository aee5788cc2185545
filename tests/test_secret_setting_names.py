"""LR304 judges names whose last word is a setting about a secret, not the secret: a password's
pattern, a token table's index, the stage of a secret, a token's lifetime, where a password is kept."""

from __future__ import annotations

import pytest

from reviewer.analyzers.secrets import is_secret_name, judge_secret


@pytest.mark.parametrize("name, value", [
    ("PASSWORD_PATTERN", "^(?=.*[A-Z])(?=.*[0-9]).{12,}$"),
    ("TOKEN_INDEX", "token-index"),
    ("USER_TOKEN_GSI", "byUserToken"),
    ("SECRET_VERSION_STAGE", "AWSCURRENT"),
    ("REFRESH_TOKEN_VALIDITY", "P30D"),
    ("TOKEN_USE", "access"),
    ("DB_PASSWORD_SSM", "prod-db-password"),
    ("SIGNING_KEY_ALIAS", "alias/app-signing"),
    ("PASSWORD_RESET_TEMPLATE", "reset-password-email"),
    ("PASSWORD_SECRET_KMS_KEY", "alias/secrets"),
    ("RESET_PASSWORD_ROUTE", "reset-password?code="),
    ("PASSWORD_RESET_PAGE", "/account/reset"),
    ("TOKEN_CALLBACK", "oauth/callback"),
    ("AUTH_TOKEN_REDIRECT", "signed-in"),
])
def test_settings_about_a_secret_are_not_secrets(name, value):
    assert not is_secret_name(name)
    assert judge_secret(name, value, literal=True) is None


@pytest.mark.parametrize("name", ["DB_PASSWORD", "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "SECRET_KEY_BASE"])
def test_secrets_are_still_secrets(name):
    assert judge_secret(name, "s3cr3t-Pa55w0rd-9f8e", literal=True) is not None


@pytest.mark.parametrize("name", ["SecretDBName", "apiKeySSMPath", "TokenTTLSeconds", "PasswordKMSKeyId"])
def test_camel_case_names_with_an_acronym_split_at_every_word(name):
    """`SecretDBName` is SECRET_DB_NAME (the name of a secret), not SECRET_DBNAME: an acronym
    followed by a capitalised word is two words."""
    assert not is_secret_name(name)
    assert judge_secret(name, name, literal=True) is None


@pytest.mark.parametrize("name", ["DBPassword", "stripeAPIKey", "JWTSecret", "GitHubOAuthToken"])
def test_camel_case_secrets_after_an_acronym_are_secrets(name):
    assert is_secret_name(name)


def test_a_route_of_the_password_reset_page_is_not_a_secret(tmp_path):
    """A sign-in service's function builds the link of its reset e-mail from a route written in
    the template (`RESET_PASSWORD_ROUTE: "reset-password?code="`): a path of the web app, not a
    password, so no LR304 error; a real password beside it still is one."""
    import io
    import json

    from reviewer.cli import main

    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  ResetPasswordRequestFunction:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: java17\n"
        "      Handler: uk.example.auth.ResetPasswordRequestHandler::handleRequest\n"
        "      CodeUri: ./frontend-api/build/distributions/frontend-api.zip\n"
        "      Environment:\n        Variables:\n"
        "          RESET_PASSWORD_ROUTE: \"reset-password?code=\"\n"
        "          NOTIFY_PASSWORD: s3cr3t-Pa55w0rd-9f8e\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    flagged = [f["message"].split("`")[1] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304"]
    assert flagged == ["NOTIFY_PASSWORD"]


@pytest.mark.parametrize("name, value", [
    ("APP_SECRET_MANAGER", "aws-ssm"),
    ("SECRETS_BACKEND", "vault"),
    ("TOKEN_PROVIDER", "auth0"),
])
def test_the_service_that_keeps_the_secrets_is_not_a_secret(name, value):
    assert not is_secret_name(name)
    assert judge_secret(name, value, literal=True) is None


def test_a_serverless_service_choosing_its_secret_store_has_no_plain_secret(tmp_path):
    """A Python publisher's serverless.yml picks where its library reads secrets from
    (`APP_SECRET_MANAGER: aws-ssm`, beside the parameters' path): the name of a store, not a
    secret, so no LR304 error; a real password beside it still is one."""
    import io
    import json

    from reviewer.cli import main

    (tmp_path / "handler.py").write_text("def handle(event, context):\n    return {}\n")
    (tmp_path / "serverless.yml").write_text(
        "service: profile-publisher\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n"
        "    APP_SECRET_MANAGER_SSM_PATH: /iam/app/${sls:stage}/publisher\n"
        "    APP_SECRET_MANAGER: aws-ssm\n"
        "    LDAP_PASSWORD: s3cr3t-Pa55w0rd-9f8e\n"
        "functions:\n  handler:\n    handler: handler.handle\n    events:\n"
        "      - schedule: rate(6 hours)\n")
    out = io.StringIO()
    main(["scan", str(tmp_path), "--format", "json", "--audit", "off", "--fail-on", "never"], stdout=out)
    flagged = [f["message"].split("`")[1] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR304"]
    assert flagged == ["LDAP_PASSWORD"]
