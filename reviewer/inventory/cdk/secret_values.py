"""The secret an environment value of a TypeScript/JavaScript, Java, C# or Go CDK construct reads.

`environment: { PASSWORD: secret.secretValue.unsafeUnwrap() }` writes the secret's value into the
function's configuration, where anyone who can read the function sees it; CDK synthesizes a dynamic
reference for it (`{{resolve:secretsmanager:...}}`), which is what the function's environment is
said to hold (`constructs.secret_reference`), so the checks on secrets in environment variables
see it as the template's reader would.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import SECRET_VALUE_METHODS, SECRET_VALUE_NAMES, secret_reference
from reviewer.inventory.cdk.syntax import CALL_TYPES, Call, as_call, literal_entries

Node = tree_sitter.Node


def secret_value(node: Node) -> str | None:
    """`secret.secretValue.unsafeUnwrap()`, `secret.secretValueFromJson('password').unsafeUnwrap()`,
    `SecretValue.secretsManager('id', { jsonField: 'password' })`: the dynamic reference CDK writes
    for it (`constructs.secret_reference`), else None."""
    for index, inner in enumerate(st.walk(node)):
        if index > 64:
            return None
        if inner.type in ("property_identifier", "identifier") and st.text(inner) in SECRET_VALUE_NAMES:
            call = _called_method(inner)
            if st.text(inner) in SECRET_VALUE_METHODS and call is None:
                continue   # `props.secretsManager`: a member named like the method, not its call
            key = None
            if call is not None and call.method == "secretValueFromJson" and call.args:
                key = st.string_value(call.args[0])
            elif call is not None and call.method == "secretsManager" and len(call.args) > 1:
                key = next((st.string_value(value) for name, _, value in literal_entries(
                    st.unwrap(call.args[1]) or call.args[1]) or [] if name == "jsonField"), None)
            return secret_reference(key)
    return None


def _called_method(name: Node) -> Call | None:
    """The call whose method `name` is (`SecretValue.secretsManager(...)`; Java's `method_invocation`
    holds its name itself), or None when the name is only read."""
    for holder in (name.parent, name.parent.parent if name.parent is not None else None):
        call = as_call(holder) if holder is not None and holder.type in CALL_TYPES else None
        if call is not None:
            return call if call.method == st.text(name) else None
    return None
