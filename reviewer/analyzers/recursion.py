"""Recursive invocation (LR200–LR205): functions whose own writes invoke them again.

For every function, its triggers come from the inventory and its writes from a static reading
of its handler code (`reviewer/code/`). A write whose target is the resource a trigger listens
to closes a loop (LR201), unless an S3 filter provably keeps the written keys out (LR203); a
Lambda invoke of the function's own name is LR200; a write the review cannot follow, to a
service that triggers the function, is LR204; `RecursiveLoop: Allow` is LR202. Loops through
several functions are the cycles of the graph "function writes to a resource that triggers
another function" (LR205). Each loop finding carries the loop, so the summary can draw it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from reviewer import markdown
from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.recursion_triggers import derived_triggers
from reviewer.analyzers.recursion_targets import (
    Resolution, ResourceKey, TargetResolver, is_event_field, is_event_object_key,
)
from reviewer.code.reader import CodeReading, read_function_code
from reviewer.code.values import ENV, EVENT, LITERAL, ResourceWrite, StaticValue
from reviewer.model import Finding, Function, Location, Loop, LoopEdge, LoopNode, Severity, Trigger
from reviewer.rules import LR200, LR201, LR202, LR203, LR204, LR205, LR206, Rule

# Which trigger kind a write to each service can fire.
TRIGGER_KIND_OF_SERVICE = {
    "s3": "s3", "sqs": "sqs", "sns": "sns", "dynamodb": "dynamodb", "kinesis": "kinesis", "events": "eventbridge",
}
NOUNS = {
    "s3": "S3 bucket", "sqs": "SQS queue", "sns": "SNS topic", "dynamodb": "DynamoDB table",
    "kinesis": "Kinesis stream", "eventbridge": "EventBridge bus",
}
# Lambda's recursive loop detection covers these event sources; not streams or EventBridge.
DETECTED_KINDS = frozenset({"s3", "sqs", "sns"})
_S3_EVENT_TYPES = {
    "put": ("Put",), "put_object": ("Put",), "copy_object": ("Copy",), "copy_from": ("Copy",),
    "copy": ("Copy", "CompleteMultipartUpload"), "upload_file": ("Put", "CompleteMultipartUpload"),
    "upload_fileobj": ("Put", "CompleteMultipartUpload"), "complete_multipart_upload": ("CompleteMultipartUpload",),
}
MAX_CYCLES = 20
MAX_CYCLE_LENGTH = 6


@dataclass(frozen=True)
class Verdict:
    """How one write relates to one trigger: "loop", "safe" (a filter excludes it), "unknown",
    or "none" (another resource). `reason` explains safe/unknown; `note` adds a caveat."""

    outcome: str
    reason: str = ""
    note: str = ""
    evidence_line: Location | None = None
    by_code: bool = False   # "safe" because of a condition in the handler, not the trigger's filter


@dataclass(frozen=True)
class Edge:
    """A write of `writer` that invokes `reader` (through `trigger`, or directly by Lambda invoke)."""

    writer: Function
    write: ResourceWrite
    reader: Function
    trigger: Trigger | None
    resource: str


class RecursionAnalyzer:
    name = "recursion"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        return list(_Review(context).findings())


class _Review:
    def __init__(self, context: AnalysisContext) -> None:
        self.context = context
        self.functions = context.inventory.functions
        self.resolver = TargetResolver(context.inventory.documents)
        self.trigger_resolutions: dict[tuple[int, int], Resolution] = {}
        self.self_loops: set[tuple[int, str]] = set()   # (function, resource label) with LR201
        self._trigger_index: dict[str, dict[ResourceKey, list[tuple[int, int]]]] = {}
        self._function_index: dict[ResourceKey, list[int]] | None = None
        self.all_triggers: dict[int, list[Trigger]] = {}

    def triggers(self, function: Function) -> list[Trigger]:
        """The function's triggers, with those its invoke permissions and the notifications of
        buckets into the queues and topics it consumes add (see `recursion_triggers`)."""
        key = id(function)
        if key not in self.all_triggers:
            self.all_triggers[key] = list(function.triggers)
            self.all_triggers[key] += derived_triggers(function, self.resolver, self._trigger_resolution)
        return self.all_triggers[key]

    def findings(self) -> Iterator[Finding]:
        """Every loop finding; on a pull request, only those of the functions the change touches.

        A loop through a touched function is made of functions reachable from it by "writes to a
        resource that triggers", so on a focused review only the touched functions and those they
        reach have their code read, and only findings of touched functions (and cycles through
        one) are reported; the base is read with the same rule, so nothing untouched looks new.
        """
        for function in self.functions:
            yield from self._loop_detection_off(function)
        seeds = [function for function in self.functions if self.context.in_focus(function)]
        reported = {id(function) for function in seeds}
        queued = set(reported)
        pending = list(reversed(seeds))
        cache = self.context.code_cache
        edges: list[Edge] = []
        while pending:
            function = pending.pop()
            own_edges: list[Edge] = []
            found = list(self._function_findings(function, cache, own_edges))
            if id(function) in reported:
                yield from found
            edges.extend(own_edges)
            for edge in own_edges:
                if id(edge.reader) not in queued:
                    queued.add(id(edge.reader))
                    pending.append(edge.reader)
        for cycle_finding, members in self._cycles(edges):
            if members & reported:
                yield cycle_finding

    def _function_findings(self, function: Function, cache: dict, edges: list[Edge]) -> Iterator[Finding]:
        """One function's own loops (LR200, LR201, LR203, LR204); its edges to others go to `edges`."""
        reading = read_function_code(self.context.workspace, function, cache)
        function.loop_coverage = _coverage(reading)
        if any(trigger.kind in NOUNS for trigger in self.triggers(function)):
            yield from reading.notices
            if reading.skipped is not None and function.package_type.lower() != "image":
                yield self._not_read(function, reading.skipped)
        for write in reading.writes:
            target = self.resolver.code_value(write.target, function)
            if write.service == "lambda":
                yield from self._invoke(function, write, target, edges)
                continue
            kind = TRIGGER_KIND_OF_SERVICE.get(write.service)
            if kind is None:
                continue
            yield from self._own_triggers(function, write, target, kind)
            edges.extend(self._edges_to_others(function, write, target, kind))

    def _not_read(self, function: Function, reason: str) -> Finding:
        """LR206: a function a loop could reach whose code the check could not read."""
        kinds = sorted({_noun(trigger.kind) for trigger in self.triggers(function) if trigger.kind in NOUNS})
        message = (f"{markdown.code(function.name)} is triggered by {', '.join(_a(kind) for kind in kinds)}, "
                   "but the loop check could not "
                   f"read its code: {markdown.text(reason)}. A write in it back to its trigger would go unnoticed. "
                   "Keeping the handler's source in the repository beside the declaration, or pointing the "
                   "code location at it, lets the review read it.")
        location = function.locations.get("Code") or function.locations.get("CodeUri") or function.location
        return _finding(LR206, location, function, message, evidence=f"code not read: {reason[:80]}")

    # -- LR202 -----------------------------------------------------------------------------------

    def _loop_detection_off(self, function: Function) -> Iterator[Finding]:
        setting = function.recursive_loop or function.properties.get("RecursiveLoop")
        if not isinstance(setting, str) or setting.strip().lower() != "allow":
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

    # -- LR200 and direct invocations ------------------------------------------------------------

    def _invoke(self, function: Function, write: ResourceWrite, target: Resolution,
                edges: list[Edge]) -> Iterator[Finding]:
        if target.is_self or target.meets(Resolution(self.resolver.function_keys(function))):
            yield self._self_invocation(function, write, target)
            return
        if not target.resolved:
            return
        if self._function_index is None:
            self._function_index = {}
            for number, candidate in enumerate(self.functions):
                for key in self.resolver.function_keys(candidate):
                    self._function_index.setdefault(key, []).append(number)
        for number in sorted({number for key in target.keys for number in self._function_index.get(key, ())}):
            other = self.functions[number]
            if other is not function:
                edges.append(Edge(function, write, other, None, other.name))

    def _self_invocation(self, function: Function, write: ResourceWrite, target: Resolution) -> Finding:
        name = markdown.code(function.name)
        how = _rich(target.explanation or "the function's own name")
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

    # -- LR201 / LR203 / LR204 -------------------------------------------------------------------

    def _trigger_resolution(self, function: Function, trigger: Trigger) -> Resolution:
        key = (id(function), id(trigger))
        if key not in self.trigger_resolutions:
            if trigger.kind == "eventbridge" and trigger.target is None:
                bus = trigger.attributes.get("bus", "default")
                resolution = self.resolver.intrinsic(bus if bus is not None else "default", function)
            else:
                resolution = self.resolver.reference(trigger.target, function,
                                                     physical=trigger.attributes.get("target_name"))
            self.trigger_resolutions[key] = resolution
        return self.trigger_resolutions[key]

    def _own_triggers(self, function: Function, write: ResourceWrite, target: Resolution,
                      kind: str) -> Iterator[Finding]:
        unknown: list[tuple[Trigger, Verdict]] = []
        for trigger in self.triggers(function):
            if trigger.kind != kind:
                continue
            verdict = self.judge(function, write, target, function, trigger)
            if verdict.outcome == "loop":
                self.self_loops.add((id(function), self._resource_label(function, trigger)))
                yield self._loop(function, write, target, trigger, verdict)
            elif verdict.outcome == "safe":
                yield self._safe(function, write, target, trigger, verdict)
            elif verdict.outcome == "unknown":
                unknown.append((trigger, verdict))
        if unknown:
            yield self._unresolved(function, write, target, kind, unknown)

    def judge(self, writer: Function, write: ResourceWrite, target: Resolution, reader: Function,
              trigger: Trigger) -> Verdict:
        source = self._trigger_resolution(reader, trigger)
        same = trigger.kind in target.event_kinds and (writer is reader or source.meets(self._event_origin(writer, trigger.kind)))
        if not same:
            if not target.resolved:
                return Verdict("unknown", f"the {_noun(trigger.kind)} the write targets: {target.unresolved}")
            if not source.resolved:
                return Verdict("unknown", f"the {_noun(trigger.kind)} the trigger names: {source.unresolved}")
            if not target.meets(source):
                return Verdict("none")
        if trigger.kind == "s3":
            return self._s3(writer, write, trigger, same_function=writer is reader)
        if trigger.kind == "eventbridge":
            return self._eventbridge(write, trigger, writer is reader)
        if trigger.kind == "dynamodb" and writer is reader:
            skipped = _record_skipped_by_guard(write)
            if skipped is not None:
                return skipped
        note = ""
        raw = trigger.attributes.get("raw")
        if isinstance(raw, dict) and raw.get("FilterCriteria") or trigger.attributes.get("filter_patterns"):
            note = ("The event source mapping has filter criteria, which static reading does not evaluate; "
                    "they may keep the function's own records out.")
        return Verdict("loop", note=note)

    def _event_origin(self, function: Function, kind: str) -> Resolution:
        keys: set[ResourceKey] = set()
        for trigger in self.triggers(function):
            if trigger.kind == kind:
                keys |= self._trigger_resolution(function, trigger).keys
        return Resolution(frozenset(keys))

    def _s3(self, function: Function, write: ResourceWrite, trigger: Trigger, same_function: bool = True) -> Verdict:
        attributes = trigger.attributes
        events = [str(event) for event in attributes.get("events") or []]
        kinds = _s3_event_types(write.operation)
        if events and not any(_s3_event_matches(event, kinds) for event in events):
            return Verdict("safe", (f"the trigger listens to {_list(events)} only, and "
                                    f"{markdown.code(write.call)} produces "
                                    f"{_list(['s3:ObjectCreated:' + kind for kind in kinds])}"),
                           evidence_line=trigger.location)
        prefix, suffix = str(attributes.get("prefix") or ""), str(attributes.get("suffix") or "")
        if attributes.get("prefix_unresolved") or attributes.get("suffix_unresolved"):
            prefix = suffix = ""
            unfiltered = True
        else:
            unfiltered = not (prefix or suffix)
        known_prefix, known_suffix, exact = _key_bounds(write.key, function, prefix, suffix)
        if same_function:
            skipped = _skipped_by_guard(write, known_prefix, known_suffix, exact)
            if skipped is not None:
                return skipped
        if unfiltered:
            return Verdict("loop")
        filter_line = Location(trigger.location.path, attributes["filter_line"]) \
            if isinstance(attributes.get("filter_line"), int) else trigger.location
        if exact is not None:
            if prefix and not exact.startswith(prefix):
                return Verdict("safe", f"it writes the key {markdown.code(exact)}, outside the trigger's prefix "
                                       f"filter {markdown.code(prefix)}", evidence_line=filter_line)
            if suffix and not exact.endswith(suffix):
                return Verdict("safe", f"it writes the key {markdown.code(exact)}, outside the trigger's suffix "
                                       f"filter {markdown.code(suffix)}", evidence_line=filter_line)
            return Verdict("loop")
        if prefix and not known_prefix.startswith(prefix) and not prefix.startswith(known_prefix):
            return Verdict("safe", f"every key it writes starts with {markdown.code(known_prefix)}, and the trigger "
                                   f"fires only for keys starting with {markdown.code(prefix)}",
                           evidence_line=filter_line)
        if suffix and known_suffix and not known_suffix.endswith(suffix) and not suffix.endswith(known_suffix):
            return Verdict("safe", f"every key it writes ends with {markdown.code(known_suffix)}, and the trigger "
                                   f"fires only for keys ending with {markdown.code(suffix)}",
                           evidence_line=filter_line)
        described = markdown.quoted(write.key.describe() if write.key is not None else "unknown")
        if (not prefix or known_prefix.startswith(prefix)) and (not suffix or known_suffix.endswith(suffix)):
            return Verdict("loop", note=(
                f"The trigger filters keys ({_filter_text(prefix, suffix)}), and the written keys "
                f"({described}) match that filter too."))
        return Verdict("loop", note=(
            f"The trigger filters keys ({_filter_text(prefix, suffix)}), but the written key ({described}) is "
            "computed at run time, so the filter cannot be shown to exclude it."))

    def _eventbridge(self, write: ResourceWrite, trigger: Trigger, same_function: bool) -> Verdict:
        pattern = trigger.attributes.get("pattern") or {}
        if not isinstance(pattern, dict):
            return Verdict("unknown", "the rule's event pattern")
        checks = (("source", write.event_source), ("detail-type", write.detail_type))
        for field_name, value in checks:
            result = _pattern_accepts(pattern.get(field_name), value, field_name, same_function)
            if result is False:
                return Verdict("none")
            if result is None:
                shown = value.describe() if value is not None else "unknown"
                quoted = shown if "`" in shown else f"`{shown}`"      # never a code span in a code span
                return Verdict("unknown", f"the {field_name} of the emitted event ({quoted})")
        emitted = ", ".join(f"{name} {markdown.quoted(value.describe())}" for name, value in checks if value is not None)
        note = f"The event it puts ({emitted}) matches the rule's pattern."
        others = sorted(key for key in pattern if key not in ("source", "detail-type"))
        if others:
            note += (f" The pattern also matches on {', '.join(str(markdown.code(key)) for key in others)}, which "
                     "static reading does not evaluate.")
        return Verdict("loop", note=note)

    def _loop(self, function: Function, write: ResourceWrite, target: Resolution, trigger: Trigger,
              verdict: Verdict) -> Finding:
        kind = trigger.kind
        resource = self._resource_label(function, trigger)
        noun = _noun(kind)
        name = markdown.code(function.name)
        trigger_name = trigger.attributes.get("name") or trigger.attributes.get("rule") or kind
        how = f", named by {_rich(target.explanation)}" if target.explanation else ""
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
            hop_node = LoopNode("resource", f"{_noun(hop_kind)} {hop_label}")
            sentences[0] = sentences[0].rstrip(".") + (
                f", through the {_noun(hop_kind)} {markdown.code(hop_label)} that the {noun} delivers to "
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

    def _safe(self, function: Function, write: ResourceWrite, target: Resolution, trigger: Trigger,
              verdict: Verdict) -> Finding:
        resource = self._resource_label(function, trigger)
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
                f"{markdown.code(function.name)} writes to {markdown.code(resource)}, the {_noun(trigger.kind)} "
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

    def _unresolved(self, function: Function, write: ResourceWrite, target: Resolution, kind: str,
                    unknown: list[tuple[Trigger, Verdict]]) -> Finding:
        triggers = ", ".join(f"{markdown.code(t.attributes.get('name') or kind)} at {markdown.code(str(t.location))}"
                             for t, _ in unknown[:5])
        reasons = "; ".join(dict.fromkeys(_rich(verdict.reason) for _, verdict in unknown))
        message = (
            f"{markdown.code(function.name)} is triggered by "
            f"{_noun(kind, plural=True) if len(unknown) > 1 else _a(_noun(kind))} ({triggers}) "
            f"and writes to the same service ({markdown.code(write.call)} at {markdown.code(str(write.location))}), "
            f"but static reading could not resolve {reasons}. So the review cannot rule out that this write invokes "
            "the function again. Naming the target through an environment variable set from the infrastructure "
            "code (`!Ref`, `!GetAtt`, a Terraform reference) or a constant lets the review follow it; if the "
            "target can never be the trigger, accept the finding with a reason."
        )
        return _finding(LR204, write.location, function, message,
                        evidence=f"{kind} {write.call} {write.target.describe()}",
                        related=[trigger.location for trigger, _ in unknown[:5]] + list(target.via))

    def _resource_label(self, function: Function, trigger: Trigger) -> str:
        resolution = self._trigger_resolution(function, trigger)
        if resolution.label:
            return resolution.label
        return str(trigger.target) if trigger.target is not None else "default"

    # -- LR205 -----------------------------------------------------------------------------------

    def _edges_to_others(self, writer: Function, write: ResourceWrite, target: Resolution, kind: str) -> list[Edge]:
        """The functions this write triggers. Only a trigger whose resource shares a key with the
        write's target (or, for a reply to the triggering event, with the writer's own event
        source) can make a loop, so candidates come from an index by resource key: matching is
        linear in the edges found, not in every pair of functions (8,800 S3-triggered functions
        took minutes all-pairs)."""
        keys = set(target.keys)
        if kind in target.event_kinds:
            keys |= self._event_origin(writer, kind).keys
        index = self._triggers_by_key(kind)
        candidates = sorted({pair for key in keys for pair in index.get(key, ())})
        edges = []
        matched: set[int] = set()
        for function_index, trigger_index in candidates:
            reader = self.functions[function_index]
            if reader is writer or function_index in matched:
                continue
            trigger = self.triggers(reader)[trigger_index]
            if self.judge(writer, write, target, reader, trigger).outcome == "loop":
                edges.append(Edge(writer, write, reader, trigger, self._resource_label(reader, trigger)))
                matched.add(function_index)
        return edges

    def _triggers_by_key(self, kind: str) -> dict[ResourceKey, list[tuple[int, int]]]:
        """(function index, trigger index) of every trigger of `kind`, by each key of its resource."""
        if kind not in self._trigger_index:
            index: dict[ResourceKey, list[tuple[int, int]]] = {}
            for function_index, function in enumerate(self.functions):
                for trigger_index, trigger in enumerate(self.triggers(function)):
                    if trigger.kind == kind:
                        for key in self._trigger_resolution(function, trigger).keys:
                            index.setdefault(key, []).append((function_index, trigger_index))
            self._trigger_index[kind] = index
        return self._trigger_index[kind]

    def _cycles(self, edges: list[Edge]) -> Iterator[tuple[Finding, set[int]]]:
        """Each cycle's finding, with the ids of the functions on it."""
        order = {id(function): index for index, function in enumerate(self.functions)}
        adjacency: dict[int, list[Edge]] = {}
        for edge in edges:
            if edge.writer is not edge.reader:
                adjacency.setdefault(order[id(edge.writer)], []).append(edge)
        found: list[list[Edge]] = []
        budget = [10_000]

        def walk(start: int, node: int, path: list[Edge], visited: set[int]) -> None:
            for edge in adjacency.get(node, []):
                budget[0] -= 1
                if budget[0] <= 0 or len(found) >= MAX_CYCLES:
                    return
                nxt = order[id(edge.reader)]
                if nxt == start:
                    found.append(path + [edge])
                elif nxt > start and nxt not in visited and len(path) + 1 < MAX_CYCLE_LENGTH:
                    walk(start, nxt, path + [edge], visited | {nxt})

        for start in sorted(adjacency):
            walk(start, start, [], {start})
        seen: set[tuple[int, ...]] = set()
        for cycle in found:
            members = tuple(order[id(edge.writer)] for edge in cycle)
            if members in seen:
                continue
            seen.add(members)
            # Functions that each loop on the resource already have their own finding; a cycle
            # made only of such steps adds nothing a reader needs.
            if all((id(edge.writer), edge.resource) in self.self_loops for edge in cycle):
                continue
            if not _keys_can_go_around(cycle):
                continue
            yield self._cycle_finding(cycle), {id(edge.writer) for edge in cycle}

    def _cycle_finding(self, cycle: list[Edge]) -> Finding:
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
            noun = _noun(edge.trigger.kind)
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


# -- helpers -------------------------------------------------------------------------------------


def _coverage(reading: CodeReading) -> tuple[str, str]:
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


def _noun(kind: str, plural: bool = False) -> str:
    noun = NOUNS.get(kind, kind)
    return noun + "s" if plural else noun


def _rich(text: str) -> str:
    """Our own wording with `code` spans around untrusted names: each piece escaped on its own."""
    out = []
    for index, piece in enumerate(text.split("`")):
        if not piece:
            continue
        if index % 2:
            out.append(str(markdown.code(piece)))
        else:
            lead = " " if piece[0].isspace() else ""
            trail = " " if piece[-1].isspace() and piece.strip() else ""
            out.append(lead + str(markdown.text(piece)) + trail)
    return "".join(out)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "AEIOS" else "a ") + noun


