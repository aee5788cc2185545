"""LR1xx: runtime lifecycle. Deprecated, blocked or soon-deprecated runtimes, identifiers Lambda does
not accept, OS-only runtimes whose owner patches them, runtime updates pinned to Manual, and
container base images and layers built for deprecated runtimes.

One module per rule family, so a rule is added beside its siblings and each stays short enough to
read; `reviewer.rules` gathers every family into `RULES`.
"""

from __future__ import annotations

from reviewer.findings import Severity
from reviewer.rules.references import RUNTIMES_DOC, RUNTIME_UPDATES_DOC, SHARED_RESPONSIBILITY_DOC
from reviewer.rules.rule import Rule

LR100 = Rule(
    id="LR100",
    title="Runtime is deprecated",
    severity=Severity.WARNING,
    rationale=(
        "After its deprecation date a Lambda runtime receives no security patches and no "
        "technical support. Functions keep running, but later AWS blocks creating and then "
        "updating functions that use it."
    ),
    fix="Move the function to the successor runtime of the same language and test it."
        " Go has no managed runtime any more: build a `bootstrap` executable and use `provided.al2023`.",
    bad_example="Runtime: python3.9",
    good_example="Runtime: python3.14",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR101 = Rule(
    id="LR101",
    title="Runtime is blocked for function creation or update",
    severity=Severity.ERROR,
    rationale=(
        "Lambda refuses to create functions with this runtime, and after the update-block "
        "date also refuses to update their code or configuration: a deployment of this "
        "template fails, and a fix to a running function can no longer be shipped."
    ),
    fix="Move the function to the successor runtime of the same language before deploying."
        " Go has no managed runtime any more: build a `bootstrap` executable and use `provided.al2023`.",
    bad_example="Runtime: nodejs14.x",
    good_example="Runtime: nodejs24.x",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR102 = Rule(
    id="LR102",
    title="Runtime deprecation is near",
    severity=Severity.NOTICE,
    rationale=(
        "The runtime reaches its deprecation date within the configured warning window "
        "(`runtime-warning-days`, 180 by default). Planning the upgrade now avoids a rushed "
        "migration once patches stop."
    ),
    fix="Schedule the move to the successor runtime of the same language.",
    bad_example="Runtime: nodejs22.x   # deprecated 2027-04-30",
    good_example="Runtime: nodejs24.x",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR103 = Rule(
    id="LR103",
    title="Runtime identifier is not one Lambda accepts",
    severity=Severity.ERROR,
    rationale=(
        "Lambda rejects a function whose runtime is not in its list of identifiers, so the "
        "deployment fails. The list is botocore's Lambda service model, so identifiers AWS "
        "released recently are recognised and typos are not. A placeholder that a setup "
        "script fills in (`PYTHON3_VERSION`, `{{runtime}}`) and a value a Serverless plugin "
        "may rewrite when it packages the function are notices, not errors."
    ),
    fix="Use an identifier from the Lambda runtimes table; the message names the closest supported ones.",
    bad_example="Runtime: python3.1O",
    good_example="Runtime: python3.13",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
)

LR104 = Rule(
    id="LR104",
    title="OS-only runtime: the function owner patches the runtime",
    severity=Severity.NOTICE,
    rationale=(
        "With an OS-only runtime (`provided`, `provided.al2`, `provided.al2023`) Lambda "
        "patches the operating system only. The language runtime, the bootstrap and "
        "everything it bundles are the owner's to keep up to date under the shared "
        "responsibility model. A deprecated OS-only runtime gets LR100 or LR101 instead: "
        "its operating system is no longer patched either."
    ),
    fix=(
        "Rebuild and redeploy the function whenever its toolchain or bundled runtime gets a "
        "security fix, or use a managed runtime where one exists for the language."
    ),
    bad_example="Runtime: provided.al2023   # Go binary built once in 2024",
    good_example="Runtime: provided.al2023   # rebuilt by CI on every Go security release",
    help_url=SHARED_RESPONSIBILITY_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR105 = Rule(
    id="LR105",
    title="Runtime updates are pinned to Manual",
    severity=Severity.WARNING,
    rationale=(
        "`UpdateRuntimeOn: Manual` pins the function to one runtime version indefinitely: it "
        "stops receiving runtime security patches. AWS meant this mode for a short rollback "
        "after an incompatible runtime update."
    ),
    fix="Use `UpdateRuntimeOn: Auto` (the default), or `FunctionUpdate` if patches must ship with deployments.",
    bad_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Manual",
    good_example="RuntimeManagementConfig:\n  UpdateRuntimeOn: Auto",
    help_url=RUNTIME_UPDATES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR106 = Rule(
    id="LR106",
    title="Container base image is past or near its runtime's deprecation",
    severity=Severity.WARNING,
    rationale=(
        "An AWS Lambda base image (public.ecr.aws/lambda/<language>:<tag>) follows the lifecycle "
        "of its runtime: after the deprecation date AWS stops patching the image's operating "
        "system and language runtime. Lambda keeps deploying images built on it (the create and "
        "update blocks apply to the `Runtime` of .zip functions), so nothing stops the build, and "
        "every new image ships the unpatched software. Warning once deprecated; notice within "
        "`runtime-warning-days` of the date."
    ),
    fix=(
        "Build from the successor base image of the same language (the message names its tag), "
        "test the function, and rebuild and redeploy the image."
    ),
    bad_example="FROM public.ecr.aws/lambda/python:3.8",
    good_example="FROM public.ecr.aws/lambda/python:3.14",
    help_url=RUNTIMES_DOC,
    analyzer="runtimes",
    cwes=(1104,),
)

LR107 = Rule(
    id="LR107",
    title="Deployed layer is built only for deprecated runtimes",
    severity=Severity.WARNING,
    rationale=(
        "`lambda-review account` reads the compatible runtimes each layer version declares. A "
        "layer whose runtimes are all deprecated was built and tested for runtimes that no longer "
        "receive security patches: moving the function to a supported runtime needs a new build "
        "of the layer too, and its bundled libraries may be as old as its runtimes."
    ),
    fix="Publish a new version of the layer built for the successor runtime and point the function at it.",
    bad_example="Layer version with CompatibleRuntimes: [python3.7, python3.8]",
    good_example="Layer version with CompatibleRuntimes: [python3.13, python3.14]",
    help_url="https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html",
    analyzer="account",
    cwes=(1104,),
)
