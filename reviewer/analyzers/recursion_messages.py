"""The findings of the recursion analyzer (LR200–LR206), in words: what loops, why it matters,
what stops it and how to break it.

`recursion.py` decides which writes loop; each function here turns one decision into its finding,
with the loop it found so the summary can draw it. Repository text in a message is escaped
(`markdown`), our own wording around quoted names through `markdown.quoted`.
"""

from __future__ import annotations

from functools import partial
from typing import Iterator

from markupsafe import Markup

from reviewer import markdown
from reviewer.analyzers.recursion_targets import Resolution
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.analyzers.recursion_verdicts import Edge, Verdict
from reviewer.code.reader import CodeReading
from reviewer.code.values import ResourceWrite
from reviewer.findings import Finding, Loop, LoopEdge, LoopNode, Severity
from reviewer.model import Function, Location, Trigger
from reviewer.rules import LR200, LR201, LR202, LR203, LR204, LR205, LR206, Rule
from reviewer.wording import finding_message, sentence

# The messages' words: templates/findings/recursion.md.j2.
MESSAGES = "recursion"

NOUNS = {
    "s3": "S3 bucket", "sqs": "SQS queue", "sns": "SNS topic", "dynamodb": "DynamoDB table",
    "kinesis": "Kinesis stream", "eventbridge": "EventBridge bus",
}


def add_not_read(shared: SharedFindings, function: Function, triggers: list[Trigger], reason: str,
                 other_language: bool = False) -> None:
    """LR206: a function a loop could reach whose code the check could not read. Functions that
    share its declaration (a Terraform module read once per root module that calls it) share
    the finding. Code in a language the review does not read (Go, Java) is not read wherever it
    is kept, so the notice then gives no advice about where to keep it."""
    kinds = sorted({resource_noun(trigger.kind) for trigger in triggers if trigger.kind in NOUNS})
    location = function.locations.get("Code") or function.locations.get("CodeUri") or function.location

    def describe(subject: str, several: bool = False, facts: tuple[str, ...] = ()) -> str:
        # the services that trigger any of the functions sharing the declaration
        nouns = sorted(set(facts)) or kinds
        return finding_message(MESSAGES, "not_read", subject=Markup(subject), several=several, nouns=nouns,
                               reason=reason, other_language=other_language)

    shared.add(LR206, function, location, f"code not read: {reason[:80]}", describe,
               describe_shared=partial(describe, several=True), facts=kinds)


def loop_detection_off_findings(function: Function) -> Iterator[Finding]:
    """LR202: the function lets Lambda's loop detection go (`RecursiveLoop: Allow`)."""
    if not _loops_allowed(function):
        return
    location = function.where("RecursiveLoop")
    written = function.recursion_setting_text
    yield _finding(
        LR202, location, function, finding_message(MESSAGES, "detection_off", function=function.name, setting=written),
        evidence="RecursiveLoop=Allow",
    )


