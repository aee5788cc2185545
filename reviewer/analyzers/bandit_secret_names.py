"""bandit's B105 on a constant whose name says it holds where a secret is, not the secret.

B105 (`hardcoded_password_string`) flags any string assigned to a name with a word such as
`secret`, `token` or `password` in it. Handlers name the secrets they read that way:
`secret_slack_name = "SlackChannelID"` (the Secrets Manager secret to fetch),
`TOKEN_PARAMETER = "/app/api-token"`, and text constants such as a join token
(`COMPOSITE_JOIN_TOKEN = "_S3F2COMP_"`, a separator written into keys). Their values are names,
paths and markers a reviewer can read in the source; the finding, with its value hidden, only
asked the reader to check a string that is no credential. A name whose last word says what kind
of value it holds (a name, an id, an ARN, a path, a parameter) or a token that joins or splits
text is such a constant; `slack_token = "xoxb-..."` and `password = "..."` keep the finding.
"""

from __future__ import annotations

import re

# `NAME = "..."`, `self.name: str = '...'`: the target of a one-line assignment of a string.
_ASSIGNED = re.compile(r"^\s*(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*)\s*(?::[^=]{1,80})?=\s*[rRbBuUfF]{0,2}['\"]")
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Last words that say the value locates or describes a secret.
_LOCATING_WORDS = frozenset({"name", "names", "id", "ids", "arn", "arns", "path", "paths", "prefix", "suffix",
                             "param", "parameter", "parameters", "field", "header", "key_name", "env", "var",
                             "variable", "url", "uri", "endpoint", "type", "label", "location"})
# Words before `token` that make it a piece of text, not a credential.
_TEXT_TOKEN_WORDS = frozenset({"join", "split", "separator", "delimiter", "placeholder"})


def names_a_secret_s_place(test_id: str, code_line: str) -> bool:
    """Whether a B105 issue on `code_line` is a constant naming or marking, not holding, a secret."""
    if test_id != "B105":
        return False
    match = _ASSIGNED.match(code_line)
    if match is None:
        return False
    words = [word.lower() for word in _WORDS.findall(match.group(1))]
    if not words:
        return False
    if words[-1] in _LOCATING_WORDS:
        return True
    return words[-1] == "token" and len(words) > 1 and words[-2] in _TEXT_TOKEN_WORDS
