"""Which local names of a CDK source file stand for Lambda modules and constructs, in every language.

Each language names the same CDK module its own way (`aws-cdk-lib/aws-lambda`, `aws_cdk.aws_lambda`,
`software.amazon.awscdk.services.lambda`, `Amazon.CDK.AWS.Lambda`, `.../awscdk/v2/awslambda`); they
all map to one canonical module (`aws_lambda`), so the construct table in `cdk.constructs` is
written once. A file's imports become a symbol table: local name → canonical path (`aws_lambda`,
`aws_lambda.Function`, `""` for the library root), read from its syntax tree, never from text.
"""

from __future__ import annotations

import tree_sitter

from reviewer import source_trees as st
from reviewer.inventory.cdk.constructs import CONSTRUCTS_BY_MODULE

# A service path as the JVM and .NET packages spell it (lower-cased) → canonical module.
_SERVICE_MODULES = {
    "lambda": "aws_lambda",
    "lambda.nodejs": "aws_lambda_nodejs",
    "lambda.python": "aws_lambda_python",
    "lambda.python.alpha": "aws_lambda_python_alpha",
    "lambda.go": "aws_lambda_go",
    "lambda.go.alpha": "aws_lambda_go_alpha",
    "cloudfront": "aws_cloudfront",
    "cloudfront.experimental": "aws_cloudfront.experimental",
}
# Go package names (the import path's last segment without the major version) → canonical module.
_GO_PACKAGES = {
    "awslambda": "aws_lambda",
    "awslambdanodejs": "aws_lambda_nodejs",
    "awscdklambdagoalpha": "aws_lambda_go_alpha",
    "awscdklambdapythonalpha": "aws_lambda_python_alpha",
    "awslambdago": "aws_lambda_go",
    "awslambdapython": "aws_lambda_python",
    "awscloudfront": "aws_cloudfront",
}
_JVM_PREFIX = "software.amazon.awscdk.services."
_DOTNET_PREFIX = "amazon.cdk.aws."
_SHADOWED = "!"  # a local name imported from another package
RUNTIME_CONSTANT = "Runtime:"  # a runtime constant imported by name (Java `import static`)
# Sub-namespaces reachable from a module by name (`cloudfront.experimental.EdgeFunction`).
_SUBMODULES = {"aws_cloudfront": ("experimental",)}



def npm_module(specifier: str) -> str | None:
    """'aws-cdk-lib/aws-lambda' → aws_lambda, '@aws-cdk/aws-lambda-go-alpha' → aws_lambda_go_alpha,
    'aws-cdk-lib' → '' (the root, whose members are the modules); other packages → None."""
    if specifier == "aws-cdk-lib":
        return ""
    for prefix in ("aws-cdk-lib/", "@aws-cdk/"):
        if specifier.startswith(prefix):
            rest = specifier[len(prefix):]
            return rest.replace("-", "_") if rest.startswith("aws-") and "/" not in rest else None
    return None


def package_module(package: str) -> str | None:
    """A Java/Kotlin package or C# namespace → canonical module, or None when it is not a Lambda one."""
    lowered = package.lower()
    for prefix in (_JVM_PREFIX, _DOTNET_PREFIX):
        if lowered.startswith(prefix):
            return _SERVICE_MODULES.get(lowered[len(prefix):])
    return None


def go_module(import_path: str) -> tuple[str, str] | None:
    """A Go import path → (default package name, canonical module), for the CDK's Lambda packages."""
    if "aws-cdk-go" not in import_path:
        return None
    segments = [s for s in import_path.split("/") if s]
    while segments and segments[-1].startswith("v") and segments[-1][1:].isdigit():
        segments.pop()
    if not segments or segments[-1] not in _GO_PACKAGES:
        return None
    return segments[-1], _GO_PACKAGES[segments[-1]]


def construct_of(path: list[str]) -> str | None:
    """A canonical path (`aws_lambda.Function`, `aws_cloudfront.experimental.EdgeFunction`) → construct."""
    if len(path) < 2:
        return None
    name = path[-1]
    return name if name in CONSTRUCTS_BY_MODULE.get(".".join(path[:-1]).lower(), ()) else None


