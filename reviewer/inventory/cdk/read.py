"""AWS CDK apps → functions, without synthesizing or running the app.

Two sources, both read statically:

- **CDK source** (Python, TypeScript, JavaScript, Java, Kotlin, C#, Go): the Lambda constructs and
  their `runtime` argument, at the line a developer edits (`cdk/python.py` with `ast`, `cdk/source.py`
  with tree-sitter). A file is parsed only when it imports the CDK and names a construct, and a
  grammar is loaded only when a file of its language is parsed. A construct whose properties or
  runtime cannot be read statically gets a notice (LR904) naming the file, the line and the form.
- **Synthesized templates** (`cdk.out/**/*.template.json`) when the repository has them: read with
  the CloudFormation reader, then mapped back to the construct through each resource's
  `aws:cdk:path` metadata (`Stack/Orders/Resource` → construct id `Orders`).

A synthesized function whose construct id matches exactly one construct in the app's source is the
same function: it is reported once, at the source line, carrying its construct paths and template
location (and the synthesized runtime when the source leaves it to a CDK default). The others
(functions CDK adds itself, constructs from libraries) are reported at their template line.
"""

from __future__ import annotations

from collections import Counter

import json
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Callable

from reviewer.code.build_sources import kept_code_path
from reviewer.code.javascript_aliases import aliased_module
from reviewer.code.projen_bundles import bundled_handler_file
from reviewer.code.python_grammar import RUNNING, needed_version, version_label
from reviewer.inventory.build_output import (
    in_cdk_output, is_committed_synth_template,
)
from reviewer.inventory.cdk.app_files import (
    MARKERS, SOURCE_SUFFIXES, TEMPLATE_SUFFIX, AppFiles, declares_functions, is_test_source, listed_app_files,
    skipped_source, source_language, start_listing,
)
from reviewer.inventory.cdk.constructs import (
    CONSTRUCT_DEFAULT_RUNTIMES, HANDLER_LANGUAGES, SOURCE_LANGUAGES, ConstructCall, default_handler,
    default_runtime_follows, default_runtime_note,
)
from reviewer.inventory.cdk.inline import attach_inline_code
from reviewer.inventory.cdk.variable_runtimes import resolve_variable_runtimes
from reviewer.inventory.cdk.library_functions import library_notices
from reviewer.inventory.cdk.python import python_constructs
from reviewer.inventory.cdk.image_options import link_dockerfile
from reviewer.inventory.cdk.factories import Factories, Factory
from reviewer.inventory.cdk.script_factory_calls import module_candidates
from reviewer.inventory.cdk.python_imports import ModuleConstants
from reviewer.inventory.cdk.python_path_dependencies import PathDependencies
from reviewer.inventory.cdk.runtime_spelling import is_cdk_v1
from reviewer.inventory.cdk.go_packages import GoPackages
from reviewer.inventory.cdk.script_modules import ScriptModules
from reviewer.inventory.cdk.source import source_constructs
from reviewer.inventory.cdk.route_links import PendingRoute, link_cross_file_routes
from reviewer.inventory.cdk.file_calls import FileCalls, file_calls, remember_construct
from reviewer.inventory.cdk.made_members import LANGUAGES as MADE_MEMBER_LANGUAGES, caller_names
from reviewer.inventory.cdk.layers import attach_layers, names_layers
from reviewer.inventory.cdk.generated_functions import provider_made_by_the_app
from reviewer.inventory.cdk.layers_source import source_layers
from reviewer.inventory.cdk.python_layers import python_layers
from reviewer.inventory.cdk.construct_lines import CONSTRUCT_LINE, by_construct_line
from reviewer.inventory.cdk.function_urls import attach_function_urls
from reviewer.inventory.cdk.invoke_permissions import attach_invoke_permissions
from reviewer.inventory.cdk.policies import attach_policies
from reviewer.inventory.cdk.service_triggers import attach_service_triggers
from reviewer.inventory.cdk.triggers import attach_triggers, name_by_variables, resource_ref
from reviewer.inventory.cdk.rule_targets import attach_rule_targets
from reviewer.inventory.cdk.state_machines import attach_state_machines
from reviewer.inventory.cdk.routes import attach_cdk_routes
from reviewer.inventory.cdk.synthesized import in_asset, merge_synthesized, synthesized_functions
from reviewer.inventory.interface import InventoryResult
from reviewer.inventory.release_runtimes import DEFAULT_OF, FOLLOWS
from reviewer.model import Function, Location, ResourceRef
from reviewer.isolation import file_boundary
from reviewer.inventory.cdk.uncalled_helpers import AppSources
from reviewer.workspace import (UnreadableFile, Workspace, newer_grammar_notice, unparsed_notice,
                                unread_declaration_notice)

