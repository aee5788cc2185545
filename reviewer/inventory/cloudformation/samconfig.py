"""The parameter values `sam deploy` passes from the SAM CLI configuration beside a template.

`sam deploy` reads `samconfig.toml` (else `samconfig.yaml`, `samconfig.yml`) from the template's
folder and passes the `parameter_overrides` of the chosen environment (`[default.deploy.parameters]`
unless `--config-env` names another, over `[default.global.parameters]`) to CloudFormation: those
values, not the template's `Default`s, are what deploys. As `terraform.tfvars` is for Terraform,
the `default` environment is read as the deployed one; the values other environments pass are kept
beside it, so a finding that depends on one (a runtime) can say that `prod` deploys another.

`parameter_overrides` is a string of `Key=Value` pairs separated by spaces (a value quoted with
`"` or `'` may hold spaces), `ParameterKey=K,ParameterValue=V` pairs, or a list of such strings.
The file is read as data (TOML with the standard library, YAML with the bounded loader), never run.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.interface import InventoryResult, parse_yaml
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.model import Location
from reviewer.workspace import UnreadableFile, Workspace, unparsed_notice

CONFIG_NAMES = ("samconfig.toml", "samconfig.yaml", "samconfig.yml")
DEFAULT_TEMPLATES = ("template.yaml", "template.yml", "template.json")
DEFAULT_ENVIRONMENT = "default"
OVERRIDES_KEY = "parameter_overrides"
# Bounds on repository text: pairs read per value, environments compared.
MAX_PAIRS = 1000
MAX_ENVIRONMENTS = 50


@dataclass(frozen=True)
class ParameterOverride:
    """The value the default environment passes for one parameter, and the line that writes it."""

    value: str
    location: Location


@dataclass
class DeployConfiguration:
    """What one SAM CLI configuration file passes to `sam deploy`, environment by environment."""

    path: str
    overrides: dict[str, ParameterOverride] = field(default_factory=dict)
    # Other environments (`[prod.deploy.parameters]`): parameter → value, as each passes them,
    # and the line that passes it.
    environments: dict[str, dict[str, str]] = field(default_factory=dict)
    environment_lines: dict[str, dict[str, Location]] = field(default_factory=dict)


class DeployedParameter(LocatedMap):
    """A template parameter whose deployed value differs from what the template says: its
    `Default` is the value the configuration passes (`override`, with its line), and `elsewhere`
    names the other environments that pass another value."""

    override: ParameterOverride | None
    elsewhere: dict[str, str]
    elsewhere_at: dict[str, Location]    # environment → the line that passes its value


def configuration_paths(template: str) -> tuple[str, ...]:
    """The configuration files `sam deploy` may read for the template at `template`."""
    folder = PurePosixPath(template).parent
    return tuple(str(folder / name) for name in CONFIG_NAMES)


def default_location(path: str, parameter: LocatedMap) -> Location:
    """Where a parameter's deployed value is written: the configuration's line when it overrides
    the template's `Default`, else the `Default` of the template at `path`."""
    if isinstance(parameter, DeployedParameter) and parameter.override is not None:
        return parameter.override.location
    return Location(path, parameter.line_of("Default"))


def with_deployed_parameters(document: LocatedMap, rel: str, workspace: Workspace,
                             result: InventoryResult) -> LocatedMap:
    """The template with the `Default` of each parameter the configuration beside it overrides
    replaced by the deployed value (a copy: parsed documents are shared by the parse cache)."""
    parameters = document.get("Parameters")
    if not isinstance(parameters, LocatedMap) or not parameters:
        return document
    configuration = read_configuration(workspace, rel, result)
    if configuration is None:
        return document
    replaced = LocatedMap(parameters)
    replaced.line, replaced.key_lines = parameters.line, parameters.key_lines
    changed = False
    for name, parameter in parameters.items():
        if not isinstance(parameter, LocatedMap):
            continue
        override = configuration.overrides.get(name)
        deployed = override.value if override is not None else parameter.get("Default")
        elsewhere = {environment: values[name] for environment, values in configuration.environments.items()
                     if name in values and values[name] != str(deployed)}
        if override is None and not elsewhere:
            continue
        copy = DeployedParameter(parameter)
        copy.line, copy.key_lines = parameter.line, parameter.key_lines
        copy.override, copy.elsewhere = override, elsewhere
        copy.elsewhere_at = {environment: configuration.environment_lines[environment][name]
                             for environment in elsewhere if name in configuration.environment_lines.get(environment, {})}
        if override is not None:
            value = LocatedStr(override.value)
            value.line = value.end_line = override.location.line
            copy["Default"] = value
        replaced[name] = copy
        changed = True
    if not changed:
        return document
    copied = LocatedMap(document)
    copied.line, copied.key_lines = document.line, document.key_lines
    copied["Parameters"] = replaced
    return copied


