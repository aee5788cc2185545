"""An app's class extending a library's Lambda construct (`class TeamLambda extends GuLambdaFunction`,
its properties built from a defaults helper and the caller's `overrides`), and the app's subclasses
of that class in other modules (`TeamApiLambda extends TeamLambda`, and one more level): each
`new ...(this, 'Id', {...})` of a stack is one function, named by the caller's id, with the
runtime and handler the caller's `overrides` give over the defaults; a handler the defaults choose
by the caller's `nameSuffix` is the default one for a call without it, and said unread for one with it. The classes themselves are no
functions."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

NODE_VERSION = """import { Runtime } from 'aws-cdk-lib/aws-lambda';

export const nodeRuntime = Runtime.NODEJS_22_X;
"""
TEAM_LAMBDA = """import type { GuFunctionProps } from '@guardian/cdk/lib/constructs/lambda';
import { GuLambdaFunction } from '@guardian/cdk/lib/constructs/lambda';
import { Duration } from 'aws-cdk-lib';
import { nodeRuntime } from '../node-version';
import type { TeamStack } from './TeamStack';

export type TeamLambdaProps = {
\tnameSuffix?: string;
\toverrides?: Partial<GuFunctionProps>;
\tlegacyId?: string;
};

function lambdaDefaults(scope: TeamStack, nameSuffix: string | undefined) {
\treturn {
\t\tapp: scope.app,
\t\tfunctionName: [scope.app, nameSuffix, scope.stage].filter(Boolean).join('-'),
\t\tfileName: `${scope.app}.zip`,
\t\thandler: nameSuffix ? `${nameSuffix}/index.handler` : 'index.handler',
\t\truntime: nodeRuntime,
\t\ttimeout: Duration.seconds(30),
\t\tenvironment: { LOG_LEVEL: 'info' },
\t};
}

export class TeamLambda extends GuLambdaFunction {
\tconstructor(scope: TeamStack, id: string, props: TeamLambdaProps) {
\t\tconst defaults = lambdaDefaults(scope, props.nameSuffix);
\t\tconst merged = {
\t\t\t...defaults,
\t\t\t...props.overrides,
\t\t\tenvironment: { ...defaults.environment, ...props.overrides?.environment },
\t\t};
\t\tsuper(scope, props.legacyId ?? id, merged);
\t}
}
"""
TEAM_API_LAMBDA = """import { Duration } from 'aws-cdk-lib';
import { LambdaRestApi } from 'aws-cdk-lib/aws-apigateway';
import type { TeamLambdaProps } from './TeamLambda';
import { TeamLambda } from './TeamLambda';
import type { TeamStack } from './TeamStack';

const apiDefaults = { timeout: Duration.seconds(120) };

export class TeamApiLambda extends TeamLambda {
\treadonly api: LambdaRestApi;
\tconstructor(scope: TeamStack, id: string, props: TeamLambdaProps & { isPublic?: boolean }) {
\t\tconst finalProps = {
\t\t\tnameSuffix: props.nameSuffix,
\t\t\toverrides: { ...apiDefaults, ...props.overrides },
\t\t\tlegacyId: props.legacyId,
\t\t};
\t\tsuper(scope, id, finalProps);
\t\tthis.api = new LambdaRestApi(this, 'RestApi', { handler: this, proxy: !props.isPublic });
\t}
}

export class TeamPublicApiLambda extends TeamApiLambda {
\tconstructor(scope: TeamStack, id: string, props: TeamLambdaProps) {
\t\tsuper(scope, id, { ...props, isPublic: true });
\t}
}
"""
TEAM_QUEUE_LAMBDA = """import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { TeamLambdaProps } from './TeamLambda';
import { TeamLambda } from './TeamLambda';
import type { TeamStack } from './TeamStack';

export class TeamQueueLambda extends TeamLambda {
\treadonly queue: Queue;
\tconstructor(scope: TeamStack, id: string, props: TeamLambdaProps) {
\t\tsuper(scope, id, { nameSuffix: props.nameSuffix, overrides: props.overrides });
\t\tthis.queue = new Queue(scope, `${id}Queue`);
\t\tthis.addEventSource(new SqsEventSource(this.queue, { batchSize: 1 }));
\t}
}
"""
LEDGER_STACK = """import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { TeamApiLambda, TeamPublicApiLambda } from './cdk/TeamApiLambda';
import { TeamLambda } from './cdk/TeamLambda';
import { TeamQueueLambda } from './cdk/TeamQueueLambda';
import { TeamStack } from './cdk/TeamStack';

export class LedgerStack extends TeamStack {
\tconstructor(scope: any, id: string, props: any) {
\t\tsuper(scope, id, props);
\t\tnew TeamApiLambda(this, 'LedgerApiLambda', { legacyId: `${this.app}-lambda` });
\t\tnew TeamQueueLambda(this, 'ExportLambda', {
\t\t\tnameSuffix: 'export',
\t\t\toverrides: {
\t\t\t\truntime: Runtime.JAVA_21,
\t\t\t\thandler: 'com.example.ledger.Export::handle',
\t\t\t\tfileName: 'ledger-export.jar',
\t\t\t},
\t\t});
\t\tnew TeamLambda(this, 'CatalogLambda', {
\t\t\tnameSuffix: 'catalog',
\t\t\toverrides: { handler: 'catalog.handler' },
\t\t});
\t\tnew TeamPublicApiLambda(this, 'DocsLambda', { overrides: { handler: 'docs.handler' } });
\t\tnew TeamQueueLambda(this, 'ReconcileLambda', { nameSuffix: 'reconcile' });
\t}
}
"""
TEAM_STACK = """import { GuStack } from '@guardian/cdk/lib/constructs/core';

