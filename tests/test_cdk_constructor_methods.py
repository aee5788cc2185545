"""A TypeScript construct class that makes its functions in private methods its constructor
calls (in the shape of aws-solutions' discovering-hot-topics-using-machine-learning's ingestion
template): `this.buildPoller(props)` makes an AWS Solutions Construct from
`props.poller.functionProps`, `this.buildWorker(props.worker)` hands its settings on to a second
method that spreads them into a `lambda.Function`, and a third method runs only when the caller
passes an archiver. Each `new CollectorTemplate(...)` of the app is then one function per such
construct, where it is made, with the runtime, handler and code that caller gives."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

TEMPLATE = """\
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsToLambda } from '@aws-solutions-constructs/aws-sqs-lambda';
import { Construct } from 'constructs';

export interface StepProps {
    readonly functionProps: lambda.FunctionProps;
}

export interface CollectorTemplateProps {
    readonly poller: StepProps;
    readonly worker: StepProps;
    readonly archiver?: lambda.FunctionProps;
}

export class CollectorTemplate extends Construct {
    private readonly functions: lambda.Function[] = [];

    constructor(scope: Construct, id: string, props: CollectorTemplateProps) {
        super(scope, id);
        const poller = this.buildPoller(props);
        this.functions.push(poller.lambdaFunction);
        this.functions.push(this.buildWorker(props.worker, Duration.minutes(5)));
        if (props.archiver) {
            this.functions.push(this.buildArchiver(props.archiver));
        }
    }

    private buildPoller(props: CollectorTemplateProps): SqsToLambda {
        return new SqsToLambda(this, 'Poller', {
            lambdaFunctionProps: props.poller.functionProps,
        });
    }

    private buildWorker(step: StepProps, timeout: Duration): lambda.Function {
        return this.workerFunction(step, timeout);
    }

    private workerFunction(settings: StepProps, timeout: Duration): lambda.Function {
        return new lambda.Function(this, 'Worker', {
            timeout,
            ...settings.functionProps,
        });
    }

    private buildArchiver(archiver: lambda.FunctionProps): lambda.Function {
        return new lambda.Function(this, 'Archiver', { memorySize: 256, ...archiver });
    }
}
"""

STACK = """\
import { Stack, StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CollectorTemplate } from './collector-template';

export class FeedsStack extends Stack {
    constructor(scope: Construct, id: string, props?: StackProps) {
        super(scope, id, props);
        new CollectorTemplate(this, 'News', {
            poller: {
                functionProps: {
                    runtime: lambda.Runtime.NODEJS_22_X,
                    handler: 'poll.handler',
                    code: lambda.Code.fromAsset('lambda/news-poller'),
                },
            },
            worker: {
                functionProps: {
                    runtime: lambda.Runtime.PYTHON_3_12,
                    handler: 'app.fetch_articles',
                    code: lambda.Code.fromAsset('lambda/news-worker'),
                },
            },
        });
        new CollectorTemplate(this, 'Forum', {
            poller: {
                functionProps: {
                    runtime: lambda.Runtime.NODEJS_22_X,
                    handler: 'poll.handler',
                    code: lambda.Code.fromAsset('lambda/forum-poller'),
                },
            },
            worker: {
                functionProps: {
                    runtime: lambda.Runtime.PYTHON_3_12,
                    handler: 'app.fetch_threads',
                    code: lambda.Code.fromAsset('lambda/forum-worker'),
                },
            },
            archiver: {
                runtime: lambda.Runtime.PYTHON_3_13,
                handler: 'archive.handler',
                code: lambda.Code.fromAsset('lambda/archiver'),
            },
        });
    }
}
"""


def _app(root: Path) -> Path:
    files = {
        "cdk.json": '{"app": "npx ts-node bin/app.ts"}\n',
        "lib/collector-template.ts": TEMPLATE,
        "lib/feeds-stack.ts": STACK,
        "lambda/news-poller/poll.js": "exports.handler = async () => ({});\n",
        "lambda/forum-poller/poll.js": "exports.handler = async () => ({});\n",
        "lambda/news-worker/app.py": "def fetch_articles(event, context):\n    return event\n",
        "lambda/forum-worker/app.py": "def fetch_threads(event, context):\n    return event\n",
        "lambda/archiver/archive.py": "def handler(event, context):\n    return event\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _functions(root: Path) -> tuple[dict[str, Function], list[str]]:
    result = build_inventory(Workspace(_app(root)))
    return {fn.name: fn for fn in result.functions}, [n.rule_id for n in result.notices]


def _read(fn: Function) -> tuple[str | None, str | None, str | None]:
    return fn.runtime, fn.handler, fn.code_path


def test_each_caller_makes_the_functions_of_the_constructors_methods(tmp_path: Path) -> None:
    functions, notices = _functions(tmp_path)
    assert sorted(functions) == ["Forum/Archiver", "Forum/Poller", "Forum/Worker", "News/Poller", "News/Worker"]
    for name in ("News/Poller", "News/Worker"):
        assert (functions[name].location.path, functions[name].location.line) == ("lib/feeds-stack.ts", 9)
    assert _read(functions["News/Poller"]) == ("nodejs22.x", "poll.handler", "lambda/news-poller")
    assert _read(functions["Forum/Poller"]) == ("nodejs22.x", "poll.handler", "lambda/forum-poller")
    # the class's own constructs are no functions of their own, and no notice says they are unread
    assert not any(fn.location.path == "lib/collector-template.ts" for fn in functions.values())
    assert "LR904" not in notices


def test_settings_handed_through_a_second_method_reach_the_function(tmp_path: Path) -> None:
    functions, _ = _functions(tmp_path)
    assert _read(functions["News/Worker"]) == ("python3.12", "app.fetch_articles", "lambda/news-worker")
    assert _read(functions["Forum/Worker"]) == ("python3.12", "app.fetch_threads", "lambda/forum-worker")


def test_a_method_the_constructor_calls_only_under_a_test_follows_the_callers_choice(tmp_path: Path) -> None:
    """`if (props.archiver) { this.buildArchiver(props.archiver) }`: only the caller passing one has it."""
    functions, _ = _functions(tmp_path)
    archiver = functions["Forum/Archiver"]
    assert (archiver.location.line, *_read(archiver)) == (25, "python3.13", "archive.handler", "lambda/archiver")
    assert "News/Archiver" not in functions
