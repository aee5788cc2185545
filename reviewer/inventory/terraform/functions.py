"""A Terraform function's own attributes: the resource or module block → runtime, handler, package, environment,
role and guardrail settings.
"""

from __future__ import annotations

from typing import Any

from reviewer.inventory.cloudformation.layers import MAX_LAYERS
from reviewer.inventory.container.read import apply_base_image, command_handler, read_base_image
from reviewer.inventory.terraform.archives import ARCHIVES, ArchivedCode
from reviewer.inventory.terraform.base import (
    FORMAT,
    callers_of,
    environment_value,
    unresolved_reason,
)
from reviewer.inventory.terraform.hcl import Block
from reviewer.inventory.terraform.image_names import image_names
from reviewer.inventory.terraform.modules import Instance, is_local_source, module_directory
from reviewer.inventory.terraform.templates import is_module_input, names_lambda, says_lambda
from reviewer.inventory.terraform.values import (
    Iteration,
    Literal,
    Reference,
    Scope,
    Structure,
    Unknown,
    display,
)
from reviewer.inventory.terraform.written import written_in_repository
from reviewer.located import LocatedMap, key_line
from reviewer.model import (
    PUBLISHED_VERSIONS_KEY,
    Function,
    FunctionUrl,
    Location,
    ResourceRef,
)
from reviewer.workspace import (
    UnreadableFile,
    unread_declaration_notice,
)

def _unread_module_settings(function: Function, attrs: LocatedMap, source: str) -> None:
    """A function read from the arguments of a module the review cannot read: whether that module
    signs the code or publishes versions, and the handler it gives Lambda (often built from
    arguments of its own, `handler_function_name`), are decided inside it, unless the call passes
    the setting."""
    reason = f"decided inside {source}, a module the repository does not hold"
    if "handler" not in attrs:
        function.unresolved.setdefault("Handler", reason)
    if "code_signing_config_arn" not in attrs:
        function.unresolved.setdefault("CodeSigningConfigArn", reason)
    if "publish" not in attrs:
        function.unresolved.setdefault(PUBLISHED_VERSIONS_KEY, reason)