def read_configuration(workspace: Workspace, template: str, result: InventoryResult) -> DeployConfiguration | None:
    """The configuration `sam deploy` reads for `template`, or None (none, or one for another
    template of the folder). A file that does not parse leaves an LR901 notice."""
    path = next((candidate for candidate in configuration_paths(template)
                 if workspace.exists(candidate) and not workspace.is_dir(candidate)), None)
    if path is None:
        return None
    try:
        text = workspace.read_text(path)
    except UnreadableFile as unreadable:
        result.notices.append(unreadable.notice)
        return None
    if path.endswith(".toml"):
        try:
            document: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            result.notices.append(unparsed_notice(path, f"TOML: {error}", _error_line(str(error))))
            return None
    else:
        document = parse_yaml(workspace, path, text, result.notices)
    if not isinstance(document, dict):
        return None
    if not _deploys(document, path, template):
        return None
    configuration = DeployConfiguration(path)
    section, written = _overrides(document, DEFAULT_ENVIRONMENT)
    pairs = _pairs(written)
    if pairs:
        lines = _toml_lines(text, section) if path.endswith(".toml") else _yaml_lines(document, section)
        for name, value in pairs:
            line = lines.get(name, lines.get("", 1))
            configuration.overrides[name] = ParameterOverride(value, Location(path, line))
    sections: dict[str, str] = {}
    for environment in list(document)[:MAX_ENVIRONMENTS]:
        if environment in (DEFAULT_ENVIRONMENT, "version") or not isinstance(document[environment], dict):
            continue
        sections[str(environment)], written = _overrides(document, str(environment))
        values = dict(_pairs(written))
        if values:
            configuration.environments[str(environment)] = values
    toml = _toml_sections_lines(text, set(sections.values())) if path.endswith(".toml") else {}
    for environment, values in configuration.environments.items():
        lines = toml.get(sections[environment], {}) if path.endswith(".toml") \
            else _yaml_lines(document, sections[environment])
        configuration.environment_lines[environment] = {
            name: Location(path, lines.get(name, lines.get("", 1))) for name in values}
    return configuration


def _deploys(document: dict[str, Any], path: str, template: str) -> bool:
    """Whether `sam deploy` with this configuration deploys `template`: the one it names
    (`template_file`, `template`), else the folder's `template.yaml|yml|json`."""
    named = None
    for command in ("deploy", "global"):
        parameters = _table(_table(_table(document.get(DEFAULT_ENVIRONMENT)).get(command)).get("parameters"))
        named = named or next((parameters[key] for key in ("template_file", "template", "t")
                               if isinstance(parameters.get(key), str)), None)
    name = PurePosixPath(template).name
    if named is None or PurePosixPath(named).parts[:1] == (".aws-sam",):   # `sam build`'s copy of the default
        return name in DEFAULT_TEMPLATES
    return str(PurePosixPath(path).parent / named).removeprefix("./") == template


def _overrides(document: dict[str, Any], environment: str) -> tuple[str, Any]:
    """The section that sets `parameter_overrides` for `sam deploy` in `environment`, and its value:
    the command's own section wins over the environment's `global` one, key by key."""
    for command in ("deploy", "global"):
        parameters = _table(_table(_table(document.get(environment)).get(command)).get("parameters"))
        if OVERRIDES_KEY in parameters:
            return f"{environment}.{command}.parameters", parameters[OVERRIDES_KEY]
    return "", None


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _pairs(written: Any) -> list[tuple[str, str]]:
    """`Key=Value` pairs of a `parameter_overrides` value (a string, or a list of strings), in
    order; a later pair for the same key wins, as with the SAM CLI."""
    items = written if isinstance(written, list) else [written]
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, str):
            continue
        for token in _tokens(item):
            if len(pairs) >= MAX_PAIRS:
                return pairs
            pair = _pair(token)
            if pair is not None:
                pairs.append(pair)
    return pairs


