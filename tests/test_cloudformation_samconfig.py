"""`sam deploy` passes the `parameter_overrides` of samconfig.toml (or .yaml) beside the template:
a runtime, an environment value or a name taken from `!Ref Param` is the value the `default`
environment passes, at the configuration's line, not the template's `Default`; another environment
that passes a different runtime is named in the runtime finding, and its runtime is judged at the
line that passes it: `sam deploy --config-env prod` deploys it."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.cloudformation.samconfig import _pairs
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "samconfig_overrides"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    return root


def _scan(root: Path) -> dict:
    out = io.StringIO()
    main(["scan", str(root), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return json.loads(out.getvalue())


def test_the_default_environment_override_is_the_deployed_runtime_at_its_line():
    functions = {f.name: f for f in build_inventory(Workspace(FIXTURE)).functions}
    save = functions["SaveEventsFunction"]
    assert save.runtime == "nodejs16.x"
    assert (save.locations["Runtime.Default"].path, save.locations["Runtime.Default"].line) == ("samconfig.toml", 10)
    assert save.runtime_by_environment == {"production": "nodejs22.x"}
    assert save.environment_defaults["TABLE_NAME"][0] == "dev_events"


def test_runtime_and_secret_findings_point_at_the_configuration(tmp_path):
    findings = _scan(FIXTURE)["findings"]
    runtime = [f for f in findings if f["rule_id"].startswith("LR1")]
    # the `production` environment's runtime is judged too, at its own line (nodejs22.x: deprecated in 144 days)
    assert [(f["rule_id"], f["path"], f["line"]) for f in runtime] == [
        ("LR100", "samconfig.toml", 10), ("LR102", "samconfig.toml", 17)]
    assert "`production` deploys `nodejs22.x`" in runtime[0]["message"]
    assert "the configuration's `production` environment deploys" in runtime[1]["message"]
    assert "NodeRuntime=\\\"nodejs24.x\\\"" in (runtime[0]["suggestion"] or "")   # the configuration's line
    secret = [f for f in findings if f["rule_id"] == "LR304"]
    assert [(f["path"], f["line"]) for f in secret] == [("samconfig.toml", 10)]
    assert secret[0]["message"].startswith("The value the SAM CLI configuration passes for the parameter")


def test_list_form_yaml_configuration_and_global_section(tmp_path):
    root = _copy(tmp_path)
    (root / "samconfig.toml").unlink()
    (root / "samconfig.yaml").write_text(
        "version: 0.1\n"
        "default:\n"
        "  global:\n"
        "    parameters:\n"
        "      parameter_overrides:\n"
        "        - Environment=dev\n"
        "        - NodeRuntime=nodejs18.x\n"
        "staging:\n"
        "  deploy:\n"
        "    parameters:\n"
        "      parameter_overrides: Environment=staging NodeRuntime=nodejs20.x\n")
    functions = {f.name: f for f in build_inventory(Workspace(root)).functions}
    save = functions["SaveEventsFunction"]
    assert save.runtime == "nodejs18.x"
    assert (save.locations["Runtime.Default"].path, save.locations["Runtime.Default"].line) == ("samconfig.yaml", 7)
    assert save.runtime_by_environment == {"staging": "nodejs20.x"}


def test_a_configuration_for_another_template_or_only_other_environments(tmp_path):
    root = _copy(tmp_path)
    text = (root / "samconfig.toml").read_text()
    (root / "samconfig.toml").write_text(text.replace('stack_name = "account-events"\nregion = "eu-west-2"\ncap',
                                                      'template_file = "pipeline.yaml"\nstack_name = "x"\ncap', 1))
    save = {f.name: f for f in build_inventory(Workspace(root)).functions}["SaveEventsFunction"]
    assert save.runtime == "nodejs22.x" and save.locations["Runtime.Default"].path == "template.yaml"
    assert save.runtime_by_environment == {}

    (root / "samconfig.toml").write_text(text.replace("[default.deploy.parameters]", "[dev.deploy.parameters]"))
    save = {f.name: f for f in build_inventory(Workspace(root)).functions}["SaveEventsFunction"]
    assert save.runtime == "nodejs22.x" and save.locations["Runtime.Default"].path == "template.yaml"
    assert save.runtime_by_environment == {"dev": "nodejs16.x"}


def test_a_configuration_that_does_not_parse_is_a_notice(tmp_path):
    root = _copy(tmp_path)
    (root / "samconfig.toml").write_text("[default.deploy.parameters\nparameter_overrides = 1\n")
    findings = _scan(root)["findings"]
    assert [(f["rule_id"], f["path"]) for f in findings if f["rule_id"] == "LR901"] == [("LR901", "samconfig.toml")]
    assert any(f["rule_id"] == "LR102" and f["path"] == "template.yaml" for f in findings)


def test_override_strings_are_read_as_the_sam_cli_reads_them():
    assert _pairs('A="x y" B=\'z\' ParameterKey=C,ParameterValue=w D=v\\"q') == [
        ("A", "x y"), ("B", "z"), ("C", "w"), ("D", 'v"q')]
    assert _pairs(["A=1", 'B="2"', 3]) == [("A", "1"), ("B", "2")]
    assert _pairs("stage-name=x =y A") == []


def test_a_loop_target_named_through_an_overridden_parameter_says_samconfig_passes_it(tmp_path):
    """`OUTPUT_STREAM: !Ref ClickStreamName`, whose template default (`clicks-dev`) names no
    stream of the template, but whose samconfig.toml override (`clicks`) names the stream that
    triggers the function: the loop says the name comes from that override, not from a default."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURE.parent / "samconfig_loop", root)
    loops = [f for f in _scan(root)["findings"] if f["rule_id"] == "LR201"]
    assert len(loops) == 1
    assert ("named by environment variable `OUTPUT_STREAM`, set to the value samconfig.toml's `parameter_overrides` "
            "passes for parameter ClickStreamName at `samconfig.toml:5`)") in loops[0]["message"]
    assert "the default of parameter" not in loops[0]["message"]
    (root / "samconfig.toml").unlink()
    assert not [f for f in _scan(root)["findings"] if f["rule_id"] == "LR201"]


def test_another_environment_s_deprecated_runtime_is_a_finding_at_its_line(tmp_path):
    """The `default` environment deploys a supported runtime and `production` a deprecated one:
    nothing was said, though `sam deploy --config-env production` deploys it. Its finding sits on
    the configuration's line for that environment, which its suggestion rewrites."""
    root = _copy(tmp_path)
    text = (root / "samconfig.toml").read_text()
    (root / "samconfig.toml").write_text(text.replace('NodeRuntime=\\"nodejs16.x\\"', 'NodeRuntime=\\"nodejs24.x\\"')
                                         .replace('"NodeRuntime=nodejs22.x"', '"NodeRuntime=nodejs18.x"'))
    runtime = [f for f in _scan(root)["findings"] if f["rule_id"].startswith("LR1")]
    assert [(f["rule_id"], f["path"], f["line"]) for f in runtime] == [("LR100", "samconfig.toml", 17)]
    assert runtime[0]["message"].startswith("`nodejs18.x` was deprecated")
    assert ("This is the runtime the configuration's `production` environment deploys (`sam deploy --config-env "
            "production`); its `default` environment deploys `nodejs24.x`.") in runtime[0]["message"]
    assert runtime[0]["suggestion"] == '    "NodeRuntime=nodejs24.x",'
