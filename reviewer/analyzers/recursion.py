"""Recursive invocation (LR200–LR205): functions whose own writes invoke them again.

For every function, its triggers come from the inventory and its writes from a static reading
of its handler code (`reviewer/code/`). A write whose target is the resource a trigger listens
to closes a loop (LR201), unless an S3 filter provably keeps the written keys out (LR203); a
Lambda invoke of the function's own name is LR200; a write the review cannot follow, to a
service that triggers the function, is LR204; `RecursiveLoop: Allow` is LR202. Loops through
several functions are the cycles of the graph "function writes to a resource that triggers
another function" (LR205). Each loop finding carries the loop, so the summary can draw it.

This module decides; `recursion_verdicts` judges one write against one trigger,
`recursion_messages` words the findings, `recursion_triggers` adds the triggers that permissions
and deliveries imply, and `recursion_targets` resolves what a trigger or a write names.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from reviewer.analyzers.interface import AnalysisContext
from reviewer.analyzers.rule_finding import SharedFindings
from reviewer.analyzers.recursion_messages import (
    NOUNS, add_not_read, coverage, cycle_finding, loop_detection_off_findings, loop_finding, resource_noun,
    safe_finding, self_invocation_finding, unresolved_finding,
)
from reviewer.analyzers.recursion_record_filters import filter_verdict
from reviewer.analyzers.recursion_targets import Resolution, ResourceKey, TargetResolver
from reviewer.analyzers.recursion_triggers import derived_triggers
from reviewer.analyzers.recursion_verdicts import (
    RECORD_KINDS, Edge, Verdict, eventbridge_verdict, keys_can_go_around, record_skipped_by_guard,
    records_can_go_around, s3_verdict,
)
from reviewer.code.reader import read_function_code
from reviewer.code.values import ResourceWrite
from reviewer.inventory.targets import WRITTEN
from reviewer.findings import Finding
from reviewer.model import Function, Trigger

# Which trigger kind a write to each service can fire.
TRIGGER_KIND_OF_SERVICE = {
    "s3": "s3", "sqs": "sqs", "sns": "sns", "dynamodb": "dynamodb", "kinesis": "kinesis", "events": "eventbridge",
}
MAX_CYCLES = 20
MAX_CYCLE_LENGTH = 6


class RecursionAnalyzer:
    name = "recursion"

    def analyze(self, context: AnalysisContext) -> Iterable[Finding]:
        return list(_Review(context).findings())

    def prepare(self, context: AnalysisContext, function: Function) -> None:
        """The function's reading (its writes), kept in the scan's code cache for `analyze`."""
        read_function_code(context.workspace, function, context.code_cache)


class _Review:
    def __init__(self, context: AnalysisContext) -> None:
        self.context = context
        self.functions = context.inventory.functions
        self.resolver = TargetResolver(context.inventory.documents, context.inventory.deliveries,
                                       context.inventory.nested_stacks)
        # Each answer is kept with the trigger it answers, which the key names by `id`: held here,
        # the trigger cannot be freed and its number given to another one while the answer is kept.
        # `derived_triggers` builds a trigger for each invoke permission, resolves it and drops the
        # ones its own triggers cover; keyed by number alone, the next permission's trigger, made
        # at a dropped one's address, took that one's bucket (and was dropped as covered too).
        self.trigger_resolutions: dict[tuple[int, int], tuple[Trigger, Resolution]] = {}
        self.self_loops: set[tuple[int, str]] = set()   # (function, resource label) with LR201
        self._trigger_index: dict[str, dict[ResourceKey, list[tuple[int, int]]]] = {}
        self._function_index: dict[ResourceKey, list[int]] | None = None
        self.all_triggers: dict[int, list[Trigger]] = {}
        self.reported: set[int] = set()          # the functions whose findings are reported (`findings`)
        self.not_read = SharedFindings()         # LR206, one per declaration however many functions share it

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
            yield from loop_detection_off_findings(function)
        seeds = [function for function in self.functions if self.context.in_focus(function)]
        reported = self.reported = {id(function) for function in seeds}
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
        yield from self.not_read.findings()
        for finding, members in self._cycles(edges):
            if members & reported:
                yield finding

    def _function_findings(self, function: Function, cache: dict, edges: list[Edge]) -> Iterator[Finding]:
        """One function's own loops (LR200, LR201, LR203, LR204); its edges to others go to `edges`."""
        reading = read_function_code(self.context.workspace, function, cache)
        function.loop_coverage = coverage(reading)
        if any(trigger.kind in NOUNS for trigger in self.triggers(function)):
            yield from reading.notices
            if reading.skipped is not None and function.package_type.lower() != "image" \
                    and id(function) in self.reported:
                add_not_read(self.not_read, function, self.triggers(function), reading.skipped,
                             reading.other_language)
        for write in reading.writes:
            target = self.resolver.code_value(write.target, function, write.service)
            if target.names_nothing:
                continue                     # an empty name: the call reaches no resource
            if write.service == "lambda":
                yield from self._invoke(function, write, target, edges)
                continue
            kind = TRIGGER_KIND_OF_SERVICE.get(write.service)
            if kind is None:
                continue
            yield from self._own_triggers(function, write, target, kind)
            edges.extend(self._edges_to_others(function, write, target, kind))

    def _invoke(self, function: Function, write: ResourceWrite, target: Resolution,
                edges: list[Edge]) -> Iterator[Finding]:
        if target.is_self or target.meets(Resolution(self.resolver.function_keys(function))):
            yield self_invocation_finding(function, write, target)
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

    # -- LR201 / LR203 / LR204 -------------------------------------------------------------------

    def _trigger_resolution(self, function: Function, trigger: Trigger) -> Resolution:
        key = (id(function), id(trigger))      # the function lives as long as the scan's inventory
        known = self.trigger_resolutions.get(key)
        if known is not None and known[0] is trigger:
            return known[1]
        if trigger.kind == "eventbridge" and trigger.target is None:
            bus = trigger.attributes.get("bus", "default")
            resolution = self.resolver.intrinsic(bus if bus is not None else "default", function)
        elif trigger.target is not None and trigger.target.kind == "unresolved" and WRITTEN in trigger.attributes:
            # `Queue: !Sub "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${JobsQueueName}"`
            resolution = self.resolver.intrinsic(trigger.attributes[WRITTEN], function)
        else:
            resolution = self.resolver.reference(trigger.target, function,
                                                 physical=trigger.attributes.get("target_name"))
        self.trigger_resolutions[key] = (trigger, resolution)
        return resolution

    def _own_triggers(self, function: Function, write: ResourceWrite, target: Resolution,
                      kind: str) -> Iterator[Finding]:
        unknown: list[tuple[Trigger, Verdict]] = []
        for trigger in self.triggers(function):
            if trigger.kind != kind:
                continue
            verdict = self.judge(function, write, target, function, trigger)
            if verdict.outcome == "loop":
                self.self_loops.add((id(function), self._resource_label(function, trigger)))
                yield loop_finding(function, write, target, trigger, verdict, self._resource_label(function, trigger))
            elif verdict.outcome == "safe":
                yield safe_finding(function, write, target, trigger, verdict, self._resource_label(function, trigger))
            elif verdict.outcome == "unknown":
                unknown.append((trigger, verdict))
        if unknown:
            yield unresolved_finding(function, write, target, kind, unknown)

    def judge(self, writer: Function, write: ResourceWrite, target: Resolution, reader: Function,
              trigger: Trigger) -> Verdict:
        source = self._trigger_resolution(reader, trigger)
        same = trigger.kind in target.event_kinds and (writer is reader or source.meets(self._event_origin(writer, trigger.kind)))
        unresolved = ""
        if not same and not target.meets(source):
            # an open side (a parameter without a default) may still take the other's name
            if not target.resolved or target.open:
                unresolved = f"the {resource_noun(trigger.kind)} the write targets: {target.unresolved}"
            elif not source.resolved or source.open:
                unresolved = f"the {resource_noun(trigger.kind)} the trigger names: {source.unresolved}"
            else:
                return Verdict("none")
        verdict = self._content_verdict(writer, write, reader, trigger)
        if not unresolved:
            return verdict
        # Which resource the write reaches is unknown, but what it writes may settle it: an event
        # the rule's pattern refuses, an object of another event type or outside the key filter,
        # records the filter criteria or the handler's own guard drop cannot invoke this trigger
        # on any resource (an event with source `ledger.badges` under a rule for `accounts`).
        return Verdict("none") if verdict.outcome in ("none", "safe") else Verdict("unknown", unresolved)

    def _content_verdict(self, writer: Function, write: ResourceWrite, reader: Function,
                         trigger: Trigger) -> Verdict:
        """What the write would do to the trigger were it on the trigger's resource: its pattern,
        event types, key and record filters, and the handler's guards judged."""
        if trigger.kind == "s3":
            return s3_verdict(writer, write, trigger, same_function=writer is reader)
        if trigger.kind == "eventbridge":
            return eventbridge_verdict(write, trigger, writer is reader)
        filtered = filter_verdict(write, trigger)
        if filtered is not None and filtered.outcome == "safe":
            return filtered
        if trigger.kind in RECORD_KINDS and writer is reader:
            skipped = record_skipped_by_guard(write, trigger.kind)
            if skipped is not None:
                return skipped
        # A filter it cannot evaluate is said by the finding (`unknown_filter`).
        return filtered if filtered is not None else Verdict("loop")

    def _event_origin(self, function: Function, kind: str) -> Resolution:
        keys: set[ResourceKey] = set()
        for trigger in self.triggers(function):
            if trigger.kind == kind:
                keys |= self._trigger_resolution(function, trigger).keys
        return Resolution(frozenset(keys))

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
            if not keys_can_go_around(cycle) or not records_can_go_around(cycle):
                continue
            yield cycle_finding(cycle), {id(edge.writer) for edge in cycle}
