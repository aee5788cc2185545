"""LR303 on a permission whose principal `Fn::If` chooses: the words say under which of the
template's conditions the function is open to every account (`conditions.choice_paths`)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from reviewer.cli import main
from reviewer.inventory.cloudformation.conditions import choice_paths

FIXTURE = Path(__file__).parent / "fixtures" / "sam" / "conditional_public"


def _lr303() -> dict[str, str]:
    out = io.StringIO()
    main(["scan", str(FIXTURE), "--format", "json", "--reference-date", "2026-12-07", "--fail-on", "never",
          "--audit", "off"], stdout=out)
    return {f["function"]: f["message"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR303"}


def test_a_public_principal_in_one_branch_names_the_condition_that_chooses_it():
    message = _lr303()["WebhookFunction"]
    assert message.startswith("A resource-based permission lets principal `*` invoke `WebhookFunction` "
                              "when the template's condition `HasPartnerAccount` is false: any AWS account")


def test_a_public_principal_two_ways_names_each_way():
    message = _lr303()["StatusFunction"]
    assert ("when the template's condition `IsOnboarding` is true, or when the template's condition "
            "`IsOnboarding` is false and `IsDev` is true: any AWS account") in message


def test_a_value_every_branch_chooses_hangs_on_no_condition():
    value = {"Fn::If": ["IsProd", "*", {"Fn::If": ["IsDev", "*", "123456789012"]}]}
    assert choice_paths(value, "*") == ((("IsProd", True),), (("IsProd", False), ("IsDev", True)))
    assert choice_paths(value, "123456789012") == ((("IsProd", False), ("IsDev", False)),)
    assert choice_paths({"Fn::If": ["IsProd", "*", "*"]}, "*") == ()
    assert choice_paths("*", "*") == ()