FORMAT = "cdk"
# Every Lambda construct's name ends with the first; a construct of another library (`new
# GuScheduledLambda(this, 'Id', { runtime: nodeVersion })`) is read by the runtime it is given.
# A file with neither declares none and is not parsed.
CONSTRUCT_MARKS = ("Function", "runtime")
NODEJS_LATEST_FLAG = "@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion"
MAX_PARENT_LEVELS = 30


class CdkFormat:
    """Lambda constructs in CDK source, and functions in synthesized `cdk.out` templates."""

    name = FORMAT

    def declares_functions(self, rel: str, text: str) -> bool:
        return declares_functions(rel, text)

    def prepare(self, workspace: Workspace) -> None:
        start_listing(workspace)

    def scan(self, workspace: Workspace, listed: AppFiles | None = None) -> InventoryResult:
        """`listed`: the files as `listed_app_files` gave them (reviewer.inventory.deferred asked first)."""
        result = InventoryResult()
        declared: list[Function] = []
        synthesized: list[Function] = []
        apps = _Apps(workspace, result)
        # A source file names the CDK (MARKERS) or declares nothing: those a git revision can tell
        # lack every marker are not read at all (most of a monorepo is the functions' own code).
        listed = listed if listed is not None else listed_app_files(workspace)
        files, unmarked = listed.files, listed.unmarked
        workspace.prefetch([rel for rel in files if rel.lower().endswith(SOURCE_SUFFIXES + (TEMPLATE_SUFFIX,))
                            and rel not in unmarked])
        for rel in files:
            with file_boundary(rel, result.notices, "CDK"):
                if in_cdk_output(rel):
                    if rel.lower().endswith(TEMPLATE_SUFFIX) and not in_asset(rel):
                        synthesized.extend(synthesized_functions(workspace, rel, result))
                elif rel in unmarked:
                    continue
                elif rel.lower().endswith(SOURCE_SUFFIXES) and not skipped_source(workspace, rel):
                    declared.extend(self._declared(workspace, rel, result, apps))
                elif is_committed_synth_template(workspace, rel):
                    synthesized.extend(synthesized_functions(workspace, rel, result))
        made = apps.factories.expand({**apps.sources, **apps.library_sources}, lambda rel: apps.of(rel).root, declared, result.notices,
                                     workspace.parsed, lambda rel, folder, base: _app_path(workspace, apps.of(rel), folder, base),
                                     apps.go_packages.module_at, apps.path_dependencies.roots,
                                     lambda rel: apps.constants.path_resolver(rel, apps.of(rel).root,
                                                                              apps.path_dependencies.roots(rel)),
                                     _aliased_module(workspace, apps.sources),
                                     AppSources(workspace, files, lambda rel: skipped_source(workspace, rel)).named_elsewhere)
        self._follow_made(apps, made, result)
        link_cross_file_routes(apps.pending, apps.sources, declared, workspace.parsed)
        for function in synthesized:
            if function.added_by is not None and provider_made_by_the_app(
                    str(function.properties.get("aws:cdk:path", "")), apps.sources.values()):
                function.added_by = None
        result.functions.extend(merge_synthesized(workspace, declared, synthesized))
        resolve_variable_runtimes(workspace, result.functions, lambda rel: apps.of(rel).root)
        result.notices.extend(library_notices(   # an app whose functions a construct library makes
            {**apps.sources, **apps.library_sources}, lambda rel: apps.of(rel).root,
            {apps.of(fn.location.path).root for fn in result.functions},
            workspace.exists, apps.go_packages.module_at))
        return result

    def _declared(self, workspace: Workspace, rel: str, result: InventoryResult, apps: "_Apps") -> list[Function]:
        try:
            text = workspace.read_text(rel)
        except UnreadableFile as unreadable:
            if unreadable.notice.rule_id == "LR902":
                result.notices.append(unreadable.notice)
            return []
        language = source_language(rel)
        if language is None or not any(m in text for m in MARKERS[language]):
            return []
        if language in ("python", "typescript", "tsx", "javascript", "java", "go", "csharp"):
            (apps.library_sources if language == "csharp" else apps.sources)[rel] = text
        if language != "python" and not any(mark in text for mark in CONSTRUCT_MARKS):
            # parsing costs more than `ast` does; a file that names no construct declares none,
            # though its routes may invoke a function another file constructs
            apps.pending.extend(attach_cdk_routes(rel, text, []))
            return []
        try:
            if language == "python":
                calls = python_constructs(text, apps.constants.resolver(rel, apps.of(rel).root))
            else:
                calls, error_line = source_constructs(language, text, rel, apps.modules, apps.go_packages)
                if error_line is not None:
                    result.notices.append(unparsed_notice(
                        rel, f"its {language} syntax could not be read near line {error_line}", error_line))
        except SyntaxError as exc:
            # newer syntax than this interpreter reads, beyond what `parse_python` rewrites: LR903
            newer = needed_version(text)
            result.notices.append(
                newer_grammar_notice(rel, version_label(newer), version_label(RUNNING), exc.lineno or 1)
                if newer is not None else
                unparsed_notice(rel, f"Python syntax error at line {exc.lineno}: {exc.msg}", exc.lineno or 1))
            return []
        except (RecursionError, MemoryError, ValueError):
            result.notices.append(unparsed_notice(rel, "it is nested too deeply to read"))
            return []
        _unshared_variable_names(calls)
        for call in calls:
            if call.unread is not None:
                line, form = call.unread   # a C# construct class's construct is named as its function is
                name = call.name if call.unread_missing is None else _readable_name(rel, call)
                result.notices.append(unread_declaration_notice(
                    rel, line, f"the {call.construct} `{name}` has {form}", missing=call.unread_missing))
        functions = [_function(workspace, rel, call, apps) for call in calls]
        for call, function in zip(calls, functions, strict=True):
            if call.factory is not None:
                apps.factories.add(rel, Factory(*call.factory), function)
        attach_inline_code(workspace, rel, text, functions)
        shared = self._follow_functions(rel, language, text, functions, result, apps.modules, apps.go_packages)
        if shared is not None and names_layers(text):
            found = python_layers(shared) if shared.tree is not None else \
                source_layers(shared, by_construct_line(functions).keys())
            attach_layers(workspace, rel, functions, found, apps.of(rel).root)
        apps.pending.extend(attach_cdk_routes(rel, text, functions))
        return functions

    def _follow_made(self, apps: "_Apps", made: list[Function], result: InventoryResult) -> None:
        """A helper's functions are declared where they are called (`cdk/factories.py`), in a file
        read before they were known: what that file does with them (role statements, event sources,
        rules, grants, permissions; a Java or Go file's routes) is read now, at the lines of those
        calls, under the names the file gives them (`cdk/made_members.py`)."""
        by_file: dict[str, list[Function]] = {}
        for function in made:
            if function.location.path.endswith((".java", ".go")) or source_language(function.location.path) in \
                    MADE_MEMBER_LANGUAGES:
                by_file.setdefault(function.location.path, []).append(function)
        for rel, functions in by_file.items():
            text = apps.sources[rel]
            language = source_language(rel)
            if language in MADE_MEMBER_LANGUAGES:
                named = caller_names(rel, language, text, functions, apps.sources, apps.modules)
                if named is not None:
                    self._follow_functions(rel, language, named[0], functions, result, apps.modules, None, named[1])
                continue
            language = "go" if rel.endswith(".go") else "java"
            self._follow_functions(rel, language, text, functions, result, None, apps.go_packages)
            attach_cdk_routes(rel, text, functions)

    @staticmethod
    def _follow_functions(rel: str, language: str, text: str, functions: list[Function], result: InventoryResult,
                          modules: ScriptModules | None = None, go: GoPackages | None = None,
                          names: dict[str, int] | None = None) -> FileCalls | None:
        """What the file does with its functions after constructing them (URLs, role statements,
        event sources, EventBridge rules, the state machines whose tasks invoke them, the user pools, APIs and distributions that invoke them, the
        permissions and load balancers that let others invoke them), from one reading of its calls (`cdk/file_calls.py`),
        which it returns for the readers that need the workspace (layers). `names`: more names the
        file gives its functions, each with the function's line (`cdk/made_members.py`). What the
        file's topics and buckets pass on to a queue or topic goes to `result.deliveries`, under
        the file's path (the scope of the `<file>#<variable>` names they are written with)."""
        if not functions:
            return None
        try:
            shared = file_calls(language, text, modules, rel, go)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        for name, line in (names or {}).items():
            remember_construct(shared.stored, name, line)
        attach_function_urls(rel, text, functions, shared)
        attach_policies(rel, language, text, functions, shared)
        listed = result.deliveries.get(rel, [])
        for delivery in attach_triggers(rel, language, text, functions, shared):
            if delivery not in listed:
                result.deliveries.setdefault(rel, listed).append(delivery)
        name_by_variables(rel, functions, shared)
        attach_rule_targets(rel, text, functions, shared)
        attach_state_machines(rel, text, functions, shared)
        attach_service_triggers(rel, text, functions, shared)
        attach_invoke_permissions(rel, language, text, functions, shared)
        return shared

