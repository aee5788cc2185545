"""Invoke permissions a nested stack grants to a function another nested stack declares, through
the parameters the parent passes (fixtures/untrusted/nested-stacks: a functions stack, a
permissions stack given each function's ARN from the functions stack's outputs)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "untrusted" / "nested-stacks"


def _functions(root: Path) -> dict:
    return {function.name: function for function in build_inventory(Workspace(root)).functions}


def test_a_sibling_stack_s_permission_is_the_function_s_at_its_own_line(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "app")
    functions = _functions(tmp_path / "app")
    provision = functions["ProvisionTenantFunction"].permissions
    assert [(p.principal, p.location.path, p.location.line) for p in provision] == [
        ("apigateway.amazonaws.com", "nested/permissions.yaml", 16)]
    assert provision[0].source_arn and provision[0].qualifier is None
    metrics = functions["MetricsFunction"].permissions
    assert [p.principal for p in metrics] == ["elasticloadbalancing.amazonaws.com"]


def test_parameters_passed_round_a_cycle_of_templates_end(tmp_path):
    """a.yaml nests b.yaml and b.yaml nests a.yaml, each passing the other's parameter on."""
    (tmp_path / "a.yaml").write_text("""\
Transform: AWS::Serverless-2016-10-31
Parameters: {Target: {Type: String}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12}
  B:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: ./b.yaml, Parameters: {Target: !Ref Target}}
  Grant:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Target, Principal: apigateway.amazonaws.com}
""")
    (tmp_path / "b.yaml").write_text("""\
Transform: AWS::Serverless-2016-10-31
Parameters: {Target: {Type: String}}
Resources:
  A:
    Type: AWS::CloudFormation::Stack
    Properties: {TemplateURL: ./a.yaml, Parameters: {Target: !Ref Target}}
  Grant:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Target, Principal: apigateway.amazonaws.com}
""")
    functions = _functions(tmp_path)
    assert functions["Fn"].permissions == []        # nothing ever names Fn: the cycle ends, granting nothing
