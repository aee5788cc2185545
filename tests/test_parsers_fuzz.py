"""Any input, however malformed, yields findings or a notice, never an unexpected exception.

Property tests over every reader of untrusted input: CloudFormation/SAM templates and
serverless.yml (generated as documents shaped like real ones, then mutated as text: truncated,
tagged, aliased, given a `!!python/object` tag), Terraform HCL, Dockerfiles, requirements and
lock files, GitHub's diff hunks, the pull request event payload, the findings artifact of the
fork relay and the settings file. Each example runs the real pipeline (`scan_checkout`) where
there is one, and the findings it produces must render as safe Markdown.

Examples are derandomized (the same inputs on every run, so CI is reproducible) and modest in
number so the suite stays fast; `tests/fuzz/` holds coverage-guided atheris targets for longer runs.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from rendered_markdown import render
from reviewer.action import ActionError, read_pull_request_event
from reviewer.code.dependency_files import read_dependency_files
from reviewer.config import ConfigError, Settings, load_config_file
from reviewer.findings import Finding
from reviewer.publish.artifact import ArtifactError, read_artifact
from reviewer.publish.render import render as render_template
from reviewer.review.diff import diff_map_from_unified, file_diff_from_github_patch
from reviewer.rules import RULES
from reviewer.scan import scan_checkout
from reviewer.workspace import Workspace

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MARKER = "lambda-review-fuzz-executed"

# -- shared vocabulary ---------------------------------------------------------------------------

HOSTILE_STRINGS = [
    "<img src=x onerror=alert(1)>", "@acme/admins", "<!-- lambda-review:summary -->",
    "<!-- lambda-review:inline fp=00000000000000000000 -->", "```", "~~~", "`` ` ``", "|", "\\|", "\n::error::x",
    "\u202eevil", "\x1b[31m", "\x00", "${self:custom.a}", "${env:INPUT_GITHUB-TOKEN}", "${opt:stage, 'dev'}",
    "${file(../../etc/passwd)}", "../../../etc/passwd", "/etc/passwd", "{{resolve:ssm:/x}}", "*", "s3:*",
    "arn:aws:s3:::bucket/*", "AKIAABCDEFGHIJKLMNOP", "python3.9", "python3.14", "nodejs14.x", "java8", "provided",
    "python3.12|@x|<b>", "app.handler", "src", ".", "", " ", "NONE", "AWS_IAM", "Image", "Zip",
    "\ud800", "x\udc00", "\ud83d\ude00",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False), st.sampled_from(HOSTILE_STRINGS), st.text(max_size=12),
)


def shaped(keys: list[str], max_leaves: int = 40) -> st.SearchStrategy:
    """JSON-like values whose mapping keys come mostly from a format's own vocabulary."""
    key = st.one_of(st.sampled_from(keys), st.sampled_from(HOSTILE_STRINGS), st.text(max_size=6))
    return st.recursive(SCALARS, lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(key, children, max_size=6)), max_leaves=max_leaves)


TEXT_MUTATIONS = [
    "!Ref ", "!GetAtt ", "!Sub ", "!If ", "!Condition ", "&a ", "*a", "<<: *a\n", "[", "]", "{", "}", "\t",
    "\x00", "- ", ": ", "'", '"', "\n  ", "\n", "!!binary ", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "#",
    f"!!python/object/apply:os.system ['touch /tmp/{MARKER}'] ", "!!python/name:os.system ",
    "\ufeff", "\xe9", "${", "}", "\\",
]


@st.composite
def mutated(draw, documents: st.SearchStrategy, dump) -> str:
    """A generated document as text, sometimes cut or with YAML syntax spliced in."""
    text = dump(draw(documents))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        choice = draw(st.integers(min_value=0, max_value=3))
        if choice == 0:
            text = text[:position]
        else:
            text = text[:position] + draw(st.sampled_from(TEXT_MUTATIONS)) + text[position:]
    return text