@dataclass
class _App:
    """A CDK app: its folder (the one holding cdk.json) and its Node.js runtime flag."""

    root: str | None
    nodejs_latest_flag: bool | None


class _Apps:
    """The CDK app a source file belongs to: the nearest directory above it with a `cdk.json`.

    One per scan (the format object is shared by every scan of the process, the head's and the
    base's), so it also carries what the scan collects for the routes linked across files.
    """

    def __init__(self, workspace: Workspace, result: InventoryResult) -> None:
        self.workspace = workspace
        self.result = result
        self.cache: dict[str, _App] = {}
        self.pending: list[PendingRoute] = []     # routes whose function another file constructs
        self.sources: dict[str, str] = {}         # Python/TypeScript/JavaScript/Java CDK sources, to follow them in
        self.library_sources: dict[str, str] = {}  # C# CDK sources, read for a construct library's calls and a construct class's callers
        self.constants = ModuleConstants(workspace)   # string constants Python sources import
        self.factories = Factories()                  # helpers of one module that other modules call
        self.modules = ScriptModules(workspace)        # modules TypeScript/JavaScript sources import from
        self.go_packages = GoPackages(workspace)       # packages of their own module Go sources import
        self.path_dependencies = PathDependencies(workspace)   # package folders Python apps install from a path

    def of(self, rel: str) -> _App:
        directory = PurePosixPath(rel).parent
        for _ in range(MAX_PARENT_LEVELS):
            key = str(directory)
            if key in self.cache:
                return self.cache[key]
            config = "cdk.json" if key == "." else f"{key}/cdk.json"
            if self.workspace.exists(config):
                self.cache[key] = _App(key, self._flag(config))
                return self.cache[key]
            if key == ".":
                break
            directory = directory.parent
        return _App(None, None)

    def _flag(self, config: str) -> bool | None:
        try:
            document = json.loads(self.workspace.read_text(config))
        except UnreadableFile as unreadable:
            self.result.notices.append(unreadable.notice)
            return None
        except ValueError as exc:
            self.result.notices.append(unparsed_notice(config, f"it is not valid JSON ({exc.__class__.__name__})"))
            return None
        context = document.get("context") if isinstance(document, dict) else None
        value = context.get(NODEJS_LATEST_FLAG) if isinstance(context, dict) else None
        return value if isinstance(value, bool) else None


