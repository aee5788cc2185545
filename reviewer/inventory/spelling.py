"""How each format writes the settings that the guardrail messages tell a reader to set.

A message that says "set `CodeSigningConfigArn`" to a Terraform user names a setting their code
does not have. The analyzers ask here by a format-free name; only the inventory knows formats.
"""

from __future__ import annotations

from reviewer.model import Function

CODE_SIGNING = "code-signing"
PUBLISHED_VERSIONS = "published-versions"

_CLOUDFORMATION = {
    CODE_SIGNING: "`CodeSigningConfigArn`",
    PUBLISHED_VERSIONS: ("SAM `AutoPublishAlias: live`, or `AWS::Lambda::Version` and `AWS::Lambda::Alias` "
                         "targeted by the triggers"),
}
_BY_FORMAT = {
    "terraform": {
        CODE_SIGNING: "`code_signing_config_arn`",
        PUBLISHED_VERSIONS: "`publish = true` on the function and an `aws_lambda_alias` targeted by the triggers",
    },
}


def spelled(function: Function, setting: str) -> str:
    """The Markdown that names `setting` in the function's own format."""
    return _BY_FORMAT.get(function.format, _CLOUDFORMATION).get(setting, _CLOUDFORMATION[setting])