class FunctionAttributes(ArchivedCode):
    """Reads a function's own block: one Function per resource or module instance."""

    def _unreadable_lambda_call(self, instance: Instance, name: str, block: Block, source: str) -> None:
        """A call that passes Lambda arguments (`handler`) to a module this review cannot read,
        without a `runtime` to read the function from, or that calls a Lambda module by a local path
        the repository does not hold (a folder moved or deleted since): say so rather than miss it
        silently."""
        if is_local_source(source):
            target = module_directory(instance.module.directory, source, self.workspace.resolve)
            if target is None or target in self.modules or self.workspace.is_dir(target):
                return  # read already, or a directory of the repository that declares no function
            if "handler" not in block.attributes and names_lambda(name, source, block):
                self.result.notices.append(unread_declaration_notice(
                    block.path, block.line,
                    f"module \"{name}\" calls {source}, a local module that is not in the repository",
                    missing="the functions it declares, and their runtimes, are missing from this review",
                    absent=True))
                return
        if "handler" not in block.attributes:
            return
        self.result.notices.append(unread_declaration_notice(
            block.path, block.line,
            f"module \"{name}\" passes a Lambda handler to {source}, a module that is not in the repository, "
            "and no runtime argument"))

    def _function_like_call(self, instance: Instance, name: str, block: Block) -> bool:
        """A call of a module this review cannot read (remote, or a local path that is not in the
        repository) that passes a Lambda `runtime` (and `handler` or `function_name`): read as a
        function from its arguments, so a deprecated runtime is still found at its line."""
        source = str(block.get("source"))
        if is_local_source(source) and name in self._local_calls(instance.module):
            return False
        attrs = block.attributes
        if "runtime" in attrs and ("handler" in attrs or "function_name" in attrs):
            return True
        # an image function passes no runtime (its image has one): `image_uri` to a module that
        # says Lambda (`source = "github.com/acme/terraform-modules//lambda?ref=v11"`)
        return "image_uri" in attrs and says_lambda(name, source, block)

    def _code_left_to_callers(self, function: Function, block: Block, iteration: Iteration, root: str) -> bool:
        """Whether which code the function runs is its callers' to say: its `handler` or
        `image_uri` is a variable of its module that no default gives (`handler =
        var.lambda_handler`), or its code path leads out of the folder to nothing there is
        (`"../../lambdas/x"`, a path Terraform reads from the caller's root module, which the
        folder is not). The declaration is then a recipe for calls, not a function of its own."""
        if function.code_path and not self.workspace.exists(function.code_path) \
                and not function.code_path.startswith(root.rstrip("/") + "/"):
            return True
        instance = function.properties.get("instance")
        if not isinstance(instance, Instance):
            return False
        for name in ("handler", "image_uri"):
            expression = block.attributes.get(name)
            if expression is None:
                continue
            value = self.evaluator.evaluate(expression, Scope(instance, block.path, iteration))
            if isinstance(value, Unknown) and value.caller_input:
                return True
        return False

    def _add(self, function: Function, iteration: Iteration, block: Block) -> None:
        root = str(function.properties.get("terraform_root", ""))
        if root in self.templates and (is_module_input(function)
                                          or self._code_left_to_callers(function, block, iteration, root)):
            return  # a module folder nothing calls: its runtime or its code is an input, not a deployed value
        if root in self.switched_off:
            return  # a module folder whose call is commented out: nothing deploys it
        base = str(function.properties.pop("base_address"))
        instance = function.properties.pop("instance", None)
        unit = instance.root().unit if isinstance(instance, Instance) else None
        unknown = [(iteration, block, base)] + [
            (caller.iteration, caller.call, caller.prefix.removesuffix(".")) for caller in callers_of(instance)]
        for counted, declared, address in unknown:
            if counted is None or counted.unknown is None or declared is None:
                continue
            function.unresolved.setdefault(
                "Count", f"how many instances Terraform creates is not known: {counted.unknown}")
            # the root that makes this instance, so that two roots' notices on one line differ;
            # Terragrunt units that run one module folder make it alike: said once, of the folder
            named = unit.module_directory if unit is not None and unit.line else root
            where = f"{named}:{address}" if named not in ("", ".") else address
            notice = unread_declaration_notice(
                declared.path, declared.line, f"{where}: {counted.unknown}",
                missing="how many functions Terraform creates is not known; the function is reviewed once")
            if unit is None or notice not in self.result.notices:
                self.result.notices.append(notice)
        self.functions[(root, function.name)] = function
        self.function_groups[(root, base)].append(function)
        physical = function.properties.get("function_name")
        if isinstance(physical, str):
            self.by_name.setdefault((root, physical), function)
            # Another root may name this function by its physical name; when two roots deploy
            # functions of the same name (one per account), such a name is ambiguous.
            other = self.by_name.get(("*", physical))
            if ("*", physical) not in self.by_name:
                self.by_name[("*", physical)] = function
            elif other is not None and other.properties.get("terraform_root") != root:
                self.by_name[("*", physical)] = None

    def _new_function(self, address: str, block: Block, instance: Instance, scope: Scope) -> Function:
        """A function declared by `block`; inside a local module, it is located at the root
        module's `module` call that creates this instance (each instance has its own line, and a
        new call in a pull request is where its findings belong). The resource stays in
        `properties["resource_location"]`."""
        declared = Location(block.path, block.line)
        outermost = instance
        while outermost.caller is not None and outermost.caller.caller is not None:
            outermost = outermost.caller
        call = outermost.call
        # a Terragrunt unit's function stays where the module declares it (a unit's one `source`
        # line would stand for every function of the folder); the unit is among its files
        location = Location(call.path, call.line) if call is not None else declared
        suffix = scope.iteration.suffix if scope.iteration is not None else ""
        function = Function(name=address + suffix, format=FORMAT, location=location,
                            recursion_setting_text='recursive_loop = "Allow"',
                            declaration_inputs=_module_files(instance, block, location.path))
        function.properties.update(address=address + suffix, resource_location=declared, end_line=block.end_line,
                                   terraform_root=instance.root_directory, base_address=address,
                                   instance=instance)  # both taken out again by _add
        return function

    def _resource_function(self, instance: Instance, name: str, block: Block, scope: Scope) -> Function:
        function = self._new_function(instance.address(f"aws_lambda_function.{name}"), block, instance, scope)
        attrs = block.attributes
        function.properties["resource_type"] = "aws_lambda_function"
        for key in ("count", "for_each"):
            if key in attrs:
                function.properties[key] = self.evaluator.text(attrs[key], scope)
        self._scalar(function, attrs, "function_name", scope, "FunctionName", into="function_name")
        package_type = self._scalar(function, attrs, "package_type", scope, "PackageType")
        function.package_type = package_type or "Zip"
        self._scalar(function, attrs, "handler", scope, "Handler", into="handler")
        self._runtime(function, attrs, "runtime", scope)
        self._image_uri(function, attrs, scope, block.path)
        for config in block.blocks_named("image_config")[:1]:
            self._image_config(function, config.attributes, ("command", "entry_point"), scope.at(config.path))
        self._package(function, attrs, scope)
        self._layers(function, attrs, scope)
        for environment in block.blocks_named("environment")[:1]:
            if "variables" in environment.attributes:
                self._environment(function, environment.attributes["variables"], scope.at(environment.path))
        if "role" in attrs:
            self._role(function, attrs["role"], scope, Location(block.path, attrs.line_of("role")))
        self._guardrail_attributes(function, attrs, scope, block.path)
        return function

    def _module_function(self, instance: Instance, name: str, block: Block, scope: Scope,
                         generic: bool = False) -> Function | None:
        """A call of terraform-aws-modules/lambda/aws (or of a module read from its arguments
        alone): its inputs say what the function is."""
        attrs = block.attributes
        truthy = self.evaluator.truthy
        if (truthy(attrs.get("create"), scope) is False or truthy(attrs.get("create_function"), scope) is False
                or truthy(attrs.get("create_layer"), scope) is True):
            return None
        function = self._new_function(instance.address(f"module.{name}"), block, instance, scope)
        function.properties["module_source"] = str(attrs.get("source"))
        if generic:
            function.properties["read_from_arguments"] = True
            _unread_module_settings(function, attrs, str(attrs.get("source")))
        for key in ("count", "for_each"):
            if key in attrs:
                function.properties[key] = self.evaluator.text(attrs[key], scope)
        self._scalar(function, attrs, "function_name", scope, "FunctionName", into="function_name")
        written_type = self._scalar(function, attrs, "package_type", scope, "PackageType")
        image_only = generic and "image_uri" in attrs and "runtime" not in attrs
        function.package_type = written_type or ("Image" if image_only else "Zip")
        self._scalar(function, attrs, "handler", scope, "Handler", into="handler")
        self._runtime(function, attrs, "runtime", scope)
        self._image_uri(function, attrs, scope, block.path)
        self._image_config(function, attrs, ("image_config_command", "image_config_entry_point"), scope)
        self._module_code_path(function, attrs, scope)
        if "environment_variables" in attrs:
            self._environment(function, attrs["environment_variables"], scope)
        self._guardrail_attributes(function, attrs, scope, block.path)
        if truthy(attrs.get("create_lambda_function_url"), scope):
            key = "authorization_type" if "authorization_type" in attrs else "create_lambda_function_url"
            auth = self.evaluator.text(attrs["authorization_type"], scope) if "authorization_type" in attrs else "NONE"
            function.url = FunctionUrl(auth, Location(block.path, attrs.line_of(key)))
        self._module_permissions(function, attrs, scope)
        self._module_event_sources(function, attrs, scope)
        self._module_policies(function, attrs, scope, block)
        return function

    def _scalar(self, function: Function, attrs: LocatedMap, key: str, scope: Scope, prop: str,
                into: str | None = None) -> str | None:
        if key not in attrs:
            return None
        function.locations[prop] = Location(scope.path, attrs.line_of(key))
        value = self.evaluator.literal_text(attrs[key], scope)
        if value is None:
            function.unresolved.setdefault(prop, unresolved_reason(self.evaluator.evaluate(attrs[key], scope)))
        if into == "handler":
            function.handler = value
        elif into == "function_name":
            if value is not None:
                function.properties["function_name"] = value
                # a quoted name is the deployed one; one built from a root variable may not be
                evaluated = not written_in_repository(attrs[key], scope)
                function.physical_name, function.physical_name_evaluated = value, evaluated
        return value

    def _image_uri(self, function: Function, attrs: LocatedMap, scope: Scope, path: str) -> None:
        """The image the function runs, as written or resolved; `null` (a module variable's default
        for a .zip function) declares no image, as leaving the argument out does, and so does an
        expression the review cannot resolve on a function whose package type is Zip."""
        if "image_uri" not in attrs:
            return
        value = self.evaluator.evaluate(attrs["image_uri"], scope)
        if isinstance(value, Literal) and value.value is None:
            return
        if not isinstance(value, (Literal, Reference)) and function.package_type == "Zip":
            # a .zip function deploys only with a null image: a module's optional input
            # (`var.image_uri != "" ? var.image_uri : null`) is null wherever it deploys one
            return
        function.image_uri = display(value)
        function.locations["ImageUri"] = Location(path, attrs.line_of("image_uri"))
        names = image_names(attrs["image_uri"], scope)
        if names:
            function.properties["ImageNames"] = names   # container/named_images.py finds the Dockerfile
        if isinstance(value, Reference) and value.resource_type == "module" and value.attribute == "image_uri":
            self._built_image(function, value, scope)

    def _image_config(self, function: Function, attrs: LocatedMap, keys: tuple[str, str], scope: Scope) -> None:
        """`image_config { command, entry_point }` (the module's `image_config_command`): the command
        is the handler the image runs in place of its `CMD`, unless the entry point is another
        program's. Kept in CloudFormation's spelling, `ImageConfig`, so the image's `CMD` is not
        taken as the handler of a function that overrides it."""
        command_key, entry_key = keys
        command = self.evaluator.to_plain(attrs[command_key], scope) if command_key in attrs else None
        entry_point = self.evaluator.to_plain(attrs[entry_key], scope) if entry_key in attrs else None
        if command is None and entry_point is None:
            return                              # not set, or `null`: the image's own
        function.properties["ImageConfig"] = {"Command": command, "EntryPoint": entry_point}
        handler = command_handler(command, entry_point)
        if handler is not None:
            function.handler = handler
            function.locations["Handler"] = Location(scope.path, attrs.line_of(command_key))
            function.unresolved.pop("Handler", None)

    def _built_image(self, function: Function, image: Reference, scope: Scope) -> None:
        """`image_uri = module.docker_image.image_uri` where that module is terraform-aws-modules'
        `docker-build`: the image is built from `source_path` (and `docker_file_path`, default
        `Dockerfile`), so the function has that Dockerfile's base-image runtime and claims the file."""
        call = scope.instance.module.modules.get(image.ref.value.rpartition("module.")[2].split("[")[0])
        if call is None or not str(call.get("source", "")).rstrip("/").endswith("//modules/docker-build"):
            return
        context = self.evaluator.literal_text(call.get("source_path"), Scope(scope.instance, call.path))
        written = self.evaluator.literal_text(call.get("docker_file_path"), Scope(scope.instance, call.path))
        folder = self._workspace_path(context, scope, function) if context else None
        if folder is None:
            return
        dockerfile = self.workspace.resolve(f"{folder}/{written or 'Dockerfile'}")
        if dockerfile is None or not self.workspace.exists(dockerfile) or self.workspace.is_dir(dockerfile):
            return
        try:
            base = read_base_image(self.workspace.read_text(dockerfile))
        except UnreadableFile:
            return
        function.unresolved.pop("Runtime", None)
        if base is not None:
            apply_base_image(function, dockerfile, base, folder)
        else:
            function.properties["Dockerfile"] = dockerfile
            function.unresolved["Runtime"] = "the image is built from a base image that is not an AWS Lambda one"

    def _runtime(self, function: Function, attrs: LocatedMap, key: str, scope: Scope) -> None:
        if function.package_type.lower() == "image":
            function.unresolved["Runtime"] = "an image function takes its runtime from its base image, not `runtime`"
            return
        if key not in attrs:
            function.unresolved["Runtime"] = "no runtime is declared"
            return
        declared = Location(scope.path, attrs.line_of(key))
        function.locations["Runtime"] = declared
        result = self.evaluator.evaluate(attrs[key], scope)
        if isinstance(result, Literal) and isinstance(result.value, str) and result.value:
            function.runtime = result.value
            if result.location is not None and result.location != declared:
                function.locations["Runtime.Default"] = result.location
            return
        if isinstance(result, Literal) and result.value == "":
            function.unresolved["Runtime"] = ("runtime is an empty string, so the deployed value comes from "
                                              "elsewhere (a `-var-file` or `-var`, which the review does not read)")
            return
        if isinstance(result, Literal):
            function.unresolved["Runtime"] = f"runtime is {result.text}"
            return
        function.unresolved["Runtime"] = unresolved_reason(result)

    def _package(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        """filename (or the archive_file it comes from), else s3_bucket/s3_key."""
        if "filename" in attrs:
            function.locations["Code"] = Location(scope.path, attrs.line_of("filename"))
            result = self.evaluator.evaluate(attrs["filename"], scope)
            if isinstance(result, Reference) and result.resource_type in ARCHIVES:
                self._archive_source(function, result)
            elif isinstance(result, Literal) and isinstance(result.value, str):
                archive = self._archive_writing(result.value, scope)
                if archive is not None:
                    function.properties["archive"] = f"{'data.' if archive[0].type == 'data' else ''}archive_file." \
                                                     f"{archive[0].labels[-1]}"
                    self._archived_folder(function, *archive)
                else:
                    function.code_path = self._workspace_path(result.value, scope, function)
            else:
                function.unresolved["Code"] = unresolved_reason(result)
        elif "s3_key" in attrs or "s3_bucket" in attrs:
            for key in ("s3_bucket", "s3_key"):
                if key in attrs:
                    function.properties[key] = self.evaluator.text(attrs[key], scope)
            function.locations["Code"] = Location(scope.path, attrs.line_of("s3_key" if "s3_key" in attrs else "s3_bucket"))
            if "s3_key" in attrs:
                self._uploaded_object(function, attrs["s3_key"], scope)
            if function.code_path is None and "source_code_hash" in attrs:
                self._hashed_archive(function, attrs["source_code_hash"], scope)

    def _layers(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        """`layers = [aws_lambda_layer_version.common.arn]`: each layer of the configuration zipped
        from a repository folder (its `filename`, as a function's) puts that folder's `python/` on
        the function's import path, after its code, as Lambda imports from /opt/python."""
        if "layers" not in attrs or function.package_type == "Image":
            return
        listed = self.evaluator.evaluate(attrs["layers"], scope)
        if not isinstance(listed, Structure) or not isinstance(listed.value, list):
            return
        paths: list[str] = []
        for item in listed.value[:MAX_LAYERS]:
            layer = self.evaluator.evaluate(item, listed.scope)
            if not isinstance(layer, Reference) or layer.resource_type != "aws_lambda_layer_version":
                continue
            found = self._block(layer)
            if found is None or "count" in found[0].attributes or "for_each" in found[0].attributes:
                continue
            block, instance = found
            packaged = Function(name=layer.ref.value, format=FORMAT, location=Location(block.path, block.line))
            self._package(packaged, block.attributes, Scope(instance, block.path))
            folder = self.workspace.resolve(f"{packaged.code_path}/python") if packaged.code_path else None
            if folder is not None and self.workspace.is_dir(folder) and folder not in paths:
                paths.append(folder)
        function.layer_paths = tuple(paths)

    def _module_code_path(self, function: Function, attrs: LocatedMap, scope: Scope) -> None:
        """source_path: a path, a list of paths or of {path = ...}, or one such object."""
        for key in ("source_path", "local_existing_package"):
            if key not in attrs:
                continue
            function.locations["Code"] = Location(scope.path, attrs.line_of(key))
            result = self.evaluator.evaluate(attrs[key], scope)
            if isinstance(result, Structure):
                first = result.value[0] if isinstance(result.value, list) and result.value else result.value
                if isinstance(first, dict) and "path" in first:
                    first = first["path"]
                result = self.evaluator.evaluate(first, result.scope) if not isinstance(first, (dict, list)) else \
                    Unknown("a source_path entry without a path", "")
            if isinstance(result, Literal) and isinstance(result.value, str):
                function.code_path = self._workspace_path(result.value, scope, function)
            else:
                function.unresolved["Code"] = unresolved_reason(result)
            return

    def _environment(self, function: Function, value: Any, scope: Scope) -> None:
        """Variables as literal strings, or ResourceRef for references and unresolved values.

        A variable set straight from a deploy-time input (`var.x` that no module call sets) is,
        as a CloudFormation `!Ref Parameter` is, not a literal of the function: its value stays
        unresolved and the input's default (from `terraform.tfvars` or the `default`), unless the
        variable is `sensitive`, goes to `environment_defaults` with the line that writes it.
        """
        result = self.evaluator.evaluate(value, scope)
        if not isinstance(result, Structure) or not isinstance(result.value, dict):
            function.unresolved["Environment"] = unresolved_reason(result)
            return
        variables: dict[str, Any] = result.value
        expressions: dict[str, str] = {}
        for name, raw in variables.items():
            function.locations[f"Environment.{name}"] = Location(result.scope.path, key_line(variables, name, 1))
            evaluated = self.evaluator.evaluate(raw, result.scope)
            expressions[name] = display(evaluated)
            input_variable = self._deploy_time_input(raw, result.scope)
            if input_variable is None:
                function.environment[name] = environment_value(evaluated)
                continue
            function.environment[name] = ResourceRef("unresolved", "${var." + input_variable[0] + "}")
            block = input_variable[1]
            sensitive = block is not None and self.evaluator.truthy(block.get("sensitive"), Scope(input_variable[2], block.path))
            if isinstance(evaluated, Literal) and evaluated.location is not None and not sensitive:
                function.environment_defaults[name] = (evaluated.text, evaluated.location)
        function.properties["environment_expressions"] = expressions

    def _guardrail_attributes(self, function: Function, attrs: LocatedMap, scope: Scope, path: str) -> None:
        evaluator = self.evaluator
        if "code_signing_config_arn" in attrs:
            result = evaluator.evaluate(attrs["code_signing_config_arn"], scope)
            if not (isinstance(result, Literal) and result.value in (None, "")):
                function.code_signing = Location(path, attrs.line_of("code_signing_config_arn"))
                function.locations["CodeSigningConfigArn"] = function.code_signing
        if "publish" in attrs:
            function.locations["Publish"] = Location(path, attrs.line_of("publish"))
            function.published = evaluator.truthy(attrs["publish"], scope) is True
        if "recursive_loop" in attrs:
            function.recursive_loop = evaluator.literal_text(attrs["recursive_loop"], scope)
            function.locations["RecursiveLoop"] = Location(path, attrs.line_of("recursive_loop"))


def _module_files(instance: Instance, block: Block, declared_in: str) -> tuple[str, ...]:
    """The files a function made inside a local module is made from besides the root's call: the
    configuration files of the module that declares its resource (Terraform reads a folder as one
    module, so the `archive_file` its code is zipped by, a variable's default or a local may sit in
    any of them), and the file of each module call between it and the root's, which passes what it
    is made with. A function a module call makes (a registry module's, `block` being the call) is
    decided by that call's file; the other files of the calling modules (their API, their other
    functions) decide nothing of it. One a Terragrunt unit runs is made by the unit too: the
    module's files (the unit passes it inputs, as a call does), and those that write the inputs."""
    unit = instance.root().unit
    if instance.caller is None and block.type == "resource":
        # a root's resource is made by its block alone, unless a Terragrunt unit runs its folder
        files = set(instance.module.files) if unit is not None and unit.line else set()
    else:
        files = set(instance.module.files) if block.type == "resource" else {block.path}
    current: Instance | None = instance
    while current is not None and current.call is not None:
        files.add(current.call.path)
        current = current.caller
    if unit is not None:  # the Terragrunt unit that runs it, and the files its inputs are written in
        files.update([unit.path, *(path for _, path in unit.inputs.values())])
    return tuple(sorted(files - {declared_in}))
