"""Readers added in session 13 whose work grew faster than the input, on hostile repositories.

Each test counts the work on an input small enough for the old code to finish, and large enough
that the old count shows the blow-up (the same shapes, a little larger, never finished).
"""

from __future__ import annotations

from pathlib import Path

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _cycle_template(other: str, references: int) -> str:
    refs = ", ".join(["!Ref Shared"] * references)
    return f"""\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Shared: {{Type: CommaDelimitedList}}
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./{other}
      Parameters:
        Shared: !Join [",", [{refs}]]
  Worker:
    Type: AWS::Serverless::Function
    Properties: {{Runtime: python3.12, Handler: app.handler, CodeUri: src/, Layers: !Ref Shared}}
"""


def test_nested_layers_follow_each_parameter_once_round_a_cycle(tmp_path, monkeypatch):
    """Two templates nesting each other, each passing its parameter on as a list of references
    to itself: the old reader followed every reference down to its hop limit (4**7 values for
    four references, 20**7 for twenty)."""
    from reviewer.inventory.cloudformation import nested_layers

    _write(tmp_path, {"a.yaml": _cycle_template("b.yaml", 4), "b.yaml": _cycle_template("a.yaml", 4),
                      "src/app.py": "def handler(event, context):\n    return None\n"})
    followed = []
    original = nested_layers.NestedLayers._value

    def counting(self, *args, **kwargs):
        followed.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(nested_layers.NestedLayers, "_value", counting)
    inventory = build_inventory(Workspace(tmp_path))
    assert sorted(f.location.path for f in inventory.functions) == ["a.yaml", "b.yaml"]
    assert len(followed) < 100


class _CountedEntries(list):
    """A literal's entries that count each entry handed out, slices included."""

    handed: list[int] = []

    def __iter__(self):
        for item in list.__iter__(self):
            self.handed.append(1)
            yield item

    def __getitem__(self, index):
        found = list.__getitem__(self, index)
        return _CountedEntries(found) if isinstance(index, slice) else found


def test_construct_class_spreads_are_read_in_one_pass(monkeypatch):
    """`new Function(this, id, {...props, ...props, ...})` in a construct class's constructor:
    each spread asked which keys follow it, the square of the literal's length (20,000 spreads
    took seconds, a megabyte of them never finished)."""
    from reviewer import source_trees as st
    from reviewer.inventory.cdk import class_factories

    spreads = ", ".join(["...props"] * 400)
    source = ("export class Fn extends Construct {\n  constructor(scope: Construct, id: string, props: any) {\n"
              f"    new lambda.Function(this, id, {{ {spreads}, handler: 'a.b' }});\n  }}\n}}\n")
    tree = st.parse("typescript", source)
    literal = next(node for node in st.walk(tree.root_node) if node.type == "object")
    constructor = next(node for node in st.walk(tree.root_node) if node.type == "method_definition")
    original = class_factories.literal_entries
    _CountedEntries.handed = []
    monkeypatch.setattr(class_factories, "literal_entries", lambda node: _CountedEntries(original(node) or []))
    roles = class_factories.spread_roles(constructor, literal, ["scope", "id", "props"])
    assert roles == {"runtime": "props.runtime", "entry": "props.entry", "asset": "props.code", "index": "props.index",
                     "environment": "props.environment"}   # the spread passes the caller's environment (and index) too
    assert len(_CountedEntries.handed) < 10 * 401


def test_python_construct_class_is_judged_once_for_all_its_calls(monkeypatch):
    """A file calling its own class `X(1, 2)` thousands of times: each call looked for the class
    among the file's statements and walked its `__init__` again (twenty thousand calls took half a
    minute)."""
    from reviewer.inventory.cdk import python

    calls, inner = 300, 50
    source = "\n".join(["from aws_cdk import aws_lambda as _lambda", *["X(1, 2)"] * calls, "class X:",
                        "    def __init__(self, scope, id):", *["        helper(1)"] * inner,
                        "        _lambda.Function(self, id, runtime=_lambda.Runtime.PYTHON_3_12, handler='a.b',"
                        " code=_lambda.Code.from_asset('src'))"]) + "\n"
    asked = []
    original = python._Reader._construct

    def counting(self, func):
        asked.append(1)
        return original(self, func)

    monkeypatch.setattr(python._Reader, "_construct", counting)
    assert python.python_constructs(source)
    assert len(asked) < 5 * (calls + inner)


def test_serverless_ts_namespace_reads_each_re_exported_module_once(tmp_path, monkeypatch):
    """`import * as functions from './functions'` of an index repeating `export * from './b'`,
    whose module repeats `export * from './c'`: every repetition read the module below again, the
    product of the repetitions (a thousand of each took twenty seconds)."""
    from reviewer.inventory.serverless import script

    repeats = 60
    _write(tmp_path, {
        "serverless.ts": ("import * as functions from './src/functions/index';\n"
                          "const configuration = { service: 'svc', provider: { name: 'aws', runtime: 'nodejs20.x' },"
                          " functions };\nmodule.exports = configuration;\n"),
        "src/functions/index.ts": "export * from './b';\n" * repeats,
        "src/functions/b.ts": "export * from './c';\n" * repeats,
        "src/functions/c.ts": "export const hello = { handler: 'src/functions/hello.main' };\n",
        "src/functions/hello.ts": "export const main = async () => ({ statusCode: 200 });\n",
    })
    read = []
    original = script._ScriptReader.namespace

    def counting(self, *args, **kwargs):
        read.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(script._ScriptReader, "namespace", counting)
    inventory = build_inventory(Workspace(tmp_path))
    assert [(f.name, f.handler) for f in inventory.functions] == [("hello", "src/functions/hello.main")]
    assert len(read) < 10
