"""What a value in a CloudFormation template (or a serverless.yml's `resources:`) names: a resource
of the template by logical id, a physical name, or nothing static reading can follow.

`!Ref X`, `!GetAtt X.Arn`, `!Sub` and `!Join` of literals, references and parameters with default
values, and names declared by the template's resources (`BucketName: !Sub "${Env}-uploads"`): an
analyzer asks `TemplateNames.target(path, value)` and gets a format-free `Target`; it never reads
intrinsic functions itself.

A parameter with no default value (`BucketName: !Ref DocumentsBucketName`, an external queue's
`!Sub "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${JobsQueueName}"`) still names one thing
throughout its template: such a name is kept as its `${...}` text (a `variable-name` target), which
two values of one template share exactly when they name the same resource, whatever is deployed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from reviewer.inventory.cloudformation.samconfig import DeployedParameter
from reviewer.inventory.interface import Target

PHYSICAL_NAME_PROPERTY = {
    "AWS::S3::Bucket": "BucketName", "AWS::SQS::Queue": "QueueName", "AWS::SNS::Topic": "TopicName",
    "AWS::DynamoDB::Table": "TableName", "AWS::DynamoDB::GlobalTable": "TableName",
    "AWS::Serverless::SimpleTable": "TableName", "AWS::Kinesis::Stream": "Name", "AWS::Events::EventBus": "Name",
    "AWS::Lambda::Function": "FunctionName", "AWS::Serverless::Function": "FunctionName",
    "AWS::StepFunctions::StateMachine": "StateMachineName", "AWS::Serverless::StateMachine": "Name",
}
_PSEUDO = re.compile(r"^AWS::")
# A parameter of this type holds the name of a Systems Manager parameter: its `Default` says where
# the value is kept, not the value.
_SSM_PARAMETER_TYPE = "AWS::SSM::Parameter::Value"
SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass
class TemplateNames:
    """The parsed documents of a scan (path → document), read for the names their resources carry."""

    documents: dict[str, Any] = field(default_factory=dict)
    _names: dict[str, dict[str, str]] = field(default_factory=dict)

    def resources(self, path: str) -> dict[str, Any]:
        document = self.documents.get(path)
        if not isinstance(document, dict):
            return {}
        resources = document.get("Resources")
        if not isinstance(resources, dict):   # Serverless: resources.Resources
            nested = document.get("resources")
            resources = nested.get("Resources") if isinstance(nested, dict) else None
        return resources if isinstance(resources, dict) else {}

    def parameters(self, path: str) -> dict[str, Any]:
        document = self.documents.get(path)
        parameters = document.get("Parameters") if isinstance(document, dict) else None
        return parameters if isinstance(parameters, dict) else {}

    def declared_name(self, path: str, logical_id: str) -> str | None:
        """The physical name a resource declares: literal, or a `${...}` text when templated
        (the name the parameters' defaults spell when none is left), for matching the values of
        its own template."""
        value = self._name_value(path, logical_id)
        return str(value) if isinstance(value, str) else self._template_text(path, value)

    def literal_name(self, path: str, logical_id: str) -> str | None:
        """The physical name a resource declares as a plain string: the one name it takes in
        every stack, which other templates may write too (a parameter's default is only the name
        of a stack deployed without a value, and two templates of one app often take one default)."""
        value = self._name_value(path, logical_id)
        return str(value) if isinstance(value, str) else None

    def _name_value(self, path: str, logical_id: str) -> Any:
        resource = self.resources(path).get(logical_id)
        if not isinstance(resource, dict):
            return None
        prop = PHYSICAL_NAME_PROPERTY.get(str(resource.get("Type")))
        properties = resource.get("Properties")
        if prop is None or not isinstance(properties, dict):
            return None
        return properties.get(prop)

    def is_parameter(self, path: str, name: str) -> bool:
        """Whether `name` is a parameter of the template at `path` (not a resource, which wins)."""
        return name not in self.resources(path) and name in self.parameters(path)

    def default(self, path: str, name: str) -> str | int | None:
        """The value a parameter takes when none is passed (the one `sam deploy` passes from the
        SAM CLI configuration, when it does), None when there is none to read."""
        parameter = self.parameters(path).get(name)
        if not isinstance(parameter, dict) or str(parameter.get("Type", "")).startswith(_SSM_PARAMETER_TYPE):
            return None
        default = parameter.get("Default")
        return default if isinstance(default, (str, int)) and not isinstance(default, bool) else None

    def parameter_target(self, path: str, logical_id: str) -> Target | None:
        """A `Ref` to a template parameter (not a resource): its default value, as a name; with
        no default, the resource of the template that takes its name from the parameter, or the
        parameter's `${...}` text (what another reference to it shares)."""
        if not self.is_parameter(path, logical_id):
            return None
        parameter = self.parameters(path)[logical_id]
        default = self.default(path, logical_id)
        if isinstance(default, str):
            override = parameter.override if isinstance(parameter, DeployedParameter) else None
            if override is not None:   # what `sam deploy` passes, in place of the template's `Default`
                config = PurePosixPath(override.location.path).name
                return Target("name", default, f"the value {config}'s `parameter_overrides` passes for parameter "
                                               f"{logical_id} at `{override.location.path}:{override.location.line}`")
            return Target("name", default, f"the default of parameter {logical_id}")
        text = "${" + logical_id + "}"
        named = self.parameter_resource(path, logical_id)
        if named is not None:
            return Target("logical-id", named, f"parameter {logical_id}, the name of {named}")
        return Target("variable-name", text, f"the template parameter {logical_id}, which has no default value")

    def parameter_resource(self, path: str, name: str) -> str | None:
        """The resource of the template at `path` whose physical name is parameter `name`'s value
        (`BucketName: !Ref StatementsBucketName`): whatever is passed, that resource's name."""
        text = self._template_text(path, {"Ref": name}) if self.is_parameter(path, name) else None
        named = self.logical_ids_named(path, text) if text else []
        return named[0] if named else None

    def _template_text(self, path: str, value: Any) -> str | None:
        """`!Sub` or `!Join` of literals, references and parameters, as one `${...}` text with the
        parameters that have defaults substituted: two names written the same way compare equal."""
        if isinstance(value, dict) and len(value) == 1:
            (intrinsic, argument), = value.items()
            if intrinsic == "Fn::Sub":
                text = argument[0] if isinstance(argument, list) and argument else argument
                if isinstance(argument, list) and len(argument) > 1:
                    return None
                return self._with_defaults(path, text) if isinstance(text, str) else None
            if intrinsic == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 \
                    and isinstance(argument[0], str) and isinstance(argument[1], list):
                pieces = []
                for item in argument[1]:
                    if isinstance(item, str):
                        pieces.append(str(item))
                    elif isinstance(item, dict) and set(item) == {"Ref"} and isinstance(item["Ref"], str):
                        pieces.append("${" + item["Ref"] + "}")
                    else:
                        return None
                return self._with_defaults(path, str(argument[0]).join(pieces))
            if intrinsic == "Ref" and isinstance(argument, str) and _PSEUDO.match(argument):
                return "${" + argument + "}"
            if intrinsic == "Ref" and isinstance(argument, str) and self.is_parameter(path, argument):
                return self._with_defaults(path, "${" + argument + "}")
        return None

    def _with_defaults(self, path: str, text: str) -> str:
        def substitute(match: "re.Match[str]") -> str:
            default = self.default(path, match.group(1))
            return str(default) if default is not None else match.group(0)
        return SUB_VARIABLE.sub(substitute, text)

    def _parameter_name(self, path: str, text: str, template: str | None, written: str) -> Target | None:
        """A `${...}` text whose variables are all parameters of the template or pseudo parameters
        (`arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}`): the name it spells, the
        same wherever the template writes it so (`written` says what it is, for a reader)."""
        if template is None or "${" not in template:
            return None
        variables = [name for name in SUB_VARIABLE.findall(text) if not _PSEUDO.match(name)]
        if all(self.is_parameter(path, name) for name in variables):
            return Target("variable-name", template, written)
        return None

    def logical_ids_named(self, path: str, name: str) -> list[str]:
        """The resource of the template at `path` that declares the physical name `name`, if any."""
        if path not in self._names:
            self._names[path] = {}
            for logical_id in self.resources(path):
                declared = self.declared_name(path, str(logical_id))
                if declared is not None:
                    self._names[path][declared] = str(logical_id)
        found = self._names[path].get(name)
        return [found] if found else []

    def intrinsic_target(self, path: str, value: dict[Any, Any]) -> Target:
        """A one-key mapping as written in the template: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`..."""
        (intrinsic, argument), = value.items()
        if intrinsic == "Ref":
            if _PSEUDO.match(str(argument)):
                return Target("unresolved", f"the pseudo parameter {argument}")
            return Target("logical-id", str(argument))
        if intrinsic == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return Target("logical-id", str(argument[0]))
        if intrinsic == "Fn::Sub":
            return self._sub(path, argument)
        if intrinsic == "Fn::Join":
            template = self._template_text(path, value)
            if template is not None and self.logical_ids_named(path, template):
                return Target("logical-id", self.logical_ids_named(path, template)[0])
            if template is not None and "${" not in template:
                return Target("name", template)
            described = f"the Fn::Join expression {template or 'computed at deploy time'!r}"
            named = self._parameter_name(path, template or "", template, described)
            return named if named is not None else Target("unresolved", described)
        if intrinsic == "Fn::ImportValue":
            return Target("unresolved", "a value imported from another stack (Fn::ImportValue)")
        return Target("unresolved", f"a value computed by {intrinsic}")

    def _sub(self, path: str, argument: Any) -> Target:
        text = argument[0] if isinstance(argument, list) and argument else argument
        if not isinstance(text, str):
            return Target("unresolved", "a computed Fn::Sub")
        template = self._template_text(path, {"Fn::Sub": argument})
        if template is not None and self.logical_ids_named(path, template):
            return Target("logical-id", self.logical_ids_named(path, template)[0])
        if template is not None and "${" not in template:
            return Target("name", template, "the parameters' default values")
        variables = [name.split(".")[0] for name in SUB_VARIABLE.findall(text) if not _PSEUDO.match(name)]
        resources = [name for name in dict.fromkeys(variables) if name in self.resources(path)]
        if len(resources) == 1 and len(set(variables)) == 1:
            return Target("logical-id", resources[0])
        if not variables and "${" not in text.replace("${AWS::", ""):
            literal = SUB_VARIABLE.sub("", text)
            if not SUB_VARIABLE.search(text):
                return Target("name", literal)
        described = f"the Fn::Sub expression {text!r}"
        named = self._parameter_name(path, text, template, described)
        return named if named is not None else Target("unresolved", described)


def sub_template(value: Any) -> str | None:
    """The template of an `Fn::Sub` (literal text around `${...}` references); None for any other value."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::Sub" in value:
        template = value["Fn::Sub"]
        template = template[0] if isinstance(template, list) and template else template
        return template if isinstance(template, str) else None
    return None
