"""LR9xx: the tool's own notices. An engine that did not run, a file that could not be parsed, was
skipped or needs a newer Python grammar, a Lambda declaration that could not be read: what the
review could not see.

One module per rule family; `reviewer.rules` gathers every family into `RULES`.
"""

from __future__ import annotations

from reviewer.findings import Severity
from reviewer.rules.references import PROJECT_DOC
from reviewer.rules.rule import Rule

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
        "The file uses syntax of a newer Python than the interpreter running the review. "
        "Python 3.12 f-strings, `type` aliases and type parameters are read on 3.11 through a "
        "rewriting that keeps every line, but not every form of them (a comment or a backslash "
        "inside a replacement field, strings nested three deep), nor 3.13 type-parameter "
        "defaults or 3.14 template strings. The file is valid for its runtime, but this run "
        "could not analyse it, so its recursion, /tmp and bandit checks are missing."
    ),
    fix=(
        "Run the action's image, whose Python reads newer syntax, or run `lambda-review` on "
        "a Python at least as new as the version the message names."
    ),
    bad_example='# reviewed on Python 3.13 (the action\'s image)\ngreeting = t"Hello {event["name"]}"',
    good_example='# reviewed on Python 3.14\ngreeting = t"Hello {event["name"]}"',
    help_url=PROJECT_DOC,
    analyzer="code readers and bandit",
)

LR904 = Rule(
    id="LR904",
    title="A Lambda declaration could not be read",
    severity=Severity.NOTICE,
    rationale=(
        "A Lambda function, or a value it depends on, is written in a form that static reading "
        "cannot follow (a CDK construct, a Serverless service in TypeScript or JavaScript, a "
        "Terraform module call or a `count` that cannot be known): properties passed in from "
        "another file, a spread of an imported value, a value computed when the app runs. The "
        "notice names what is unread: a function, whose runtime and the checks that need it are "
        "missing from the review, or values (an environment, a schedule) the review goes without."
    ),
    fix=("Write the runtime where the function is declared, or in a constant, variable or helper "
         "of the same file; the review never runs the app to find it. Values known only at deploy "
         "time (a URL or secret read from the environment) can stay: the notice says what the "
         "review did without."),
    bad_example="new lambda.Function(this, 'Orders', props);  // props from another module",
    good_example="new lambda.Function(this, 'Orders', { ...props, runtime: lambda.Runtime.NODEJS_22_X });",
    help_url=PROJECT_DOC,
    analyzer="inventory",
)
