"""A construct of another library (`new GuLambdaFunction(this, 'Id', { runtime: nodeVersion })` of
`@guardian/cdk`) is a Lambda function when the runtime it is given is one the value reader follows
to a Lambda runtime: a constant imported from a module of the app, a spread object's `runtime`. A
file that names no `Function` (`new GuScheduledLambda(...)`) is read too. A Synthetics canary's
runtime is no Lambda runtime, so its construct stays out."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

NODE_VERSION = """import { Runtime } from 'aws-cdk-lib/aws-lambda';

// keep in step with .nvmrc
export const nodeRuntime = Runtime.NODEJS_22_X;
"""
LEDGER = """import { GuLambdaFunction } from '@guardian/cdk/lib/constructs/lambda';
import { GuStack } from '@guardian/cdk/lib/constructs/core';
import type { App } from 'aws-cdk-lib';
import { Duration } from 'aws-cdk-lib';
import { nodeRuntime } from './node-version';

export class LedgerSync extends GuStack {
\tconstructor(scope: App, id: string, props: any) {
\t\tsuper(scope, id, props);
\t\tconst app = 'ledger-sync';
\t\tconst shared = {
\t\t\tapp,
\t\t\tfileName: `${app}.zip`,
\t\t\truntime: nodeRuntime,
\t\t\ttimeout: Duration.minutes(2),
\t\t};
\t\tnew GuLambdaFunction(this, 'FetchLedgerLambda', {
\t\t\tapp,
\t\t\thandler: 'fetchLedger.handler',
\t\t\tfileName: `${app}.zip`,
\t\t\truntime: nodeRuntime,
\t\t});
\t\tnew GuLambdaFunction(this, 'PostLedgerLambda', {
\t\t\t...shared,
\t\t\thandler: 'postLedger.handler',
\t\t});
\t}
}
"""
NIGHTLY = """import { GuScheduledLambda } from '@guardian/cdk';
import { GuStack } from '@guardian/cdk/lib/constructs/core';
import type { App } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { nodeRuntime } from './node-version';

export class NightlyCheck extends GuStack {
\tconstructor(scope: App, id: string, props: any) {
\t\tsuper(scope, id, props);
\t\tnew GuScheduledLambda(this, 'nightly-ledger-check', {
\t\t\tapp: 'nightly-ledger-check',
\t\t\tfileName: 'nightly-ledger-check.zip',
\t\t\truntime: nodeRuntime,
\t\t\thandler: 'nightlyCheck.handler',
\t\t\trules: [{ schedule: Schedule.cron({ hour: '3', minute: '0' }) }],
\t\t\tmonitoringConfiguration: { noMonitoring: true },
\t\t});
\t}
}
"""
CANARY = """import { Stack } from 'aws-cdk-lib';
import { Canary, Runtime, Test, Code } from 'aws-cdk-lib/aws-synthetics';

export class Probe extends Stack {
\tconstructor(scope: any, id: string) {
\t\tsuper(scope, id);
\t\tconst probeRuntime = Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1;
\t\tnew Canary(this, 'LedgerProbe', {
\t\t\ttest: Test.custom({ code: Code.fromAsset('canary'), handler: 'index.handler' }),
\t\t\truntime: probeRuntime,
\t\t});
\t}
}
"""


def _app(root: Path) -> Path:
    lib = root / "cdk" / "lib"
    lib.mkdir(parents=True)
    (root / "cdk" / "cdk.json").write_text('{"app": "npx ts-node bin/cdk.ts"}\n')
    (root / "cdk" / "package.json").write_text('{"dependencies": {"aws-cdk-lib": "2.200.0", "@guardian/cdk": "61.0.0"}}\n')
    (lib / "node-version.ts").write_text(NODE_VERSION)
    (lib / "ledger-sync.ts").write_text(LEDGER)
    (lib / "nightly-check.ts").write_text(NIGHTLY)
    (lib / "probe.ts").write_text(CANARY)
    return root


def test_a_library_construct_given_an_imported_runtime_constant_is_a_function(tmp_path):
    result = build_inventory(Workspace(_app(tmp_path)))
    found = {fn.name: fn for fn in result.functions}
    fetch = found["FetchLedgerLambda"]
    assert (fetch.runtime, fetch.handler, fetch.location.path) == \
        ("nodejs22.x", "fetchLedger.handler", "cdk/lib/ledger-sync.ts")


def test_a_library_construct_given_its_runtime_by_a_spread_object_is_a_function(tmp_path):
    found = {fn.name: fn for fn in build_inventory(Workspace(_app(tmp_path))).functions}
    assert (found["PostLedgerLambda"].runtime, found["PostLedgerLambda"].handler) == \
        ("nodejs22.x", "postLedger.handler")


def test_a_file_that_names_no_function_construct_is_still_read(tmp_path):
    found = {fn.name: fn for fn in build_inventory(Workspace(_app(tmp_path))).functions}
    nightly = found["nightly-ledger-check"]
    assert (nightly.runtime, nightly.handler, nightly.location.path) == \
        ("nodejs22.x", "nightlyCheck.handler", "cdk/lib/nightly-check.ts")


def test_a_canary_with_a_synthetics_runtime_is_no_function(tmp_path):
    names = {fn.name for fn in build_inventory(Workspace(_app(tmp_path))).functions}
    assert "LedgerProbe" not in names
    assert names == {"FetchLedgerLambda", "PostLedgerLambda", "nightly-ledger-check"}