def yaml_text(document) -> str:
    import yaml

    return yaml.safe_dump(document, sort_keys=False)


def json_text(document) -> str:
    return json.dumps(document)


def assert_reviewable(findings: list[Finding]) -> None:
    """Every finding is well formed and renders as safe Markdown."""
    for finding in findings:
        assert finding.rule_id in RULES or finding.rule_id.startswith("bandit/")
        assert finding.line >= 1 and not finding.path.startswith("/") and ".." not in finding.path.split("/")
        for text in (finding.message, finding.title, finding.path, finding.function or "", finding.suggestion or ""):
            text.encode("utf-8")                # printable and postable: no lone surrogates
        rendered = render(render_template("inline_comment.md.j2", finding=finding))
        assert rendered.foreign_elements == set(), finding.message
        assert rendered.live_mentions == [], finding.message
        assert len(rendered.comments) == 1


def scan_files(files: dict[str, str | bytes]) -> list[Finding]:
    """The real pipeline over a workspace holding `files`; it must not raise."""
    with tempfile.TemporaryDirectory(prefix="lambda-review-fuzz-") as directory:
        root = Path(directory)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
            else:
                path.write_bytes(content)
        result = scan_checkout(root, Settings(reference_date=dt.date(2026, 11, 22)))
    assert not Path(tempfile.gettempdir(), MARKER).exists()
    assert_reviewable(result.findings)
    return result.findings


def _encodable(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


# -- CloudFormation / SAM ------------------------------------------------------------------------

CFN_KEYS = [
    "AWSTemplateFormatVersion", "Transform", "Globals", "Function", "Parameters", "Default", "Resources", "Type",
    "Properties", "Runtime", "Handler", "CodeUri", "Code", "ZipFile", "InlineCode", "PackageType", "ImageUri",
    "Events", "Policies", "Statement", "Effect", "Action", "NotAction", "Resource", "Environment", "Variables",
    "FunctionUrlConfig", "AuthType", "Role", "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join", "Bucket",
    "Queue", "Stream", "Pattern", "source", "detail-type", "Principal", "FunctionName", "AutoPublishAlias",
    "CodeSigningConfigArn", "RuntimeManagementConfig", "UpdateRuntimeOn", "Layers", "Metadata", "Dockerfile",
    "DockerContext", "Location", "TemplateURL", "Condition", "Conditions", "Filter", "S3Key", "Rules", "Name",
]
CFN_TYPES = ["AWS::Serverless::Function", "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::S3::Bucket",
             "AWS::SQS::Queue", "AWS::Events::Rule", "AWS::Lambda::EventSourceMapping", "AWS::IAM::Role",
             "AWS::Lambda::Url", "AWS::Serverless::Application", "AWS::CloudFormation::Stack", "AWS::SNS::Topic"]


@st.composite
def cloudformation_templates(draw) -> dict:
    properties = shaped(CFN_KEYS)
    resource = st.fixed_dictionaries({"Type": st.sampled_from(CFN_TYPES)}, optional={
        "Properties": st.dictionaries(st.sampled_from(CFN_KEYS), properties, max_size=8),
        "Metadata": properties, "Condition": SCALARS})
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Resources": draw(st.dictionaries(st.sampled_from(["Fn", "Other", "Bucket", "Queue", "Role"])
                                                  | st.text(min_size=1, max_size=8), resource, max_size=5))}
    if draw(st.booleans()):
        template["Transform"] = "AWS::Serverless-2016-10-31"
        template["Globals"] = {"Function": draw(st.dictionaries(st.sampled_from(CFN_KEYS), properties, max_size=5))}
    if draw(st.booleans()):
        template["Parameters"] = draw(st.dictionaries(st.text(min_size=1, max_size=6),
                                                      st.fixed_dictionaries({"Type": st.just("String")},
                                                                            optional={"Default": SCALARS}), max_size=3))
    return template


