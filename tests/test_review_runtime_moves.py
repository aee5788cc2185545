"""A change that only moves where a runtime is written keeps its runtime findings pre-existing.

Seen on real history: a CDK app whose runtime was read from its committed synthesized template
came to write `runtime: lambda.Runtime.NODEJS_12_X` in the stack; the function's LR101 moved from
`template.yml` to the stack, changed fingerprint with its file, and was reported as new and
commented inline though the function kept the runtime it had. Here the runtime moves from a
constants module into the stack.
"""

from __future__ import annotations

from pathlib import Path

from scenario import first_commit, git

from reviewer.config import resolve_settings
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified

SETTINGS = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';

export const RUNTIME = lambda.Runtime.NODEJS_16_X;
"""

FUNCTION = """\
    new lambda.Function(this, '{name}', {{
      runtime: {runtime},
      handler: 'index.handler',
      code: lambda.Code.fromAsset('src'),
    }});
"""


def _stack(imports: str, functions: str) -> str:
    return f"""\
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {{ Construct }} from 'constructs';
{imports}
export class ApiStack extends cdk.Stack {{
  constructor(scope: Construct, id: string) {{
    super(scope, id);
{functions}  }}
}}
"""


def _app(root: Path) -> str:
    (root / "lib").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n', encoding="utf-8")
    (root / "src" / "index.js").write_text("exports.handler = async () => ({});\n", encoding="utf-8")
    (root / "lib" / "settings.ts").write_text(SETTINGS, encoding="utf-8")
    (root / "lib" / "stack.ts").write_text(
        _stack("import { RUNTIME } from './settings';\n", FUNCTION.format(name="Orders", runtime="RUNTIME")),
        encoding="utf-8")
    return first_commit(root)


def _inline(root: Path, *functions: tuple[str, str]) -> str:
    (root / "lib" / "settings.ts").unlink()
    body = "".join(FUNCTION.format(name=name, runtime=f"lambda.Runtime.{runtime}") for name, runtime in functions)
    (root / "lib" / "stack.ts").write_text(_stack("", body), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "inline the runtime")
    return git(root, "rev-parse", "HEAD").strip()


def _new(root: Path, base: str, head: str) -> list[tuple[str, str | None, str]]:
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, reference_date="2026-12-07", audit="off")
    outcome = review_change(root, settings, diff, base_rev=base, head_rev=head)
    assert any(finding.rule_id.startswith("LR10") for finding in outcome.plan.findings)
    return sorted((finding.rule_id, finding.function, finding.path) for finding in outcome.plan.new)


def test_a_runtime_constant_inlined_into_the_stack_keeps_its_finding_pre_existing(tmp_path: Path) -> None:
    base = _app(tmp_path)
    head = _inline(tmp_path, ("Orders", "NODEJS_16_X"))

    assert _new(tmp_path, base, head) == []


def test_a_function_added_on_the_moved_runtime_is_new(tmp_path: Path) -> None:
    base = _app(tmp_path)
    head = _inline(tmp_path, ("Orders", "NODEJS_16_X"), ("Refunds", "NODEJS_16_X"))

    assert ("LR100", "Refunds", "lib/stack.ts") in _new(tmp_path, base, head)


def test_a_runtime_changed_while_it_moves_is_new(tmp_path: Path) -> None:
    base = _app(tmp_path)
    head = _inline(tmp_path, ("Orders", "NODEJS_14_X"))

    assert [rule for rule, _, _ in _new(tmp_path, base, head) if rule.startswith("LR10")]
