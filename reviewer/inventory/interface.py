"""What every IaC format reader produces, so rules never care which format declared a function."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewer.document_errors import document_language, syntax_error
from reviewer.located import DocumentError, DocumentSyntaxError, DocumentTooLarge
from reviewer.findings import Finding
from reviewer.model import Function, ImportedGrant, Location, ResourceRef
from reviewer.workspace import Workspace, skipped_notice, unparsed_notice


@dataclass
class InventoryResult:
    """Functions found, notices about files that could not be read, and the parsed documents.

    `deliveries` are those a reader lists itself rather than leaving in a document (Terraform, a
    CDK source file), by the scope where their addresses mean something: a root module's
    directory, the scope `targets.reference_scope` gives its functions; a CDK file's path."""

    functions: list[Function] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)
    deliveries: dict[str, list["Delivery"]] = field(default_factory=dict)
    # Local nested stacks: each child template → the (parent template, stack resource id) naming it.
    nested_stacks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # Grants to a function of another stack, named by an import no function read is exported under.
    imported_grants: list[ImportedGrant] = field(default_factory=list)

    def extend(self, other: "InventoryResult") -> None:
        self.functions.extend(other.functions)
        self.notices.extend(other.notices)
        self.documents.update(other.documents)
        for scope, listed in other.deliveries.items():
            self.deliveries.setdefault(scope, []).extend(listed)
        for child, links in other.nested_stacks.items():
            self.nested_stacks.setdefault(child, []).extend(links)
        self.imported_grants.extend(other.imported_grants)


class InventoryFormat(Protocol):
    """One IaC format: finds its files in the workspace and reads the functions they declare."""

    name: str

    def scan(self, workspace: Workspace) -> InventoryResult: ...

    def declares_functions(self, rel: str, text: str) -> bool:
        """Whether the text of `rel`, which does not parse, still looks like it declares
        functions in this format (so a change that breaks it fails closed)."""
        ...


# Per scan. libyaml composes a template in about 0.3 µs a byte and a hostile one (a dense stream
# of tiny keys) in about 1 µs: this bounds a repository of 2 MB files to tens of seconds, far
# above what real templates hold (CloudFormation itself accepts at most 1 MB per template).
MAX_TOTAL_YAML_BYTES = 32 * 1024 * 1024


def parse_yaml(workspace: Workspace, rel: str, text: str, notices: list[Finding]) -> Any | None:
    """A YAML or JSON document through the run's parse cache; when it cannot be read, a notice.

    An alias bomb or runaway nesting is skipped (LR902); a syntax error is LR901 at its line.
    Once the scan's documents exceed MAX_TOTAL_YAML_BYTES, the rest are skipped (LR902), in the
    same order on the head and the base of a review.
    """
    if not workspace.spend("yaml", len(text), MAX_TOTAL_YAML_BYTES):
        notices.append(skipped_notice(
            rel, f"the YAML and JSON documents of this repository exceed {MAX_TOTAL_YAML_BYTES:,} bytes, "
                 "the limit parsed in one review"))
        return None
    try:
        return workspace.parsed.yaml(text)   # once per distinct text in a run
    except DocumentTooLarge as exc:
        notices.append(skipped_notice(rel, str(exc)))
    except DocumentSyntaxError as exc:
        # The YAML parser reads JSON too: a truncated `cdk.out/*.template.json` is a JSON error.
        notices.append(unparsed_notice(rel, syntax_error(exc, document_language(rel, text)), exc.line or 1))
    except DocumentError as exc:
        line = int(m.group(1)) if (m := re.search(r"at line (\d+)", str(exc))) else 1
        notices.append(unparsed_notice(rel, str(exc), line))
    return None


@dataclass(frozen=True)
class Target:
    """What a value written in the infrastructure names, before an analyzer turns it into keys it
    can compare: kind `logical-id` (value: the id in the value's template), `name` (a physical
    name, ARN or URL as written), `terraform` (an address), `cdk` (`<file>#<variable>`, the construct
    a CDK source file keeps there) or `unresolved` (value: why), and how
    it was followed when that is worth saying (a parameter's default value)."""

    kind: str
    value: str
    explanation: str = ""


def literal_arn(text: str) -> ResourceRef | None:
    """An ARN written out in full (no `${...}` left to resolve, no wildcard), as a reference."""
    text = text.strip()
    if text.startswith("arn:") and "${" not in text and "*" not in text:
        return ResourceRef("arn", text)
    return None


@dataclass(frozen=True)
class Delivery:
    """A resource that passes its events on to a queue or topic: an S3 bucket that notifies one
    (a write to the bucket reaches a function through the second service), or an SNS topic with
    an SQS subscription (fan-out). The recursion check follows it as the first hop of a loop.

    `kind` is the trigger kind of the source's events (`s3`, `sns`), `source` the bucket or topic;
    `via_kind` (`sqs`, `sns`) and `via` the queue or topic it delivers to; `location` the line
    that declares the delivery, `name` what to call it (empty: the reader names it after its
    source), and `attributes` what a trigger of `kind` carries (S3: events, prefix, suffix).
    """

    kind: str
    source: Target
    via_kind: str
    via: Target
    location: Location
    name: str = ""
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
