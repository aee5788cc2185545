"""Serverless Framework services (v3/v4: serverless.yml, serverless.yaml, serverless.json) → functions.

Each key under `functions` is one function, named by that key. Its runtime is its own `runtime`
or `provider.runtime` (the line that set it is kept either way); its code directory is the
directory of the handler module (`handler: src/orders/app.handler` → `src/orders` next to the
serverless.yml), or its `package.artifact`, or, for `image:` functions, the image's build context.
`environment` merges the provider's variables with the function's; `events` become triggers;
`provider.iam.role.statements` (and the legacy `iamRoleStatements`, and the per-function
statements of serverless-iam-roles-per-function) become policy statements.

`resources.Resources` is CloudFormation inside serverless.yml: it is exposed as a template in
`InventoryResult.documents[path]` (variables resolved), where the functions' own resources are
`<Name>LambdaFunction` (`Function.properties["logical_id"]`). Variables follow
`serverless.variables`: `${self:...}` resolved, everything else reported as unresolved.

The file is read, never run: `serverless.ts`/`serverless.js` configurations are code, so their
exported object literal is converted to the same located mapping by `serverless.script` (tree-sitter)
and read by the same code.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.iam import last_line, statement_from_mapping
from reviewer.inventory.interface import InventoryResult, parse_yaml
from reviewer.inventory.serverless.script import SCRIPT_FILE_NAMES, is_script_file, load_script
from reviewer.inventory.serverless.variables import VariableResolver
from reviewer.inventory.serverless.routes import serverless_route
from reviewer.located import LocatedList, LocatedMap, LocatedStr
from reviewer.model import (
    Function, FunctionUrl, Location, ManagedPolicy, PolicyStatement, ResourceRef, Trigger,
)
from reviewer.isolation import file_boundary
from reviewer.workspace import UnreadableFile, Workspace, unparsed_notice

FORMAT = "serverless"
FILE_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
DEFAULT_RUNTIME_REASON = ("no runtime is declared, so the Serverless Framework's own default applies, "
                          "which depends on the framework version")

EVENT_KINDS = {
    "s3": "s3", "sqs": "sqs", "sns": "sns", "eventBridge": "eventbridge", "cloudwatchEvent": "eventbridge",
    "http": "api", "httpApi": "api", "websocket": "api", "schedule": "schedule",
}
HANDLER_EXTENSIONS = {
    "python": (".py",), "nodejs": (".js", ".mjs", ".cjs", ".ts", ".mts"), "ruby": (".rb",),
}
_ALL_EXTENSIONS = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".rb")


def is_serverless_file(rel: str) -> bool:
    return PurePosixPath(rel).name.lower() in FILE_NAMES or is_script_file(rel)


def lambda_logical_id(function_name: str) -> str:
    """The CloudFormation logical id Serverless gives a function: `orders-api` → `OrdersDashapiLambdaFunction`."""
    return _normalized_resource_name(function_name) + "LambdaFunction"


def _normalized_resource_name(name: str) -> str:
    normalized = name.replace("-", "Dash").replace("_", "Underscore")
    return normalized[:1].upper() + normalized[1:]


def _alphanumeric_name(name: str) -> str:
    cleaned = re.sub(r"[^0-9A-Za-z]", "", name)
    return cleaned[:1].upper() + cleaned[1:]


class ServerlessFormat:
    """Reads the functions of every Serverless Framework service in the workspace."""

    name = FORMAT

    def scan(self, workspace: Workspace) -> InventoryResult:
        result = InventoryResult()
        for rel in workspace.iter_files(FILE_NAMES + SCRIPT_FILE_NAMES):
            if not is_serverless_file(rel) or _compiled_script(workspace, rel):
                continue
            with file_boundary(rel, result.notices, "Serverless"):
                document = _load(workspace, rel, result)
                if document is None:
                    continue
                _ServiceReader(workspace, rel, document, result).read()
        return result


def _load(workspace: Workspace, rel: str, result: InventoryResult) -> LocatedMap | None:
    try:
        text = workspace.read_text(rel)
    except UnreadableFile as unreadable:
        result.notices.append(unreadable.notice)
        return None
    if is_script_file(rel):
        return load_script(workspace, rel, text, result.notices)
    document = parse_yaml(workspace, rel, text, result.notices)
    if document is None:
        return None
    if not isinstance(document, LocatedMap):
        result.notices.append(unparsed_notice(rel, "its top level is not a mapping, as a Serverless service must be"))
        return None
    return document


def _compiled_script(workspace: Workspace, rel: str) -> bool:
    """serverless.js beside a serverless.ts is its compiled copy: the service is read once."""
    return rel.lower().endswith(".js") and workspace.exists(rel[:-3] + ".ts")


def _mapping(value: Any) -> LocatedMap:
    if isinstance(value, LocatedMap):
        return value
    empty = LocatedMap()
    empty.line, empty.key_lines = getattr(value, "line", 1), {}
    return empty


class _ServiceReader:
    """One serverless.yml: the provider defaults, then each function."""

    def __init__(self, workspace: Workspace, path: str, document: LocatedMap, result: InventoryResult) -> None:
        self.workspace = workspace
        self.path = path
        self.document = document
        self.result = result
        self.variables = VariableResolver(document)
        self.directory = str(PurePosixPath(path).parent)
        provider = document.get("provider")
        self.provider = _mapping(provider)
        self.provider_name = self.text(self.provider.get("name")) if isinstance(provider, LocatedMap) else \
            self.text(provider)
        self.template: LocatedMap | None = None
        self._statement_cache: dict[tuple[int, str], tuple[Any, list[PolicyStatement]]] = {}

    def text(self, value: Any) -> str | None:
        """A scalar with its variables resolved; None when it is not a scalar or stays unresolved."""
        resolution = self.variables.resolve(value)
        if not resolution.resolved or resolution.value is None or isinstance(resolution.value, (dict, list)):
            return None
        if isinstance(resolution.value, bool):
            return "true" if resolution.value else "false"
        return str(resolution.value)

    def resolved(self, value: Any) -> Any:
        """A value with every variable inside resolved where possible (mappings and lists too)."""
        if isinstance(value, (LocatedMap, LocatedList)):
            return self.variables.resolve_tree(value)[0]
        resolution = self.variables.resolve(value)
        if isinstance(resolution.value, (LocatedMap, LocatedList)):
            return self.variables.resolve_tree(resolution.value)[0]
        return resolution.value

    def read(self) -> None:
        if self.provider_name is not None and self.provider_name.lower() != "aws":
            return  # a service for another cloud: not Lambda
        self.template = self._template()
        if self.template is not None:
            self.result.documents[self.path] = self.template
        functions_value = self.document.get("functions")
        entries = self._function_entries(functions_value)
        functions = [self._function(name, config, line) for name, config, line in entries]
        self.result.functions.extend(functions)
        if self.template is not None:
            self._resources_facts(functions)

    # -- functions -------------------------------------------------------------------------------

    def _function_entries(self, value: Any) -> list[tuple[str, LocatedMap, int]]:
        """`functions:` as a mapping, or (older services) a list of one-key mappings."""
        if isinstance(value, str) and "${" in value:
            self._unfollowed(value, self.document.line_of("functions"))
            return []
        resolved = self.resolved(value) if isinstance(value, str) else value
        if isinstance(resolved, LocatedMap):
            return [(str(name), _mapping(config), resolved.line_of(name)) for name, config in resolved.items()]
        entries: list[tuple[str, LocatedMap, int]] = []
        if isinstance(resolved, LocatedList):
            for index, item in enumerate(resolved):
                line = resolved.item_lines[index] if index < len(resolved.item_lines) else resolved.line
                if isinstance(item, str) and "${" in item:
                    self._unfollowed(item, line)
                elif isinstance(item, LocatedMap):
                    entries.extend((str(name), _mapping(config), item.line_of(name)) for name, config in item.items())
        return entries

    def _unfollowed(self, value: str, line: int) -> None:
        self.result.notices.append(unparsed_notice(
            self.path, f"its functions come from {value[:120]}, which the review does not resolve "
                       "(only ${self:...} variables are)", line))

    def _function(self, name: str, config: LocatedMap, line: int) -> Function:
        function = Function(name=name, format=FORMAT, location=Location(self.path, line))
        service = self.document.get("service")
        function.properties.update({
            "logical_id": lambda_logical_id(name), "package_root": self.directory, "config": dict(config),
            "service": self.text(service.get("name") if isinstance(service, LocatedMap) else service),
            "plugins": self._plugins(),
        })
        image = config.get("image")
        if image is not None:
            function.package_type = "Image"
            self._image(function, image, config.line_of("image"))
        else:
            self._runtime(function, config)
        self._handler(function, config)
        self._artifact(function, config)
        self._environment(function, config)
        self._events(function, config.get("events"))
        self._iam(function, config)
        self._url(function, config)
        self._versions(function, config)
        return function

    def _plugins(self) -> tuple[str, ...]:
        """The service's `plugins:` (a list, or `{modules: [...]}`): they may rewrite what it declares."""
        value = self.document.get("plugins")
        if isinstance(value, LocatedMap):
            value = value.get("modules")
        if not isinstance(value, list):
            return ()
        return tuple(str(item) for item in value[:50] if isinstance(item, str))

    def _runtime(self, function: Function, config: LocatedMap) -> None:
        """The function's `runtime`, else `provider.runtime`; a variable is resolved or said unresolved."""
        owner = config if "runtime" in config else self.provider if "runtime" in self.provider else None
        if owner is None:
            function.unresolved["Runtime"] = DEFAULT_RUNTIME_REASON
            return
        declared = Location(self.path, owner.line_of("runtime"))
        function.locations["Runtime"] = declared
        resolution = self.variables.resolve(owner["runtime"])
        if not resolution.resolved:
            function.unresolved["Runtime"] = resolution.reason()
            return
        if not isinstance(resolution.value, str) or not resolution.value:
            function.unresolved["Runtime"] = "runtime is not a string"
            return
        function.runtime = str(resolution.value)
        if resolution.line is not None and resolution.line != declared.line:
            function.locations["Runtime.Default"] = Location(self.path, resolution.line)
        if resolution.fallback_of:
            function.properties["runtime_fallback_of"] = resolution.fallback_of

    def _handler(self, function: Function, config: LocatedMap) -> None:
        if "handler" not in config:
            return
        function.locations["Handler"] = Location(self.path, config.line_of("handler"))
        resolution = self.variables.resolve(config["handler"])
        if not resolution.resolved or not isinstance(resolution.value, str):
            function.unresolved["Handler"] = resolution.reason() or "handler is not a string"
            return
        handler = str(resolution.value)
        function.handler = handler
        module = handler.rsplit(".", 1)[0] if "." in PurePosixPath(handler).name else handler
        base = PurePosixPath(self.directory)
        module_path = self.workspace.resolve(str(base / module))
        if module_path is None:
            function.unresolved["CodeUri"] = "the handler path leads outside the workspace"
            return
        if function.package_type != "Image":
            function.code_path = self.workspace.resolve(str(PurePosixPath(module_path).parent))
        runtime = function.runtime or ""
        family = next((name for name in HANDLER_EXTENSIONS if runtime.startswith(name)), None)
        for extension in HANDLER_EXTENSIONS.get(family, _ALL_EXTENSIONS) if family else _ALL_EXTENSIONS:
            candidate = module_path + extension
            if self.workspace.exists(candidate) and not self.workspace.is_dir(candidate):
                function.properties["handler_file"] = candidate
                break

    def _artifact(self, function: Function, config: LocatedMap) -> None:
        """`package.artifact` (the function's, else the service's): a prebuilt zip is the code."""
        for owner in (_mapping(config.get("package")), _mapping(self.document.get("package"))):
            if "artifact" not in owner:
                continue
            function.locations["Artifact"] = Location(self.path, owner.line_of("artifact"))
            artifact = self.text(owner["artifact"])
            if artifact is None:
                function.unresolved["Artifact"] = self.variables.resolve(owner["artifact"]).reason() or "not a path"
            elif "://" in artifact or artifact.startswith("s3:"):
                function.properties["artifact"] = artifact
            else:
                path = self.workspace.resolve(str(PurePosixPath(self.directory) / artifact))
                function.properties["artifact"] = path or artifact
                if path is not None:
                    function.code_path = path
            return

    def _image(self, function: Function, image: Any, line: int) -> None:
        """`image: name-in-provider.ecr.images`, `image: <uri>`, or `image: {name|uri, command...}`."""
        function.locations["Image"] = Location(self.path, line)
        function.unresolved["Runtime"] = "an image function takes its runtime from its base image, not `runtime`"
        value = self.resolved(image)
        name = uri = None
        if isinstance(value, LocatedMap):
            name, uri = self.text(value.get("name")), self.text(value.get("uri"))
        elif isinstance(value, str) and "${" not in value:
            name = uri = str(value)
        images = _mapping(_mapping(self.provider.get("ecr")).get("images"))
        if name is not None and name in images:
            self._ecr_image(function, name, images)
            return
        if uri is not None:
            function.image_uri = uri
        else:
            function.unresolved["ImageUri"] = self.variables.resolve(image).reason() or "image is not declared plainly"

    def _ecr_image(self, function: Function, name: str, images: LocatedMap) -> None:
        """An image built by the framework from a local context: link its Dockerfile."""
        entry = images[name]
        function.properties["ecr_image"] = name
        if isinstance(entry, str):
            function.image_uri = self.text(entry)
            return
        entry = _mapping(entry)
        if "uri" in entry:
            function.image_uri = self.text(entry["uri"])
            return
        context = self.text(entry.get("path")) or "."
        context_path = self.workspace.resolve(str(PurePosixPath(self.directory) / context))
        if context_path is None:
            function.unresolved["Dockerfile"] = "the image path leads outside the workspace"
            return
        function.code_path = context_path
        dockerfile = self.workspace.resolve(str(PurePosixPath(context_path) / (self.text(entry.get("file")) or "Dockerfile")))
        function.locations["Dockerfile"] = Location(self.path, entry.line_of("file" if "file" in entry else "path"))
        if dockerfile is None or not self.workspace.exists(dockerfile) or self.workspace.is_dir(dockerfile):
            function.unresolved["Dockerfile"] = f"{dockerfile or context} is not in the repository"
            return
        self._apply_base_image(function, dockerfile)

    def _apply_base_image(self, function: Function, dockerfile: str) -> None:
        try:
            from reviewer.inventory.container.read import apply_base_image, read_base_image
        except ImportError:  # the container-image reader is not part of this build
            function.properties["Dockerfile"] = dockerfile
            return
        try:
            text = self.workspace.read_text(dockerfile)
        except UnreadableFile as unreadable:
            self.result.notices.append(unreadable.notice)
            return
        function.properties["Dockerfile"] = dockerfile
        image = read_base_image(text)
        if image is None:
            function.unresolved["Runtime"] = f"{dockerfile} does not build from an AWS Lambda base image"
            return
        function.unresolved.pop("Runtime", None)
        apply_base_image(function, dockerfile, image)

    def _environment(self, function: Function, config: LocatedMap) -> None:
        """provider.environment under the function's own; values resolved, lines kept.

        A value that depends on the deployment (`${ssm:...}`, `${opt:...}`) is recorded as
        ResourceRef("unresolved", text); one with a fallback in the file (`${env:X, 'y'}`) is a
        deploy-time input, like a CloudFormation parameter: its fallback goes to
        `environment_defaults` with its line.
        """
        for owner in (self.provider, config):
            variables = self.resolved(owner.get("environment")) if "environment" in owner else None
            if not isinstance(variables, LocatedMap):
                if "environment" in owner and variables is not None:
                    function.unresolved["Environment"] = self.variables.resolve(owner["environment"]).reason() \
                        or "environment is not a mapping"
                continue
            raw = owner["environment"] if isinstance(owner["environment"], LocatedMap) else variables
            for name, value in variables.items():
                location = Location(self.path, variables.line_of(name))
                function.locations[f"Environment.{name}"] = location
                function.environment_defaults.pop(str(name), None)
                original = raw.get(name) if isinstance(raw, LocatedMap) else None
                resolution = self.variables.resolve(original) if isinstance(original, str) else None
                if resolution is not None and resolution.fallback_of:
                    function.environment[str(name)] = ResourceRef("unresolved", str(original))
                    function.environment_defaults[str(name)] = (
                        _scalar_text(resolution.value), Location(self.path, resolution.line or location.line))
                elif isinstance(value, str) and "${" in value and resolution is not None and not resolution.resolved:
                    function.environment[str(name)] = ResourceRef("unresolved", str(value))
                elif isinstance(value, (bool, int, float)):
                    function.environment[str(name)] = _scalar_text(value)
                else:
                    function.environment[str(name)] = value

    # -- events ------------------------------------------------------------------------------------

    def _events(self, function: Function, events: Any) -> None:
        events = self.resolved(events) if isinstance(events, str) else events
        if not isinstance(events, LocatedList):
            return
        for index, event in enumerate(events):
            if not isinstance(event, LocatedMap) or len(event) != 1:
                continue
            (event_type, config), = event.items()
            line = events.item_lines[index] if index < len(events.item_lines) else events.line
            config = self.resolved(config)
            trigger = self._trigger(function, str(event_type), config, Location(self.path, line), index)
            function.triggers.append(trigger)
            route = serverless_route(str(event_type), config, Location(self.path, line))
            if route is not None:
                function.routes.append(route)

    def _trigger(self, function: Function, event_type: str, config: Any, location: Location, index: int) -> Trigger:
        attributes: dict[str, Any] = {"name": f"{function.name}.events[{index}]", "type": event_type,
                                      "raw": _plain(config)}
        kind = EVENT_KINDS.get(event_type, "other")
        target: ResourceRef | None = None
        settings = config if isinstance(config, dict) else {}
        if event_type == "s3":
            bucket = settings.get("bucket") if settings else config
            target = _reference(bucket)
            existing = settings.get("existing") is True or str(settings.get("existing")).lower() == "true"
            prefix, suffix = "", ""
            for rule in settings.get("rules") or []:
                if isinstance(rule, dict):
                    prefix = str(rule.get("prefix", prefix)) if rule.get("prefix") is not None else prefix
                    suffix = str(rule.get("suffix", suffix)) if rule.get("suffix") is not None else suffix
            event = settings.get("event", "s3:ObjectCreated:*")
            attributes.update(events=[str(e) for e in event] if isinstance(event, list) else [str(event)],
                              prefix=prefix, suffix=suffix, existing=existing)
            if not existing and isinstance(bucket, str) and "${" not in bucket:
                attributes["logical_id"] = "S3Bucket" + _alphanumeric_name(str(bucket))
        elif event_type == "sqs":
            target = _reference(settings.get("arn") if settings else config)
            for key in ("batchSize", "maximumBatchingWindow", "functionResponseType", "filterPatterns", "enabled"):
                if key in settings:
                    attributes[key] = _plain(settings[key])
        elif event_type == "sns":
            source = (settings.get("arn") or settings.get("topicName")) if settings else config
            target = _reference(source)
            name = settings.get("topicName") if settings else (config if isinstance(config, str) else None)
            if isinstance(name, str) and "${" not in name and not name.startswith("arn:") and "arn" not in settings:
                attributes["logical_id"] = "SNSTopic" + _alphanumeric_name(name)
            if "filterPolicy" in settings:
                attributes["filter_policy"] = _plain(settings["filterPolicy"])
        elif event_type == "stream":
            source = settings.get("arn") if settings else config
            target = _reference(source)
            kind = _stream_kind(settings.get("type") if settings else None, source)
            for key in ("batchSize", "startingPosition", "filterPatterns", "enabled"):
                if key in settings:
                    attributes[key] = _plain(settings[key])
        elif event_type in ("eventBridge", "cloudwatchEvent"):
            pattern = settings.get("pattern") if event_type == "eventBridge" else settings.get("event")
            attributes["pattern"] = _plain(pattern) if isinstance(pattern, dict) else {}
            bus = settings.get("eventBus")
            attributes["bus"] = _text_of(bus) if bus is not None else "default"
            target = _reference(bus) if bus is not None else ResourceRef("name", "default")
            if "schedule" in settings:
                kind = "schedule"
                attributes["schedule"] = _plain(settings["schedule"])
        elif event_type in ("http", "httpApi"):
            if isinstance(config, str):
                method, _, path = config.partition(" ")
                attributes.update(method=method, path=path or method)
            else:
                attributes.update(method=_plain(settings.get("method")), path=_plain(settings.get("path")))
        elif event_type == "schedule":
            attributes["schedule"] = _plain(settings.get("rate") if settings else config)
        return Trigger(kind=kind, location=location, target=target, attributes=attributes)

    # -- IAM, URL, versions --------------------------------------------------------------------------

    def _iam(self, function: Function, config: LocatedMap) -> None:
        """Statements and managed policies of the role the function runs with."""
        own_role = config.get("role")
        if own_role is not None:
            self._custom_role(function, own_role, Location(self.path, config.line_of("role")))
        elif "iamRoleStatements" in config or "iamManagedPolicies" in config:
            # serverless-iam-roles-per-function: the function's own role.
            self._statements(function, config.get("iamRoleStatements"), f"functions.{function.name}.iamRoleStatements")
            self._managed(function, config.get("iamManagedPolicies"))
            inherit = config.get("iamRoleStatementsInherit")
            if inherit is True or str(inherit).lower() == "true":
                self._provider_iam(function)
        else:
            self._provider_iam(function)

    def _provider_iam(self, function: Function) -> None:
        iam = _mapping(self.provider.get("iam"))
        role = iam.get("role")
        if isinstance(role, LocatedMap):
            self._statements(function, role.get("statements"), "provider.iam.role.statements")
            self._managed(function, role.get("managedPolicies"))
            return
        if role is not None:
            self._custom_role(function, role, Location(self.path, iam.line_of("role")))
            return
        if "role" in self.provider:
            self._custom_role(function, self.provider["role"], Location(self.path, self.provider.line_of("role")))
            return
        self._statements(function, self.provider.get("iamRoleStatements"), "provider.iamRoleStatements")
        self._managed(function, self.provider.get("iamManagedPolicies"))

    def _statements(self, function: Function, statements: Any, source: str) -> None:
        """Statements shared by many functions (the provider's) are read once."""
        key = (id(statements), source)
        if key not in self._statement_cache:
            self._statement_cache[key] = (statements, self._read_statements(statements, source))
        function.policy_statements.extend(self._statement_cache[key][1])

    def _read_statements(self, statements: Any, source: str) -> list[PolicyStatement]:
        statements = self.resolved(statements)
        if not isinstance(statements, LocatedList):
            return []
        found = []
        for statement in statements:
            if not isinstance(statement, LocatedMap):
                continue
            line = statement.line
            end = last_line(statement)
            found.append(statement_from_mapping(
                statement, Location(self.path, line, end if end > line else None), source, _text_of))
        return found

    def _managed(self, function: Function, policies: Any) -> None:
        policies = self.resolved(policies)
        if not isinstance(policies, LocatedList):
            return
        for index, policy in enumerate(policies):
            line = policies.item_lines[index] if index < len(policies.item_lines) else policies.line
            function.managed_policies.append(ManagedPolicy(_text_of(policy), Location(self.path, line)))

    def _custom_role(self, function: Function, role: Any, location: Location) -> None:
        """`role: MyRole` (a role in resources.Resources) or an ARN: read the role resource if it is here."""
        function.locations["Role"] = location
        value = self.resolved(role)
        logical = _logical_id(value)
        function.properties["role"] = logical or _text_of(value)
        resources = _mapping(self.template.get("Resources")) if self.template is not None else LocatedMap()
        resource = resources.get(logical) if logical else None
        if not isinstance(resource, LocatedMap) or resource.get("Type") != "AWS::IAM::Role":
            if logical is None and not (isinstance(value, str) and value.startswith("arn:")):
                function.unresolved.setdefault("Role", f"role {_text_of(value)} is not declared in this file")
            return
        properties = _mapping(resource.get("Properties"))
        for policy in properties.get("Policies") or []:
            document = _mapping(policy).get("PolicyDocument") if isinstance(policy, LocatedMap) else None
            if isinstance(document, LocatedMap):
                self._statements(function, _statement_list(document.get("Statement")),
                                 f"AWS::IAM::Role {logical}")
        self._managed(function, properties.get("ManagedPolicyArns"))

    def _url(self, function: Function, config: LocatedMap) -> None:
        if "url" not in config:
            return
        url = self.resolved(config["url"])
        line = Location(self.path, config.line_of("url"))
        if url is True or (isinstance(url, str) and url.lower() == "true"):
            function.url = FunctionUrl("NONE", line)
        elif isinstance(url, LocatedMap):
            authorizer = str(url.get("authorizer") or "").lower()
            where = Location(self.path, url.line_of("authorizer")) if "authorizer" in url else line
            function.url = FunctionUrl("AWS_IAM" if authorizer == "aws_iam" else "NONE", where)

    def _versions(self, function: Function, config: LocatedMap) -> None:
        """Serverless publishes a version on every deploy unless versionFunctions is false."""
        owner, key = (config, "versionFunction") if "versionFunction" in config else (self.provider, "versionFunctions")
        if key in owner:
            function.locations["Publish"] = Location(self.path, owner.line_of(key))
            value = self.resolved(owner[key])
            function.published = not (value is False or str(value).lower() == "false")
        else:
            function.published = True

    # -- resources: CloudFormation inside serverless.yml --------------------------------------------

    def _template(self) -> LocatedMap | None:
        """`resources` as a template (variables resolved), with `extensions` kept for overrides."""
        resources = self.document.get("resources")
        if not isinstance(resources, LocatedMap):
            return None
        resolved = self.variables.resolve_tree(resources)[0]
        if not isinstance(resolved, LocatedMap) or not isinstance(resolved.get("Resources"), LocatedMap):
            if isinstance(resolved, LocatedMap) and isinstance(resolved.get("extensions"), LocatedMap):
                return resolved
            return None
        return resolved

    def _resources_facts(self, functions: list[Function]) -> None:
        """Overrides in `resources.extensions`, functions declared as raw CloudFormation, and the
        triggers, URLs and permissions that CloudFormation resources declare for our functions."""
        assert self.template is not None
        by_logical_id = {fn.properties["logical_id"]: fn for fn in functions}
        extensions = _mapping(self.template.get("extensions"))
        for logical_id, extension in extensions.items():
            function = by_logical_id.get(str(logical_id))
            properties = _mapping(_mapping(extension).get("Properties"))
            if function is None:
                continue
            if "CodeSigningConfigArn" in properties:
                function.code_signing = Location(self.path, properties.line_of("CodeSigningConfigArn"))
                function.locations["CodeSigningConfigArn"] = function.code_signing
            if "RecursiveLoop" in properties:
                function.recursive_loop = _text_of(properties["RecursiveLoop"])
                function.locations["RecursiveLoop"] = Location(self.path, properties.line_of("RecursiveLoop"))
            if "RuntimeManagementConfig" in properties:
                management = _mapping(properties["RuntimeManagementConfig"])
                if "UpdateRuntimeOn" in management:
                    function.update_runtime_on = _text_of(management["UpdateRuntimeOn"])
                    function.locations["RuntimeManagementConfig"] = Location(
                        self.path, management.line_of("UpdateRuntimeOn"))
        if not isinstance(self.template.get("Resources"), LocatedMap):
            return
        self.result.functions.extend(self._cloudformation_functions())
        self._cloudformation_links(functions)

    def _cloudformation_functions(self) -> list[Function]:
        """AWS::Lambda::Function resources written directly under resources.Resources."""
        from reviewer.inventory.cloudformation.read import read_functions

        assert self.template is not None
        functions = read_functions(self.template, self.path, self.workspace)
        for function in functions:
            function.properties["declared_in"] = "serverless resources.Resources"
            if function.runtime is not None and "${" in function.runtime:
                function.unresolved["Runtime"] = "depends on " + function.runtime
                function.runtime = None
        return functions

    def _cloudformation_links(self, functions: list[Function]) -> None:
        """Let the CloudFormation readers attach what resources.Resources says about our functions.

        Those readers know functions by logical id, so each function is presented under its
        `<Name>LambdaFunction` id for the duration of the call. (Functions declared as raw
        CloudFormation got theirs from `read_functions` already.)
        """
        try:
            from reviewer.inventory.cloudformation.events import attach_resource_triggers
            from reviewer.inventory.cloudformation.guardrails import read_guardrails
        except ImportError:
            return
        assert self.template is not None
        names = {id(fn): fn.name for fn in functions}
        try:
            for function in functions:
                function.name = function.properties["logical_id"]
            attach_resource_triggers(self.template, self.path, functions)
            before = {id(fn): (fn.code_signing, fn.published, fn.recursive_loop) for fn in functions}
            read_guardrails(self.template, self.path, functions)
            for function in functions:  # serverless-level facts win over the CloudFormation defaults
                signing, published, loop = before[id(function)]
                function.code_signing = function.code_signing or signing
                function.published = function.published or published
                function.recursive_loop = function.recursive_loop or loop
        finally:
            for function in functions:
                function.name = names[id(function)]