def _function(workspace: Workspace, rel: str, call: ConstructCall, apps: _Apps) -> Function:
    app = apps.of(rel)
    function = Function(
        name=_readable_name(rel, call), format=FORMAT, location=Location(rel, call.line), runtime=call.runtime,
        handler=default_handler(call.construct, call.handler, call.index), package_type="Image" if call.image else "Zip",
        properties={"Construct": call.construct}, declaration_inputs=call.inputs,
    )
    if call.construct_line is not None:
        function.properties[CONSTRUCT_LINE] = call.construct_line
    if call.inline:
        function.properties["CodeInline"] = True   # synthesized as `Code.ZipFile`, which cannot be signed
    if call.code_signing_line is not None:
        function.code_signing = Location(rel, call.code_signing_line)
    for name, (value, line) in call.environment.items():
        function.environment[name] = value
        function.locations[f"Environment.{name}"] = Location(rel, line)
    for name, (holder, line) in call.environment_refs.items():
        function.environment[name] = resource_ref(rel, holder)
        function.locations[f"Environment.{name}"] = Location(rel, line)
    for name, (written, line) in call.environment_computed.items():
        # quoted as code unless it holds a backtick (a template literal), which would break the span
        shown = f" (`{written}`)" if "`" not in written else ""
        function.environment[name] = ResourceRef("unresolved", f"computed by the app{shown}")
        function.locations[f"Environment.{name}"] = Location(rel, line)
    if call.environment_unread is not None:
        function.unresolved["Environment"] = call.environment_unread
    if call.construct in SOURCE_LANGUAGES:
        function.properties["SourceLanguage"] = SOURCE_LANGUAGES[call.construct]
    if call.construct in HANDLER_LANGUAGES:
        function.properties["HandlerLanguage"] = HANDLER_LANGUAGES[call.construct]
    if not call.name_is_literal:
        function.properties["ConstructIdExpression"] = True
        if call.id_is_expression:
            function.properties["ConstructIdExpression"] = call.name   # as written, for the reader
    if call.runtime_line is not None:
        function.locations["Runtime"] = Location(rel, call.runtime_line)
    if call.runtime_default_line is not None and call.runtime is not None:
        function.locations["Runtime.Default"] = Location(call.runtime_default_path or rel, call.runtime_default_line)
    if call.runtime is None and not call.image and not call.runtime_given and call.runtime_note is None \
            and call.construct in CONSTRUCT_DEFAULT_RUNTIMES:
        function.runtime = CONSTRUCT_DEFAULT_RUNTIMES[call.construct]
        function.properties[DEFAULT_OF] = call.construct
    elif call.runtime is None and not call.image:
        cdk_v1 = _imports_cdk_v1(rel, apps.sources)
        function.unresolved["Runtime"] = call.runtime_note or (
            "not set in the construct call" if call.runtime_given else
            default_runtime_note(call.construct, app.nodejs_latest_flag, cdk_v1))
        if follows := call.runtime_follows or default_runtime_follows(call, app.nodejs_latest_flag, cdk_v1):
            function.properties[FOLLOWS] = follows
    if call.construct == "NodejsFunction" and call.asset is None and not call.inline and call.name_is_literal:
        call = _with_default_entry(workspace, rel, call)
    asset = _asset_path(workspace, rel, call, app)
    if call.image:
        function.runtime = None
        link_dockerfile(workspace, function, asset, call)
    elif asset is not None:
        function.code_path = asset
        _export_of_entry(workspace, function, call)
        if function.runtime is None and "HandlerLanguage" not in function.properties:
            _language_of_handler_file(workspace, function)
    elif (missing_entry := _missing_entry_file(workspace, rel, call, app)) is not None:
        function.code_path = missing_entry   # kept so coverage can say the entry file is absent
    elif call.bucket_key is not None and PurePosixPath(call.bucket_key).suffix.lower() in (".zip", ".jar"):
        function.built_package = PurePosixPath(call.bucket_key).stem
    elif call.code_unread is not None:
        # quoted as code unless it holds a backtick (a template literal), which would break the span
        shown = f" `{call.code_unread}`" if "`" not in call.code_unread else ""
        function.unresolved["Code"] = f"the code location{shown} is computed when the app runs" \
            if call.code_from_callers is None else \
            f"the code location{shown} is passed by each caller of `{call.code_from_callers}`, and none was found"
    return function


