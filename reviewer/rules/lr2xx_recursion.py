"""LR2xx: recursion. A function that invokes itself or writes to what triggers it, functions that
trigger each other, Lambda's loop detection switched off, and the writes and handlers the loop
check could not follow.

One module per rule family; `reviewer.rules` gathers every family into `RULES`.
"""

from __future__ import annotations

from reviewer.findings import Severity
from reviewer.rules.references import RECURSION_DOC
from reviewer.rules.rule import Rule

LR200 = Rule(
    id="LR200",
    title="Function invokes itself",
    severity=Severity.ERROR,
    rationale=(
        "A function that calls Lambda `Invoke` on its own name runs again for every run, and "
        "every run is billed. Lambda's recursive loop detection stops such a chain only after "
        "about 16 rounds, only for calls made with a supported SDK version, and not at all when "
        "it is switched off. A depth counter carried in the payload and checked before the call "
        "bounds the chain; then the finding is a warning that names the condition's line, since "
        "every pass is still billed and a bound above Lambda's ~16-invocation cut-off never "
        "takes effect (the chain is cut and its event dropped first)."
    ),
    fix=(
        "Do the work in a loop inside one invocation, hand it to a queue or Step Functions, or "
        "carry a depth counter in the payload and stop before the call when it reaches a limit."
    ),
    bad_example=(
        "lambda_client.invoke(FunctionName=context.function_name,\n"
        "                     Payload=json.dumps(event))"
    ),
    good_example=(
        "if event.get(\"depth\", 0) < MAX_DEPTH:\n"
        "    lambda_client.invoke(FunctionName=context.function_name,\n"
        "                         Payload=json.dumps({**event, \"depth\": event.get(\"depth\", 0) + 1}))"
    ),
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR201 = Rule(
    id="LR201",
    title="Function writes to the resource that triggers it",
    severity=Severity.ERROR,
    rationale=(
        "Every write produces a new event (an S3 notification, a queue message, a stream "
        "record, an EventBridge event) that invokes the function again: a loop that can run and "
        "bill for hours. Lambda's recursive loop detection covers SQS, SNS and S3 (not DynamoDB "
        "or Kinesis streams, nor EventBridge), stops a loop only after about 16 rounds, and can "
        "be switched off. A write behind a condition that can stop it (a counter in the message "
        "or object metadata, a marker or checksum checked first) is a warning naming that "
        "condition: every pass still costs an invocation. A condition that provably skips the "
        "function's own output (`if key.startswith(\"thumbs/\"): continue` before writing "
        "`thumbs/...`) ends the chain after one extra invocation: LR203, not a loop."
    ),
    fix=(
        "Write to a different resource (an output bucket, another queue), or filter the "
        "trigger so the function's own output never matches it (an S3 prefix or suffix filter "
        "that excludes the written keys, an EventBridge pattern that excludes the emitted "
        "detail-type)."
    ),
    bad_example=(
        "Events: {Upload: {Type: S3, Properties: {Bucket: !Ref Photos}}}\n"
        "s3.put_object(Bucket=os.environ[\"PHOTOS\"], Key=f\"thumbs/{key}\")   # PHOTOS: !Ref Photos"
    ),
    good_example="s3.put_object(Bucket=os.environ[\"THUMBS\"], Key=f\"thumbs/{key}\")   # THUMBS: !Ref Thumbnails",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR202 = Rule(
    id="LR202",
    title="Recursive loop detection is switched off",
    severity=Severity.WARNING,
    rationale=(
        "`RecursiveLoop: Allow` (Terraform: `recursive_loop = \"Allow\"`) tells Lambda not to "
        "stop the function when it detects a recursive loop through SQS, SNS or S3. An "
        "accidental loop then runs until someone notices the bill."
    ),
    fix=(
        "Remove the setting (the default is `Terminate`), unless the function is meant to loop "
        "and has its own bound, which the code should make visible."
    ),
    bad_example="RecursiveLoop: Allow",
    good_example="RecursiveLoop: Terminate   # or leave it out",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR203 = Rule(
    id="LR203",
    title="Function writes to its trigger, but a filter or its own condition excludes the writes",
    severity=Severity.NOTICE,
    rationale=(
        "The function writes to the resource that triggers it, but a filter on the trigger or a "
        "condition in its own code provably keeps those writes from starting a loop. When an S3 "
        "notification's prefix or suffix filter (or its event types) excludes the written keys, "
        "the writes do not invoke the function again; the safety rests on that filter, and "
        "renaming the output prefix or widening the filter turns this into a loop. The same holds "
        "for a stream's event source mapping whose filter criteria keep no record the writes make "
        "(an `eventName` filter for `INSERT` around updates of existing items, which make `MODIFY` "
        "records; a `userIdentity` filter for TTL deletions; a Kinesis `data` or SQS `body` field "
        "filter that the JSON the function puts fails). When the "
        "handler skips its own output before writing (an S3 key with the prefix or suffix it "
        "writes, a DynamoDB stream record whose attribute has the constant value it writes, or "
        "whose `eventName` its own writes never make: an `INSERT`-only processor whose updates can "
        "only change existing items, which makes `MODIFY` records; a Kinesis record or SQS message "
        "whose decoded payload field has another value than the one it puts), each write costs one "
        "extra invocation that stops at that condition."
    ),
    fix=(
        "Nothing is required. Writing the output to a separate resource (another bucket or "
        "table) removes the dependency on the filter or the condition; otherwise keep them in "
        "step with what the function writes."
    ),
    bad_example=(
        "Filter: {S3Key: {Rules: [{Name: prefix, Value: uploads/}]}}\n"
        "s3.put_object(Bucket=SAME_BUCKET, Key=f\"thumbnails/{name}\")"
    ),
    good_example="s3.put_object(Bucket=THUMBNAIL_BUCKET, Key=f\"thumbnails/{name}\")",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR204 = Rule(
    id="LR204",
    title="Write to a triggering service whose target cannot be resolved",
    severity=Severity.NOTICE,
    rationale=(
        "The function is triggered by a service and writes to the same service, but static "
        "reading cannot tell which resource the write targets (or which resource the trigger "
        "names), so it cannot rule out a loop. The message says what could not be resolved."
    ),
    fix=(
        "Name the target through an environment variable set from the template (`!Ref`, "
        "`!GetAtt`, a Terraform reference) or a constant, so the review can follow it, or "
        "accept the finding with a reason if the target can never be the trigger."
    ),
    bad_example="s3.put_object(Bucket=config[\"bucket\"], Key=key)   # bucket read from a file at run time",
    good_example="s3.put_object(Bucket=os.environ[\"OUTPUT_BUCKET\"], Key=key)   # OUTPUT_BUCKET: !Ref Output",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR205 = Rule(
    id="LR205",
    title="Functions trigger each other in a loop",
    severity=Severity.ERROR,
    rationale=(
        "Each function writes to a resource that triggers the next, and the last one triggers "
        "the first again: a loop through several functions runs and bills just like a function "
        "that triggers itself, and is harder to see in review because no single function "
        "closes it."
    ),
    fix=(
        "Break the cycle at one step: write to a resource no function in the cycle is "
        "triggered by, or filter one trigger so the previous function's output does not match."
    ),
    bad_example="A: SQS jobs -> writes topic results;  B: SNS results -> sends to SQS jobs",
    good_example="B sends to SQS done instead of SQS jobs",
    help_url=RECURSION_DOC,
    analyzer="recursion",
    cwes=(674,),
)

LR206 = Rule(
    id="LR206",
    title="Triggered function whose code the loop check could not read",
    severity=Severity.NOTICE,
    rationale=(
        "The function is triggered by a service its own writes could trigger again (S3, SQS, "
        "SNS, a stream, EventBridge), but the loop check could not read its handler code (a "
        "package built elsewhere, a runtime the review does not read, a handler that names no "
        "module found, a file that does not parse: the summary's list of whose code was read "
        "says which), so a loop in it cannot be ruled out."
    ),
    fix=(
        "Keep the handler's source in the repository beside the declaration (`src/<name>/`, "
        "the package's folder) or point the code location at the source directory; or accept "
        "the notice when the code lives in another repository."
    ),
    bad_example="Code: {S3Bucket: artifacts, S3Key: worker.zip}   # no source for worker here",
    good_example="CodeUri: src/worker/",
    help_url=RECURSION_DOC,
    analyzer="recursion",
)
