"""LR904 notices of a serverless.ts/js, said once per thing the review could not read.

A serverless.ts often fills a whole block from a module read when the file runs:

    environment: { ELASTIC_URL: config.ELASTIC_URL, ELASTIC_APP_ENGINE: config.ELASTIC_APP_ENGINE, ... }

Eleven values computed the same way are one fact, not eleven; and a plain environment value is
not "a Lambda function declared in a form the review cannot read" (the functions are read). So
the reader records each unread value (`UnreadValue`) and this module turns them into notices:

- a function, or the `functions`/`provider` block itself, left unread: one notice each, in the
  words of `unread_declaration_notice` (that is what it is: a declaration the review cannot read);
- unread values inside what a function depends on (`provider.environment`, a function's events):
  one notice per block, naming its keys and, when they all come from one name (`config`,
  `process.env`), that name;
- everything else (`custom`, `resources`, `provider.region`): one notice per file, naming them;
  a `custom` value no `${self:custom...}` variable uses is left out (only variables read it).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import tree_sitter

from reviewer import markdown
from reviewer import source_trees as st
from reviewer.findings import Finding
from reviewer.rules import LR904
from reviewer.workspace import unread_declaration_notice

Node = tree_sitter.Node
SHOWN_KEYS = 3
_DECLARATION, _SHARED, _BLOCK, _FILE = "declaration", "shared", "block", "file"     # kinds of notice
MAX_DEPTH = 60
# Wrappers between a value and the name it is read from: `config.A.toString()`, `env!.A`, `(cfg).A`.
_CHAIN_FIELDS = {"member_expression": "object", "subscript_expression": "object", "call_expression": "function"}


@dataclass(frozen=True)
class UnreadValue:
    """One value of the file known only when it runs: where, what, and which setting it is."""

    path: str
    line: int
    form: str              # "`config.A`, a value computed when the file runs"
    setting: str           # its key path, `provider.environment.A`; "" when not known
    origin: str | None     # the one name it is read from (markdown), `config` (imported from `src/config`)
    about_functions: bool  # whether a function's review needs it (else: one notice per file)


def origin_of(node: Node, imports: dict[str, tuple[str, str]], declared: Collection[str]) -> str | None:
    """The name a computed value is read from, in markdown: `process.env`, or a name imported
    (`config`, with the module it is imported from) or `declared` in the file; None otherwise."""
    chain: list[Node] = []
    current: Node | None = node
    for _ in range(20):
        current = st.unwrap(current)
        if current is None or current.type not in _CHAIN_FIELDS:
            break
        chain.append(current)
        current = current.child_by_field_name(_CHAIN_FIELDS[current.type])
    if current is None or current.type != "identifier" or not chain:
        return None
    name = st.text(current)
    if name == "process" and "".join(st.text(chain[-1]).split()).startswith("process.env"):
        return f"{markdown.code('process.env')} (the environment of the machine that runs `serverless`)"
    imported = imports.get(name)
    if imported is not None:
        return f"{markdown.code(name)} (imported from {markdown.code(imported[0])})"
    # a name of the file; a global (`Object.keys(...)`, `JSON.parse(...)`) is no source to name
    return str(markdown.code(name)) if name in declared else None


def unread_notices(values: list[UnreadValue], limit: int, configuration: object = None) -> list[Finding]:
    """The notices for `values`, in the order they were met, at most `limit` per file; an unread
    declaration (a function, the `functions` block) is said before any value inside one, so the
    limit never leaves a function that could not be read unsaid.

    `custom` holds plugin settings and values for `${self:custom...}` variables; the review reads
    it only through such variables, so an unread `custom` value no variable of `configuration`
    refers to changes nothing the review says, and is not noticed."""
    referenced = self_references(configuration)
    # one value read twice (a literal's setting and a spread of it, `{...config.custom, a}`) is one fact
    kept = [value for value in dict.fromkeys(values)
            if not _unused_custom(value.setting, referenced) and not _event_detail(value.setting)]
    shared = _shared_settings(kept)
    groups: dict[tuple[str, str, str], list[UnreadValue]] = {}
    for value in kept:
        function_setting = _function_setting(value.setting)
        if _is_declaration(value.setting):
            key = (value.path, f"{value.line}:{value.setting}", _DECLARATION)
        elif function_setting is not None and (value.path, function_setting[1], value.form) in shared:
            key = (value.path, f"{function_setting[1]}\n{value.form}", _SHARED)
        elif value.about_functions:
            key = (value.path, _block(value.setting), _BLOCK)
        else:
            key = (value.path, "", _FILE)     # one per file for what no function needs
        groups.setdefault(key, []).append(value)
    notices: list[Finding] = []
    per_file: dict[str, int] = {}
    ordered = sorted(groups.items(), key=lambda group: group[0][2] != _DECLARATION)     # declarations first, stable
    for (path, block, kind), members in ordered:
        if per_file.get(path, 0) >= limit:
            continue
        per_file[path] = per_file.get(path, 0) + 1
        first = members[0]
        if kind == _DECLARATION:
            notices.append(unread_declaration_notice(path, first.line, first.form, first.setting or None))
        elif kind == _SHARED:
            notices.append(_shared_values(path, members))
        elif len(members) == 1:
            notices.append(_one_value(first))
        elif kind == _BLOCK:
            notices.append(_block_values(path, block, members))
        else:
            notices.append(_file_values(path, members))
    return notices


def _function_setting(setting: str) -> tuple[str, str] | None:
    """`functions.express.vpc` → (`express`, `vpc`): a value inside one function's settings."""
    if not setting.startswith("functions."):
        return None
    name, dot, rest = setting[len("functions."):].partition(".")
    return (name, rest) if dot and rest and "[" not in name else None


