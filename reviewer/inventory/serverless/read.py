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
and read by the same code. A service file under another name is read when a package.json script
names it with `serverless deploy --config FILE` (`serverless.configs`).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.container.entry_points import runs_command_as_handler
from reviewer.inventory.interface import InventoryResult, parse_yaml
from reviewer.inventory.serverless.configs import declares_functions, is_script_file, is_serverless_file, service_files
from reviewer.inventory.serverless.events import ServiceEvents
from reviewer.inventory.serverless.iam import ServiceIam
from reviewer.inventory.serverless.framework_yaml import framework_text
from reviewer.inventory.serverless.layers import layer_python_paths
from reviewer.inventory.serverless.lift import construct_reference, workers
from reviewer.inventory.serverless.packaging import package_contents
from reviewer.inventory.serverless.resources import ServiceResources
from reviewer.inventory.serverless.script import load_script
from reviewer.inventory.serverless.state_machines import ServiceStateMachines
from reviewer.inventory.serverless.service import as_mapping, plain_value, plugin_names, scalar_text
from reviewer.isolation import file_boundary
from reviewer.located import LocatedList, LocatedMap
from reviewer.model import (
    FUNCTIONS_UNREAD_KEY,
    Function,
    FunctionUrl,
    Location,
    ResourceRef,
    Trigger,
)
from reviewer.workspace import UnreadableFile, Workspace, unparsed_notice, unread_declaration_notice

FORMAT = "serverless"
DEFAULT_RUNTIME_REASON = ("no runtime is declared, so the Serverless Framework's own default applies, "
                          "which depends on the framework version")
# A serverless.ts whose `provider` (or a part spread into it) is imported or computed: its runtime,
# if it sets one, is not known (the LR904 notice on `provider` says why).
UNREAD_PROVIDER_REASON = "the provider settings are not read statically, so the runtime they may set is not known"

HANDLER_EXTENSIONS = {
    "python": (".py",), "nodejs": (".js", ".mjs", ".cjs", ".ts", ".mts"), "ruby": (".rb",),
}
SCRIPT_EXTENSIONS = (".ts", ".js", ".mjs", ".cjs")
_ALL_EXTENSIONS = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".rb")


def _unread_settings(raw: str) -> str:
    """Why a function whose settings are one unread value has no handler the review knows."""
    if raw.startswith("${computed:"):
        return "its settings are computed when the configuration file runs"
    return f"its settings come from {raw[:120]}, which the review does not resolve"


def lambda_logical_id(function_name: str) -> str:
    """The CloudFormation logical id Serverless gives a function: `orders-api` → `OrdersDashapiLambdaFunction`."""
    return _normalized_resource_name(function_name) + "LambdaFunction"


def _normalized_resource_name(name: str) -> str:
    normalized = name.replace("-", "Dash").replace("_", "Underscore")
    return normalized[:1].upper() + normalized[1:]


class ServerlessFormat:
    """Reads the functions of every Serverless Framework service in the workspace."""

    name = FORMAT

    def declares_functions(self, rel: str, text: str) -> bool:
        return declares_functions(rel, text)

    def scan(self, workspace: Workspace, services: list[str] | None = None) -> InventoryResult:
        """`services`: the files `service_files` gave (reviewer.inventory.deferred asked first)."""
        result = InventoryResult()
        for rel in services if services is not None else service_files(workspace):
            if _compiled_script(workspace, rel):
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
    if is_script_file(rel) or rel.lower().endswith(SCRIPT_EXTENSIONS):   # or named by `--config`
        return load_script(workspace, rel, text, result.notices)
    document = parse_yaml(workspace, rel, framework_text(text), result.notices)
    if document is None:
        return None
    if not isinstance(document, LocatedMap):
        result.notices.append(unparsed_notice(rel, "its top level is not a mapping, as a Serverless service must be"))
        return None
    return document


def _compiled_script(workspace: Workspace, rel: str) -> bool:
    """serverless.js beside a serverless.ts is its compiled copy: the service is read once."""
    return rel.lower().endswith(".js") and workspace.exists(rel[:-3] + ".ts")


