"""The findings of the recursion analyzer (LR200–LR206), in words: what loops, why it matters,
what stops it and how to break it.

`recursion.py` decides which writes loop; each function here turns one decision into its finding,
with the loop it found so the summary can draw it. Repository text in a message is escaped
(`markdown`), our own wording around quoted names through `markdown.quoted`.
"""

from __future__ import annotations

from typing import Iterator

from reviewer import markdown
from reviewer.analyzers.recursion_targets import Resolution
from reviewer.analyzers.recursion_verdicts import Edge, Verdict
from reviewer.code.reader import CodeReading
from reviewer.code.values import ResourceWrite
from reviewer.model import Finding, Function, Location, Loop, LoopEdge, LoopNode, Severity, Trigger
from reviewer.rules import LR200, LR201, LR202, LR203, LR204, LR205, LR206, Rule

NOUNS = {
    "s3": "S3 bucket", "sqs": "SQS queue", "sns": "SNS topic", "dynamodb": "DynamoDB table",
    "kinesis": "Kinesis stream", "eventbridge": "EventBridge bus",
}
# Lambda's recursive loop detection covers these event sources; not streams or EventBridge.
DETECTED_KINDS = frozenset({"s3", "sqs", "sns"})


def not_read_finding(function: Function, triggers: list[Trigger], reason: str) -> Finding:
    """LR206: a function a loop could reach whose code the check could not read."""
    kinds = sorted({resource_noun(trigger.kind) for trigger in triggers if trigger.kind in NOUNS})
    message = (f"{markdown.code(function.name)} is triggered by {', '.join(_a(kind) for kind in kinds)}, "
               "but the loop check could not "
               f"read its code: {markdown.text(reason)}. A write in it back to its trigger would go unnoticed. "
               "Keeping the handler's source in the repository beside the declaration, or pointing the "
               "code location at it, lets the review read it.")
    location = function.locations.get("Code") or function.locations.get("CodeUri") or function.location
    return _finding(LR206, location, function, message, evidence=f"code not read: {reason[:80]}")


def loop_detection_off_findings(function: Function) -> Iterator[Finding]:
    """LR202: the function lets Lambda's loop detection go (`RecursiveLoop: Allow`)."""
    if not _loops_allowed(function):
        return
    location = function.where("RecursiveLoop")
    written = function.recursion_setting_text
    yield _finding(
        LR202, location, function,
        f"{markdown.code(function.name)} sets {markdown.code(written)}: when Lambda detects that the "
        "function runs in a recursive loop through SQS, SNS or S3, it lets the loop go on instead of "
        "stopping it, so an accidental loop runs and bills until someone notices. Removing the setting "
        "(the default is `Terminate`) keeps the protection; a function meant to loop is safer with a "
        "visible bound in its code.",
        evidence="RecursiveLoop=Allow",
    )


def self_invocation_finding(function: Function, write: ResourceWrite, target: Resolution) -> Finding:
    """LR200: the function invokes itself; a warning when a condition can end the chain."""
    name = markdown.code(function.name)
    how = markdown.quoted(target.explanation or "the function's own name", prose=True)
    where = markdown.code(str(write.location))
    if write.depth_guard or write.guard_line is not None:
        guard = Location(write.location.path, write.guard_line) if write.guard_line else write.location
        message = (f"{name} invokes itself ({markdown.code(write.call)} at {where}, `FunctionName` from {how}). "
                   f"The call sits behind a condition at {markdown.code(str(guard))} that can end the chain. "
                   f"{_guard_consequence(function)} Doing the work in one invocation, or handing it to a queue "
                   "or Step Functions, removes the recursion altogether.")
        severity = Severity.WARNING
    else:
        message = (f"{name} invokes itself ({markdown.code(write.call)} at {where}, `FunctionName` from {how}), "
                   "and no depth check bounds the chain: every run starts another, each one billed, until "
                   "something fails. Lambda's loop detection stops such a chain only after about 16 rounds, "
                   "only for supported SDK versions, and not when it is switched off. A depth counter in "
                   "the payload, checked before the call, bounds it; a queue or Step Functions avoids it.")
        severity = Severity.ERROR
    node = LoopNode("function", function.name)
    return _finding(
        LR200, write.location, function, message,
        evidence=f"{write.call} self", severity=severity,
        related=[function.location, *target.via],
        loop=Loop((LoopEdge(node, node, write.operation, write.location),)),
    )


