"""The functions aws-cdk-lib adds to a stack by itself, known by their construct path in a
synthesized template (`aws:cdk:path`).

An app that calls `bucket.addEventNotification(...)`, sets `logRetention`, deploys files with
`BucketDeployment` or uses `autoDeleteObjects` gets a Lambda function it never declared: a
stack-singleton whose code, runtime and role CDK chooses, and which the app changes only by
upgrading aws-cdk-lib (re:Post and aws/aws-cdk#20973, #21467: the internal functions' runtimes move
with CDK releases). Their ids are fixed by CDK's source:

- `BucketNotificationsHandler050a0587b7544547bf325f094a3db834`: S3 bucket notifications
  (`aws-s3/lib/notifications-resource/notifications-resource-handler.ts`);
- `LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a`: a function's or log group's `logRetention`;
- `AWS679f53fac002430cb0da5b7982bd2287`: `AwsCustomResource`, whose role policy is the app's
  `policy` property ("the policy that will be added to the execution role of the Lambda
  function implementing this custom resource provider");
- `Custom::CDKBucketDeployment<uuid>`: `BucketDeployment`;
- `Custom::<Type>CustomResourceProvider/Handler`: core's `CustomResourceProvider`, "intended to be
  used only by constructs in the AWS CDK Construct Library" (auto-delete of objects and images,
  cross-region references, the default security group's restriction...), unless the app's
  source makes that provider itself (`provider_made_by_the_app`);
- `<Certificate>/CertificateRequestorFunction`: `DnsValidatedCertificate`;
- `<Provider>/framework-onEvent`, `framework-isComplete`, `framework-onTimeout`: the custom
  resources `Provider` framework (the app's own `onEventHandler` is a construct of its source).
"""

from __future__ import annotations

import re
from typing import Iterable

from reviewer.model import LibraryFunction

CDK_LIBRARY = "aws-cdk-lib"

_SINGLETONS = {
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834": LibraryFunction(CDK_LIBRARY, "S3 bucket notifications"),
    "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a": LibraryFunction(CDK_LIBRARY, "log retention"),
    "AWS679f53fac002430cb0da5b7982bd2287": LibraryFunction(CDK_LIBRARY, "AwsCustomResource calls",
                                                          policy_from_app=True),
}
_BUCKET_DEPLOYMENT = re.compile(r"Custom::CDKBucketDeployment[0-9a-fA-F]{32}")
_PROVIDER = re.compile(r"(Custom::[A-Za-z0-9]{1,100})CustomResourceProvider")
_PROVIDER_CONSTRUCT = "CustomResourceProvider"
_FRAMEWORK = frozenset({"framework-onEvent", "framework-isComplete", "framework-onTimeout"})


def provider_made_by_the_app(construct_path: str, sources: Iterable[str]) -> bool:
    """Whether a `CustomResourceProvider` function is the app's own: CDK meant the construct for
    its library, yet apps call `CustomResourceProvider.getOrCreateProvider(this, 'Custom::Loader',
    {codeDirectory: ...})` with their own code, and then a source of the app names the type."""
    parts = [part for part in construct_path.split("/") if part]
    provider = _PROVIDER.fullmatch(parts[-2]) if len(parts) >= 3 and parts[-1] == "Handler" else None
    if provider is None:
        return False
    quoted = [f"'{provider.group(1)}'", f'"{provider.group(1)}"', f"`{provider.group(1)}`"]
    return any(_PROVIDER_CONSTRUCT in text and any(name in text for name in quoted) for text in sources)


def cdk_library_function(construct_path: str) -> LibraryFunction | None:
    """What CDK adds a function for, from its construct path (`Stack/LogRetention.../Resource`);
    None for the app's own functions and those of other libraries."""
    parts = [part for part in construct_path.split("/") if part][1:]   # without the stack
    if parts and parts[-1] == "Resource":
        parts = parts[:-1]
    if not parts:
        return None
    last = parts[-1]
    if len(parts) == 1 and last in _SINGLETONS:
        return _SINGLETONS[last]
    if len(parts) == 1 and _BUCKET_DEPLOYMENT.fullmatch(last):
        return LibraryFunction(CDK_LIBRARY, "BucketDeployment")
    if len(parts) == 2 and last == "Handler" and (provider := _PROVIDER.fullmatch(parts[0])) is not None:
        return LibraryFunction(CDK_LIBRARY, f"the {provider.group(1)} custom resource")
    if last == "CertificateRequestorFunction":
        return LibraryFunction(CDK_LIBRARY, "DnsValidatedCertificate")
    if last in _FRAMEWORK:
        return LibraryFunction(CDK_LIBRARY, "the custom resource provider framework")
    return None
