"""Functions aws-cdk-lib adds to a stack by itself (S3 notifications, log retention, custom
resource providers), read from a committed synthesized template: listed, their runtime reviewed as
a matter of the aws-cdk-lib version, and no finding on the code or role CDK chose for them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.inventory import build_inventory
from reviewer.inventory.cdk.generated_functions import cdk_library_function
from reviewer.workspace import Workspace

APP = Path(__file__).parent / "fixtures" / "cdk" / "generated-functions-app"
NOTIFICATIONS = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834"
LOG_RETENTION = "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a"
AWS_CUSTOM_RESOURCE = "AWS679f53fac002430cb0da5b7982bd2287"
AUTO_DELETE = "Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler"


def _scan() -> dict:
    out = io.StringIO()
    main(["scan", str(APP), "--format", "json", "--audit", "off", "--fail-on", "never",
          "--reference-date", "2026-12-07"], stdout=out)
    return json.loads(out.getvalue())


def test_the_functions_cdk_adds_are_listed_as_aws_cdk_lib_s_own():
    functions = {fn.name: fn for fn in build_inventory(Workspace(APP)).functions}
    assert sorted(functions) == sorted([AUTO_DELETE, AWS_CUSTOM_RESOURCE, NOTIFICATIONS, LOG_RETENTION, "Thumbnails"])
    assert functions["Thumbnails"].added_by is None
    assert str(functions["Thumbnails"].location) == "lib/gallery-stack.ts:18"
    assert {name: (fn.added_by.library, fn.added_by.purpose) for name, fn in functions.items() if fn.added_by} == {
        AUTO_DELETE: ("aws-cdk-lib", "the Custom::S3AutoDeleteObjects custom resource"),
        AWS_CUSTOM_RESOURCE: ("aws-cdk-lib", "AwsCustomResource calls"),
        NOTIFICATIONS: ("aws-cdk-lib", "S3 bucket notifications"),
        LOG_RETENTION: ("aws-cdk-lib", "log retention"),
    }


def test_only_their_runtime_is_reviewed_and_its_fix_is_an_aws_cdk_lib_upgrade():
    findings = _scan()["findings"]
    by_function = sorted((f["function"], f["rule_id"]) for f in findings)
    # No LR301 on the `*` CDK gives its notifications and log retention handlers, no LR400 on the
    # provider's package: the app cannot change either. AwsCustomResource's policy is the app's own.
    assert by_function == sorted([
        (AUTO_DELETE, "LR100"), (AWS_CUSTOM_RESOURCE, "LR100"), (AWS_CUSTOM_RESOURCE, "LR301"),
        (NOTIFICATIONS, "LR101"), (LOG_RETENTION, "LR101"), ("Thumbnails", "LR400"),
    ])
    runtime = [f for f in findings if f["rule_id"].startswith("LR10")]
    assert all("upgrading `aws-cdk-lib`" in f["message"] and "moving to it" not in f["message"]
               and f["suggestion"] is None for f in runtime)


def test_their_code_is_not_read_as_the_app_s():
    out = io.StringIO()
    main(["scan", str(APP), "--format", "markdown", "--audit", "off", "--fail-on", "never"], stdout=out)
    assert (f"- **{NOTIFICATIONS}** at `GalleryStack.template.yaml:171`: **not read**, its code is aws-cdk-lib's "
            "own \\(for S3 bucket notifications\\), changed only by upgrading it") in out.getvalue()


@pytest.mark.parametrize("path, purpose", [
    ("Site/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C/Resource", "BucketDeployment"),
    ("Site/Cert/CertificateRequestorFunction/Resource", "DnsValidatedCertificate"),
    ("Site/Seeder/Provider/framework-onEvent/Resource", "the custom resource provider framework"),
    ("Site/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler",
     "the Custom::VpcRestrictDefaultSG custom resource"),
    ("Site/Api/Handler/Resource", None),
    ("Site/Seeder/OnEvent/Resource", None),
    ("Site/Nested/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Resource", None),
])
def test_cdk_s_own_functions_are_known_by_their_construct_path(path, purpose):
    found = cdk_library_function(path)
    assert (found.purpose if found else None) == purpose


PROVIDER_TEMPLATE = """Resources:
  CustomSeedTableCustomResourceProviderHandler1A2B3C4D:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        S3Bucket: cdk-assets-bucket
        S3Key: seed.zip
      Handler: __entrypoint__.handler
      Runtime: nodejs18.x
      Role: arn:aws:iam::123456789012:role/seed
    Metadata:
      aws:cdk:path: InventoryStack/Custom::SeedTableCustomResourceProvider/Handler
"""


@pytest.mark.parametrize("source, added", [
    ("const provider = CustomResourceProvider.getOrCreateProvider(this, 'Custom::SeedTable', {\n"
     "  codeDirectory: path.join(__dirname, '../handlers/seed'),\n"
     "  runtime: CustomResourceProviderRuntime.NODEJS_18_X,\n});\n", False),
    ("new s3.Bucket(this, 'Exports', { autoDeleteObjects: true });\n", True),
])
def test_a_custom_resource_provider_the_app_makes_itself_is_the_app_s(tmp_path, source, added):
    """CDK meant `CustomResourceProvider` for its own library, but an app may call it with its own
    code: the provider whose type the app's source names is reviewed as the app's function."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "cdk.json").write_text('{"app": "node bin/app.js"}\n')
    (tmp_path / "lib" / "inventory-stack.js").write_text(
        "const { Stack, CustomResourceProvider, CustomResourceProviderRuntime } = require('aws-cdk-lib');\n"
        "const s3 = require('aws-cdk-lib/aws-s3');\n" + source)
    (tmp_path / "InventoryStack.template.yaml").write_text(PROVIDER_TEMPLATE)
    [function] = build_inventory(Workspace(tmp_path)).functions
    assert (function.name, function.added_by is not None) == (
        "Custom::SeedTableCustomResourceProvider/Handler", added)