def loop_finding(function: Function, write: ResourceWrite, target: Resolution, trigger: Trigger,
         verdict: Verdict, resource: str) -> Finding:
    """LR201: the function writes to the resource that triggers it (`resource`, as people call it)."""
    kind = trigger.kind
    noun = resource_noun(kind)
    name = markdown.code(function.name)
    trigger_name = trigger.attributes.get("name") or trigger.attributes.get("rule") or kind
    how = f", named by {markdown.quoted(target.explanation, prose=True)}" if target.explanation else ""
    sentences = [
        f"{name} writes to the {noun} {markdown.code(resource)} ({markdown.code(write.call)} at "
        f"{markdown.code(str(write.location))}{how}), and the same {noun} triggers it "
        f"({markdown.code(trigger_name)} at {markdown.code(str(trigger.location))}).",
        _consequence(kind),
        _detection(function, kind),
    ]
    severity = None
    if write.guard_line is not None:
        guard = Location(write.location.path, write.guard_line)
        sentences[1] = (f"The write sits behind a condition at {markdown.code(str(guard))} that can stop it, "
                        "so the loop may end on its own.")
        sentences[2] = _guard_consequence(function, kind)
        severity = Severity.WARNING
    if verdict.note:
        sentences.append(verdict.note)
    sentences.append(_fix(kind, write))
    resource_node = LoopNode("resource", f"{noun} {resource}")
    function_node = LoopNode("function", function.name)
    via = trigger.attributes.get("via")
    hops: list[Location] = []
    if isinstance(via, tuple) and len(via) == 3:
        hop_kind, hop_label, hop_location = via
        hop_node = LoopNode("resource", f"{resource_noun(hop_kind)} {hop_label}")
        sentences[0] = sentences[0].rstrip(".") + (
            f", through the {resource_noun(hop_kind)} {markdown.code(hop_label)} that the {noun} delivers to "
            f"and the function consumes ({markdown.code(str(hop_location))}).")
        hops.append(hop_location)
        loop = Loop((LoopEdge(resource_node, hop_node, "notifies", trigger.location),
                     LoopEdge(hop_node, function_node, "invokes", hop_location),
                     LoopEdge(function_node, resource_node, write.operation, write.location)))
    else:
        loop = Loop((LoopEdge(resource_node, function_node, "invokes", trigger.location),
                     LoopEdge(function_node, resource_node, write.operation, write.location)))
    return _finding(LR201, write.location, function, " ".join(s for s in sentences if s),
                    evidence=f"{kind} {resource} {write.call}", severity=severity,
                    related=[trigger.location, *hops, *target.via], loop=loop)


def safe_finding(function: Function, write: ResourceWrite, target: Resolution, trigger: Trigger,
         verdict: Verdict, resource: str) -> Finding:
    """LR203: a write to the triggering resource that a filter or a condition keeps from looping."""
    message = (
        f"{markdown.code(function.name)} writes to {markdown.code(resource)}, the S3 bucket that triggers it "
        f"({markdown.code(write.call)} at {markdown.code(str(write.location))}), but {verdict.reason}, so its "
        f"own writes do not invoke it again. That safety rests on the trigger's configuration at "
        f"{markdown.code(str(verdict.evidence_line or trigger.location))}: renaming the output prefix into the "
        "filtered one, or widening or removing the filter, turns this into a loop. Writing the output to a "
        "separate bucket removes the dependency."
    )
    if verdict.by_code:
        message = (
            f"{markdown.code(function.name)} writes to {markdown.code(resource)}, the {resource_noun(trigger.kind)} "
            "that triggers "
            f"it ({markdown.code(write.call)} at {markdown.code(str(write.location))}), but {verdict.reason}, "
            "so the invocation its own write causes stops at that condition and writes nothing more. That "
            "safety rests on the handler code, not on the trigger: each write still costs one extra "
            "invocation, and changing what it writes or the condition turns this into a loop. "
            + ("A prefix or suffix filter on the trigger, or a separate output bucket, keeps the function "
               "from being invoked for its own output at all." if trigger.kind == "s3" else
               "Filter criteria on the event source mapping, or a separate table, keep the function from "
               "being invoked for its own output at all.")
        )
    related = [verdict.evidence_line or trigger.location, *target.via]
    return _finding(LR203, write.location, function, message,
                    evidence=f"{trigger.kind} {resource} {write.call} filtered", related=related)


