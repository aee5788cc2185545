"""Why a YAML or JSON document was not read, in the language the file is written in.

The loader (`located.load_yaml`) reads JSON as YAML, so its syntax errors are YAML's; every reader
of a document turns the error into words here, naming JSON for a JSON file (a `Pipfile.lock`, a
`.json` settings file, a Terraform `jsondecode`), as the person who wrote the file reads it.
"""

from __future__ import annotations

from reviewer.located import DocumentError, DocumentSyntaxError
from reviewer.wording import sentence

# The words: templates/notes.txt.j2.
NOTES = "notes.txt.j2"
JSON, YAML = "JSON", "YAML"


def syntax_error(exc: DocumentSyntaxError, language: str) -> str:
    """Why the document was not read, naming the language it is written in (JSON or YAML)."""
    return sentence(NOTES, "syntax_error", language=language, line=exc.line, problem=exc.problem)


def document_error(exc: DocumentError, language: str) -> str:
    """A syntax error in `language`'s name; any other reason (too large, too deep) as it is."""
    return syntax_error(exc, language) if isinstance(exc, DocumentSyntaxError) else str(exc)


def document_language(rel: str, text: str) -> str:
    """JSON for a `.json` file, or a file of no YAML suffix whose text opens with `{` (a
    CloudFormation `.template`, a `Pipfile.lock`); YAML otherwise (a YAML flow mapping in a
    `.yaml` file stays YAML)."""
    lowered = rel.lower()
    if lowered.endswith(".json"):
        return JSON
    if lowered.endswith((".yaml", ".yml")):
        return YAML
    return JSON if text[:4096].lstrip().startswith("{") else YAML
