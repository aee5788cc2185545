"""LR306 and the fields the invoking service writes (fixtures/untrusted/service-fields: a shop whose
user pool's custom message trigger fills in Cognito's placeholders, an S3 thumbnail job, an SQS
order worker and a status page behind API Gateway)."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.analyzers.service_fields import field_keys, written_by
from reviewer.analyzers.untrusted_writers import EventWriter, event_writer, function_sources
from reviewer.code.taint_common import MAX_MIXED, Flow, join
from reviewer.model import Function, FunctionUrl, InvokePermission, Location, Trigger
from tests.test_untrusted_input import FIXTURES, marks, scan

HERE = Location("template.yaml", 1)


def _findings(tmp_path: Path) -> dict[tuple[str, int], dict]:
    root = tmp_path / "shop"
    shutil.copytree(FIXTURES / "service-fields", root)
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def _flow(field: str, via: str = "") -> Flow:
    return Flow(field, "app.py", 1, via=via)


def test_the_fields_a_service_writes_give_no_finding_and_the_data_beside_them_does(tmp_path):
    found = _findings(tmp_path)
    wanted, unwanted = marks(FIXTURES / "service-fields")
    assert set(found) == wanted
    assert not set(found) & unwanted


def test_a_value_that_mixes_a_placeholder_with_the_user_s_name_names_the_name(tmp_path):
    message = _findings(tmp_path)[("messages/custom_message.js", 8)]
    assert message["severity"] == "error"
    assert "`event.userName`" in message["message"] and "codeParameter" not in message["message"]


def test_the_caller_s_source_ip_stays_an_error(tmp_path):
    assert _findings(tmp_path)[("status/status.js", 4)]["severity"] == "error"


def test_a_path_is_read_strictly():
    assert field_keys(_flow("event['Records'][0]['s3']['bucket']['name']")) == ["records", "s3", "bucket", "name"]
    assert field_keys(_flow("event?.request?.codeParameter")) == ["request", "codeparameter"]
    assert field_keys(_flow("event['Records']", ".s3.bucket.name")) == ["records", "s3", "bucket", "name"]
    assert field_keys(_flow('event.get("requestContext").get("stage")')) == ["requestcontext", "stage"]
    assert field_keys(_flow("event[name].userPoolId")) is None          # a computed key
    assert field_keys(_flow("event.requestContext.stage…")) is None     # a field cut short
    assert field_keys(_flow("decode(event).region")) is None


def test_every_source_must_write_the_field():
    bucket = _flow("event.Records[0].s3.bucket.name")
    assert written_by({"s3"}, bucket)
    assert not written_by({"s3", "sqs"}, bucket)
    assert not written_by(set(), bucket)
    assert not written_by({"s3"}, _flow("event.Records[0].s3.object.key"))
    assert not written_by({"s3"}, _flow("event.Records[0].s3"))          # the object's key is in it
    assert written_by({"cognito"}, _flow("event.request.usernameParameter"))
    assert written_by({"cognito"}, _flow("event.callerContext.clientId"))
    assert not written_by({"cognito"}, _flow("event.request.userAttributes.email"))
    assert not written_by({"api"}, _flow("event.requestContext.identity.sourceIp"))
    assert written_by({"api"}, _flow("event.requestContext.requestId"))
    assert written_by({"sns"}, _flow("event.Records[0].Sns.TopicArn"))
    assert not written_by({"sns"}, _flow("event.Records[0].Sns.Message"))


def test_a_function_s_sources_are_known_only_when_each_invoker_is():
    def function(*triggers: tuple[str, str], principals: tuple[str, ...] = (), url: bool = False) -> Function:
        return Function("Fn", "cloudformation", HERE,
                        triggers=[Trigger(kind, HERE, attributes={"type": type_}) for kind, type_ in triggers],
                        permissions=[InvokePermission(principal, HERE) for principal in principals],
                        url=FunctionUrl("NONE", HERE) if url else None)

    assert function_sources(function(("s3", "S3"))) == {"s3"}
    assert function_sources(function(("other", "Cognito"))) == {"cognito"}
    assert function_sources(function(principals=("cognito-idp.amazonaws.com",))) == {"cognito"}
    assert function_sources(function(("sqs", "SQS"), url=True)) == {"sqs", "api"}
    assert function_sources(function(("other", "AppSync"), principals=("cognito-idp.amazonaws.com",))) is None
    assert function_sources(function(("api", "alb"))) is None
    assert function_sources(function(principals=("events.amazonaws.com",))) is None
    assert function_sources(function()) is None

    functions = {"Pool": function(principals=("cognito-idp.amazonaws.com",)), "Direct": function()}
    code = _flow("event.request.codeParameter")
    assert event_writer(code, ["Pool"], functions) is EventWriter.AWS
    assert event_writer(code, ["Pool", "Direct"], functions) is EventWriter.CALLER
    assert event_writer(code, [], functions) is EventWriter.CALLER


def test_a_value_keeps_the_other_event_data_it_holds():
    bucket, key = _flow("event['Records']", ".s3.bucket.name"), _flow("event['Records']", ".s3.object.key")
    both = join(bucket, key)
    assert both is not None and both.field == bucket.field and both.via == bucket.via
    assert both.mixed == (key,) and join(both, key) == both
    many = bucket
    for index in range(MAX_MIXED + 1):
        many = join(many, _flow(f"event['f{index}']"))
    assert many is not None and len(many.mixed) == MAX_MIXED and many.crowded