def _shared_settings(values: list[UnreadValue]) -> set[tuple[str, str, str]]:
    """(file, setting, form) of an unread value several functions of a file share: each function
    made by a helper called with `vpc: env.CI ? {...} : undefined` is one fact, said once."""
    functions: dict[tuple[str, str, str], set[str]] = {}
    for value in values:
        found = _function_setting(value.setting)
        if found is not None:
            functions.setdefault((value.path, found[1], value.form), set()).add(found[0])
    return {key for key, names in functions.items() if len(names) > 1}


def self_references(value: object, depth: int = 0) -> set[str]:
    """The addresses `${self:custom.table}` variables in `value`'s strings point at (`custom.table`)."""
    found: set[str] = set()
    if depth > MAX_DEPTH:
        return found
    if isinstance(value, str):
        start = value.find("self:")
        while start >= 0:
            end = start + len("self:")
            while end < len(value) and (value[end].isalnum() or value[end] in "_-."):
                end += 1
            found.add(value[start + len("self:"):end].strip("."))
            start = value.find("self:", end)
    elif isinstance(value, dict):
        for item in value.values():
            found |= self_references(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            found |= self_references(item, depth + 1)
    return found


def _unused_custom(setting: str, referenced: set[str]) -> bool:
    """An unread value under `custom` that no `${self:...}` refers to (nor to a part of it)."""
    if setting != "custom" and not setting.startswith(("custom.", "custom[")):
        return False
    return not any(_overlaps(setting, address) for address in referenced)


# Parts of an event the review reads only for being there, if at all: an API's documentation for
# the serverless-openapi-documentation and serverless-aws-documentation plugins (request models,
# descriptions), whole or in part, each schema of `request.schemas` (whether there are any is
# what LR305 asks: a computed `schemas` block itself is still said), and a schedule's rate (when it
# runs; that it runs on a schedule is what the review reads).
_EVENT_DETAILS = ((("documentation",), 1), (("request", "schemas"), 3), (("request", "schema"), 3), (("rate",), 1))


def _event_detail(setting: str) -> bool:
    """An unread value inside an event's documentation, a request schema
    (`functions.signIn.events[0].http.documentation.requestModels.application/json`) or a
    schedule's rate (`schedule.rate[0]: isProd ? "cron(...)" : "cron(...)"`): nothing the
    review says depends on it, so it is not noticed (a reviewer of one such repository read 35)."""
    marker = setting.find(".events[")
    if marker < 0:
        return False
    after = setting[setting.find("]", marker) + 1:].lstrip(".").split(".")
    inside = [part.partition("[")[0] for part in after[1:]]     # past the event's type (`http`); `rate[0]` is `rate`
    return any(len(inside) >= length and tuple(inside[:len(detail)]) == detail for detail, length in _EVENT_DETAILS)


def _overlaps(setting: str, address: str) -> bool:
    """`custom.tables` and `custom.tables.orders` (or `custom`) name overlapping values."""
    shorter, longer = sorted((setting, address), key=len)
    return longer == shorter or longer.startswith((shorter + ".", shorter + "[")) or shorter == ""


def _is_declaration(setting: str) -> bool:
    """A function itself (`functions.hello`, `functions[0].hello` in the older list form), or a
    block read as a whole (`functions`, `provider`): what is unread is the declaration."""
    if setting in ("", "provider", "functions"):
        return True
    if setting.startswith("functions["):
        setting = "functions" + setting[setting.find("]") + 1:]
        if setting == "functions":
            return True
    if not setting.startswith("functions."):
        return False
    name = setting[len("functions."):]
    return "." not in name and "[" not in name


# Lists of like entries a value may sit in: its block is the list, not the one entry
# (`provider.iam.role.statements[3].Resource` and `[1].Condition...` are one block, the statements).
_LIST_BLOCKS = ("statements[", "iamRoleStatements[", "events[")


def _block(setting: str) -> str:
    """The block an unread value is said with: the list of like entries it is in (a role's
    statements, a function's events), else the mapping that holds it."""
    for marker in _LIST_BLOCKS:
        at = setting.find("." + marker)
        if at > 0:
            return setting[:at + len(marker)]
    return _parent(setting)


def _parent(setting: str) -> str:
    """`provider.environment.A` → `provider.environment`; `x.events[0]` → `x.events`."""
    cut = max(setting.rfind("."), setting.rfind("["))
    return setting[:cut] if cut > 0 else setting


def _key(setting: str, block: str) -> str:
    return setting[len(block):].lstrip(".") if block and setting.startswith(block) else setting


def _names(members: list[UnreadValue], block: str) -> str:
    keys = [_key(member.setting, block) for member in members]
    shown = ", ".join(str(markdown.code(key)) for key in keys[:SHOWN_KEYS])
    more = len(keys) - SHOWN_KEYS
    return f"{shown} and {more} more" if more > 0 else shown


def _common_origin(members: list[UnreadValue]) -> str | None:
    origins = {member.origin for member in members}
    return origins.pop() if len(origins) == 1 else None


def _one_value(value: UnreadValue) -> Finding:
    return LR904.finding(
        (f"{markdown.code(value.path)} sets {markdown.code(value.setting)} to {markdown.quoted(value.form)}. The review never runs the "
         "code, so that value is missing from this review."),
        value.path, max(1, value.line), evidence=value.form,
    )


def _shared_values(path: str, members: list[UnreadValue]) -> Finding:
    first = members[0]
    setting = _function_setting(first.setting)
    names = [markdown.code(found[0]) for found in (_function_setting(m.setting) for m in members) if found is not None]
    shown = ", ".join(str(name) for name in names[:SHOWN_KEYS])
    if len(names) > SHOWN_KEYS:
        shown += f" and {len(names) - SHOWN_KEYS} more"
    return LR904.finding(
        (f"{markdown.code(path)} sets {markdown.code(setting[1] if setting else first.setting)} of {len(names)} "
         f"functions ({shown}) to {markdown.quoted(first.form)}. The review never runs the code, so these values "
         "are missing from this review."),
        path, max(1, first.line), evidence=first.form,
    )


def _block_values(path: str, block: str, members: list[UnreadValue]) -> Finding:
    origin = _common_origin(members)
    first = members[0]
    said = (f"come from {origin}, known only when the file runs" if origin is not None else
            f"are computed when the file runs (the first, at line {first.line}: {markdown.quoted(first.form)})")
    return LR904.finding(
        (f"The values of {markdown.code(block)} in {markdown.code(path)} ({len(members)}: "
         f"{_names(members, block)}) {said}. The review never runs the code, so these values are "
         "missing from this review."),
        path, max(1, first.line), evidence=f"{block}: {first.form}",
    )


def _file_values(path: str, members: list[UnreadValue]) -> Finding:
    origin = _common_origin(members)
    first = members[0]
    said = (f"from {origin}, known only when the file runs" if origin is not None else
            f"from values computed when the file runs (the first, at line {first.line}: "
            f"{markdown.quoted(first.form)})")
    return LR904.finding(
        (f"{markdown.code(path)} sets {len(members)} settings ({_names(members, '')}) {said}. "
         "The review never runs the code, so these values are missing from this review."),
        path, max(1, first.line), evidence=first.form,
    )