def _imports_cdk_v1(rel: str, sources: dict[str, str]) -> bool:
    """Whether a TypeScript/JavaScript file imports CDK v1's packages (`@aws-cdk/aws-lambda-nodejs`),
    whose `NodejsFunction` has its own defaults. A Python file's `aws_cdk.aws_lambda_nodejs` is spelled
    the same in both versions, so it is left to the general note."""
    return not rel.endswith(".py") and is_cdk_v1(sources.get(rel, ""))


_ENTRY_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")


def _with_default_entry(workspace: Workspace, rel: str, call: ConstructCall) -> ConstructCall:
    """A `NodejsFunction` without `entry`: CDK bundles `<defining file>.<construct id>.ts` (or `.js`,
    `.mjs`...) beside the file that declares it, with the export `handler`."""
    path = PurePosixPath(rel)
    for suffix in (".ts", ".js", ".mjs", ".mts", ".cjs", ".cts"):
        entry = f"{path.stem}.{call.name}{suffix}"
        if workspace.exists(str(path.parent / entry)):
            return replace(call, asset=entry, asset_base="file", handler=call.handler or "handler")
    return call


def _missing_entry_file(workspace: Workspace, rel: str, call: ConstructCall, app: _App) -> str | None:
    """The path a `NodejsFunction`'s `entry` names when that file is not in the repository."""
    if call.asset is None or not call.asset.endswith(_ENTRY_SUFFIXES):
        return None
    base = _asset_base(rel, call, app)
    return None if base is None else workspace.resolve(str(PurePosixPath(base) / call.asset))