@FUZZ
@given(text=mutated(cloudformation_templates(), yaml_text) | mutated(cloudformation_templates(), json_text),
       name=st.sampled_from(["template.yaml", "stacks/api.cfn.json", "nested/app.template"]))
def test_any_template_gives_findings_or_a_notice(text, name):
    scan_files({name: text, "src/app.py": "def handler(event, context):\n    return event\n"})


# -- serverless.yml ------------------------------------------------------------------------------

SLS_KEYS = [
    "service", "provider", "name", "runtime", "stage", "region", "environment", "iam", "role", "statements",
    "functions", "handler", "events", "s3", "sqs", "sns", "stream", "http", "httpApi", "schedule", "eventBridge",
    "bucket", "event", "rules", "prefix", "suffix", "existing", "arn", "image", "package", "artifact", "custom",
    "resources", "Resources", "url", "authorizer", "layers", "ecr", "images", "path", "file", "pattern",
]
SLS_STRINGS = ["${self:custom.runtime}", "${self:provider.stage}", "${self:${self:custom.a}}", "${sls:stage}",
               "${opt:stage, 'dev'}", "${env:X, self:custom.x}", "${self:custom.a}-${self:custom.b}",
               "${file(./config.yml):x}", "${ssm:/a/b}", "${cf:stack.Output}", "${self:}", "${", "${self:custom"]


@st.composite
def serverless_services(draw) -> dict:
    value = shaped(SLS_KEYS) | st.sampled_from(SLS_STRINGS)
    function = st.dictionaries(st.sampled_from(SLS_KEYS), value, max_size=6)
    return {
        "service": draw(st.sampled_from(["orders", "${self:custom.name}"]) | st.text(max_size=5)),
        "provider": draw(st.dictionaries(st.sampled_from(SLS_KEYS), value, max_size=6)),
        "custom": draw(st.dictionaries(st.sampled_from(["a", "b", "runtime", "name", "x"]), value, max_size=4)),
        "functions": draw(st.dictionaries(st.text(min_size=1, max_size=6), function, max_size=4)),
    }


@FUZZ
@given(text=mutated(serverless_services(), yaml_text))
def test_any_serverless_service_gives_findings_or_a_notice(text):
    scan_files({"serverless.yml": text, "src/handler.py": "def main(event, context):\n    return 1\n"})


# -- Terraform HCL -------------------------------------------------------------------------------

HCL_NAMES = ["function_name", "runtime", "handler", "filename", "source_dir", "role", "image_uri", "package_type",
             "source", "bucket", "lambda_function_arn", "events", "event_source_arn", "variables", "policy",
             "source_code_hash", "default", "type", "value", "for_each", "count", "s3_bucket", "s3_key"]
HCL_ATOMS = st.one_of(
    st.sampled_from(['"python3.9"', '"nodejs14.x"', '"app.handler"', '"${path.module}/src"', '"${var.name}-x"',
                     "var.runtime", "local.name", "aws_s3_bucket.b.arn", "aws_s3_bucket.b.id", "module.m.arn", "null",
                     "true", "42", "1.5e3", '"s3:ObjectCreated:*"', '"../../outside"', '"/etc"', '"git::https://x"',
                     "each.value", "count.index", '"%{ if var.x }a%{ endif }"', "<<EOT\nheredoc ${x}\nEOT\n",
                     '"\\u202e<img src=x>@acme"', '"${', "}", "((", "[", "{"]),
    st.text(alphabet="abc_.$\"{}[]()=,:?!<>\n #", max_size=10),
)


def hcl_expressions() -> st.SearchStrategy[str]:
    return st.recursive(HCL_ATOMS, lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(HCL_NAMES), inner, max_size=3).map(
            lambda pairs: "{\n" + "\n".join(f"{k} = {v}" for k, v in pairs.items()) + "\n}"),
        st.tuples(st.sampled_from(["jsonencode", "file", "lookup", "concat", "format"]), inner).map(
            lambda call: f"{call[0]}({call[1]})"),
        st.tuples(inner, inner, inner).map(lambda parts: f"{parts[0]} ? {parts[1]} : {parts[2]}"),
        inner.map(lambda expr: f"[for x in {expr} : x]"),
    ), max_leaves=12)


