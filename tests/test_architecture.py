"""The house rules of `docs/architecture.md`, checked on the source so a change cannot drift from them.

Each test reads `reviewer/` (and, for the map itself, `docs/architecture.md`) as text or with `ast`
(nothing is imported) and names the offending file, so a newcomer who breaks a rule learns which
rule and where.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reviewer"
MAX_MODULE_LINES = 600

# Modules still over the size limit: the list may only shrink.
OVERSIZED: set[str] = set()

# Modules outside inventory/ that still know a format's spelling: the list may only shrink.
FORMAT_AWARE: set[str] = set()

FORMAT_NAMES = {"sam", "cloudformation", "serverless", "terraform", "cdk", "container"}
# The format subpackages: outside inventory/, only its format-free doors are imported.
FORMAT_PACKAGES = ("cloudformation", "terraform", "serverless", "cdk", "container")
# Spellings of one format that a format-free room has no reason to write.
FORMAT_WORDS = {"cdk.out", "fromInline", "from_inline", "InlineCode", "QueueConfigurations", "TopicConfigurations"}

# Who may build a Finding by hand: its own module, the catalogue, and the readers of other tools' output.
FINDING_BUILDERS = {"findings.py", "rules/rule.py", "analyzers/bandit_findings.py", "publish/artifact.py"}


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _module_name(path: Path) -> str:
    parts = ["reviewer", *path.relative_to(PACKAGE).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _string_constants(tree: ast.AST) -> list[str]:
    """String literals that are not docstrings."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_module_grows_past_the_size_limit() -> None:
    over = {_relative(path) for path in _modules()
            if len(path.read_text(encoding="utf-8").splitlines()) > MAX_MODULE_LINES}
    assert over <= OVERSIZED, f"modules over {MAX_MODULE_LINES} lines: {sorted(over - OVERSIZED)}"
    assert OVERSIZED <= over, f"now under the limit, drop them from OVERSIZED: {sorted(OVERSIZED - over)}"


def _reads_a_format(tree: ast.AST) -> bool:
    """Does the code compare a function's `format`, import a format's subpackage, or spell a
    CloudFormation intrinsic, a Terraform type or another format's own word?"""
    for node in ast.walk(tree):
        modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if any(module.startswith(f"reviewer.inventory.{package}") for module in modules for package in FORMAT_PACKAGES):
            return True
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "format"
                and any(isinstance(item, ast.Constant) and item.value in FORMAT_NAMES
                        for side in node.comparators for item in ast.walk(side))):
            return True
    for text in _string_constants(tree):
        if text.startswith(("Fn::", "AWS::")) or text in {"Ref", "!Ref", "!GetAtt", "!Sub"} or text in FORMAT_WORDS:
            return True
        if text.startswith("aws_") and text.replace("_", "").isalnum() and text != "aws_lambda_powertools":
            return True
    return False


@pytest.mark.parametrize("room", ["analyzers", "code", "review", "publish", "account"])
def test_format_knowledge_stays_in_inventory(room: str) -> None:
    aware = {_relative(path) for path in (PACKAGE / room).rglob("*.py")
             if _reads_a_format(ast.parse(path.read_text(encoding="utf-8")))}
    expected = {name for name in FORMAT_AWARE if name.startswith(room + "/")}
    assert aware <= expected, f"format knowledge outside inventory/: {sorted(aware - expected)}"
    assert expected <= aware, f"no longer format-aware, drop them from FORMAT_AWARE: {sorted(expected - aware)}"