def _export_of_entry(workspace: Workspace, function: Function, call: ConstructCall) -> None:
    """`NodejsFunction({entry: 'src/api.ts', handler: 'main'})` runs the export `main` of the entry file:
    as a handler string, `api.main` in `src`, so the code is read like any other function's."""
    code = function.code_path
    if call.construct != "NodejsFunction" or not call.handler or "." in call.handler or code is None \
            or workspace.is_dir(code):
        return
    entry = PurePosixPath(code)
    function.handler = f"{entry.stem}.{call.handler}"
    function.code_path = str(entry.parent)


_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".ts")


def _language_of_handler_file(workspace: Workspace, function: Function) -> None:
    """A runtime the review cannot name (`Runtime.NODEJS_LATEST`, one from a variable): the
    handler's file in the code folder says which language to read, `index.js` for
    `index.handler`, as the Serverless reader does. Python is left as the default it is."""
    handler, folder = function.handler, function.code_path
    if handler and folder is not None and (entry := bundled_handler_file(workspace, folder, handler.rsplit(".", 1)[0])):
        if entry.endswith(_SCRIPT_SUFFIXES):   # a projen bundle, built from its entry file
            function.properties["HandlerLanguage"] = "javascript"
        return
    if not handler or "." not in handler or folder is None or not workspace.is_dir(folder):
        return
    module = workspace.resolve(str(PurePosixPath(folder) / handler.rsplit(".", 1)[0]))
    if module is None or workspace.exists(f"{module}.py"):
        return
    if any(workspace.exists(module + suffix) for suffix in _SCRIPT_SUFFIXES):
        function.properties["HandlerLanguage"] = "javascript"