@st.composite
def hcl_files(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(['resource "aws_lambda_function" "fn"', 'resource "aws_s3_bucket_notification" "n"',
                                     'resource "aws_lambda_event_source_mapping" "m"', 'resource "aws_s3_bucket" "b"',
                                     'resource "aws_iam_role_policy" "p"', 'module "m"', 'variable "runtime"',
                                     "locals", 'data "aws_iam_policy_document" "d"', 'resource "aws_lambda_permission" "x"']))
        attributes = draw(st.dictionaries(st.sampled_from(HCL_NAMES), hcl_expressions(), max_size=5))
        nested = draw(st.sampled_from(["", "environment {\n variables = { A = \"b\" }\n}\n",
                                       "lambda_function {\n lambda_function_arn = aws_lambda_function.fn.arn\n"
                                       " events = [\"s3:ObjectCreated:*\"]\n}\n", "dynamic \"x\" {\n content {}\n}\n"]))
        body = "\n".join(f"  {name} = {value}" for name, value in attributes.items())
        blocks.append(f"{kind} {{\n{body}\n{nested}}}\n")
    text = "\n".join(blocks)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:position] + draw(st.sampled_from(['"', "{", "}", "${", "\n", "#", "/*", "=", "\x00"])) + text[position:]
    return text


@FUZZ
@given(main=hcl_files(), module=hcl_files())
def test_any_terraform_gives_findings_or_a_notice(main, module):
    scan_files({"infra/main.tf": main, "infra/m/main.tf": module, "infra/src/app.py": "def handler(e, c):\n    return e\n"})


# -- Dockerfiles ---------------------------------------------------------------------------------

DOCKER_LINES = st.one_of(
    st.sampled_from(["FROM public.ecr.aws/lambda/python:3.9", "FROM public.ecr.aws/lambda/nodejs:14 AS build",
                     "FROM ${BASE}", "ARG BASE=public.ecr.aws/lambda/python:3.8", "ARG TAG", "FROM build",
                     'CMD ["app.handler"]', "CMD app.handler", "COPY . .", "RUN pip install -r requirements.txt",
                     "FROM --platform=linux/arm64 public.ecr.aws/lambda/provided:al2", "FROM scratch", "\\",
                     "FROM public.ecr.aws/lambda/python:3.12@sha256:" + "a" * 64, "# syntax=docker/dockerfile:1",
                     "ENTRYPOINT [\"/lambda-entrypoint.sh\"]", "FROM", "ARG", "CMD [", "FROM ${A:-${B}}"]),
    st.text(max_size=30),
)


@FUZZ
@given(lines=st.lists(DOCKER_LINES, max_size=12))
def test_any_dockerfile_gives_findings_or_a_notice(lines):
    scan_files({"image/Dockerfile": "\n".join(lines) + "\n", "image/app.py": "def handler(e, c):\n    return 1\n"})


# -- requirements and lock files -----------------------------------------------------------------