def self_invocation_finding(function: Function, write: ResourceWrite, target: Resolution) -> Finding:
    """LR200: the function invokes itself; a warning when a condition can end the chain."""
    guard = None
    if write.depth_guard or write.guard_line is not None:
        guard = Location(write.guard_path or write.location.path, write.guard_line) if write.guard_line \
            else write.location
    message = finding_message(MESSAGES, "self_invocation", function=function.name, call=write.call,
                              at=str(write.location), how=_quoted(target.explanation),
                              guard=str(guard) if guard else None, allowed=_loops_allowed(function))
    severity = Severity.WARNING if guard else Severity.ERROR
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
    trigger_name = trigger.attributes.get("name") or trigger.attributes.get("rule") or kind
    filter_unknown = "" if verdict.filter_checked else "partial" if verdict.filter_partial else unknown_filter(trigger)
    severity = Severity.WARNING if write.guard_line is not None or filter_unknown else None
    resource_node = LoopNode("resource", f"{noun} {resource}")
    function_node = LoopNode("function", function.name)
    via = trigger.attributes.get("via")
    hops: list[Location] = []
    hop = None
    if isinstance(via, tuple) and len(via) == 3:
        hop_kind, hop_label, hop_location = via
        hop_node = LoopNode("resource", f"{resource_noun(hop_kind)} {hop_label}")
        hop = {"noun": resource_noun(hop_kind), "label": hop_label, "at": str(hop_location)}
        hops.append(hop_location)
        loop = Loop((LoopEdge(resource_node, hop_node, "notifies", trigger.location),
                     LoopEdge(hop_node, function_node, "invokes", hop_location),
                     LoopEdge(function_node, resource_node, write.operation, write.location)))
    else:
        loop = Loop((LoopEdge(resource_node, function_node, "invokes", trigger.location),
                     LoopEdge(function_node, resource_node, write.operation, write.location)))
    guard = Location(write.guard_path or write.location.path, write.guard_line) \
        if write.guard_line is not None else None
    message = finding_message(
        MESSAGES, "loop", function=function.name, noun=noun, resource=resource, call=write.call, at=str(write.location),
        how=_quoted(target.explanation) if target.explanation else None, trigger=trigger_name,
        trigger_at=str(trigger.location), hop=hop, guard=str(guard) if guard else None, kind=kind,
        allowed=_loops_allowed(function), setting=function.recursion_setting_text,
        note=Markup(verdict.note) if verdict.note else None,
        prefix=write.key.literal_prefix if kind == "s3" and write.key is not None else "", filter_unknown=filter_unknown)
    return _finding(LR201, write.location, function, message,
                    evidence=f"{kind} {resource} {write.call}", severity=severity,
                    related=[trigger.location, *hops, *target.via], loop=loop)


def safe_finding(function: Function, write: ResourceWrite, target: Resolution, trigger: Trigger,
         verdict: Verdict, resource: str) -> Finding:
    """LR203: a write to the triggering resource that a filter or a condition keeps from looping."""
    message = finding_message(MESSAGES, "safe", function=function.name, resource=resource, call=write.call,
                              at=str(write.location), reason=Markup(verdict.reason),
                              evidence_at=str(verdict.evidence_line or trigger.location), by_code=verdict.by_code,
                              by_events=verdict.by_events, by_filter=verdict.by_filter,
                              noun=resource_noun(trigger.kind), kind=trigger.kind)
    related = [verdict.evidence_line or trigger.location, *target.via]
    return _finding(LR203, write.location, function, message,
                    evidence=f"{trigger.kind} {resource} {write.call} filtered", related=related)


def unresolved_finding(function: Function, write: ResourceWrite, target: Resolution, kind: str,
               unknown: list[tuple[Trigger, Verdict]]) -> Finding:
    """LR204: a write to the service that triggers the function, whose target could not be followed."""
    triggers = [(t.attributes.get("name") or kind, str(t.location)) for t, _ in unknown[:5]]
    reasons = list(dict.fromkeys(markdown.quoted(verdict.reason, prose=True) for _, verdict in unknown))
    message = finding_message(MESSAGES, "unresolved", function=function.name, noun=resource_noun(kind),
                              several=len(unknown) > 1, triggers=triggers, call=write.call, at=str(write.location),
                              reasons=reasons)
    return _finding(LR204, write.location, function, message,
                    evidence=f"{kind} {write.call} {write.target.describe()}",
                    related=[trigger.location for trigger, _ in unknown[:5]] + list(target.via))


def unknown_filter(trigger: Trigger) -> str:
    """Why the trigger may filter out what the function writes without the review knowing:
    "permission" (a bucket known only from an invoke permission, its notification configured
    elsewhere), "criteria" (an event source mapping's filter criteria), "policy" (an SNS
    subscription's filter policy); "" when nothing about its filter is unknown."""
    attributes = trigger.attributes
    if attributes.get("from_permission") and trigger.kind == "s3":
        return "permission"
    raw = attributes.get("raw")
    if attributes.get("filter_patterns") or (isinstance(raw, dict) and raw.get("FilterCriteria")):
        return "criteria"
    if attributes.get("filter_policy") or (isinstance(raw, dict) and raw.get("FilterPolicy")):
        return "policy"
    return ""