def test_findings_are_built_by_rules() -> None:
    builders = set()
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding":
                builders.add(_relative(path))
    assert builders <= FINDING_BUILDERS, f"Finding( built outside the catalogue: {sorted(builders - FINDING_BUILDERS)}"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:` (imports for annotations only)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            skipped.update(id(child) for child in ast.walk(node))
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def _imports(path: Path) -> set[str]:
    """Every `reviewer.*` module `path` imports at run time, at the top or inside a function."""
    found: set[str] = set()
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("reviewer"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.startswith("reviewer"):
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


# Cycles known today: the list may only shrink.
KNOWN_CYCLES: set[frozenset[str]] = set()


def test_no_import_cycle() -> None:
    modules = {_module_name(path): path for path in _modules()}
    graph = {name: {target for target in _imports(path) if target in modules and target != name}
             for name, path in modules.items()}
    # A package's __init__ re-exporting its children is not a cycle between rooms.
    for name in graph:
        graph[name] = {target for target in graph[name] if not name.startswith(target + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: set[frozenset[str]] = set()

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                cycles.add(frozenset(cycle))
                continue
            if target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    new = [sorted(cycle) for cycle in cycles - KNOWN_CYCLES]
    assert not new, f"import cycles: {new}"
    assert KNOWN_CYCLES <= cycles, f"cycles gone, drop them from KNOWN_CYCLES: {KNOWN_CYCLES - cycles}"


# `account/` is a room below them: the deployed functions' pipeline, which both faces call.
FACES = {"reviewer.cli", "reviewer.action"}


def test_a_face_never_imports_another_face() -> None:
    for path in _modules():
        name = _module_name(path)
        face = next((item for item in FACES if name == item or name.startswith(item + ".")), None)
        if face is None:
            continue
        others = {target for target in _imports(path)
                  for item in FACES - {face} if target == item or target.startswith(item + ".")}
        assert not others, f"{_relative(path)} imports another face: {sorted(others)}"


ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
_BLOCK_START = re.compile(r"\||-\s|\d+\.\s|#")


def _blocks(text: str) -> list[str]:
    """The page's blocks: a heading, a table row, a list item or a paragraph, with its wrapped lines."""
    blocks: list[str] = []
    joining = False
    for line in text.splitlines():
        if not line.strip():
            joining = False
        elif joining and not _BLOCK_START.match(line):
            blocks[-1] += " " + line.strip()
        else:
            blocks.append(line.strip())
            joining = not line.startswith(("|", "#"))
    return blocks


def _spans(block: str) -> set[str]:
    """The words of the block's code spans (split at spaces, parentheses and commas), `reviewer/` dropped."""
    return {word.removeprefix("reviewer/")
            for span in re.findall(r"`([^`]+)`", block) for word in re.split(r"[\s(),]+", span) if word}


def _named(relative: str, spans: set[str]) -> bool:
    """By its path, or by a dotted name with a dot of its own (`reviewer.scan`, `analyzers.run`: not `scan`)."""
    dotted = relative.removesuffix(".py").replace("/", ".")
    names = {"reviewer." + dotted} | ({dotted} if "." in dotted else set())
    return relative in spans or any(span == name or span.startswith(name + ".") for span in spans for name in names)


def _room_named(relative: str, spans: set[str]) -> bool:
    room, _, inner = relative.partition("/")
    if not inner or not any(span.startswith((room + "/", room + ".")) for span in spans):
        return False
    return inner in spans or ("/" not in inner and inner.removesuffix(".py") in spans)


def test_every_module_is_on_the_map() -> None:
    """Every module of `reviewer/` but `__init__.py` and `__main__.py` is named in `docs/architecture.md`,
    by a word of a code span (split at spaces, parentheses and commas), in one of two ways:

    - anywhere on the page, by its path from `reviewer/` (`analyzers/iam.py`, `suppress.py`; a
      leading `reviewer/` allowed) or its dotted name, alone or before an attribute
      (`analyzers.run.start_analyzers`, `reviewer.rules_doc`; a module of the top folder only
      with `reviewer.`, since `scan` or `config` alone is a word of many spans);
    - in a block (a table row, a list item or a paragraph) with a word that is its room's folder
      or a path or dotted name in it (`analyzers/`, `code/dependency_files.py`), by its path from that
      folder (`iam.py` in the analyzers row, `cdk/policies.py` in the inventory row) or, for a
      module directly in the folder, by its name (`taint_python_flow` in the code row).

    A pattern (`taint_<language>_sinks`, `javascript_*`) names no module.
    """
    blocks = [_spans(block) for block in _blocks(ARCHITECTURE.read_text(encoding="utf-8"))]
    everywhere = set().union(*blocks)
    missing = [relative for relative in (_relative(path) for path in _modules())
               if Path(relative).name not in {"__init__.py", "__main__.py"}
               and not _named(relative, everywhere)
               and not any(_room_named(relative, spans) for spans in blocks)]
    assert not missing, f"modules docs/architecture.md does not name ({len(missing)}): {missing}"