def unresolved_finding(function: Function, write: ResourceWrite, target: Resolution, kind: str,
               unknown: list[tuple[Trigger, Verdict]]) -> Finding:
    """LR204: a write to the service that triggers the function, whose target could not be followed."""
    triggers = ", ".join(f"{markdown.code(t.attributes.get('name') or kind)} at {markdown.code(str(t.location))}"
                         for t, _ in unknown[:5])
    reasons = "; ".join(dict.fromkeys(markdown.quoted(verdict.reason, prose=True) for _, verdict in unknown))
    message = (
        f"{markdown.code(function.name)} is triggered by "
        f"{resource_noun(kind, plural=True) if len(unknown) > 1 else _a(resource_noun(kind))} ({triggers}) "
        f"and writes to the same service ({markdown.code(write.call)} at {markdown.code(str(write.location))}), "
        f"but static reading could not resolve {reasons}. So the review cannot rule out that this write invokes "
        "the function again. Naming the target through an environment variable set from the infrastructure "
        "code (`!Ref`, `!GetAtt`, a Terraform reference) or a constant lets the review follow it; if the "
        "target can never be the trigger, accept the finding with a reason."
    )
    return _finding(LR204, write.location, function, message,
                    evidence=f"{kind} {write.call} {write.target.describe()}",
                    related=[trigger.location for trigger, _ in unknown[:5]] + list(target.via))


def cycle_finding(cycle: list[Edge]) -> Finding:
    """LR205: functions that trigger each other in a loop."""
    first = min(range(len(cycle)), key=lambda index: cycle[index].writer.name)
    cycle = cycle[first:] + cycle[:first]
    lead = cycle[0]
    steps = []
    loop_edges: list[LoopEdge] = []
    related: list[Location] = []
    for edge in cycle:
        writer_node = LoopNode("function", edge.writer.name)
        reader_node = LoopNode("function", edge.reader.name)
        if edge.trigger is None:
            steps.append(f"{markdown.code(edge.writer.name)} invokes {markdown.code(edge.reader.name)} "
                         f"({markdown.code(edge.write.call)} at {markdown.code(str(edge.write.location))})")
            loop_edges.append(LoopEdge(writer_node, reader_node, edge.write.operation, edge.write.location))
            related.append(edge.write.location)
            continue
        noun = resource_noun(edge.trigger.kind)
        steps.append(f"{markdown.code(edge.writer.name)} writes to the {noun} {markdown.code(edge.resource)} "
                     f"({markdown.code(edge.write.call)} at {markdown.code(str(edge.write.location))}), which "
                     f"triggers {markdown.code(edge.reader.name)} ({markdown.code(str(edge.trigger.location))})")
        resource_node = LoopNode("resource", f"{noun} {edge.resource}")
        loop_edges.append(LoopEdge(writer_node, resource_node, edge.write.operation, edge.write.location))
        loop_edges.append(LoopEdge(resource_node, reader_node, "invokes", edge.trigger.location))
        related.extend([edge.write.location, edge.trigger.location])
    message = (
        f"These functions trigger each other in a loop: {'; '.join(steps)}. Each run causes the next, "
        "around the cycle, each one billed, until something fails. Breaking one step breaks the loop: "
        "write to a resource no function in the cycle listens to, or filter one trigger so the previous "
        "function's output does not match."
    )
    evidence = " > ".join(f"{edge.writer.name}:{edge.write.call}:{edge.resource}" for edge in cycle)
    return _finding(LR205, lead.write.location, lead.writer, message, evidence=evidence,
                    related=[location for location in related if location != lead.write.location],
                    loop=Loop(tuple(loop_edges)))


# -- words shared by the findings -----------------------------------------------------------------