export class TeamStack extends GuStack {}
"""


def _app(root: Path) -> Path:
    lib = root / "cdk" / "lib"
    (lib / "cdk").mkdir(parents=True)
    (root / "cdk" / "cdk.json").write_text('{"app": "npx ts-node bin/cdk.ts"}\n')
    (root / "cdk" / "package.json").write_text('{"dependencies": {"aws-cdk-lib": "2.200.0", "@guardian/cdk": "61.0.0"}}\n')
    (lib / "node-version.ts").write_text(NODE_VERSION)
    (lib / "cdk" / "TeamLambda.ts").write_text(TEAM_LAMBDA)
    (lib / "cdk" / "TeamApiLambda.ts").write_text(TEAM_API_LAMBDA)
    (lib / "cdk" / "TeamQueueLambda.ts").write_text(TEAM_QUEUE_LAMBDA)
    (lib / "cdk" / "TeamStack.ts").write_text(TEAM_STACK)
    (lib / "ledger.ts").write_text(LEDGER_STACK)
    return root


def _functions(root: Path) -> dict[str, Function]:
    return {fn.name: fn for fn in build_inventory(Workspace(_app(root))).functions}


def test_a_subclass_of_a_library_construct_is_one_function_per_instance_named_by_the_callers_id(tmp_path):
    found = _functions(tmp_path)
    catalog = found["CatalogLambda"]
    assert (catalog.runtime, catalog.handler, catalog.location.path, catalog.location.line) == \
        ("nodejs22.x", "catalog.handler", "cdk/lib/ledger.ts", 19)
    assert "TeamLambda" not in found


def test_the_apps_subclasses_of_that_class_make_a_function_per_instance_too(tmp_path):
    found = _functions(tmp_path)
    assert set(found) == {"LedgerApiLambda", "ExportLambda", "CatalogLambda", "DocsLambda", "ReconcileLambda"}
    api = found["LedgerApiLambda"]
    assert (api.runtime, api.handler, api.location.line) == ("nodejs22.x", "index.handler", 10)


def test_a_runtime_and_handler_the_caller_overrides_reach_the_function_through_each_super_call(tmp_path):
    found = _functions(tmp_path)
    export = found["ExportLambda"]
    assert (export.runtime, export.handler) == ("java21", "com.example.ledger.Export::handle")
    docs = found["DocsLambda"]   # TeamPublicApiLambda → TeamApiLambda → TeamLambda
    assert (docs.runtime, docs.handler) == ("nodejs22.x", "docs.handler")


def test_the_subclass_modules_are_inputs_of_the_functions_made_through_them(tmp_path):
    found = _functions(tmp_path)
    assert {"cdk/lib/cdk/TeamLambda.ts", "cdk/lib/cdk/TeamApiLambda.ts"} <= \
        set(found["DocsLambda"].declaration_inputs)
    assert "cdk/lib/cdk/TeamApiLambda.ts" not in set(found["CatalogLambda"].declaration_inputs)


def test_a_handler_chosen_by_a_setting_of_the_caller_is_the_default_without_it_and_unread_with_it(tmp_path):
    found = _functions(tmp_path)
    assert found["LedgerApiLambda"].handler == "index.handler"
    reconcile = found["ReconcileLambda"]
    assert reconcile.handler is None
    assert "`nameSuffix` the call passes, 'reconcile'" in reconcile.unresolved["Handler"]


def test_the_environment_of_the_defaults_a_helper_returns_is_read_and_no_note_says_it_is_elsewhere(tmp_path):
    """The defaults helper keeps its environment in a variable and returns it by shorthand
    (`environment,`), as the app's constructor spreads `...defaults.environment`: its variables are
    the function's. The caller's `...props.overrides?.environment` is not followed: the note says
    so where it is written, never that the defaults are "not written in this file"."""
    root = _app(tmp_path)
    team = root / "cdk" / "lib" / "cdk" / "TeamLambda.ts"
    team.write_text(team.read_text()
                    .replace("\treturn {\n", "\tconst environment: Record<string, string> = { LOG_LEVEL: 'info' };\n"
                             "\treturn {\n", 1)
                    .replace("environment: { LOG_LEVEL: 'info' },", "environment,"))
    found = {fn.name: fn for fn in build_inventory(Workspace(root)).functions}
    catalog = found["CatalogLambda"]
    assert catalog.environment.get("LOG_LEVEL") == "info"
    assert catalog.unresolved["Environment"] == ("spread from `props.overrides?.environment` in "
                                                 "cdk/lib/cdk/TeamLambda.ts, not followed to its entries")


def test_a_spread_of_a_property_a_literal_written_in_full_lacks_adds_nothing(tmp_path):
    """`...tuning.environment` where `const tuning = { memorySize: 512 }`: nothing to spread, no note."""
    root = _app(tmp_path)
    team = root / "cdk" / "lib" / "cdk" / "TeamLambda.ts"
    team.write_text(team.read_text()
                    .replace("export class TeamLambda", "const tuning = { memorySize: 512 };\n\nexport class TeamLambda", 1)
                    .replace("...props.overrides?.environment", "...tuning.environment"))
    found = {fn.name: fn for fn in build_inventory(Workspace(root)).functions}
    catalog = found["CatalogLambda"]
    assert catalog.environment.get("LOG_LEVEL") == "info"
    assert "Environment" not in catalog.unresolved
