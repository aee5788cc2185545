"""What the CDK state machine readers of each language share (`state_machines.py` for the
tree-sitter languages, `state_machines_python.py` for Python): the constructs read, the tasks and
machines they find, and the names each variable of a definition stands for."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

KIND = "stepfunctions"
# Words one of the tasks is written with; a file without any is not read again.
MARKERS = ("LambdaInvoke", "RunLambdaTask", "InvokeFunction", "CallAwsService", "efinitionSubstitutions",
           "definition_substitutions")
LAMBDA_TASKS = frozenset({"LambdaInvoke"})
V1_TASKS = frozenset({"RunLambdaTask", "InvokeFunction"})
AWS_SERVICE_TASKS = frozenset({"CallAwsService"})
MACHINES = frozenset({"StateMachine"})
RULE_TARGETS = frozenset({"SfnStateMachine"})
SCHEDULE_TARGETS = frozenset({"StepFunctionsStartExecution"})
API_CONSTRUCTS = frozenset({"StepFunctionsRestApi", "HttpStepFunctionsIntegration"})
# The members a function's version, a function's or a machine's name is read through.
VERSIONS = frozenset({"currentVersion", "latestVersion", "current_version", "latest_version"})
NAMES = frozenset({"functionName", "functionArn", "function_name", "function_arn", "stateMachineArn",
                   "state_machine_arn", "stateMachineName", "state_machine_name"})
# Values walked to decide a payload is fixed, and expressions walked to follow a definition.
MAX_PAYLOAD_NODES = 2_000
MAX_REACH_NODES = 50_000      # names walked for all the machines of one file together
MAX_STATES = 500

Node = TypeVar("Node")


@dataclass
class Task:
    """One task invoking a function: the function's variable, where, how it is named, the span of the
    state a definition names (the task, or what it is written in), and its payload."""

    function: str
    line: int
    name: str
    span: tuple[Any, Any]
    fixed: bool = False
    qualified: bool = False
    machine: "Machine | None" = None     # a machine's `definitionSubstitutions` name the function itself


@dataclass
class Machine:
    """One state machine: its variable, its name (its construct id; empty when the id is computed),
    the line it is made at, the definition's expressions, the method that returns it (`return new
    StateMachine(...)` in `createWorkflow()`), the other variables that hold it (`const workflow =
    this.createWorkflow()`), and its starters."""

    variable: str | None
    name: str
    line: int
    definition: list[Any] = field(default_factory=list)
    returned_by: str | None = None
    aliases: set[str] = field(default_factory=set)
    starters: list[str] = field(default_factory=list)


@dataclass
class Reading(Generic[Node]):
    """What a file says about its state machines, in one language's nodes: the tasks and machines,
    the expressions each name stands for (its values and what is chained onto it), and how to list
    the names an expression mentions, the span it covers and the function it is written in."""

    tasks: list[Task]
    machines: list[Machine]
    starters: list[tuple[str, str]]         # (machine's variable, kind)
    edges: dict[str, list[Node]]
    names_in: Callable[[Node], Iterable[str]]
    span: Callable[[Node], tuple[Any, Any]]
    scope: Callable[[Node], Any]     # the function or method around a node (None: the file's top)


def linked(assigned: dict[str, list[Node]], chained: dict[str, list[Node]]) -> dict[str, list[Node]]:
    """What each variable stands for: the values assigned to it and the arguments of the methods
    called on it. A name the file assigns nothing to (a module, `tasks` of `new tasks.LambdaInvoke`,
    `this`) links nothing: through it every task of the file would reach every machine."""
    edges = {name: list(values) for name, values in assigned.items()}
    for name, values in chained.items():
        if name in edges:
            edges[name].extend(values[:MAX_STATES])
    return edges


__all__ = ["KIND", "Machine", "Reading", "Task", "linked"]