def coverage(reading: CodeReading) -> tuple[str, str]:
    """What the summary says about one function's code: which file was read, or why none was."""
    if reading.skipped is not None:
        return ("not read", reading.skipped)
    language = "JavaScript/TypeScript" if reading.language == "javascript" else "Python"
    where = "inline code in " if reading.inline else ""
    detail = f"{language}, {where}{reading.handler_path or 'the handler'}"
    if len(reading.modules) > 1:
        imported = len(reading.modules) - 1
        detail += f" and {imported} {'module' if imported == 1 else 'modules'} it imports"
    if reading.source_note:
        detail += f" ({reading.source_note})"
    return ("read", detail)


def _finding(rule: Rule, location: Location, function: Function, message: str, *, evidence: str,
             severity: Severity | None = None, related: list[Location] | None = None,
             loop: Loop | None = None) -> Finding:
    unique: list[Location] = []
    for place in related or []:
        if place != location and place not in unique:
            unique.append(place)
    return rule.finding(message, location.path, location.line, severity=severity, end_line=location.end_line,
                        function=function.name, evidence=evidence, related=unique, loop=loop)


def resource_noun(kind: str, plural: bool = False) -> str:
    noun = NOUNS.get(kind, kind)
    return noun + "s" if plural else noun


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "AEIOS" else "a ") + noun


def _consequence(kind: str) -> str:
    what = {
        "s3": "Every object it writes is a new upload event that invokes it again",
        "sqs": "Every message it sends is received by the function again",
        "sns": "Every message it publishes is delivered to the function again",
        "dynamodb": "Every item it writes is a new stream record that invokes it again",
        "kinesis": "Every record it puts is read by the function again",
        "eventbridge": "Every event it puts matches the rule that invokes it again",
    }.get(kind, "Every write invokes it again")
    return f"{what}: a loop that runs and bills until someone stops it."


def _detection(function: Function, kind: str) -> str:
    if _loops_allowed(function):
        written = function.recursion_setting_text
        return f"Lambda's recursive loop detection is switched off for this function ({markdown.code(written)})."
    if kind in DETECTED_KINDS:
        return "Lambda's recursive loop detection may stop it, but only after about 16 rounds."
    covered = {"dynamodb": "DynamoDB streams", "kinesis": "Kinesis streams", "eventbridge": "EventBridge"}
    return f"Lambda's recursive loop detection does not cover {covered.get(kind, kind)}, so nothing stops it."


def _guard_consequence(function: Function, kind: str = "lambda") -> str:
    """Why a loop with a condition on its path still matters, and how `RecursiveLoop` interacts."""
    allowed = _loops_allowed(function)
    text = ("Every pass still costs an invocation, and Lambda's own recursive loop detection stops a chain "
            "after about 16 invocations and drops the event: a bound above that (a retry cap of 30) is no "
            "bound at all, and a loop meant to poll or continue that long is cut off in production.")
    if allowed:
        text += (" Here the detection is switched off (`RecursiveLoop: Allow`), so only the condition "
                 "bounds the loop.")
    elif kind not in DETECTED_KINDS and kind != "lambda":
        text += " The detection does not cover this event source, so only the condition bounds the loop."
    return text


def _fix(kind: str, write: ResourceWrite) -> str:
    if kind == "s3":
        prefix = write.key.literal_prefix if write.key is not None else ""
        hint = (f" (the written keys start with {markdown.code(prefix)}, so a trigger prefix filter outside it "
                "would exclude them)" if prefix else "")
        return ("Writing to a separate output bucket, or a prefix or suffix filter on the trigger that excludes "
                f"the written keys{hint}, breaks the loop.")
    if kind == "eventbridge":
        return ("Emitting a different `source` or `detail-type` that the rule's pattern does not match, or "
                "narrowing the pattern, breaks the loop.")
    return f"Writing to a different {resource_noun(kind)} than the one that triggers the function breaks the loop."


def _loops_allowed(function: Function) -> bool:
    """`RecursiveLoop: Allow` (however the function's format spells it): the detection is off."""
    setting = function.recursive_loop
    return isinstance(setting, str) and setting.strip().lower() == "allow"