def cycle_finding(cycle: list[Edge]) -> Finding:
    """LR205: functions that trigger each other in a loop."""
    first = min(range(len(cycle)), key=lambda index: cycle[index].writer.name)
    cycle = cycle[first:] + cycle[:first]
    lead = cycle[0]
    steps: list[dict[str, str | bool | None]] = []
    loop_edges: list[LoopEdge] = []
    related: list[Location] = []
    for edge in cycle:
        writer_node = LoopNode("function", edge.writer.name)
        reader_node = LoopNode("function", edge.reader.name)
        if edge.trigger is None:
            steps.append({"writer": edge.writer.name, "reader": edge.reader.name, "call": edge.write.call,
                          "at": str(edge.write.location), "noun": None, "filter_unknown": False})
            loop_edges.append(LoopEdge(writer_node, reader_node, edge.write.operation, edge.write.location))
            related.append(edge.write.location)
            continue
        noun = resource_noun(edge.trigger.kind)
        steps.append({"writer": edge.writer.name, "reader": edge.reader.name, "call": edge.write.call,
                      "at": str(edge.write.location), "noun": noun, "resource": edge.resource,
                      "trigger_at": str(edge.trigger.location),
                      "filter_unknown": unknown_filter(edge.trigger) == "permission"})
        resource_node = LoopNode("resource", f"{noun} {edge.resource}")
        loop_edges.append(LoopEdge(writer_node, resource_node, edge.write.operation, edge.write.location))
        loop_edges.append(LoopEdge(resource_node, reader_node, "invokes", edge.trigger.location))
        related.extend([edge.write.location, edge.trigger.location])
    message = finding_message(MESSAGES, "cycle", steps=steps)
    evidence = " > ".join(f"{edge.writer.name}:{edge.write.call}:{edge.resource}" for edge in cycle)
    uncertain = any(step.get("filter_unknown") for step in steps)
    return _finding(LR205, lead.write.location, lead.writer, message, evidence=evidence,
                    severity=Severity.WARNING if uncertain else None,
                    related=[location for location in related if location != lead.write.location],
                    loop=Loop(tuple(loop_edges)))


# -- words shared by the findings -----------------------------------------------------------------


def coverage(reading: CodeReading) -> tuple[str, str]:
    """What the summary says about one function's code: which file was read, or why none was."""
    if reading.skipped is not None:
        return ("not read", reading.skipped)
    if reading.handler_path is None and not reading.modules and not reading.inline:
        return ("not read", _unparsed_handler(reading))
    language = "JavaScript/TypeScript" if reading.language == "javascript" else "Python"
    where = "inline code in " if reading.inline else ""
    detail = f"{language}, {where}{reading.handler_path or 'the handler'}"
    if len(reading.modules) > 1:
        imported = len(reading.modules) - 1
        detail += f" and {imported} {'module' if imported == 1 else 'modules'} it imports"
    if reading.source_note:
        detail += f" ({reading.source_note})"
    return ("read", detail)


def _unparsed_handler(reading: CodeReading) -> str:
    """Why a handler whose module was found was not read: it did not parse, for the notice's reason."""
    notice = next((n for n in reading.notices if n.rule_id in ("LR903", "LR901")), None)
    return sentence("rows.txt.j2", "unparsed_handler", path=notice.path if notice else "",
                    line=notice.line if notice else 0, rule=notice.rule_id if notice else "")


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


def _quoted(explanation: str | None) -> Markup | None:
    """How the analyzer found a target, as prose around quoted code; None when it did not say."""
    return markdown.quoted(explanation, prose=True) if explanation else None


def _loops_allowed(function: Function) -> bool:
    """`RecursiveLoop: Allow` (however the function's format spells it): the detection is off."""
    setting = function.recursive_loop
    return isinstance(setting, str) and setting.strip().lower() == "allow"
