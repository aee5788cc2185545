"""`resources.Resources` of a serverless.yml: CloudFormation beside the functions, exposed as a template and
linked to them.
"""

from __future__ import annotations

from reviewer.inventory.serverless.service import ServiceBase, as_mapping, text_of
from reviewer.located import LocatedMap
from reviewer.model import (
    Function,
    Location,
)


class ServiceResources(ServiceBase):
    """Reads `resources:` (CloudFormation) beside the functions."""

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
        extensions = as_mapping(self.template.get("extensions"))
        for logical_id, extension in extensions.items():
            function = by_logical_id.get(str(logical_id))
            properties = as_mapping(as_mapping(extension).get("Properties"))
            if function is None:
                continue
            if "CodeSigningConfigArn" in properties:
                function.code_signing = Location(self.path, properties.line_of("CodeSigningConfigArn"))
                function.locations["CodeSigningConfigArn"] = function.code_signing
            if "RecursiveLoop" in properties:
                function.recursive_loop = text_of(properties["RecursiveLoop"])
                function.locations["RecursiveLoop"] = Location(self.path, properties.line_of("RecursiveLoop"))
            if "RuntimeManagementConfig" in properties:
                management = as_mapping(properties["RuntimeManagementConfig"])
                if "UpdateRuntimeOn" in management:
                    function.update_runtime_on = text_of(management["UpdateRuntimeOn"])
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
            from reviewer.inventory.cloudformation.events import (
                attach_resource_triggers,
            )
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