def _statement_list(value: Any) -> Any:
    if isinstance(value, LocatedMap):
        items = LocatedList([value])
        items.line, items.item_lines = value.line, [value.line]
        return items
    return value


def _reference(value: Any) -> ResourceRef | None:
    """A target written as a name, an ARN, `!Ref X` / `!GetAtt X.Arn`, or an unresolved variable."""
    if value is None:
        return None
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return ResourceRef("logical-id", str(argument))
        if function == "Fn::GetAtt":
            if isinstance(argument, list) and argument:
                return ResourceRef("logical-id", str(argument[0]))
            if isinstance(argument, str):
                return ResourceRef("logical-id", argument.split(".", 1)[0])
        return ResourceRef("unresolved", f"computed by {function}")
    if isinstance(value, str):
        if "${" in value:
            return ResourceRef("unresolved", str(value))
        return ResourceRef("arn" if value.startswith("arn:") else "name", str(value))
    return ResourceRef("unresolved", "not a scalar")


def _logical_id(value: Any) -> str | None:
    reference = _reference(value)
    if reference is not None and reference.kind == "logical-id":
        return reference.value
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9]+", value):
        return str(value)  # `role: MyCustomRole`: Serverless reads a bare word as a logical id
    return None


def _stream_kind(declared: Any, source: Any) -> str:
    if isinstance(declared, str) and declared.lower() in ("dynamodb", "kinesis"):
        return declared.lower()
    if isinstance(source, str):
        if ":dynamodb:" in source:
            return "dynamodb"
        if ":kinesis:" in source:
            return "kinesis"
    if isinstance(source, dict) and len(source) == 1:
        (function, argument), = source.items()
        attribute = argument[1] if isinstance(argument, list) and len(argument) > 1 else \
            (argument.split(".", 1)[1] if isinstance(argument, str) and "." in argument else "")
        if function == "Fn::GetAtt" and attribute in ("StreamArn", "LatestStreamArn"):
            return "dynamodb"  # only DynamoDB tables have a StreamArn attribute
    return "other"


def _text_of(value: Any) -> str:
    """A value as policy or display text: literals as written, `!Ref X` → `${X}`, `!GetAtt X.Y` → `${X.Y}`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return "${" + str(argument) + "}"
        if function == "Fn::GetAtt":
            parts = argument if isinstance(argument, list) else str(argument).split(".", 1)
            return "${" + ".".join(str(part) for part in parts) + "}"
        if function == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            if isinstance(text, str):
                return str(text)
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                and isinstance(argument[1], list):
            return str(argument[0]).join(_text_of(part) for part in argument[1])
        return f"<{function}>"
    if isinstance(value, (dict, list)):
        return "<computed>"
    return str(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _plain(value: Any, depth: int = 0) -> Any:
    """A located value as plain JSON-like Python (bounded); strings stay str."""
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in list(value.items())[:1000]}
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value[:1000]]
    if isinstance(value, LocatedStr):
        return str(value)
    return value


__all__ = ["ServerlessFormat", "lambda_logical_id", "is_serverless_file"]
