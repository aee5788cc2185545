"""Functions a template declares through `Fn::ForEach` (AWS::LanguageExtensions) are reviewed,
one per value of the loop, at the line of the loop's resource."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main

# A SAM app in the shape `sam build` now expands: one function per service folder, the names from
# a CommaDelimitedList parameter, the runtime inherited from Globals, and a nested loop of queues.
LOOPED = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform:
  - AWS::LanguageExtensions
  - AWS::Serverless-2016-10-31
Parameters:
  Services:
    Type: CommaDelimitedList
    Default: "Billing, Invoices"
Globals:
  Function:
    Runtime: python3.9
Resources:
  Fn::ForEach::Workers:
    - Service
    - !Ref Services
    - ${Service}Worker:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: ./workers/${Service}
          Handler: main.handler
          Environment:
            Variables:
              SERVICE_NAME: !Ref Service
          Events:
            Http:
              Type: Api
              Properties:
                Path: /&{Service}
                Method: post
  Fn::ForEach::Stages:
    - Stage
    - [blue, green]
    - Fn::ForEach::Kinds:
        - Kind
        - [Fast]
        - ${Stage}${Kind}Probe:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: nodejs22.x
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/probe
              Code: {ZipFile: "exports.handler = async () => 1;"}
  Fn::ForEach::FromElsewhere:
    - Name
    - !Split [",", !ImportValue shared-names]
    - ${Name}Lost:
        Type: AWS::Serverless::Function
        Properties: {CodeUri: ./lost, Handler: x.handler}
  Single:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./workers/Billing
      Handler: main.handler
"""


def _write(root: Path) -> None:
    (root / "template.yaml").write_text(LOOPED)
    for service in ("Billing", "Invoices"):
        (root / "workers" / service).mkdir(parents=True)
        (root / "workers" / service / "main.py").write_text("def handler(event, context):\n    return 1\n")


def _run(root: Path, *args: str) -> dict:
    out = io.StringIO()
    main([*args, str(root), "--format", "json", *(["--reference-date", "2026-11-22", "--fail-on", "never",
                                                   "--audit", "off"] if args[0] == "scan" else [])], stdout=out)
    return json.loads(out.getvalue())


def test_each_value_of_a_loop_is_one_function_at_the_loop_resource_line(tmp_path):
    _write(tmp_path)
    functions = {f["name"]: f for f in _run(tmp_path, "inventory")["functions"]}
    assert sorted(functions) == ["BillingWorker", "InvoicesWorker", "Single", "blueFastProbe", "greenFastProbe"]
    for service in ("Billing", "Invoices"):
        worker = functions[f"{service}Worker"]
        assert (worker["path"], worker["line"]) == ("template.yaml", 16)
        assert worker["runtime"] == "python3.9" and worker["declarations"]["Runtime"]["line"] == 11
        assert worker["code_path"] == f"workers/{service}"
    assert functions["greenFastProbe"]["line"] == 36 and functions["greenFastProbe"]["runtime"] == "nodejs22.x"


def test_a_looped_function_gets_its_own_route_and_environment(tmp_path):
    _write(tmp_path)
    findings = _run(tmp_path, "scan")["findings"]
    routes = sorted((f["function"], f["line"]) for f in findings if f["rule_id"] == "LR305")
    assert routes == [("BillingWorker", 25), ("InvoicesWorker", 25)]
    assert any("`POST /Invoices`" in f["message"] for f in findings if f["rule_id"] == "LR305")
    lr100 = [f for f in findings if f["rule_id"] == "LR100"]
    assert [(f["path"], f["line"]) for f in lr100] == [("template.yaml", 11)]


def test_the_loop_value_replaces_refs_to_the_identifier_and_an_unstated_collection_is_left_out(tmp_path):
    from reviewer.inventory import build_inventory
    from reviewer.workspace import Workspace

    _write(tmp_path)
    functions = {f.name: f for f in build_inventory(Workspace(tmp_path)).functions}
    assert functions["InvoicesWorker"].environment == {"SERVICE_NAME": "Invoices"}
    assert not any(name.endswith("Lost") for name in functions)   # names known only at deploy time