def _list(items: list[str]) -> str:
    return ", ".join(str(markdown.code(item)) for item in items[:6])


def _filter_text(prefix: str, suffix: str) -> str:
    parts = []
    if prefix:
        parts.append(f"prefix {markdown.code(prefix)}")
    if suffix:
        parts.append(f"suffix {markdown.code(suffix)}")
    return " and ".join(parts)


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
    setting = function.recursive_loop or function.properties.get("RecursiveLoop")
    if isinstance(setting, str) and setting.strip().lower() == "allow":
        written = function.recursion_setting_text
        return f"Lambda's recursive loop detection is switched off for this function ({markdown.code(written)})."
    if kind in DETECTED_KINDS:
        return "Lambda's recursive loop detection may stop it, but only after about 16 rounds."
    covered = {"dynamodb": "DynamoDB streams", "kinesis": "Kinesis streams", "eventbridge": "EventBridge"}
    return f"Lambda's recursive loop detection does not cover {covered.get(kind, kind)}, so nothing stops it."


def _guard_consequence(function: Function, kind: str = "lambda") -> str:
    """Why a loop with a condition on its path still matters, and how `RecursiveLoop` interacts."""
    setting = function.recursive_loop or function.properties.get("RecursiveLoop")
    allowed = isinstance(setting, str) and setting.strip().lower() == "allow"
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
    return f"Writing to a different {_noun(kind)} than the one that triggers the function breaks the loop."