def resolve(parts: list[str], symbols: dict[str, str]) -> str | None:
    """The construct a dotted name reaches through the file's symbols (`lambda.Function` → Function)."""
    if parts and parts[0] not in symbols:
        return _qualified(parts)
    if not parts:
        return None
    base = symbols[parts[0]]
    if base == _SHADOWED:
        return None
    full = [p for p in base.split(".") if p] + parts[1:]
    return construct_of(full)


def _qualified(parts: list[str]) -> str | None:
    """A fully qualified JVM or .NET name: `software.amazon.awscdk.services.lambda.Function`."""
    for end in range(len(parts) - 1, 3, -1):
        module = package_module(".".join(parts[:end]))
        if module is not None:
            return construct_of(module.split(".") + parts[end:])
    return None


def _bind_module(symbols: dict[str, str], module: str) -> None:
    """A wildcard import: every construct of `module`, and its sub-namespaces, by their own names."""
    for construct in CONSTRUCTS_BY_MODULE.get(module, ()):
        symbols.setdefault(construct, f"{module}.{construct}")
    for sub in _SUBMODULES.get(module, ()):
        symbols.setdefault(sub, f"{module}.{sub}")
        symbols.setdefault(sub[:1].upper() + sub[1:], f"{module}.{sub}")


def symbols_of(language: str, root: tree_sitter.Node) -> dict[str, str]:
    """Local names → canonical module paths, from the import declarations of one file."""
    reader = {"java": _jvm_imports, "kotlin": _jvm_imports, "csharp": _dotnet_usings, "go": _go_imports}
    return reader.get(language, _script_imports)(root)


def _script_imports(root: tree_sitter.Node) -> dict[str, str]:
    """`import * as x from`, `import {a as b} from`, `import x = require()`, `const {a: b} = require()`."""
    symbols: dict[str, str] = {}
    for node in _top_level(root):
        if node.type == "import_statement":
            source = node.child_by_field_name("source")
            if source is None:   # `import x = require('...')`: the string is inside the clause
                clause = next((c for c in node.named_children if c.type == "import_require_clause"), None)
                source = next((c for c in clause.named_children if c.type == "string"), None) if clause else None
            module = npm_module(st.string_value(source) or "")
            if module is None:
                continue
            for part in st.walk(node, max_depth=6):
                if part.type == "namespace_import" and part.named_children:
                    symbols[st.text(part.named_children[-1])] = module
                elif part.type == "import_specifier":
                    name = st.text(part.child_by_field_name("name"))
                    alias = part.child_by_field_name("alias")
                    symbols[st.text(alias) if alias else name] = ".".join(p for p in (module, name) if p)
                elif part.type == "import_clause" and part.named_children \
                        and part.named_children[0].type == "identifier":
                    symbols[st.text(part.named_children[0])] = module   # import x from '...'
                elif part.type == "import_require_clause" and part.named_children:
                    symbols[st.text(part.named_children[0])] = module
        elif node.type == "variable_declarator":
            value = st.unwrap(node.child_by_field_name("value"))
            if value is None or value.type != "call_expression" or st.call_name(value) != "require":
                continue
            arguments = st.arguments(value)
            module = npm_module(st.string_value(arguments[0]) or "") if arguments else None
            if module is None:
                continue
            pattern = node.child_by_field_name("name")
            if pattern is not None and pattern.type == "identifier":
                symbols[st.text(pattern)] = module
            elif pattern is not None and pattern.type == "object_pattern":
                for item in pattern.named_children:
                    if item.type == "shorthand_property_identifier_pattern":
                        symbols[st.text(item)] = ".".join(p for p in (module, st.text(item)) if p)
                    elif item.type == "pair_pattern":
                        key, alias = item.child_by_field_name("key"), item.child_by_field_name("value")
                        if alias is not None and alias.type == "identifier":
                            symbols[st.text(alias)] = ".".join(p for p in (module, st.text(key)) if p)
    return symbols