class _ServiceReader(ServiceEvents, ServiceIam, ServiceResources, ServiceStateMachines):
    """One serverless.yml: the provider defaults, then each function."""

    def read(self) -> None:
        if self.provider_name is not None and self.provider_name.lower() != "aws":
            return  # a service for another cloud: not Lambda
        self.template = self._template()
        if self.template is not None:
            self.result.documents[self.path] = self.template
        self.functions_unread = False
        entries = self._function_entries(self.document.get("functions"))
        functions = [self._function(name, config, line, declared_in) for name, config, line, declared_in in entries]
        functions.extend(self._lift_workers(functions))
        self._state_machines(functions)
        unread = self.functions_unread or getattr(self.document, "unread_functions", False)
        if not functions and unread and "runtime" in self.provider:
            functions = [self._service_placeholder()]
        self.result.functions.extend(functions)
        if self.template is not None:
            self._resources_facts(functions)
        # what the service read besides its own file (`${file(...)}`, a serverless.ts's modules)
        inputs = tuple(sorted((self.included_files | set(getattr(self.document, "module_files", ())))
                              - {self.path}))
        for function in functions:
            function.declaration_inputs = inputs

    # -- functions -------------------------------------------------------------------------------

    def _function_entries(self, value: Any) -> list[tuple[str, Any, int, str]]:
        """`functions:` as a mapping, or (older services) a list of one-key mappings, each may be
        `${file(./functions.yml)}`: (name, settings, line, file it is written in) of each function."""
        if isinstance(value, str) and "${" in value:
            included = self._included(value)
            if isinstance(included, LocatedMap):
                return self._mapping_entries(included)
            if not value.startswith("${computed:"):   # a serverless.ts value: its LR904 already says why
                self._unfollowed(value, self.document.line_of("functions"))
            return []
        resolved = self.resolved(value) if isinstance(value, str) else value
        if isinstance(resolved, LocatedMap):
            return self._mapping_entries(resolved)
        entries: list[tuple[str, Any, int, str]] = []
        if isinstance(resolved, LocatedList):
            for index, item in enumerate(resolved):
                line = resolved.item_lines[index] if index < len(resolved.item_lines) else resolved.line
                if isinstance(item, str) and "${" in item:
                    included = self._included(item)
                    if isinstance(included, LocatedMap):
                        entries.extend(self._mapping_entries(included))
                    else:
                        self._unfollowed(item, line)
                elif isinstance(item, LocatedMap):
                    entries.extend(self._mapping_entries(item))
        return entries

    def _lift_workers(self, functions: list[Function]) -> list[Function]:
        """The worker functions serverless-lift's queue constructs deploy, each subscribed to its
        queue; a worker that names a function of `functions:` subscribes that one (`lift.py`)."""
        added: list[Function] = []
        by_name = {function.name: function for function in functions}
        for worker in workers(self.path, self.lift_constructs, self.text):
            function = by_name.get(worker.name) if worker.settings is None else \
                self._function(worker.name, worker.settings, worker.line, self.path)
            if function is None:
                continue
            function.triggers.append(Trigger(
                kind="sqs", location=Location(self.path, worker.line), target=worker.queue,
                attributes={"name": f"constructs.{worker.queue.value.rpartition('#')[2]}", "type": "sqs",
                            "raw": {"lift": "queue"}, "batchSize": plain_value(worker.batch_size),
                            "functionResponseType": "ReportBatchItemFailures"}))
            if worker.settings is not None:
                added.append(function)
        return added

    def _mapping_entries(self, functions: LocatedMap) -> list[tuple[str, Any, int, str]]:
        """Each function of a `functions:` mapping; one whose settings are a variable
        (`hello: ${file(./functions/hello.yml)}`, `${self:custom.hello}`) is read from the mapping
        it names, and one that stays unread keeps its raw value so `_function` can say so."""
        entries = []
        for name, config in functions.items():
            if isinstance(config, str) and "${" in config and not config.startswith("${computed:"):
                resolved = self.resolved(config)
                included = resolved if isinstance(resolved, LocatedMap) else self._included(config)
                if isinstance(included, LocatedMap):
                    config = included
                else:
                    self._unfollowed(config, functions.line_of(name))
            entries.append((str(name), config, functions.line_of(name), self._declared_in(functions, name)))
        return entries

    def _included(self, value: str) -> Any:
        """`${file(./functions.yml)}` or `${file(./functions.yml):functions}`: the document it names
        (`includes.included_document`), or None."""
        return self.included(value)

    def _declared_in(self, functions: Any, name: str) -> str:
        """The file a function's key was written in: a serverless.ts may spread it from an imported module."""
        sources = getattr(functions, "key_sources", None)
        path = sources.get(name) if isinstance(sources, dict) else None
        return path if isinstance(path, str) else self.at(functions, 0).path

    def _service_placeholder(self) -> Function:
        """A serverless.ts whose functions are all computed: the provider's runtime is still reviewed, once.

        One function named after the service stands for all of them, located at `provider.runtime`,
        so its lifecycle findings (LR100/LR101) reach the line that sets it; the LR904 notice says
        which functions could not be read.
        """
        service = self.document.get("service")
        name = self.text(service.get("name") if isinstance(service, LocatedMap) else service) or "service"
        function = self._function(name, LocatedMap(), self.provider.line_of("runtime"), self.path)
        function.properties[FUNCTIONS_UNREAD_KEY] = True
        return function

    def _unfollowed(self, value: str, line: int) -> None:
        self.functions_unread = True
        self.result.notices.append(unread_declaration_notice(
            self.path, line, f"functions from `{value[:120].replace('`', '')}`, which the review does not resolve "
                             "(it resolves `${self:...}` variables and `${file(...)}` of a YAML or JSON file in the "
                             "repository)", "functions"))

    def _function(self, name: str, raw: Any, line: int, declared_in: str | None = None) -> Function:
        """One function from its settings; settings that are not a mapping the review could read
        (computed by a serverless.ts helper, an unfollowed variable) leave its handler unknown,
        not absent: the function does declare one, where the review cannot see it."""
        config = as_mapping(raw)
        function = Function(name=name, format=FORMAT, location=Location(declared_in or self.path, line),
                            task_root=self.directory)
        if isinstance(raw, str):
            function.unresolved["Handler"] = _unread_settings(raw)
        service = self.document.get("service")
        function.properties.update({
            "logical_id": lambda_logical_id(name), "package_root": self.directory, "config": dict(config),
            "template_path": self.path,     # its references name the service's resources (`targets.template_path`)
            "service": self.text(service.get("name") if isinstance(service, LocatedMap) else service),
            "plugins": self._plugins(),
        })
        if isinstance(raw, LocatedMap):
            function.physical_name, function.physical_name_evaluated = self.deployed_name(name, config)
        image = config.get("image")
        if image is not None:
            function.package_type = "Image"
            self._image(function, image, self.at(config, config.line_of("image")))
        else:
            self._runtime(function, config)
        self._handler(function, config)
        if function.package_type != "Image":
            function.layer_paths = layer_python_paths(self, config)
        self._artifact(function, config)
        if function.package_type != "Image" and "artifact" not in function.properties:
            function.package_contents = package_contents(self, config, function.properties["plugins"])
        self._environment(function, config)
        self._events(function, config.get("events"))
        self._iam(function, config)
        self._url(function, config)
        self._versions(function, config)
        return function

    def _plugins(self) -> tuple[str, ...]:
        """The service's `plugins:` (a list, or `{modules: [...]}`): they may rewrite what it declares."""
        return plugin_names(self.document)

    def _provider_unread(self) -> bool:
        """Whether `provider` is a value computed or imported when the file runs, or spreads one in."""
        return self.provider_unfollowed or bool(getattr(self.provider, "unread_spread", False))

    def _runtime(self, function: Function, config: LocatedMap) -> None:
        """The function's `runtime`, else `provider.runtime`; a variable is resolved or said unresolved."""
        owner = config if "runtime" in config else self.provider if "runtime" in self.provider else None
        if owner is None:
            function.unresolved["Runtime"] = UNREAD_PROVIDER_REASON if self._provider_unread() else DEFAULT_RUNTIME_REASON
            return
        declared = self.at(owner, owner.line_of("runtime"))
        function.locations["Runtime"] = declared
        resolution = self.variables.resolve(owner["runtime"])
        if not resolution.resolved:
            function.unresolved["Runtime"] = resolution.reason()
            return
        if not isinstance(resolution.value, str) or not resolution.value:
            function.unresolved["Runtime"] = "runtime is not a string"
            return
        function.runtime = str(resolution.value)
        if resolution.line is not None and (resolution.line, resolution.path or self.path) != \
                (declared.line, declared.path):
            # where the value is written: `${self:custom.runtime}`'s line, or the file `${file(...)}` reads
            function.locations["Runtime.Default"] = Location(resolution.path or self.path, resolution.line)
        if resolution.fallback_of:
            function.properties["runtime_fallback_of"] = resolution.fallback_of

    def _handler(self, function: Function, config: LocatedMap) -> None:
        if "handler" not in config:
            return
        function.locations["Handler"] = self.at(config, config.line_of("handler"))
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
                if not runtime and extension in HANDLER_EXTENSIONS["nodejs"]:
                    # no runtime the review knows: the handler's file says which language to read
                    function.properties["HandlerLanguage"] = "javascript"
                break

    def _artifact(self, function: Function, config: LocatedMap) -> None:
        """`package.artifact` (the function's, else the service's): a prebuilt zip is the code."""
        for owner in (as_mapping(config.get("package")), as_mapping(self.document.get("package"))):
            if "artifact" not in owner:
                continue
            function.locations["Artifact"] = self.at(owner, owner.line_of("artifact"))
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

    def _image(self, function: Function, image: Any, where: Location) -> None:
        """`image: name-in-provider.ecr.images`, `image: <uri>`, or `image: {name|uri, command...}`."""
        function.locations["Image"] = where
        function.unresolved["Runtime"] = "an image function takes its runtime from its base image, not `runtime`"
        value = self.resolved(image)
        name = uri = None
        if isinstance(value, LocatedMap):
            name, uri = self.text(value.get("name")), self.text(value.get("uri"))
        elif isinstance(value, str) and "${" not in value:
            name = uri = str(value)
        images = as_mapping(as_mapping(self.provider.get("ecr")).get("images"))
        if name is not None and name in images:
            command = None
            if isinstance(value, LocatedMap) and ("command" in value or "entryPoint" in value):
                # in CloudFormation's spelling, the shared one: the image's `CMD` is not the handler
                function.properties["ImageConfig"] = {"Command": value.get("command"),
                                                      "EntryPoint": value.get("entryPoint")}
                # under another program's `entryPoint` the command is that program's arguments
                entry_point = self.resolved(value["entryPoint"]) if "entryPoint" in value else None
                command = value.get("command") if runs_command_as_handler(entry_point) else None
            self._ecr_image(function, name, images, command)
            if function.handler and isinstance(value, LocatedMap) and "command" in value:
                function.locations["Handler"] = self.at(value, value.line_of("command"))
            return
        if uri is not None:
            function.image_uri = uri
        else:
            function.unresolved["ImageUri"] = self.variables.resolve(image).reason() or "image is not declared plainly"

    def _ecr_image(self, function: Function, name: str, images: LocatedMap, command: Any = None) -> None:
        """An image built by the framework from a local context: link its Dockerfile."""
        entry = images[name]
        function.properties["ecr_image"] = name
        if isinstance(entry, str):
            function.image_uri = self.text(entry)
            return
        entry = as_mapping(entry)
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
        self._apply_base_image(function, dockerfile, command)

    def _apply_base_image(self, function: Function, dockerfile: str, command: Any = None) -> None:
        try:
            from reviewer.inventory.container.read import (
                apply_base_image,
                command_handler,
                context_copies,
                read_base_image,
                record_context_copies,
            )
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
            if function.code_path:
                record_context_copies(function, dockerfile, function.code_path, *context_copies(text))
            return
        function.unresolved.pop("Runtime", None)
        apply_base_image(function, dockerfile, image, context=function.code_path,
                         command=command_handler(self.resolved(command)) if command is not None else None)

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
                location = self.at(variables, variables.line_of(name))
                function.locations[f"Environment.{name}"] = location
                function.environment_defaults.pop(str(name), None)
                original = raw.get(name) if isinstance(raw, LocatedMap) else None
                resolution = self.variables.resolve(original) if isinstance(original, str) else None
                if resolution is not None and resolution.fallback_of:
                    function.environment[str(name)] = ResourceRef("unresolved", str(original))
                    function.environment_defaults[str(name)] = (
                        scalar_text(resolution.value), Location(self.path, resolution.line or location.line))
                elif isinstance(value, str) and "${" in value and resolution is not None and not resolution.resolved:
                    function.environment[str(name)] = self.reference(value) if \
                        construct_reference(value, self.path, self.lift_constructs) else ResourceRef("unresolved", str(value))
                elif isinstance(value, (bool, int, float)):
                    function.environment[str(name)] = scalar_text(value)
                else:
                    function.environment[str(name)] = value

    # -- events ------------------------------------------------------------------------------------

    # -- IAM, URL, versions --------------------------------------------------------------------------

    def _url(self, function: Function, config: LocatedMap) -> None:
        if "url" not in config:
            return
        url = self.resolved(config["url"])
        line = self.at(config, config.line_of("url"))
        if url is True or (isinstance(url, str) and url.lower() == "true"):
            function.url = FunctionUrl("NONE", line)
        elif isinstance(url, LocatedMap):
            authorizer = str(url.get("authorizer") or "").lower()
            where = self.at(url, url.line_of("authorizer")) if "authorizer" in url else line
            function.url = FunctionUrl("AWS_IAM" if authorizer == "aws_iam" else "NONE", where)

    def _versions(self, function: Function, config: LocatedMap) -> None:
        """Serverless publishes a version on every deploy unless versionFunctions is false; with
        `provisionedConcurrency` it always does, behind a `provisioned` alias its events invoke."""
        owner, key = (config, "versionFunction") if "versionFunction" in config else (self.provider, "versionFunctions")
        provisioned = self.resolved(config["provisionedConcurrency"]) if "provisionedConcurrency" in config else None
        if provisioned not in (None, 0, "0", False, ""):
            function.locations["Publish"] = self.at(config, config.line_of("provisionedConcurrency"))
            function.published = True
        elif key in owner:
            function.locations["Publish"] = self.at(owner, owner.line_of(key))
            value = self.resolved(owner[key])
            function.published = not (value is False or str(value).lower() == "false")
        else:
            function.published = True

    # -- resources: CloudFormation inside serverless.yml --------------------------------------------


__all__ = ["ServerlessFormat", "lambda_logical_id", "is_serverless_file"]