def _s3_event_types(operation: str) -> tuple[str, ...]:
    """The S3 event types a write produces, by its Python (`put_object`) or JavaScript name
    (`putObject`, `send(PutObjectCommand)`, `Upload`)."""
    name = operation.split(".")[-1]
    if name.startswith("send(") and name.endswith(")"):
        name = name[5:-1]
    name = name.removesuffix("Command")
    snake = "".join(f"_{char.lower()}" if char.isupper() and index else char.lower()
                    for index, char in enumerate(name))
    if snake == "upload":
        return ("Put", "CompleteMultipartUpload")
    return _S3_EVENT_TYPES.get(snake, ("Put",))


def _s3_event_matches(event: str, kinds: tuple[str, ...]) -> bool:
    event = event.strip()
    for kind in kinds:
        full = f"s3:ObjectCreated:{kind}"
        if event == full or (event.endswith("*") and full.startswith(event[:-1])):
            return True
    return False


def _literal_environment(function: Function, name: str, default: str | None) -> str | None:
    value = function.environment.get(name)
    if isinstance(value, str) and "${" not in value:
        return str(value)
    if value is None and name in function.environment_defaults:
        return function.environment_defaults[name][0]
    return default if value is None else None


def _key_bounds(key: StaticValue | None, function: Function, prefix: str, suffix: str
                ) -> tuple[str, str, str | None]:
    """What every written key starts and ends with, and the exact key when fully known. The
    triggering object's key (from the event) starts with the filter prefix and ends with its suffix."""
    if key is None:
        return "", "", None
    pieces: list[tuple[str, str | None, str]] = []   # (kind, literal text or None, keeps)
    for part in key.parts:
        if part.kind == LITERAL:
            pieces.append((LITERAL, part.text, "both"))
        elif part.kind == ENV and (text := _literal_environment(function, part.text, part.default)) is not None:
            pieces.append((LITERAL, text, "both"))
        elif part.kind == EVENT and is_event_object_key(part.text) and part.replaced is not None:
            pieces.append(("replaced-key", _replaced_end(part.replaced, suffix), "none"))
        elif part.kind == EVENT and is_event_object_key(part.text):
            pieces.append(("trigger-key", None, part.keeps))
        else:
            pieces.append(("unknown", None, "none"))
    if all(kind == LITERAL for kind, _, _ in pieces):
        return "", "", "".join(text or "" for _, text, _ in pieces)
    start = []
    for kind, text, keeps in pieces:
        if kind == LITERAL:
            start.append(text or "")
            continue
        if kind == "trigger-key" and keeps in ("both", "prefix"):
            start.append(prefix)
        break
    end = []
    for kind, text, keeps in reversed(pieces):
        if kind == LITERAL:
            end.append(text or "")
            continue
        if kind == "trigger-key" and keeps in ("both", "suffix"):
            end.append(suffix)
        if kind == "replaced-key":
            end.append(text or "")
        break
    return "".join(start), "".join(reversed(end)), None