def _unshared_variable_names(calls: list[ConstructCall]) -> None:
    """Two constructs of one file named by their expressions and stored in variables of one name
    (`lambda := NewGoFunction(...)` in two helpers) would read as one function: each is named by
    its construct and line instead."""
    named = [call for call in calls if call.variable and call.id_is_expression and not call.name_is_literal]
    shared = Counter(call.variable for call in named)
    for call in named:
        call.variable = None if shared[call.variable] > 1 else call.variable


def _readable_name(rel: str, call: ConstructCall) -> str:
    """A construct id written as an expression (`props.functionName`, `${prefix}-fn`) means nothing to a
    reader: the function is named by the variable it is stored in, else by its construct and line."""
    if call.name_is_literal or not call.id_is_expression:
        return call.name
    return call.variable or f"{call.construct} at {rel}:{call.line}"


def _asset_base(rel: str, call: ConstructCall, app: _App) -> str | None:
    """The folder `call.asset` is relative to: the source file's, the repository's (a `__dirname`
    join written in an imported module, already made relative to the repository) or the app's."""
    return str(PurePosixPath(rel).parent) if call.asset_base == "file" else "." if call.asset_base == "repo" \
        else app.root


def _asset_path(workspace: Workspace, rel: str, call: ConstructCall, app: _App) -> str | None:
    if call.asset is None:
        return None
    base = _asset_base(rel, call, app)
    if base is None:
        return None
    resolved = workspace.resolve(str(PurePosixPath(base) / call.asset))
    if resolved is not None and call.construct == "NodejsFunction" and not call.asset.endswith(_ENTRY_SUFFIXES) \
            and (not workspace.exists(resolved) or workspace.is_dir(resolved)):
        resolved = _module_file(workspace, resolved)
    return resolved if resolved is not None and kept_code_path(workspace, resolved) else None


def _module_file(workspace: Workspace, path: str) -> str | None:
    """The file a module path without its extension names, as Node (with ts-node) resolves it:
    `lambdas/api` → `lambdas/api.ts` or `.js`, or a folder's `index`. CDK refuses an `entry` without
    a JavaScript or TypeScript extension, so such an entry comes from `require.resolve(...)`."""
    for suffix in (".ts", ".js", ".mjs", ".cjs", ".mts", ".cts", "/index.ts", "/index.js"):
        if workspace.exists(path + suffix) and not workspace.is_dir(path + suffix):
            return path + suffix
    return None


def _aliased_module(workspace: Workspace, sources: dict[str, str]) -> Callable[[str, str], str | None]:
    """The CDK source file a non-relative TypeScript import names through the importer's
    `tsconfig.json` `paths` (`@org/infrastructure/components/lambda` → `lib/components/lambda.ts`),
    for the helpers and construct classes of the app its callers import so (`cdk/factories.py`)."""
    cache: dict[Any, Any] = {}

    def source(base: str) -> str | None:
        return next((path for path in module_candidates(base) if path in sources), None)

    return lambda importer, specifier: aliased_module(workspace, importer, specifier, source, cache)


def _app_path(workspace: Workspace, app: _App, path: str, base: str = "app") -> str | None:
    """A path relative to the CDK app (where `cdk synth` runs) or the repository ("repo"), when it
    exists or is a TypeScript build's output whose source does (`runtime/x/dist`, not committed)."""
    root = app.root if base == "app" else "."
    resolved = workspace.resolve(str(PurePosixPath(root) / path)) if root is not None else None
    return resolved if resolved is not None and kept_code_path(workspace, resolved) else None


__all__ = ["CdkFormat", "is_test_source"]