def _top_level(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Imports and `require`s where modules write them: top-level statements and their declarators."""
    found: list[tree_sitter.Node] = []
    for statement in root.named_children:
        if statement.type == "export_statement":
            statement = statement.named_children[0] if statement.named_children else statement
        if statement.type in ("lexical_declaration", "variable_declaration"):
            found.extend(c for c in statement.named_children if c.type == "variable_declarator")
        elif statement.type == "import_statement":
            found.append(statement)
    return found


def _jvm_imports(root: tree_sitter.Node) -> dict[str, str]:
    """Java `import a.b.C;` / `import a.b.*;`, Kotlin `import a.b.C as D`; explicit imports win."""
    symbols: dict[str, str] = {}
    wildcards: list[str] = []
    for node in root.named_children:
        if node.type not in ("import_declaration", "import", "import_header", "import_list"):
            continue
        for declaration in ([node] if node.type != "import_list" else node.named_children):
            names = [c for c in declaration.named_children]
            path = next((c for c in names if c.type in ("scoped_identifier", "qualified_identifier", "identifier")),
                        None)
            if path is None:
                continue
            dotted = "".join(st.text(path).split())
            wildcard = any(c.type in ("asterisk", "*") for c in declaration.children) or st.text(declaration) \
                .rstrip(";").rstrip().endswith("*")
            alias_node = next((c for c in names if c is not path and c.type in ("identifier", "simple_identifier",
                                                                               "import_alias")), None)
            if wildcard:
                module = package_module(dotted)
                if module is not None:
                    wildcards.append(module)
                continue
            package, _, name = dotted.rpartition(".")
            local = st.text(alias_node).split()[-1] if alias_node is not None else name
            owner, _, holder = package.rpartition(".")
            if holder == "Runtime" and package_module(owner) == "aws_lambda":
                symbols[local] = RUNTIME_CONSTANT + name   # import static ...lambda.Runtime.PYTHON_3_12
                continue
            module, whole = package_module(package), package_module(dotted)
            # Another package's `Function` (java.util.function) shadows a wildcard import's.
            symbols[local] = f"{module}.{name}" if module is not None else whole if whole is not None else _SHADOWED
    for module in wildcards:
        _bind_module(symbols, module)
    return symbols


def _dotnet_usings(root: tree_sitter.Node) -> dict[str, str]:
    """`using Amazon.CDK.AWS.Lambda;` (every construct by name), `using L = Amazon.CDK.AWS.Lambda;`."""
    symbols: dict[str, str] = {}
    for node in st.walk(root, max_depth=4):
        if node.type != "using_directive":
            continue
        alias = node.child_by_field_name("name")
        target = next((c for c in node.named_children if c.type in ("qualified_name", "identifier")
                       and (alias is None or c != alias)), None)
        if target is None:
            continue
        dotted = "".join(st.text(target).split())
        module = package_module(dotted)
        if alias is not None:
            package, _, name = dotted.rpartition(".")
            if module is not None:
                symbols[st.text(alias)] = module
            elif (parent := package_module(package)) is not None:
                symbols[st.text(alias)] = f"{parent}.{name}"
        elif module is not None:
            _bind_module(symbols, module)
    return symbols


def _go_imports(root: tree_sitter.Node) -> dict[str, str]:
    """`import "github.com/aws/aws-cdk-go/awscdk/v2/awslambda"` (or with a local name)."""
    symbols: dict[str, str] = {}
    for node in st.walk(root, max_depth=4):
        if node.type != "import_spec":
            continue
        found = go_module(st.string_value(node.child_by_field_name("path")) or "")
        if found is None:
            continue
        alias = node.child_by_field_name("name")
        symbols[st.text(alias) if alias is not None else found[0]] = found[1]
    return symbols


def go_construct(parts: list[str], symbols: dict[str, str]) -> str | None:
    """`awslambda.NewFunction`, `awscloudfront.NewExperimental_EdgeFunction` → the construct."""
    if len(parts) != 2 or parts[0] not in symbols or not parts[1].startswith("New"):
        return None
    name = parts[1][3:]
    path = [p for p in symbols[parts[0]].split(".") if p] + [p[:1].lower() + p[1:] for p in name.split("_")[:-1]]
    return construct_of(path + [name.split("_")[-1]])