def _skipped_by_guard(write: ResourceWrite, known_prefix: str, known_suffix: str,
                      exact: str | None) -> Verdict | None:
    """"safe" when a condition the write sits behind rejects the key the write itself produces:
    the invocation that key causes stops at the condition and writes nothing."""
    if exact is not None:
        known_prefix = known_suffix = exact
    for guard in write.key_guards:
        known = known_prefix if guard.end == "prefix" else known_suffix
        holds = known.startswith(guard.text) if guard.end == "prefix" else known.endswith(guard.text)
        possible = holds or (guard.text.startswith(known) if guard.end == "prefix" else guard.text.endswith(known))
        verb = "starts" if guard.end == "prefix" else "ends"
        line = Location(write.location.path, guard.line)
        if not guard.required and holds:
            return Verdict("safe", (f"every key it writes {verb} with {markdown.code(known)}, and the condition at "
                                    f"{markdown.code(str(line))} skips incoming keys that {verb[:-1]} with "
                                    f"{markdown.code(guard.text)}"), evidence_line=line, by_code=True)
        if guard.required and not possible:
            return Verdict("safe", (f"every key it writes {verb} with {markdown.code(known)}, and the write runs "
                                    f"only for incoming keys that {verb[:-1]} with {markdown.code(guard.text)} "
                                    f"(the condition at {markdown.code(str(line))})"),
                           evidence_line=line, by_code=True)
    return None


