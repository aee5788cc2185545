"""A review's base takes unchanged templates over from the head (reviewer.review.carry_over).

The repository mixes what real monorepos hold: three SAM stacks (one with a deprecated runtime
and a public function URL, one with a wildcard policy, one whose function writes to its own
bucket), a Terraform root calling a module in another folder, a CDK app whose stack imports a
construct from another file, and a Serverless service. Each test makes a pull request as real
commits and reviews it twice, with carry-over and with `LAMBDA_REVIEW_CARRY_OVER=0` (the path of
the earlier rounds): the outcome (which findings are new, which pre-existing, the gate) must be the
same, and the test checks what the base left out.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scenario import git

from reviewer.config import Settings, resolve_settings
from reviewer.review import carry_over
from reviewer.review import git as review_git
from reviewer.review.change import ReviewOutcome, review_change
from reviewer.review.diff import diff_map_from_unified

SAM_ALPHA = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.8
    Timeout: 10
Resources:
  AlphaOneFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/one
      FunctionUrlConfig:
        AuthType: NONE
  AlphaTwoFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/two
"""

SAM_BETA = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  BetaFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/fn
      Policies:
        - Statement:
            - Effect: Allow
              Action: "s3:*"
              Resource: "*"
"""

SAM_GAMMA = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  DropBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: gamma-drop
  GammaFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/fn
      Environment:
        Variables:
          DB_PASSWORD: hunter2-production
      Events:
        Dropped:
          Type: S3
          Properties:
            Bucket: !Ref DropBucket
            Events: s3:ObjectCreated:*
"""

BETA_INBOX = """\
      Events:
        Inbox:
          Type: S3
          Properties:
            Bucket: !Ref InboxBucket
            Events: s3:ObjectCreated:*
  InboxBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: beta-inbox
"""

HANDLER = "def handler(event, context):\n    return {'ok': True}\n"
WRITES_DROP = ("import boto3\n\ns3 = boto3.client('s3')\n\n\ndef handler(event, context):\n"
               "    s3.put_object(Bucket='gamma-drop', Key='copy', Body=b'x')\n")

TERRAFORM_MODULE = """\
variable "runtime" {
  type    = string
  default = "python3.12"
}

resource "aws_lambda_function" "this" {
  function_name = "billing-worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "app.handler"
  runtime       = var.runtime
  filename      = "${path.module}/build.zip"
}
"""

TERRAFORM_ROOT = """\
module "worker" {
  source  = "../../modules/worker"
  runtime = "python3.12"
}
"""

CDK_APP = """\
import aws_cdk as cdk

from stacks.api_stack import ApiStack

app = cdk.App()
ApiStack(app, "Api")
app.synth()
"""

CDK_STACK = """\
from aws_cdk import Stack
from constructs import Construct

from constructs_lib.worker import Worker


class ApiStack(Stack):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        Worker(self, "Worker")
"""

CDK_CONSTRUCT = """\
from aws_cdk import aws_lambda as _lambda
from constructs import Construct


class Worker(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        _lambda.Function(
            self, "WorkerFunction",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler="app.handler",
            code=_lambda.Code.from_asset("lambda/worker"),
        )
"""

SERVERLESS = """\
service: notifier
provider:
  name: aws
  runtime: python3.12
functions:
  notify:
    handler: handler.notify
"""

FILES = {
    "stacks/alpha/template.yaml": SAM_ALPHA,
    "stacks/alpha/src/one/app.py": HANDLER,
    "stacks/alpha/src/two/app.py": HANDLER,
    "stacks/beta/template.yaml": SAM_BETA,
    "stacks/beta/src/fn/app.py": HANDLER,
    "stacks/gamma/template.yaml": SAM_GAMMA,
    "stacks/gamma/src/fn/app.py": HANDLER,
    "infra/modules/worker/main.tf": TERRAFORM_MODULE,
    "infra/live/billing/main.tf": TERRAFORM_ROOT,
    "cdk/cdk.json": '{"app": "python3 app.py"}\n',
    "cdk/app.py": CDK_APP,
    "cdk/stacks/__init__.py": "",
    "cdk/stacks/api_stack.py": CDK_STACK,
    "cdk/constructs_lib/__init__.py": "",
    "cdk/constructs_lib/worker.py": CDK_CONSTRUCT,
    "cdk/lambda/worker/app.py": HANDLER,
    "services/notifier/serverless.yml": SERVERLESS,
    "services/notifier/handler.py": "def notify(event, context):\n    return None\n",
}