REQUIREMENT_LINES = st.one_of(
    st.sampled_from(["jinja2==2.10", "requests>=2", "boto3", "-e .", "./vendor/pkg", "-r requirements-dev.txt",
                     "-r requirements.txt", "-r ../../../../etc/passwd", "-r /etc/passwd", "-c constraints.txt",
                     "--requirement=sub/req.txt", "-r sub/req.txt", "git+https://x/y.git#egg=y", "https://x/y.whl",
                     "file:///etc/passwd", "pkg @ file:///tmp/x", "name===1.0.0+local", "a==1.0 --hash=sha256:00",
                     "--index-url https://evil", "-i", "pkg[extra]==1.0 ; python_version < '3'", "x==1.*", "x==",
                     "==1.0", "pkg==1.0\\", "# comment", "    ", "-", "--", "-r", "pkg==not-a-version", "ÿ==1"]),
    st.text(max_size=40),
)
TOML_PACKAGES = st.lists(st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["jinja2", "pyyaml", "x", ""]) | st.text(max_size=5),
    "version": st.sampled_from(["2.10", "1.0", "not a version", "5.3"]) | st.integers(min_value=0, max_value=9),
    "source": st.one_of(st.fixed_dictionaries({"type": st.sampled_from(["git", "directory", "url", "legacy"])}),
                        st.fixed_dictionaries({}, optional={"git": st.just("https://x"), "virtual": st.just("."),
                                                            "editable": st.just("."), "registry": st.just("https://x")}),
                        st.text(max_size=4)),
    "dependencies": st.one_of(st.lists(st.fixed_dictionaries({"name": st.sampled_from(["jinja2", "x"])},
                                                             optional={"version": st.text(max_size=3),
                                                                       "extra": st.lists(st.text(max_size=3))}),
                                       max_size=3),
                              st.integers(), st.text(max_size=3)),
    "optional-dependencies": st.dictionaries(st.text(max_size=3), st.lists(st.text(max_size=3)) | st.integers(), max_size=2),
    "groups": st.lists(st.sampled_from(["main", "dev"])) | st.text(max_size=3),
    "category": st.sampled_from(["main", "dev"]), "vcs": st.just({"url": "x"}), "directory": st.just({"path": "."}),
    "archive": st.just({"url": "x"}),
}), max_size=5)


def _toml(document: dict) -> str:
    import tomli_w

    return tomli_w.dumps(document)


@st.composite
def dependency_directories(draw) -> dict[str, str]:
    def requirements() -> str:
        lines = draw(st.lists(REQUIREMENT_LINES, max_size=10))
        return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\\\n", "\\"]))

    files = {"requirements.txt": requirements(), "requirements-dev.txt": requirements(), "sub/req.txt": requirements()}
    project = draw(st.fixed_dictionaries({}, optional={
        "dependencies": st.lists(REQUIREMENT_LINES, max_size=5) | st.integers(),
        "name": st.text(max_size=5)}))
    poetry = draw(st.dictionaries(st.sampled_from(["python", "jinja2", "requests", "x"]),
                                  st.one_of(st.sampled_from(["2.10", "^2.10", "==2.10", "*", "~1"]), st.text(max_size=5),
                                            st.fixed_dictionaries({}, optional={
                                                "version": st.text(max_size=5), "git": st.just("https://x"),
                                                "path": st.just("."), "url": st.just("https://x")}),
                                            st.integers()), max_size=4))
    files["pyproject.toml"] = _toml({"project": project, "tool": {"poetry": {"dependencies": poetry}}})
    for name, array in (("poetry.lock", "package"), ("uv.lock", "package"), ("pylock.toml", "packages")):
        files[name] = _toml({array: draw(TOML_PACKAGES)})
    files["Pipfile.lock"] = json.dumps({"default": draw(st.dictionaries(
        st.text(max_size=6), st.dictionaries(st.sampled_from(["version", "git", "path", "file", "hashes"]),
                                             st.sampled_from(["==2.10", "1.0", "", "x"]) | st.integers(),
                                             max_size=3) | st.integers(), max_size=3))})
    for name in list(files):
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            files[name] = draw(st.text(max_size=60))                # and sometimes not the format at all
    return files


@FUZZ
@given(files=dependency_directories())
def test_any_requirement_or_lock_file_gives_pins_or_reasons(files):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(_encodable(content), encoding="utf-8")
        result = read_dependency_files(Workspace(root), ".")
    for pin in result.pins:
        assert str(Version(pin.version)) == pin.version and pin.name == pin.name.lower()
        assert pin.location.line >= 1
    for item in result.unauditable:
        assert item.reason and item.location.line >= 1
    for notice in result.notices:
        assert notice.rule_id in ("LR901", "LR902")


