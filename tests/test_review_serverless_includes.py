"""A review reads a file that Serverless services include (`${file(../../common.yml):provider.runtime}`)
as a scan does, on both sides, and a change to it touches the functions of the services that include it.

The repository has the shape of a Serverless monorepo: services under `services/` take their
runtime, stage and region from one `serverless.common.yml` at the top, whose `custom:` part holds a
blank line with a tab in it (the Framework's js-yaml takes it; libyaml alone refuses the file). A
third service writes its own runtime and includes only the region. The pull requests are real
commits reviewed by the real pipeline.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import Settings, resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import ReviewOutcome, focus_note, review_change, scan_revision
from reviewer.review.diff import diff_map_from_unified

COMMON = """\
provider:
  stage: ${{opt:stage, 'dev'}}
  runtime: {runtime}
  region: {region}

custom:
  prune:
    automatic: true
  \t
  domains:
    dev: api-dev.example.com
"""

SHARED_SERVICE = """\
service: shop-{name}

provider:
  name: aws
  stage: ${{file(../../serverless.common.yml):provider.stage}}
  runtime: ${{file(../../serverless.common.yml):provider.runtime}}
  region: ${{file(../../serverless.common.yml):provider.region}}

functions:
  {name}Get:
    handler: handler.get
    events:
      - http:
          path: {name}/{{id}}
          method: get
          authorizer: aws_iam
"""

OWN_RUNTIME_SERVICE = """\
service: shop-hello

provider:
  name: aws
  runtime: nodejs22.x
  region: ${file(../../serverless.common.yml):provider.region}

functions:
  hello:
    handler: handler.hello
"""

SHARED = ("events", "members")
HANDLER = "module.exports.get = async (event) => ({ statusCode: 200, body: event.pathParameters.id });\n"


def _write(root: Path, runtime: str, region: str) -> None:
    (root / "serverless.common.yml").write_text(COMMON.format(runtime=runtime, region=region), encoding="utf-8")


def repository(tmp_path: Path) -> tuple[Path, str]:
    """The monorepo at its first commit (nodejs16.x, us-west-2): (root, its sha)."""
    root = tmp_path / "monorepo"
    for name in SHARED:
        service = root / "services" / name
        service.mkdir(parents=True)
        (service / "serverless.yml").write_text(SHARED_SERVICE.format(name=name), encoding="utf-8")
        (service / "handler.js").write_text(HANDLER, encoding="utf-8")
    hello = root / "services" / "hello"
    hello.mkdir(parents=True)
    (hello / "serverless.yml").write_text(OWN_RUNTIME_SERVICE, encoding="utf-8")
    (hello / "handler.js").write_text("module.exports.hello = async () => ({ statusCode: 200 });\n",
                                      encoding="utf-8")
    _write(root, "nodejs16.x", "us-west-2")
    return root, first_commit(root)


def commit(root: Path, runtime: str, region: str) -> str:
    _write(root, runtime, region)
    git(root, "commit", "-q", "-am", "common settings")
    return git(root, "rev-parse", "HEAD").strip()


def settings(root: Path) -> Settings:
    return resolve_settings(root, None, reference_date="2026-12-07", audit="off")


def review(root: Path, base: str, head: str) -> ReviewOutcome:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    return review_change(root, settings(root), diff, base_rev=base, head_rev=head)


def runtimes(functions) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    return {function.name: function.runtime for function in functions}


def test_a_runtime_upgrade_in_the_common_file_is_read_on_both_sides_and_touches_its_services(tmp_path):
    root, base = repository(tmp_path)
    head = commit(root, "nodejs18.x", "us-west-2")

    outcome = review(root, base, head)

    assert outcome.head is not None
    assert runtimes(outcome.head.functions) == {"eventsGet": "nodejs18.x", "membersGet": "nodejs18.x",
                                                "hello": "nodejs22.x"}
    assert runtimes(scan_revision(root, base, settings(root)).functions) == {
        "eventsGet": "nodejs16.x", "membersGet": "nodejs16.x", "hello": "nodejs22.x"}
    # the functions whose runtime the file writes, and the one that reads its region from it
    assert outcome.head.focused is not None
    assert {function.name for function in outcome.head.focused} == {"eventsGet", "membersGet", "hello"}
    assert focus_note(outcome.head) is None
    runtime_findings = [finding for finding in outcome.plan.new if finding.rule_id.startswith("LR10")]
    assert [(finding.path, finding.line) for finding in runtime_findings] == [("serverless.common.yml", 3)]


def test_a_change_to_another_key_of_the_common_file_keeps_the_runtime_finding_pre_existing(tmp_path):
    root, base = repository(tmp_path)
    head = commit(root, "nodejs16.x", "ca-central-1")

    outcome = review(root, base, head)

    assert outcome.head is not None
    assert runtimes(outcome.head.functions)["eventsGet"] == "nodejs16.x"
    # the base read the same runtime from the same file: nothing about it is new
    assert [finding.rule_id for finding in outcome.plan.new] == []
    assert any(finding.rule_id.startswith("LR10") and finding.path == "serverless.common.yml"
               for finding in outcome.plan.findings)
    # `hello` takes no runtime from the file, only its region: a change there touches it too
    assert outcome.head.focused is not None
    assert {function.name for function in outcome.head.focused} == {"eventsGet", "membersGet", "hello"}