def _tokens(text: str) -> list[str]:
    """Words separated by whitespace; a quoted part (`"a b"`, `'a b'`, with `\\"` escapes) stays
    in its word, quotes included."""
    tokens: list[str] = []
    current: list[str] = []
    quote: str | None = None
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif quote is not None:
            current.append(char)
            quote = None if char == quote else quote
        elif char in "\"'":
            current.append(char)
            quote = char
        elif char.isspace():
            if current:
                tokens.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


def _pair(token: str) -> tuple[str, str] | None:
    if token.startswith("ParameterKey="):
        key, _, rest = token.removeprefix("ParameterKey=").partition(",")
        if not rest.startswith("ParameterValue="):
            return None
        return _unquoted(key), _unquoted(rest.removeprefix("ParameterValue="))
    key, equals, value = token.partition("=")
    key = _unquoted(key)
    if not equals or not key or not all(char.isalnum() for char in key):
        return None
    return key, _unquoted(value)


def _unquoted(value: str) -> str:
    """As the SAM CLI reads a key or value: wrapping quotes removed, `\\ `, `\\"`, `\\'` unescaped."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value.replace("\\ ", " ").replace('\\"', '"').replace("\\'", "'")


def _yaml_lines(document: dict[str, Any], section: str) -> dict[str, int]:
    """Parameter name → the line of the list item or string line that passes it in a YAML
    configuration; "" → the line of the `parameter_overrides` key. Read once per file."""
    parameters: Any = document
    for key in section.split(".") if section else ():
        parameters = _table(parameters).get(key)
    if not isinstance(parameters, LocatedMap):
        return {}
    lines = {"": parameters.line_of(OVERRIDES_KEY)}
    written = parameters.get(OVERRIDES_KEY)
    if isinstance(written, LocatedList):
        for index, item in enumerate(written[:MAX_PAIRS]):
            if isinstance(item, str) and index < len(written.item_lines):
                for name, _ in _pairs(item):
                    lines.setdefault(name, written.item_lines[index])
    elif isinstance(written, LocatedStr):
        for offset, text in enumerate(written.splitlines()[:MAX_PAIRS]):
            for name, _ in _pairs(text):
                lines.setdefault(name, written.line + offset if written.line != written.end_line else written.line)
    return lines


def _toml_lines(text: str, section: str) -> dict[str, int]:
    """Parameter name → the first line from the section's `parameter_overrides` key to the
    section's end that passes it; "" → the line of the key itself. Found in the text, since TOML's
    reader keeps no lines; only names the value passes are asked for, and it comes first, so a
    later key's text is never taken."""
    return _toml_sections_lines(text, {section}).get(section, {})


def _toml_sections_lines(text: str, sections: set[str]) -> dict[str, dict[str, int]]:
    """`_toml_lines` of each of `sections`, in one pass over the text (a configuration may hold
    many environments)."""
    found: dict[str, dict[str, int]] = {}
    mentions: dict[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _is_table_header(stripped):
            current = "".join(stripped.strip("[]").split()).replace('"', "").replace("'", "")
            mentions = found.setdefault(current, {}) if current in sections and current not in found else None
            continue
        if mentions is None:
            continue
        ends = "" in mentions and "]" in stripped   # the last line of a list the key opened
        if "" not in mentions:
            key, equals, stripped = stripped.partition("=")
            if not equals or key.strip() != OVERRIDES_KEY:
                continue
            mentions[""] = number
            ends = not stripped.lstrip().startswith("[") or "]" in stripped   # a string, or a list on one line
        for token in _tokens(stripped.replace(",", " ").strip("[]")):
            for name, _ in _pairs(_unquoted(token)):   # a quoted string's pairs, or the token's
                mentions.setdefault(name, number)
        if ends:
            mentions = None   # the value ends here: the section's later keys pass nothing
    return found


def _is_table_header(line: str) -> bool:
    """`[prod.deploy.parameters]`, `[[x]]`: not the `[` of a list value, nor an item."""
    return line.startswith("[") and line.split("#", 1)[0].rstrip().endswith("]") and "=" not in line \
        and len(line) > 2 and (line[1].isalnum() or line[1] in "[\"'_")


def _error_line(message: str) -> int:
    marker = "(at line "
    start = message.find(marker)
    if start < 0:
        return 1
    digits = message[start + len(marker):].split(",", 1)[0]
    return int(digits) if digits.isdigit() else 1


__all__ = ["CONFIG_NAMES", "DeployConfiguration", "DeployedParameter", "ParameterOverride", "configuration_paths",
           "default_location", "read_configuration", "with_deployed_parameters"]
