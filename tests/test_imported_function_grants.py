"""A change to a permission a template gives a function of another stack, named through
`Fn::ImportValue`, is not "none of the functions' templates".

The fixture is a multi-stack app: `functions/template.yaml` declares the order service's functions
and exports their ARNs under `${AWS::StackName}-...`; `api/template.yaml` grants API Gateway the
right to invoke them, importing the ARN with the functions stack's name as a parameter; and
`api/payments.yaml` grants it for a payments function that another repository deploys.
"""

from __future__ import annotations

from pathlib import Path

from scenario import committed_copy, git

from reviewer.config import resolve_settings
from reviewer.model import Function, Location
from reviewer.inventory.cloudformation.imported_functions import _name_key
from reviewer.review import git as review_git
from reviewer.review.change import review_change
from reviewer.review.diff import diff_map_from_unified

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "multi-stack-exports"


def _review(tmp_path: Path, old: str, new: str, template: str = "api/template.yaml"):
    root, base = committed_copy(FIXTURE, tmp_path / "orders")
    api = root / template
    text = api.read_text(encoding="utf-8")
    assert old in text
    api.write_text(text.replace(old, new), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Narrow the API's invoke permission")
    head = git(root, "rev-parse", "HEAD").strip()
    diff = diff_map_from_unified(review_git.unified_diff(root, base, head))
    settings = resolve_settings(root, None, audit="off", reference_date="2026-12-08")
    return review_change(root, settings, diff, base_rev=base, head_rev=head)


def test_a_permission_on_an_exported_function_touches_that_function(tmp_path):
    outcome = _review(tmp_path, "/*/POST/orders", "/prod/POST/orders")

    assert [function.name for function in outcome.head.focused or []] == ["OrdersFunction"]
    orders = next(function for function in outcome.head.functions if function.name == "OrdersFunction")
    assert [(permission.principal, permission.location.path) for permission in orders.permissions] == [
        ("apigateway.amazonaws.com", "api/template.yaml")]
    assert not any(note.startswith("This change touches none") for note in outcome.facts.notes)


def test_a_permission_on_a_function_of_another_repository_is_said_as_such(tmp_path):
    outcome = _review(tmp_path, "/*/POST/payments", "/prod/POST/payments", "api/payments.yaml")

    note = next(note for note in outcome.facts.notes if note.startswith("This change touches none"))
    assert note.startswith(
        "This change touches none of the 2 functions' code, templates or dependency files; it edits a permission "
        "at api/payments.yaml:13 of a function imported as payments-service-PaymentsFunctionArn "
        "with Fn::ImportValue, declared in another stack, which this review does not read, so ")


def test_an_imported_name_is_prose_in_the_note_whatever_it_holds():
    from reviewer.model import ImportedGrant
    from reviewer.publish.render import note
    from reviewer.wording import sentence

    said = note(sentence("notes.txt.j2", "focus_on_nothing", total=2, python=False,
                         imported=(ImportedGrant("permission", "api/t.yaml", 7, "x`y [a](http://e) <b>"),)))
    assert "imported as x\\`y \\[a\\]\\(http:" in said and "&lt;b&gt; with Fn::ImportValue, declared" in said


def test_export_names_match_around_their_variables_only():
    assert _name_key({"Fn::Sub": "${AWS::StackName}-OrdersFunctionArn"}) == _name_key(
        {"Fn::Sub": ["${FunctionsStackName}-OrdersFunctionArn", {}]})
    assert _name_key({"Fn::Sub": "${AWS::StackName}-OrdersFunctionArn"}) != _name_key("orders-OrdersFunctionArn")
    assert _name_key({"Fn::Sub": "${!Literal}-Arn"}) == "${Literal}-Arn"
    assert _name_key({"Fn::Sub": "${AWS::StackName}"}) is None      # only a variable: it names anything
    assert _name_key({"Fn::Sub": "${Stage}-${FunctionName}"}) is None
    assert _name_key({"Fn::Join": ["-", ["a", "b"]]}) is None


def test_a_topic_subscription_by_import_is_a_grant_and_a_rule_target_only_when_exported_by_a_function():
    from reviewer.located import load_yaml
    from reviewer.inventory.cloudformation.imported_functions import attach_imported_grants

    events = load_yaml("""\
Resources:
  OrdersTopicSubscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: lambda
      TopicArn: !Ref OrdersTopic
      Endpoint: !ImportValue billing-service-InvoiceFunctionArn
  NightlyRule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets:
        - Id: Invoices
          Arn: !ImportValue billing-service-InvoiceFunctionArn
""")
    grants = attach_imported_grants({"events/template.yaml": events}, [])
    # A rule's target named by import may be a queue or a state machine: not said to be a function.
    assert [(grant.kind, grant.line, grant.name) for grant in grants] == [
        ("subscription", 7, "billing-service-InvoiceFunctionArn")]
    invoices = Function("InvoiceFunction", "sam", Location("billing/template.yaml", 5))
    billing = load_yaml("""\
Resources:
  InvoiceFunction:
    Type: AWS::Serverless::Function
Outputs:
  InvoiceFunctionArn:
    Value: !GetAtt InvoiceFunction.Arn
    Export:
      Name: billing-service-InvoiceFunctionArn
""")
    assert attach_imported_grants({"events/template.yaml": events, "billing/template.yaml": billing}, [invoices]) == []
    assert invoices.declaration_inputs == ("events/template.yaml",)


def test_a_linked_permission_s_principal_given_by_a_parameter_is_its_default():
    from reviewer.located import load_yaml
    from reviewer.inventory.cloudformation.imported_functions import attach_imported_grants

    orders = Function("OrdersFunction", "sam", Location("functions/template.yaml", 4))
    functions = load_yaml("""\
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
Outputs:
  OrdersFunctionArn:
    Value: !Ref OrdersFunction
    Export:
      Name: !Sub "${AWS::StackName}-OrdersFunctionArn"
""")
    api = load_yaml("""\
Parameters:
  Invoker:
    Type: String
    Default: apigateway.amazonaws.com
Resources:
  OrdersInvokePermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !ImportValue
        Fn::Sub: "${FunctionsStack}-OrdersFunctionArn"
      Principal: !Ref Invoker
""")
    attach_imported_grants({"functions/template.yaml": functions, "api/template.yaml": api}, [orders])
    assert [(permission.principal, permission.location) for permission in orders.permissions] == [
        ("apigateway.amazonaws.com", Location("api/template.yaml", 12))]


def test_a_resource_type_written_as_anything_but_text_is_no_grant_and_stops_nothing(tmp_path):
    """A template's `Type: !Ref Kind` (aws-cloudformation-templates has such odd resources) is read
    past: the linking of grants by import once raised on it, and every template's functions were
    lost with it."""
    import io
    import json

    from reviewer.cli import main

    root = tmp_path / "repo"
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "template.yaml").write_text((FIXTURE / "functions" / "template.yaml").read_text())
    (root / "odd.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Kind: {Type: String}\nResources:\n"
        "  Thing:\n    Type: !Ref Kind\n    Properties: {FunctionName: !ImportValue orders-OrdersFunctionArn}\n"
        "  Other:\n    Type: [AWS::Lambda::Permission]\n")
    out = io.StringIO()
    main(["scan", str(root), "--audit", "off", "--format", "json", "--fail-on", "never"], stdout=out)
    report = json.loads(out.getvalue())
    assert [function["name"] for function in report["functions"]]
    assert not [finding for finding in report["findings"] if finding["rule_id"] in ("LR900", "LR901")]