def _replaced_end(replaced: tuple[str, str], suffix: str) -> str:
    """How the incoming key ends after `.replace(old, new)`, when it ended with `suffix`: with
    `new` when `suffix` ends with `old` and `old` cannot overlap itself (so the scan from the left
    replaces that last occurrence whole); otherwise nothing is known."""
    old, new = replaced
    overlaps = any(old[:size] == old[-size:] for size in range(1, len(old)))
    return new if old and suffix.endswith(old) and not overlaps else ""


def _record_skipped_by_guard(write: ResourceWrite) -> Verdict | None:
    """"safe" when the write runs only for stream records whose attribute passes a condition
    that the item it writes, with a constant value for that attribute, fails (or the reverse)."""
    written = dict(write.item)
    for guard in write.key_guards:
        value = written.get(guard.attribute) if guard.attribute else None
        if value is None:
            continue
        if guard.end == "prefix":
            passes = value.startswith(guard.text)
        elif guard.end == "suffix":
            passes = value.endswith(guard.text)
        else:
            passes = value == guard.text
        if passes == guard.required:
            continue
        how = {"prefix": "starts with", "suffix": "ends with", "equals": "is"}[guard.end]
        line = Location(write.location.path, guard.line)
        whose = "writes only for records whose" if guard.required else "skips records whose"
        return Verdict("safe", (f"the item it writes has {markdown.code(guard.attribute)} = "
                                f"{markdown.code(value)}, and it {whose} {markdown.code(guard.attribute)} "
                                f"{how} {markdown.code(guard.text)} (the condition at "
                                f"{markdown.code(str(line))})"), evidence_line=line, by_code=True)
    return None