@pytest.fixture
def monorepo(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "monorepo"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root, git(root, "rev-parse", "HEAD").strip()


def commit(root: Path, changes: dict[str, str | None], renames: dict[str, str] | None = None) -> str:
    for old, new in (renames or {}).items():
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", old, new)
    for rel, text in changes.items():
        if text is None:
            git(root, "rm", "-q", rel)
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "head")
    return git(root, "rev-parse", "HEAD").strip()


class Recorded:
    """What the review's base left out (the plan), and whether it had to read the base in full."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.plans: list[carry_over.CarryOver | None] = []
        self.undone = False
        plan, carried = carry_over.plan_carry_over, carry_over.CarryOver.carried_fingerprints
        agrees = carry_over.CarryOver.base_agrees

        def recording_plan(*args, **kwargs):
            self.plans.append(plan(*args, **kwargs))
            return self.plans[-1]

        def recording_carried(this, head):
            fingerprints = carried(this, head)
            self.undone = self.undone or fingerprints is None
            return fingerprints

        def recording_agrees(this, base):
            agreed = agrees(this, base)
            self.undone = self.undone or not agreed
            return agreed

        monkeypatch.setattr(carry_over, "plan_carry_over", recording_plan)
        monkeypatch.setattr(carry_over.CarryOver, "carried_fingerprints", recording_carried)
        monkeypatch.setattr(carry_over.CarryOver, "base_agrees", recording_agrees)

    @property
    def hidden(self) -> frozenset[str]:
        return self.plans[-1].hidden if self.plans and self.plans[-1] is not None else frozenset()


def settings(root: Path) -> Settings:
    return resolve_settings(root, None, reference_date="2026-01-01")


def review(root: Path, base: str, head: str | None) -> ReviewOutcome:
    """`head` None: the checkout is the head, as the action reviews it."""
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head or "HEAD"))
    return review_change(root, settings(root), diff, base_rev=base, head_rev=head)


def outcome_of(outcome: ReviewOutcome) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], str]:
    def key(finding):
        return (finding.fingerprint, finding.rule_id, finding.path)
    return (sorted(map(key, outcome.plan.new)), sorted(map(key, outcome.plan.existing)), outcome.plan.conclusion)


def both_ways(root: Path, base: str, head: str | None, monkeypatch: pytest.MonkeyPatch) -> tuple[ReviewOutcome, Recorded]:
    """The review with carry-over, checked against the same review without it."""
    monkeypatch.setenv(carry_over.SWITCH, "0")
    without = review(root, base, head)
    monkeypatch.setenv(carry_over.SWITCH, "1")
    recorded = Recorded(monkeypatch)
    with_carry_over = review(root, base, head)
    assert outcome_of(with_carry_over) == outcome_of(without)
    assert [f.to_json() for f in with_carry_over.plan.findings] == [f.to_json() for f in without.plan.findings]
    return with_carry_over, recorded


SAM_TEMPLATES = {"stacks/alpha/template.yaml", "stacks/beta/template.yaml", "stacks/gamma/template.yaml"}


def test_code_changed_under_an_unchanged_template_is_read_on_both_sides(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"stacks/alpha/src/one/app.py": HANDLER + "\n\ndef run(cmd):\n    import subprocess\n"
                         "    return subprocess.call(cmd, shell=True)\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    # Alpha's template did not change, but a function it declares did: alpha is read on both sides.
    assert "stacks/alpha/template.yaml" not in recorded.hidden
    assert {"stacks/beta/template.yaml", "stacks/gamma/template.yaml", "stacks/beta/src/fn",
            "stacks/gamma/src/fn"} <= recorded.hidden
    assert not recorded.undone
    assert "bandit/B602" in {finding.rule_id for finding in outcome.plan.new}


def test_a_pre_existing_finding_of_an_unchanged_template_stays_pre_existing(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"stacks/beta/src/fn/app.py": HANDLER + "# reviewed\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert {"stacks/alpha/template.yaml", "stacks/gamma/template.yaml"} <= recorded.hidden
    carried = {(finding.rule_id, finding.path) for finding in outcome.plan.existing}
    # python3.8 (LR1xx), the public URL (LR302), the plain secret (LR304): carried from the head.
    assert any(rule.startswith("LR1") and path == "stacks/alpha/template.yaml" for rule, path in carried)
    assert ("LR302", "stacks/alpha/template.yaml") in carried
    assert ("LR304", "stacks/gamma/template.yaml") in carried
    assert outcome.plan.new == []


def test_a_finding_fixed_in_the_template_and_one_added_elsewhere(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {
        "stacks/beta/template.yaml": SAM_BETA.replace('Action: "s3:*"', 'Action: "s3:GetObject"'),
        "stacks/gamma/template.yaml": SAM_GAMMA.replace("python3.12", "python3.8"),
    })

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert recorded.hidden & SAM_TEMPLATES == {"stacks/alpha/template.yaml"}
    assert not any(finding.rule_id == "LR300" for finding in outcome.plan.findings)
    assert {finding.path for finding in outcome.plan.new} == {"stacks/gamma/template.yaml"}


def test_a_terraform_module_file_that_a_root_elsewhere_calls(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"infra/modules/worker/main.tf": TERRAFORM_MODULE.replace("var.runtime", '"python3.8"')})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    # Terraform is never carried over: its roots and modules are read on both sides.
    assert not any(entry.startswith("infra/") for entry in recorded.hidden)
    assert SAM_TEMPLATES <= recorded.hidden
    assert any(finding.path.startswith("infra/") and finding.rule_id.startswith("LR1")
               for finding in outcome.plan.new)


def test_a_cdk_stack_importing_a_changed_construct_file(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"cdk/constructs_lib/worker.py": CDK_CONSTRUCT.replace("PYTHON_3_12", "PYTHON_3_8")})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert not any(entry.startswith("cdk/") for entry in recorded.hidden)
    assert SAM_TEMPLATES <= recorded.hidden
    assert any(finding.path == "cdk/constructs_lib/worker.py" for finding in outcome.plan.new)


def test_renamed_template_and_renamed_code_directory(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"stacks/beta/template.yaml": SAM_BETA.replace("src/fn", "src/handler")},
                  renames={"stacks/gamma/template.yaml": "stacks/gamma/stack.yaml",
                           "stacks/beta/src/fn/app.py": "stacks/beta/src/handler/app.py"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    # Renamed on either side: read on both; only alpha stands still.
    assert recorded.hidden & SAM_TEMPLATES == {"stacks/alpha/template.yaml"}
    assert "stacks/gamma/stack.yaml" not in recorded.hidden
    # The renamed template's findings are the base's (reviewer.review.renames): pre-existing, not new.
    assert any(finding.path == "stacks/gamma/stack.yaml" for finding in outcome.plan.existing)
    assert not any(finding.path == "stacks/gamma/stack.yaml" for finding in outcome.plan.new)


def test_the_action_checkout_as_head_with_an_untracked_file_in_a_code_directory(monorepo, monkeypatch):
    root, base = monorepo
    commit(root, {"stacks/alpha/src/two/app.py": HANDLER + "# tidy\n"})
    # Left in the checkout by an earlier step of the workflow: never committed, yet the head reads it.
    (root / "stacks/beta/src/fn/generated.py").write_text("import pickle\n\nload = pickle.loads\n", encoding="utf-8")

    outcome, recorded = both_ways(root, base, None, monkeypatch)

    assert "stacks/gamma/template.yaml" in recorded.hidden
    assert "stacks/beta/template.yaml" not in recorded.hidden and "stacks/beta/src/fn" not in recorded.hidden
    assert outcome.plan.conclusion in ("success", "neutral", "failure")


def test_a_loop_through_an_unchanged_template_keeps_that_template_in_the_base(monorepo, monkeypatch):
    root, base = monorepo
    # Gamma's function writes to beta's inbox bucket, whose events invoke beta's function; the pull
    # request makes beta's handler write to gamma's bucket, closing a loop through gamma's unchanged
    # template and code.
    (root / "stacks/gamma/src/fn/app.py").write_text(WRITES_DROP.replace("gamma-drop", "beta-inbox"), encoding="utf-8")
    (root / "stacks/beta/template.yaml").write_text(SAM_BETA + BETA_INBOX, encoding="utf-8")
    git(root, "commit", "-q", "-am", "gamma feeds beta")
    base = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, {"stacks/beta/src/fn/app.py": WRITES_DROP})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    [loop] = [finding for finding in outcome.plan.new if finding.loop is not None]
    assert any(edge.location.path.startswith("stacks/gamma/") for edge in loop.loop.edges)
    # The head's recursion walk reached gamma's function: gamma is read on both sides, and the
    # base is read once (before, it was carried over and the base read again in full).
    assert "stacks/gamma/template.yaml" not in recorded.hidden and "stacks/gamma/src/fn" not in recorded.hidden
    assert "stacks/alpha/template.yaml" in recorded.hidden
    assert not recorded.undone


def test_a_loop_found_only_after_the_plan_still_reads_the_base_in_full(monorepo, monkeypatch):
    """The plan's prediction of what the head reports on is a shortcut: when it misses (here it is
    made to miss), the head's loop through a carried template still undoes the carrying over."""
    root, base = monorepo
    (root / "stacks/gamma/src/fn/app.py").write_text(WRITES_DROP.replace("gamma-drop", "beta-inbox"), encoding="utf-8")
    (root / "stacks/beta/template.yaml").write_text(SAM_BETA + BETA_INBOX, encoding="utf-8")
    git(root, "commit", "-q", "-am", "gamma feeds beta")
    base = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, {"stacks/beta/src/fn/app.py": WRITES_DROP})
    monkeypatch.setattr(carry_over, "_reached_by_focus", lambda *args: set())

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert "stacks/gamma/template.yaml" in recorded.hidden and recorded.undone


