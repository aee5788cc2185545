"""An event source mapping is a trigger like an event source: `new EventSourceMapping(this, id,
{target: fn, eventSourceArn: queue.queueArn})`, `fn.addEventSourceMapping(id, {...})`, in every CDK
language (`cdk/triggers.py`). A function that sends back to the queue it is mapped to is a loop."""

from __future__ import annotations

from tests.test_recursion_cdk import QUEUE_HANDLER, _write, verdicts

TYPESCRIPT = """\
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';

export class Jobs {
  constructor(scope: any) {
    const jobs = new sqs.Queue(scope, 'Jobs');
    const worker = new lambda.Function(scope, 'TsWorker', {
      runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: lambda.Code.fromAsset('worker'),
      environment: { QUEUE_URL: jobs.queueUrl },
    });
    new lambda.EventSourceMapping(scope, 'TsWorkerJobs', { target: worker, eventSourceArn: jobs.queueArn, batchSize: 1 });
    const other = new lambda.Function(scope, 'TsOther', {
      runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: lambda.Code.fromAsset('worker'),
      environment: { QUEUE_URL: jobs.queueUrl },
    });
    other.addEventSourceMapping('FromJobs', { eventSourceArn: jobs.queueArn });
  }
}
"""

PYTHON = """\
from aws_cdk import Stack, aws_lambda as lambda_, aws_sqs as sqs


class Jobs(Stack):
    def __init__(self, scope, construct_id):
        super().__init__(scope, construct_id)
        jobs = sqs.Queue(self, "Jobs")
        worker = lambda_.Function(self, "PyWorker", runtime=lambda_.Runtime.PYTHON_3_12, handler="app.handler",
                                  code=lambda_.Code.from_asset("worker"), environment={"QUEUE_URL": jobs.queue_url})
        lambda_.EventSourceMapping(self, "PyWorkerJobs", target=worker, event_source_arn=jobs.queue_arn)
"""

CSHARP = """\
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SQS;
using Constructs;
using System.Collections.Generic;

public class Jobs : Stack
{
    public Jobs(Construct scope, string id) : base(scope, id)
    {
        var jobs = new Queue(this, "Jobs");
        var worker = new Function(this, "CsWorker", new FunctionProps
        {
            Runtime = Runtime.PYTHON_3_12,
            Handler = "app.handler",
            Code = Code.FromAsset("worker"),
            Environment = new Dictionary<string, string> { { "QUEUE_URL", jobs.QueueUrl } },
        });
        new EventSourceMapping(this, "CsWorkerJobs", new EventSourceMappingProps
        {
            BatchSize = 1,
            EventSourceArn = jobs.QueueArn,
            Target = worker
        });
    }
}
"""

GO = """\
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

func NewJobs(stack awscdk.Stack) {
	jobs := awssqs.NewQueue(stack, jsii.String("Jobs"), nil)
	worker := awslambda.NewFunction(stack, jsii.String("GoWorker"), &awslambda.FunctionProps{
		Runtime:     awslambda.Runtime_PYTHON_3_12(),
		Handler:     jsii.String("app.handler"),
		Code:        awslambda.Code_FromAsset(jsii.String("worker"), nil),
		Environment: &map[string]*string{"QUEUE_URL": jobs.QueueUrl()},
	})
	awslambda.NewEventSourceMapping(stack, jsii.String("GoWorkerJobs"), &awslambda.EventSourceMappingProps{
		Target:         worker,
		EventSourceArn: jobs.QueueArn(),
	})
}
"""

JAVA = """\
import software.amazon.awscdk.services.lambda.*;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.sqs.Queue;
import java.util.Map;

public class Jobs {
    public Jobs(software.constructs.Construct scope) {
        Queue jobs = new Queue(scope, "Jobs");
        Function worker = Function.Builder.create(scope, "JavaWorker")
            .runtime(Runtime.PYTHON_3_12).handler("app.handler").code(Code.fromAsset("worker"))
            .environment(Map.of("QUEUE_URL", jobs.getQueueUrl()))
            .build();
        EventSourceMapping.Builder.create(scope, "JavaWorkerJobs")
            .target(worker).eventSourceArn(jobs.getQueueArn()).batchSize(1).build();
    }
}
"""


def test_event_source_mappings_of_every_language_are_sqs_triggers(tmp_path):
    root = _write(tmp_path, {"cdk.json": '{"app": "x"}', "worker/app.py": QUEUE_HANDLER, "lib/jobs.ts": TYPESCRIPT,
                             "py/jobs.py": PYTHON, "cs/Jobs.cs": CSHARP, "go/jobs.go": GO, "java/Jobs.java": JAVA})
    looping = {function for rule, _, function, _ in verdicts(root) if rule == "LR201"}
    assert looping == {"TsWorker", "TsOther", "PyWorker", "CsWorker", "GoWorker", "JavaWorker"}


def test_a_mapping_from_no_queue_stream_or_table_is_no_trigger(tmp_path):
    """A Kafka topic's or a broker's mapping has no ARN the loop check can follow."""
    stack = TYPESCRIPT.replace("eventSourceArn: jobs.queueArn, batchSize: 1", "eventSourceArn: cluster.clusterArn") \
        .replace("other.addEventSourceMapping('FromJobs', { eventSourceArn: jobs.queueArn });", "")
    root = _write(tmp_path, {"cdk.json": '{"app": "x"}', "worker/app.py": QUEUE_HANDLER, "lib/jobs.ts": stack})
    assert not {function for rule, _, function, _ in verdicts(root) if rule == "LR201"}