def _merge_bound(first: str, second: str, at_start: bool) -> str | None:
    """Two facts about one key ("starts with a", "starts with b"): the stronger one, or None when
    no key can satisfy both."""
    if at_start:
        if first.startswith(second):
            return first
        return second if second.startswith(first) else None
    if first.endswith(second):
        return first
    return second if second.endswith(first) else None


def _filter_of(trigger: Trigger) -> tuple[str, str] | None:
    attributes = trigger.attributes
    if attributes.get("prefix_unresolved") or attributes.get("suffix_unresolved"):
        return None
    return str(attributes.get("prefix") or ""), str(attributes.get("suffix") or "")


def _keys_can_go_around(cycle: list[Edge]) -> bool:
    """Follow S3 keys around a cycle: each function's incoming key is the previous function's
    written key, so a prefix written upstream can prove that a filter downstream never matches
    (A writes previews/..., B passes keys through, A only listens to incoming/)."""
    incoming: tuple[str, str] | None = None
    for _ in range(2):
        for index, edge in enumerate(cycle):
            previous = cycle[index - 1]
            bounds_in = _filter_of(previous.trigger) if previous.trigger is not None and \
                previous.trigger.kind == "s3" else None
            target = _filter_of(edge.trigger) if edge.trigger is not None and edge.trigger.kind == "s3" else None
            if edge.write.service != "s3" or bounds_in is None or target is None:
                incoming = None
                continue
            prefix_in, suffix_in = bounds_in
            if incoming is not None:
                merged_prefix = _merge_bound(prefix_in, incoming[0], at_start=True)
                merged_suffix = _merge_bound(suffix_in, incoming[1], at_start=False)
                if merged_prefix is None or merged_suffix is None:
                    return False
                prefix_in, suffix_in = merged_prefix, merged_suffix
            known_prefix, known_suffix, exact = _key_bounds(edge.write.key, edge.writer, prefix_in, suffix_in)
            if exact is not None:
                known_prefix = known_suffix = exact
            prefix, suffix = target
            if prefix and _merge_bound(known_prefix, prefix, at_start=True) is None:
                return False
            if suffix and _merge_bound(known_suffix, suffix, at_start=False) is None:
                return False
            incoming = (known_prefix, known_suffix)
    return True


