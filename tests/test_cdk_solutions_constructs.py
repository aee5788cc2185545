"""A TypeScript CDK app built on AWS Solutions Constructs (in the shape of aws-solutions'
discovering-hot-topics-using-machine-learning): construct classes of its own wrap a pattern and
pass it what their caller gives (`lambdaFunctionProps: props.functionProps`), a class calls the
core package's `buildLambdaFunction(this, { lambdaFunctionProps })`, and a class that takes either
new properties or an existing function (`existingLambdaObj`) is made both ways. Each of those
functions is one function where it is made, with the caller's runtime, handler and code."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

POLLER = """\
import { FunctionProps } from 'aws-cdk-lib/aws-lambda';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LambdaToDynamoDB } from '@aws-solutions-constructs/aws-lambda-dynamodb';
import { Construct } from 'constructs';

export interface PollerProps {
    readonly functionProps: FunctionProps;
    readonly frequency: string;
}

export class Poller extends Construct {
    constructor(scope: Construct, id: string, props: PollerProps) {
        super(scope, id);
        const withTable = new LambdaToDynamoDB(this, 'PollerTable', {
            lambdaFunctionProps: props.functionProps,
        });
        const rule = new Rule(this, 'Every', { schedule: Schedule.expression(props.frequency) });
        rule.addTarget(new LambdaFunction(withTable.lambdaFunction));
    }
}
"""

RELAY = """\
import { buildLambdaFunction } from '@aws-solutions-constructs/core';
import { Duration } from 'aws-cdk-lib';
import { Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class FirehoseRelay extends Construct {
    public readonly relay: Function;

    constructor(scope: Construct, id: string) {
        super(scope, id);
        this.relay = buildLambdaFunction(this, {
            lambdaFunctionProps: {
                runtime: Runtime.PYTHON_3_12,
                handler: 'relay.handler',
                code: Code.fromAsset(`${__dirname}/../../lambda/relay`),
                timeout: Duration.minutes(5),
            },
        });
    }
}
"""

QUEUED_TASK = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsToLambda } from '@aws-solutions-constructs/aws-sqs-lambda';
import { Construct } from 'constructs';

export interface QueuedTaskProps {
    readonly existingLambdaObj?: lambda.Function;
    readonly lambdaFunctionProps?: lambda.FunctionProps;
}

export class QueuedTask extends Construct {
    constructor(scope: Construct, id: string, props: QueuedTaskProps) {
        super(scope, id);
        new SqsToLambda(this, 'Task', {
            existingLambdaObj: props.existingLambdaObj,
            lambdaFunctionProps: props.lambdaFunctionProps,
        });
    }
}
"""

LAMBDA_TASK = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as defaults from '@aws-solutions-constructs/core';
import { Construct } from 'constructs';

export interface LambdaTaskProps {
    readonly lambdaFunctionProps: lambda.FunctionProps;
}

export class LambdaTask extends Construct {
    public readonly fn: lambda.Function;

    constructor(scope: Construct, id: string, props: LambdaTaskProps) {
        super(scope, id);
        this.fn = defaults.buildLambdaFunction(this, { lambdaFunctionProps: props.lambdaFunctionProps });
    }
}
"""

WORKFLOW = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LambdaTask } from './lambda-task';

export class TopicWorkflow extends Construct {
    constructor(scope: Construct, id: string) {
        super(scope, id);
        for (const platform of ['News', 'Forum']) {
            const publishTerms = new LambdaTask(this, `${platform}PublishTerms`, {
                lambdaFunctionProps: {
                    runtime: lambda.Runtime.PYTHON_3_12,
                    handler: 'app.terms_handler',
                    code: lambda.Code.fromAsset('lambda/publish'),
                },
            });
            publishTerms.fn.addEnvironment('PLATFORM', platform);
        }
        const publishTopics = new LambdaTask(this, `${id}Topics`, {
            lambdaFunctionProps: {
                runtime: lambda.Runtime.PYTHON_3_12,
                handler: 'app.topics_handler',
                code: lambda.Code.fromAsset('lambda/publish'),
            },
        });
        publishTopics.fn.addEnvironment('STAGE', 'all');
    }
}
"""

STACK = """\
import { Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Poller } from './ingestion/poller';
import { FirehoseRelay } from './integration/relay';
import { QueuedTask } from './workflow/queued-task';

export class TopicsStack extends Stack {
    constructor(scope: Construct, id: string, props?: StackProps) {
        super(scope, id, props);
        new FirehoseRelay(this, 'Relay');
        new Poller(this, 'FeedPoller', {
            frequency: 'rate(10 minutes)',
            functionProps: {
                runtime: lambda.Runtime.NODEJS_20_X,
                handler: 'index.handler',
                code: lambda.Code.fromAsset('lambda/feed-poller'),
            },
        });
        const shared = new lambda.Function(this, 'Shared', {
            runtime: lambda.Runtime.NODEJS_22_X,
            handler: 'index.handler',
            code: lambda.Code.fromAsset('lambda/shared'),
        });
        new QueuedTask(this, 'Reuse', { existingLambdaObj: shared });
    }
}
"""


def _app(root: Path) -> Path:
    files = {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/ingestion/poller.ts": POLLER,
        "lib/integration/relay.ts": RELAY,
        "lib/workflow/queued-task.ts": QUEUED_TASK,
        "lib/topics-stack.ts": STACK,
        "lib/workflow/lambda-task.ts": LAMBDA_TASK,
        "lib/workflow/topic-workflow.ts": WORKFLOW,
        "lambda/publish/app.py": "def terms_handler(event, context):\n    return event\n",
        "lambda/feed-poller/index.js": "exports.handler = async () => ({});\n",
        "lambda/shared/index.js": "exports.handler = async () => ({});\n",
        "lambda/relay/relay.py": "def handler(event, context):\n    return event\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _functions(root: Path) -> tuple[dict[str, Function], list[str]]:
    result = build_inventory(Workspace(_app(root)))
    return {fn.name: fn for fn in result.functions}, [n.rule_id for n in result.notices]


def test_a_pattern_given_the_callers_properties_is_one_function_per_caller(tmp_path: Path) -> None:
    functions, notices = _functions(tmp_path)
    poller = functions["FeedPoller"]
    assert (poller.location.path, poller.location.line) == ("lib/topics-stack.ts", 12)
    assert (poller.runtime, poller.handler, poller.code_path) == ("nodejs20.x", "index.handler", "lambda/feed-poller")
    # the class's own construct is no function of its own, and no notice says it is unread
    assert not any(fn.location.path == "lib/ingestion/poller.ts" for fn in functions.values())
    assert "LR904" not in notices


def test_the_core_helper_makes_a_function_under_its_default_id(tmp_path: Path) -> None:
    functions, _ = _functions(tmp_path)
    relay = functions["LambdaFunction"]
    assert (relay.location.path, relay.location.line) == ("lib/integration/relay.ts", 11)
    assert (relay.runtime, relay.handler, relay.code_path) == ("python3.12", "relay.handler", "lambda/relay")


def test_a_caller_giving_an_existing_function_makes_none(tmp_path: Path) -> None:
    functions, _ = _functions(tmp_path)
    assert sorted(functions) == ["FeedPoller", "ForumPublishTerms", "LambdaFunction", "NewsPublishTerms", "Shared",
                                 "publishTopics"]


def test_a_class_made_in_a_loop_or_with_a_computed_id_keeps_the_callers_names(tmp_path: Path) -> None:
    """One function per element of the caller's written list, named as the caller's own reading
    names them; one made with an id the caller computes, by the variable it is assigned to."""
    functions, _ = _functions(tmp_path)
    for name in ("NewsPublishTerms", "ForumPublishTerms"):
        terms = functions[name]
        assert (terms.location.path, terms.location.line) == ("lib/workflow/topic-workflow.ts", 9)
        assert (terms.runtime, terms.handler, terms.code_path) == ("python3.12", "app.terms_handler", "lambda/publish")
    topics = functions["publishTopics"]
    assert (topics.location.line, topics.handler) == (18, "app.topics_handler")
