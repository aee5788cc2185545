"""What a TypeScript file does with a function a construct class or a factory's method of another
module made for it (its event sources, the rules that target it, its role's statements) is that
function's, whether the file names it by the variable the call is assigned to, by the member of the
class's instance that holds it (`worker.lambdaFunction`), or by a field it stores that member in."""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.model import Function
from reviewer.workspace import Workspace

_WRAPPER = """import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import * as path from 'path';

interface WrapperProps {
  entry: string;
  handler: string;
  role?: iam.IRole;
}

export class NodeLambda extends Construct {
  public readonly lambdaFunction: lambda.Function;
  public readonly role?: iam.IRole;

  constructor(scope: Construct, id: string, props: WrapperProps) {
    super(scope, id);
    this.role = props.role;
    this.lambdaFunction = new lambda.Function(this, 'fn', {
      code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'services', props.entry)),
      handler: props.handler,
      runtime: lambda.Runtime.NODEJS_20_X,
      timeout: Duration.seconds(30),
      role: props.role,
    });
  }
}
"""

_SENDER = """import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { NodeLambda } from '../../constructs/node-lambda';

export class SenderConstruct extends Construct {
  public readonly sender: lambda.Function;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const outbox = new sqs.Queue(this, 'outbox');
    const wrapped = new NodeLambda(this, 'sender', { entry: 'sender', handler: 'index.handler' });
    this.sender = wrapped.lambdaFunction;
    this.sender.addEventSource(new SqsEventSource(outbox, { batchSize: 5 }));
  }
}
"""

_STACK = """import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { NodeLambda } from '../constructs/node-lambda';

export class ReportsStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const jobs = new sqs.Queue(this, 'jobs');
    const writerRole = new iam.Role(this, 'writer-role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const writer = new NodeLambda(this, 'writer', { entry: 'writer', handler: 'index.handler', role: writerRole });
    const reducer = new NodeLambda(this, 'reducer', { entry: 'reducer', handler: 'index.handler' });
    reducer.lambdaFunction.addEventSource(new SqsEventSource(jobs));
    writer.lambdaFunction.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::reports/*'],
    }));
    jobs.grantSendMessages(writer.role!);
  }
}
"""

_FACTORY = """import { Code, Function as LambdaFunction, FunctionProps, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import * as path from 'path';

export interface TaskProps extends Omit<FunctionProps, 'code' | 'runtime'> {
  readonly index: string;
}

export abstract class TaskFactory {
  abstract createFunction(scope: Construct, id: string, props: TaskProps): LambdaFunction;
}

export class AssetTaskFactory extends TaskFactory {
  override createFunction(scope: Construct, id: string, props: TaskProps): LambdaFunction {
    return new LambdaFunction(scope, id, {
      code: Code.fromAsset(path.join(__dirname, '..', '..', 'tasks')),
      runtime: Runtime.PYTHON_3_12,
      ...props,
    });
  }
}
"""

_TASK = """import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TaskFactory } from './task-factory';

export interface SweeperProps {
  readonly factory: TaskFactory;
}

export class Sweeper {
  readonly lambdaFunction: LambdaFunction;

  constructor(scope: Construct, props: SweeperProps) {
    const role = new iam.Role(scope, 'SweeperRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:StopInstances'], resources: ['*'] }));
    this.lambdaFunction = props.factory.createFunction(scope, 'Sweeper', {
      index: 'sweeper.py',
      handler: 'handler',
      role: role,
      timeout: Duration.minutes(5),
    });
    new events.Rule(scope, 'SweepRule', {
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [new targets.LambdaFunction(this.lambdaFunction)],
    });
  }
}
"""

_TASK_STACK = """import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AssetTaskFactory } from './lambda-functions/task-factory';
import { Sweeper } from './lambda-functions/sweeper';

export class TasksStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Sweeper(this, { factory: new AssetTaskFactory() });
  }
}
"""


def _write(root: Path, files: dict[str, str]) -> dict[str, Function]:
    (root / "cdk.json").write_text('{"app": "npx ts-node bin/app.ts"}\n')
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return {fn.name: fn for fn in build_inventory(Workspace(root)).functions}


def _wrapped_app(root: Path) -> dict[str, Function]:
    services = {f"services/{name}/index.js": "exports.handler = async () => ({});\n"
                for name in ("sender", "writer", "reducer")}
    return _write(root, {"lib/constructs/node-lambda.ts": _WRAPPER,
                         "lib/stacks/sender/sender-construct.ts": _SENDER,
                         "lib/stacks/reports-stack.ts": _STACK, **services})


def test_a_field_holding_a_construct_class_members_function_keeps_its_event_source(tmp_path: Path) -> None:
    sender = _wrapped_app(tmp_path)["sender"]
    assert sender.location.line == 14
    assert [(t.kind, t.location.line, t.target.value if t.target else None) for t in sender.triggers] == [
        ("sqs", 16, "lib/stacks/sender/sender-construct.ts#outbox")]


def test_each_instance_member_is_its_own_function(tmp_path: Path) -> None:
    functions = _wrapped_app(tmp_path)
    writer, reducer = functions["writer"], functions["reducer"]
    assert [(t.kind, t.location.line) for t in reducer.triggers] == [("sqs", 17)]
    assert writer.triggers == []
    assert [(s.actions, s.location.line) for s in writer.policy_statements] == [(("s3:PutObject",), 18)]
    assert reducer.policy_statements == []


def test_a_function_a_factory_method_makes_keeps_its_rule_and_its_roles_statements(tmp_path: Path) -> None:
    sweeper = _write(tmp_path, {"lib/lambda-functions/task-factory.ts": _FACTORY,
                                "lib/lambda-functions/sweeper.ts": _TASK,
                                "lib/tasks-stack.ts": _TASK_STACK,
                                "tasks/sweeper.py": "def handler(event, context):\n    return event\n"})["Sweeper"]
    assert sweeper.location.path == "lib/lambda-functions/sweeper.ts"
    assert [(t.kind, t.location.line) for t in sweeper.triggers] == [("schedule", 29)]
    assert [(s.actions, s.location.line) for s in sweeper.policy_statements] == [(("ec2:StopInstances",), 20)]