def test_templates_that_reuse_a_function_name(monorepo, monkeypatch):
    root, base = monorepo
    # A fourth stack copied from the same starter: its function has gamma's logical id.
    (root / "stacks/delta/src/fn").mkdir(parents=True)
    (root / "stacks/delta/template.yaml").write_text(SAM_GAMMA.replace("gamma-drop", "delta-drop"), encoding="utf-8")
    (root / "stacks/delta/src/fn/app.py").write_text(HANDLER, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "delta")
    base = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, {"stacks/delta/src/fn/app.py": HANDLER + "\n\ndef load(blob):\n    import pickle\n"
                         "    return pickle.loads(blob)\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    # bandit and the audit choose files by the names of the touched functions: gamma's
    # GammaFunction, named like delta's touched one, is read on both sides, and the base once.
    assert "stacks/gamma/template.yaml" not in recorded.hidden and "stacks/delta/template.yaml" not in recorded.hidden
    assert {"stacks/alpha/template.yaml", "stacks/beta/template.yaml"} <= recorded.hidden
    assert not recorded.undone
    assert ("LR304", "stacks/delta/template.yaml") in {(f.rule_id, f.path) for f in outcome.plan.existing}
    assert any(finding.path == "stacks/delta/src/fn/app.py" for finding in outcome.plan.new)


def test_an_engine_finding_under_a_function_named_like_the_touched_one(monorepo, monkeypatch):
    """The mixed bench tree's case: stacks copied from one starter reuse function names, bandit
    reads the code of every function named like a touched one, and finds something there. The
    template of that function stays in the base, which is then read once, not twice."""
    root, base = monorepo
    risky = HANDLER + "\n\ndef digest(data):\n    import hashlib\n    return hashlib.md5(data).hexdigest()\n"
    (root / "stacks/delta/src/fn").mkdir(parents=True)
    (root / "stacks/delta/template.yaml").write_text(SAM_GAMMA.replace("gamma-drop", "delta-drop"), encoding="utf-8")
    (root / "stacks/delta/src/fn/app.py").write_text(HANDLER, encoding="utf-8")
    (root / "stacks/gamma/src/fn/app.py").write_text(risky, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "delta, and a digest in gamma")
    base = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, {"stacks/delta/src/fn/app.py": HANDLER + "# reviewed\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert ("bandit/B324", "stacks/gamma/src/fn/app.py") in {(f.rule_id, f.path) for f in outcome.plan.existing}
    assert "stacks/gamma/template.yaml" not in recorded.hidden and "stacks/gamma/src/fn" not in recorded.hidden
    assert "stacks/beta/template.yaml" in recorded.hidden
    assert not recorded.undone


SAM_LAYERED = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  SharedLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layers/shared
    Metadata:
      BuildMethod: python3.12
  LookupFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/lookup
      Layers:
        - !Ref SharedLayer
      Events:
        Get:
          Type: Api
          Properties: {Path: /lookup, Method: get}
"""
LOOKUP = ("from fetching import fetch\n\n\ndef handler(event, context):\n"
          "    return fetch(event['queryStringParameters']['source'])\n")
FETCH_PINNED = "import requests\n\n\ndef fetch(source):\n    return requests.get('https://example.com/', timeout=5).text\n"
FETCH_ANY = "import requests\n\n\ndef fetch(source):\n    return requests.get(source, timeout=5).text\n"


def _add_layered_stack(root: Path, fetch_module: str) -> str:
    """A fourth stack whose function imports its helpers from a layer the template builds."""
    for rel, text in {"stacks/delta/template.yaml": SAM_LAYERED, "stacks/delta/src/lookup/app.py": LOOKUP,
                      "stacks/delta/layers/shared/fetching.py": fetch_module}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "delta with a layer")
    return git(root, "rev-parse", "HEAD").strip()


def test_a_change_in_a_layer_keeps_the_functions_importing_it_in_the_base(monorepo, monkeypatch):
    root, _ = monorepo
    base = _add_layered_stack(root, FETCH_PINNED)
    head = commit(root, {"stacks/delta/layers/shared/fetching.py": FETCH_ANY})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    # Neither the template nor the code folder changed, but the layer its handler imports did.
    assert "stacks/delta/template.yaml" not in recorded.hidden
    assert not any(entry.startswith("stacks/delta/") for entry in recorded.hidden)
    assert SAM_TEMPLATES <= recorded.hidden
    assert any(finding.path == "stacks/delta/layers/shared/fetching.py" for finding in outcome.plan.new)


def test_an_unchanged_layer_is_carried_over_with_its_template(monorepo, monkeypatch):
    root, _ = monorepo
    base = _add_layered_stack(root, FETCH_ANY)
    head = commit(root, {"stacks/beta/src/fn/app.py": HANDLER + "# reviewed\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert {"stacks/delta/template.yaml", "stacks/delta/src/lookup", "stacks/delta/layers/shared"} <= recorded.hidden
    assert not recorded.undone
    assert outcome.plan.new == []


def test_a_layer_another_stack_also_builds_from_stays_in_the_base(monorepo, monkeypatch):
    root, _ = monorepo
    _add_layered_stack(root, FETCH_ANY)
    # A second stack builds its layer from delta's folder; the pull request touches its function.
    (root / "stacks/epsilon/src/lookup").mkdir(parents=True)
    (root / "stacks/epsilon/template.yaml").write_text(
        SAM_LAYERED.replace("layers/shared", "../delta/layers/shared").replace("LookupFunction", "SearchFunction"),
        encoding="utf-8")
    (root / "stacks/epsilon/src/lookup/app.py").write_text(LOOKUP, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "epsilon shares delta's layer")
    base = git(root, "rev-parse", "HEAD").strip()
    head = commit(root, {"stacks/epsilon/src/lookup/app.py": LOOKUP + "# reviewed\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert not any(entry.startswith(("stacks/delta/", "stacks/epsilon/")) for entry in recorded.hidden)
    assert SAM_TEMPLATES <= recorded.hidden
    assert not recorded.undone


def test_switched_off_reads_the_base_in_full(monorepo, monkeypatch):
    root, base = monorepo
    head = commit(root, {"stacks/beta/src/fn/app.py": HANDLER + "# reviewed\n"})
    monkeypatch.setenv(carry_over.SWITCH, "0")
    recorded = Recorded(monkeypatch)

    review(root, base, head)

    assert recorded.plans == []


def test_a_checkout_below_the_top_of_its_repository_is_not_compared(monorepo, tmp_path):
    root, base = monorepo
    with pytest.raises(review_git.GitError):
        review_git.changed_in_checkout(root / "stacks", base)
    shutil.rmtree(root / "services")
    assert {"services/notifier/serverless.yml", "services/notifier/handler.py"} <= \
        review_git.changed_in_checkout(root, base)


def test_recorded_paths_reach_nested_places_but_not_raw_values():
    """What the plan checks a carried function against: every Location it holds, however nested,
    and none of the values written in the template (`properties`, `environment`, trigger attributes)."""
    from reviewer.inventory.carry_over import recorded_paths
    from reviewer.model import Function, Location, Trigger

    function = Function(
        name="F", format="sam", location=Location("stacks/a/template.yaml", 3),
        triggers=[Trigger("sqs", Location("stacks/a/events.yaml", 9),
                          attributes={"declared": Location("stacks/raw/attribute.yaml", 1)})],
        locations={"Runtime": Location("stacks/a/globals.yaml", 5)},
        properties={"Nested": [Location("stacks/raw/property.yaml", 1)]},
        environment={"X": Location("stacks/raw/environment.yaml", 1)},
    )
    assert recorded_paths(function) == {"stacks/a/template.yaml", "stacks/a/events.yaml", "stacks/a/globals.yaml"}


def test_a_template_whose_sam_configuration_changed_is_read_on_both_sides(monorepo, monkeypatch):
    """Deleting samconfig.toml changes the runtime `sam deploy` passes to an unchanged template:
    the base must read that template with its configuration, not take the head's findings."""
    root, _ = monorepo
    template = SAM_BETA.replace("Resources:", "Parameters:\n  PyRuntime:\n    Type: String\n"
                                              "    Default: python3.12\nResources:").replace(
        "Runtime: python3.12", "Runtime: !Ref PyRuntime")
    base = commit(root, {"stacks/beta/template.yaml": template,
                         "stacks/beta/samconfig.toml": "version = 0.1\n[default.deploy.parameters]\n"
                                                       'parameter_overrides = "PyRuntime=python3.8"\n'})
    head = commit(root, {"stacks/beta/samconfig.toml": None})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert "stacks/beta/template.yaml" not in recorded.hidden
    assert "stacks/gamma/template.yaml" in recorded.hidden
    assert not any(finding.rule_id.startswith("LR1") and "beta" in finding.path for finding in outcome.plan.findings)


SAM_ROOT_NESTING = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Catalog:
    Type: AWS::Serverless::Application
    Properties:
      Location: catalog.yaml
  Basket:
    Type: AWS::Serverless::Application
    Properties:
      Location: basket.yaml
      Parameters:
        Origin: "https://shop.example.com"
"""
SAM_NESTED_CHILD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Origin:
    Type: String
    Default: "*"
Resources:
  ListItemsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.8
      Handler: app.handler
      CodeUri: catalog/src/
      Events:
        List:
          Type: Api
          Properties: {Path: /items, Method: get}
"""


def test_a_nested_template_stays_in_the_base_its_parent_reads_it_from(monorepo, monkeypatch):
    """aws-sam-nested-stack-sample's shape: a root template nests one template per service. The
    root is read on both sides, and it reads its children whatever the base's listing leaves out:
    a child carried over came back in the base, which was then read a second time in full."""
    root, _ = monorepo
    base = commit(root, {"shop/template.yml": SAM_ROOT_NESTING,
                         "shop/catalog.yaml": SAM_NESTED_CHILD, "shop/catalog/src/app.py": HANDLER,
                         "shop/basket.yaml": SAM_NESTED_CHILD.replace("ListItems", "ListBasket").replace("catalog/", "basket/"),
                         "shop/basket/src/app.py": HANDLER})
    head = commit(root, {"stacks/beta/src/fn/app.py": HANDLER + "# reviewed\n"})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert not any(entry.startswith("shop/") for entry in recorded.hidden)
    assert {"stacks/alpha/template.yaml", "stacks/gamma/template.yaml"} <= recorded.hidden
    assert not recorded.undone
    assert any(finding.path == "shop/catalog.yaml" for finding in outcome.plan.existing)
    assert outcome.plan.new == []


TERRAFORM_BUILT_BY_CI = """\
resource "aws_sqs_queue" "exports" {
  name = "exports"
}

resource "aws_lambda_function" "exporter" {
  function_name = "exporter"
  role          = "arn:aws:iam::123456789012:role/exporter"
  handler       = "export_job.handler"
  runtime       = "python3.12"
  filename      = "build/exporter.zip"
}

resource "aws_lambda_event_source_mapping" "exports" {
  event_source_arn = aws_sqs_queue.exports.arn
  function_name    = aws_lambda_function.exporter.arn
}
"""


def test_a_package_built_elsewhere_is_looked_for_among_carried_folders_too(monorepo, monkeypatch):
    """A Terraform function whose zip CI builds (`filename` not in the repository) is read from the
    one module of its handler's name, when there is one. Two SAM stacks ship a module of that name:
    neither is the exporter's, on either side. The base left alpha's code folder out of its listing
    and found beta's module alone: the exporter then had code in the base and none in the head, and
    its LR206 notice (code not read) counted as new."""
    root, _ = monorepo
    base = commit(root, {"infra/live/exports/main.tf": TERRAFORM_BUILT_BY_CI,
                         "stacks/alpha/src/one/export_job.py": HANDLER, "stacks/beta/src/fn/export_job.py": HANDLER})
    head = commit(root, {"stacks/beta/src/fn/app.py": HANDLER + "# reviewed\n",
                         "infra/live/exports/main.tf": TERRAFORM_BUILT_BY_CI.replace(
                             '  runtime       = "python3.12"\n', '  runtime       = "python3.12"\n  timeout       = 60\n')})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert "stacks/alpha/src/one" in recorded.hidden and not recorded.undone
    assert ("LR206", "infra/live/exports/main.tf") in {(f.rule_id, f.path) for f in outcome.plan.existing}


def test_a_removed_function_named_like_a_carried_one_keeps_the_base_read_once(monorepo, monkeypatch):
    """sessions-with-aws-sam's shape: examples copied from one starter name their functions alike,
    and the change removes one example. Its base findings name a function a carried template also
    declares: they are placed by their paths, and the base is not read a second time."""
    root, _ = monorepo
    base = commit(root, {"stacks/delta/template.yaml": SAM_GAMMA.replace("gamma-drop", "delta-drop"),
                         "stacks/delta/src/fn/app.py": HANDLER})
    head = commit(root, {"stacks/delta/template.yaml": None, "stacks/delta/src/fn/app.py": None})

    outcome, recorded = both_ways(root, base, head, monkeypatch)

    assert "stacks/gamma/template.yaml" in recorded.hidden and not recorded.undone
    assert outcome.plan.new == []
