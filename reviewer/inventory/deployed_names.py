"""How each format's deployed function names relate to its declarations: the format-free door the
live-account review's tie-in asks (reviewer.account.tie_in), so that it compares no format itself.

- SAM and CloudFormation name a function without `FunctionName` `<stack>-<LogicalId>-<suffix>`
  (or the bare logical id when a tool deployed it so): the logical id between dashes.
- CDK's logical id is the construct id (letters and digits only) followed by 8 hexadecimal
  digits hashed from the construct path: `<stack>-<ConstructId><8 hex>-<suffix>`. `Orders` is not
  `OrdersHandler5E6F7A8B`, whose rest is no hash; an id the code builds at run time
  (`ConstructIdExpression`) is not known, and matches nothing.
- Serverless and Terraform names are worked out by their readers (`physical_name_evaluated`):
  the words that say so name what they were worked out from.
"""

from __future__ import annotations

import re

from reviewer.model import Function

# How a deployed function was told to be the declared one, when not by the name the repository
# writes; shown after the deployed name, so the reader can weigh the match.
_BASIS = {
    "serverless": "its name worked out from the service and stage",
    "terraform": "its name worked out from the Terraform variables as the repository sets them",
    "sam": "matched by its logical id in the deployed name",
    "cloudformation": "matched by its logical id in the deployed name",
    "cdk": "matched by its construct id in the name CloudFormation generated",
}
_DEFAULT_BASIS = "matched by a name worked out from the declaration"
_CDK_HASH = "[0-9A-F]{8}"   # the 8 hex digits CDK appends to a logical id (a hash of the construct path)


def generated_name_matches(declared: Function, deployed: str) -> bool:
    """Whether `deployed` is a name CloudFormation generated for the declared function (one
    without a name of its own), from its template's logical id or its CDK construct id."""
    parts = deployed.split("-")
    if declared.format in ("sam", "cloudformation"):
        return deployed == declared.name or (len(parts) >= 3 and declared.name in parts[1:-1])
    if declared.format == "cdk" and len(parts) >= 3 and not declared.properties.get("ConstructIdExpression"):
        construct_id = re.sub(r"[^A-Za-z0-9]", "", declared.name)   # CDK keeps only these in a logical id
        return bool(construct_id) and re.fullmatch(f"{construct_id}{_CDK_HASH}", parts[-2]) is not None
    return False


def match_basis(declared: Function) -> str:
    """The words that say how a deployed function not named by the repository was matched."""
    return _BASIS.get(declared.format, _DEFAULT_BASIS)


__all__ = ["generated_name_matches", "match_basis"]
