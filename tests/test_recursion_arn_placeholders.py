"""An ARN written with serverless-pseudo-parameters (`#{AWS::Region}`) or `${AWS::AccountId}`
names the same resource as its plain spelling: the `::` inside a placeholder is not a field."""

from __future__ import annotations

import pytest

from reviewer.analyzers.recursion_targets import physical_name


@pytest.mark.parametrize(("arn", "name"), [
    ("arn:aws:kinesis:#{AWS::Region}:#{AWS::AccountId}:stream/order-events", "order-events"),
    ("arn:aws:sns:#{AWS::Region}:#{AWS::AccountId}:order-notification", "order-notification"),
    ("arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs", "jobs"),
    ("arn:aws:sns:eu-west-1:123456789012:plain", "plain"),
])
def test_a_placeholder_region_or_account_keeps_the_name_in_place(arn, name):
    assert physical_name(arn) == name


def test_two_topics_with_placeholders_are_different_resources():
    first = physical_name("arn:aws:sns:#{AWS::Region}:#{AWS::AccountId}:a")
    second = physical_name("arn:aws:sns:#{AWS::Region}:#{AWS::AccountId}:b")
    assert first != second