# -- diff hunks ----------------------------------------------------------------------------------

@st.composite
def patches(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        a, b, c, d = (draw(st.integers(min_value=0, max_value=40)) for _ in range(4))
        header = draw(st.sampled_from([f"@@ -{a},{b} +{c},{d} @@", f"@@ -{a} +{c} @@ def x():", f"@@ -{a},{b} +{c},{d}",
                                       "@@ garbage @@", f"@@ -{a},{b} +{c},{d} @@ {'x' * 3}"]))
        lines.append(header)
        for _ in range(draw(st.integers(min_value=0, max_value=8))):
            lines.append(draw(st.sampled_from([" ", "+", "-", "\\ No newline at end of file", ""])) +
                         draw(st.sampled_from(HOSTILE_STRINGS[:12]) | st.text(max_size=10)))
    return "\n".join(lines)


@FUZZ
@given(patch=patches() | st.text(max_size=200) | st.none(), path=st.text(min_size=1, max_size=20))
def test_any_github_patch_gives_commentable_lines_inside_its_hunks(patch, path):
    diff = file_diff_from_github_patch(path, patch)
    for line in diff.added:
        assert diff.can_comment(line) or not diff.commentable or diff.hunk_of(line) is not None
    for first, last in diff.hunks:
        assert 0 < first <= last
        assert diff.can_comment(first) == diff.commentable


@FUZZ
@given(body=st.lists(patches() | st.text(max_size=80), max_size=3),
       names=st.lists(st.text(alphabet="ab/ \t\n\"\\", min_size=1, max_size=8), min_size=1, max_size=3))
def test_any_unified_diff_gives_a_diff_map(body, names):
    text = "".join(f"diff --git a/{name} b/{name}\n--- a/{name}\n+++ b/{name}\n{part}\n"
                   for name, part in zip(names, body, strict=False))
    diff = diff_map_from_unified(text)
    for file_diff in diff.files.values():
        assert all(0 < first <= last for first, last in file_diff.hunks)


# -- the event payload ---------------------------------------------------------------------------

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(
                               st.sampled_from(["pull_request", "number", "head", "base", "sha", "repository",
                                                "full_name"]) | st.text(max_size=5), children, max_size=5),
                           max_leaves=25)


@st.composite
def events(draw) -> str:
    """A pull_request event with some fields replaced by anything JSON can hold."""
    event = {"action": "synchronize", "number": 7, "repository": {"full_name": "acme/orders"},
             "pull_request": {"number": 7, "head": {"sha": "a" * 40}, "base": {"sha": "b" * 40}}}
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        value = draw(JSON_VALUES | st.sampled_from(HOSTILE_STRINGS))
        where = draw(st.sampled_from(["number", "head", "base", "head.sha", "base.sha", "pull", "repository",
                                      "repository.full_name", "root"]))
        pull = event.get("pull_request")
        if where == "root":
            event = value
            break
        if where == "pull":
            event["pull_request"] = value
        elif where == "repository":
            event["repository"] = value
        elif where == "repository.full_name" and isinstance(event.get("repository"), dict):
            event["repository"]["full_name"] = value
        elif isinstance(pull, dict):
            if "." in where and isinstance(pull.get(where.split(".")[0]), dict):
                pull[where.split(".")[0]]["sha"] = value
            else:
                pull[where.split(".")[0]] = value
    return json.dumps(event)


@FUZZ
@given(payload=events() | JSON_VALUES.map(json.dumps) | st.binary(max_size=60).map(lambda b: b.decode("latin-1"))
       | st.integers(min_value=1, max_value=5000).map(lambda depth: "[" * depth + "]" * depth))