def _pattern_accepts(expected: Any, value: StaticValue | None, field_name: str, same_function: bool) -> bool | None:
    """Whether an EventBridge pattern field accepts the emitted value: True, False, or None (unknown)."""
    if expected is None:
        return True
    if value is None:
        return None
    if len(value.parts) == 1 and value.parts[0].kind == EVENT and is_event_field(value.parts[0].text, field_name):
        return True if same_function else None   # re-emits the value it received
    if not value.is_literal:
        return None
    text = value.text
    options = expected if isinstance(expected, list) else [expected]
    undecided = False
    for option in options:
        if isinstance(option, str):
            if option == text:
                return True
        elif isinstance(option, dict) and len(option) == 1:
            (operator, argument), = option.items()
            result = _operator(str(operator), argument, text)
            if result is True:
                return True
            if result is None:
                undecided = True
        else:
            undecided = True
    return None if undecided else False


def _operator(operator: str, argument: Any, text: str) -> bool | None:
    if operator == "prefix" and isinstance(argument, str):
        return text.startswith(argument)
    if operator == "suffix" and isinstance(argument, str):
        return text.endswith(argument)
    if operator == "equals-ignore-case" and isinstance(argument, str):
        return text.lower() == argument.lower()
    if operator == "wildcard" and isinstance(argument, str):
        return fnmatch.fnmatchcase(text, argument)
    if operator == "exists":
        return bool(argument)
    if operator == "anything-but":
        if isinstance(argument, str):
            return text != argument
        if isinstance(argument, list) and all(isinstance(item, str) for item in argument):
            return text not in argument
        if isinstance(argument, dict) and isinstance(argument.get("prefix"), str):
            return not text.startswith(argument["prefix"])
    return None
