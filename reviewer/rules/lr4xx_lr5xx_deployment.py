"""LR4xx and LR5xx: what ships. Deployment guardrails (code signing, published versions, files left
under /tmp) and the dependencies bundled with a function (known vulnerabilities, releases that
cannot be audited).

One module per rule family; `reviewer.rules` gathers every family into `RULES`.
"""

from __future__ import annotations

from reviewer.findings import Severity
from reviewer.rules.references import CODE_SIGNING_DOC, EPHEMERAL_STORAGE_DOC, VERSIONS_DOC
from reviewer.rules.rule import Rule

LR400 = Rule(
    id="LR400",
    title="No code signing configuration",
    severity=Severity.NOTICE,
    rationale=(
        "Without a code signing configuration Lambda deploys whatever package it is given. "
        "With one (`CodeSigningConfigArn`, enforcement `Enforce`), it accepts only packages "
        "signed by the allowed AWS Signer profiles and unaltered since signing, so a tampered "
        "or unapproved artifact cannot reach the function. Notice by default; "
        "`severity: {LR400: warning}` in `.lambda-review.yml` makes it a warning."
    ),
    fix=(
        "Create an `AWS::Signer::SigningProfile` and an `AWS::Lambda::CodeSigningConfig` "
        "that allows it, set `CodeSigningConfigArn` on the function, and sign packages in "
        "the pipeline (`sam package --signing-profiles`)."
    ),
    bad_example="HealthFunction:\n  Type: AWS::Serverless::Function\n  Properties:\n    Runtime: python3.13",
    good_example=(
        "HealthFunction:\n  Type: AWS::Serverless::Function\n  Properties:\n    Runtime: python3.13\n"
        "    CodeSigningConfigArn: !Ref SigningConfig"
    ),
    help_url=CODE_SIGNING_DOC,
    analyzer="deployment",
    cwes=(494,),
)

LR401 = Rule(
    id="LR401",
    title="Invocations target $LATEST and no version is published",
    severity=Severity.NOTICE,
    rationale=(
        "The function's triggers, URL or permissions point at the unqualified function, "
        "which runs `$LATEST`, and no version or alias of it is published. A published "
        "version is immutable (code and configuration), so an alias can move back to the "
        "previous version in one step, gradual deployments become possible, and every "
        "deployment leaves a numbered record of what ran. With `$LATEST` each deploy "
        "replaces the running code in place."
    ),
    fix=(
        "Publish versions and point invocations at an alias: SAM `AutoPublishAlias: live` "
        "(events and the URL then target the alias), or an `AWS::Lambda::Version` and "
        "`AWS::Lambda::Alias` referenced by the triggers and permissions; in Terraform "
        "`publish = true` and an `aws_lambda_alias`; in CDK `fn.currentVersion` and "
        "`fn.addAlias('live')`. Serverless publishes a version on every deploy unless "
        "`versionFunctions: false`."
    ),
    bad_example="Events:\n  Upload: {Type: S3, Properties: {Bucket: !Ref Uploads}}",
    good_example="AutoPublishAlias: live\nEvents:\n  Upload: {Type: S3, Properties: {Bucket: !Ref Uploads}}",
    help_url=VERSIONS_DOC,
    analyzer="deployment",
)

LR402 = Rule(
    id="LR402",
    title="Handler writes under /tmp and never removes the files",
    severity=Severity.NOTICE,
    rationale=(
        "Lambda reuses an execution environment for later invocations, and `/tmp` lives as "
        "long as the environment. Files written there and never removed accumulate until the "
        "ephemeral storage (512 MB by default) is full and invocations fail, and data of one "
        "request stays readable by the next. Read statically from the handler module and the "
        "local modules it imports: writes to a `/tmp` path, `tempfile.gettempdir()`, "
        "`mkstemp`/`mkdtemp` or `NamedTemporaryFile(delete=False)`, with no `os.remove`, "
        "`os.unlink`, `Path.unlink`, `shutil.rmtree` or `TemporaryDirectory` anywhere in them."
    ),
    fix=(
        "Write inside `with tempfile.TemporaryDirectory() as workdir:` or remove the file in "
        "a `finally:` block. If the file is a deliberate cache shared by invocations, keep "
        "its name fixed and say so with an ignore comment."
    ),
    bad_example=(
        "with open(f\"/tmp/report-{stage}.html\", \"w\") as handle:\n"
        "    handle.write(page)"
    ),
    good_example=(
        "with tempfile.TemporaryDirectory() as workdir:\n"
        "    with open(os.path.join(workdir, \"report.html\"), \"w\") as handle:\n"
        "        handle.write(page)"
    ),
    help_url=EPHEMERAL_STORAGE_DOC,
    analyzer="tmp-storage",
    cwes=(459,),
)

LR500 = Rule(
    id="LR500",
    title="A pinned dependency has a known vulnerability",
    severity=Severity.ERROR,
    rationale=(
        "The function ships a release of a library with a published advisory (OSV, PyPI). "
        "Under the shared responsibility model the libraries bundled into a function are "
        "its owner's to patch: Lambda never updates them, however long the function runs."
    ),
    fix=(
        "Pin the smallest release that fixes every listed advisory (the suggestion shows it) "
        "and re-lock; when no fix exists, replace the library or document the accepted risk "
        "with `ignore-vulns`."
    ),
    bad_example="jinja2==2.10",
    good_example="jinja2==2.10.1",
    help_url="https://osv.dev/",
    analyzer="dependencies",
    cwes=(1395,),
)

LR501 = Rule(
    id="LR501",
    title="A dependency cannot be audited",
    severity=Severity.NOTICE,
    rationale=(
        "The audit checks exact releases and never resolves, downloads or builds anything "
        "from the repository. A range (`>=`), a bare name, a local path, a URL or a VCS "
        "checkout does not say which release the function ships, so known vulnerabilities "
        "in it go unreported (and the build is not reproducible)."
    ),
    fix=(
        "Pin every requirement to one release with hashes, for example with "
        "`pip-compile --generate-hashes` or `uv pip compile --generate-hashes`, and commit "
        "the result (or a lock file)."
    ),
    bad_example="requests>=2.0\ngit+https://github.com/acme/lib.git",
    good_example="requests==2.32.4 \\\n    --hash=sha256:<digest from pip-compile>",
    help_url="https://pip.pypa.io/en/stable/topics/secure-installs/",
    analyzer="dependencies",
    cwes=(1104,),
)