def test_any_event_payload_is_a_pull_request_or_a_clean_error(payload):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, "event.json")
        path.write_text(payload, encoding="utf-8", errors="surrogatepass")
        try:
            event = read_pull_request_event(str(path), "acme/orders")
        except ActionError as error:
            assert "\n" not in str(error)
        else:
            assert isinstance(event.number, int) and isinstance(event.head_sha, str)


# -- the findings artifact -----------------------------------------------------------------------

VALID_FINDING = {"rule_id": "LR100", "severity": "warning", "title": "t", "message": "`python3.9` is deprecated.",
                 "path": "template.yaml", "line": 3, "end_line": 3, "function": "Fn", "engine": "lambda-review",
                 "fingerprint": "0123456789abcdef0123", "help_url": None, "new": True}
VALID_ARTIFACT = {"version": 1, "repository": "acme/orders", "pull_request": 7, "head_sha": "a" * 40, "base_sha": "b" * 40,
                  "fail_on": "error", "reference_date": "2026-11-22", "findings": [VALID_FINDING],
                  "functions": [{"name": "Fn", "format": "sam", "path": "template.yaml", "line": 2,
                                 "runtime": "python3.9", "package_type": "Zip", "unresolved": {}}]}
ARTIFACT_FIELDS = ["version", "repository", "pull_request", "head_sha", "base_sha", "fail_on", "reference_date",
                   "findings", "functions"]
FINDING_FIELDS = list(VALID_FINDING)
FUNCTION_FIELDS = ["name", "format", "path", "line", "runtime", "package_type", "unresolved"]


@st.composite
def artifacts(draw) -> str:
    document = json.loads(json.dumps(VALID_ARTIFACT))
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        where = draw(st.sampled_from(["top", "finding", "function"]))
        value = draw(JSON_VALUES | st.sampled_from(HOSTILE_STRINGS))
        if where == "top":
            document[draw(st.sampled_from(ARTIFACT_FIELDS))] = value
        elif where == "finding" and isinstance(document.get("findings"), list) and document["findings"]:
            if isinstance(document["findings"][0], dict):
                document["findings"][0][draw(st.sampled_from(FINDING_FIELDS))] = value
        elif isinstance(document.get("functions"), list) and document["functions"]:
            if isinstance(document["functions"][0], dict):
                document["functions"][0][draw(st.sampled_from(FUNCTION_FIELDS))] = value
    return json.dumps(document)


@FUZZ
@given(text=artifacts())
def test_any_findings_artifact_is_read_or_refused_cleanly(text):
    _read_artifact_text(text)


@settings(FUZZ, max_examples=50)
@given(text=JSON_VALUES.map(json.dumps) | st.text(max_size=50))
def test_any_json_or_text_as_a_findings_artifact_is_refused_cleanly(text):
    _read_artifact_text(text)


def _read_artifact_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, "findings.json")
        path.write_text(_encodable(text), encoding="utf-8")
        try:
            artifact = read_artifact(path)
        except ArtifactError:
            return
    assert_reviewable(artifact.findings)
    for finding in artifact.findings:
        assert finding.suggestion is None
    for function in artifact.functions:
        json.dumps(function.to_json(), ensure_ascii=False).encode("utf-8")


# -- the settings file ---------------------------------------------------------------------------

CONFIG_KEYS = ["fail-on", "runtime-warning-days", "max-file-size", "exclude", "ignore", "severity", "fail-on-existing",
               "baseline", "scan-all-python", "bandit-thresholds", "rule", "path", "reason", "expires", "LR100",
               "error", "warning", "notice"]


@FUZZ
@given(text=mutated(st.dictionaries(st.sampled_from(CONFIG_KEYS), shaped(CONFIG_KEYS, 15), max_size=5), yaml_text))
def test_any_settings_file_gives_settings_or_one_clear_error(text):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, ".lambda-review.yml")
        path.write_text(_encodable(text), encoding="utf-8")
        try:
            load_config_file(path, Settings())
        except ConfigError as error:
            assert str(error)
