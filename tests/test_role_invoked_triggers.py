"""Services that invoke a function through a role or by replication, with no invoke permission to
show them (fixtures/untrusted/role-invoked: a SAM recipes site with a GraphQL API's Lambda data
sources, an EventBridge Scheduler schedule and a CloudFront edge function published as an
`AWS::Lambda::Version`; a Terraform module with an AppSync data source and an edge function)."""

from __future__ import annotations

import shutil

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace
from tests.test_untrusted_input import FIXTURES, marks, scan

APP = FIXTURES / "role-invoked"


def _triggers(folder: str) -> dict[str, list[tuple[str, str, int]]]:
    return {fn.name: [(t.kind, str(t.attributes["type"]), t.location.line) for t in fn.triggers]
            for fn in build_inventory(Workspace(APP / folder)).functions}


def _lr306(tmp_path, folder: str) -> dict[tuple[str, int], dict]:
    root = tmp_path / folder
    shutil.copytree(APP / folder, root)
    return {(f["path"], f["line"]): f for f in scan(root)["findings"] if f["rule_id"] == "LR306"}


def test_template_data_sources_schedules_and_edge_associations_are_triggers():
    assert _triggers("sam") == {
        "SearchFunction": [("other", "AppSync", 25)],      # the GraphQLApi's DataSources.Lambda entry
        "TagsFunction": [("other", "AppSync", 46)],        # AWS::AppSync::DataSource LambdaConfig
        "DigestFunction": [("schedule", "Schedule", 61)],  # AWS::Scheduler::Schedule Target
        "RewriteFunction": [("other", "CloudFront", 88)],  # through its AWS::Lambda::Version
    }


def test_terraform_data_sources_and_edge_associations_are_triggers():
    assert _triggers("terraform") == {
        "aws_lambda_function.resolver": [("other", "AppSync", 37)],
        "aws_lambda_function.headers": [("other", "CloudFront", 51)],
    }


def test_graphql_arguments_and_viewer_requests_are_errors_and_a_scheduler_s_input_a_notice(tmp_path):
    for folder in ("sam", "terraform"):
        found = _lr306(tmp_path, folder)
        wanted, _ = marks(APP / folder)
        assert set(found) == wanted
        for (path, _line), finding in found.items():
            expected = "notice" if path.startswith("src/digest/") else "error"
            assert finding["severity"] == expected, path
            assert "No trigger of the function is declared" not in finding["message"]


def test_the_latest_only_notice_names_the_data_source_that_invokes_the_function(tmp_path):
    root = tmp_path / "sam"
    shutil.copytree(APP / "sam", root)
    messages = {f["function"]: f["message"] for f in scan(root)["findings"] if f["rule_id"] == "LR401"}
    assert "invoked through the AppSync data source (line 25)" in messages["SearchFunction"]
    assert "RewriteFunction" not in messages      # its distribution names a published version
