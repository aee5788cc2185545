"""The Python sinks LR306 knows, and the checks that decide whether event data reaches one.

Kept apart from the reading itself (reviewer/code/taint_python_flow.py and its expressions,
taint_python_expressions.py) so that the catalogue of dangerous calls (command and code
execution, SQL, DynamoDB, deserialisation, requests) and of sanitisers can grow without touching
how statements are read. `PythonSinks` is mixed into the reader: it calls back `eval` and `hit`.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from reviewer.code.modules import statement_blocks
from reviewer.code.python_handlers import ROUTER_EVENTS
from reviewer.code.taint_common import (
    CLEAN,
    UNKNOWN,
    Flow,
    Val,
    first_flow,
    host_fixed,
    is_shell,
    trusted_url,
)

if TYPE_CHECKING:
    from reviewer.code.taint_python import IndexedModule

SANITIZERS = frozenset({
    "int", "float", "bool", "complex", "len", "abs", "round", "ord", "hash", "id", "isinstance", "callable",
    "shlex.quote", "pipes.quote", "shlex.split", "html.escape", "cgi.escape", "markupsafe.escape",
    "markupsafe.Markup.escape", "flask.escape", "bleach.clean", "xml.sax.saxutils.escape", "uuid.UUID",
    "decimal.Decimal", "ipaddress.ip_address", "ipaddress.ip_network", "re.escape", "hashlib.sha256",
    "hashlib.md5", "hashlib.sha1", "datetime.datetime.fromisoformat", "datetime.date.fromisoformat",
    # numbers whatever their input (a string argument raises rather than passing through)
    "math.floor", "math.ceil", "math.trunc", "math.fabs", "math.sqrt", "math.log", "math.log10",
    "math.log2", "math.exp", "math.pow", "math.isqrt", "math.fsum", "divmod",
})
BOOL_METHODS = frozenset({
    "isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier", "startswith", "endswith",
    "count", "find", "rfind", "index", "rindex", "isspace", "islower", "isupper",
})
GUARD_METHODS = frozenset({"isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal", "isidentifier"})
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
SHELL_ALWAYS = frozenset({
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "commands.getoutput",
    "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput",
    "asyncio.create_subprocess_shell", "asyncio.subprocess.create_subprocess_shell",
})
SUBPROCESS = frozenset({"subprocess.call", "subprocess.run", "subprocess.Popen", "subprocess.check_call",
                         "subprocess.check_output"})
EXEC_STYLE = {
    **{f"os.{name}": 1 for name in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                                    "spawnvpe")},
    **{f"os.{name}": 0 for name in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp",
                                    "execvpe", "posix_spawn", "posix_spawnp", "startfile")},
    "asyncio.create_subprocess_exec": 0, "asyncio.subprocess.create_subprocess_exec": 0, "pty.spawn": 0,
}
CODE = frozenset({"eval", "exec", "compile", "builtins.eval", "builtins.exec", "builtins.compile",
                  "importlib.import_module", "__import__", "jinja2.Template", "jinja2.Environment.from_string",
                  "mako.template.Template"})
DESERIALIZE = frozenset({
    "pickle.load", "pickle.loads", "_pickle.load", "_pickle.loads", "cPickle.load", "cPickle.loads",
    "dill.load", "dill.loads", "shelve.open", "marshal.load", "marshal.loads", "jsonpickle.decode",
    "jsonpickle.loads", "pandas.read_pickle", "yaml.unsafe_load", "yaml.unsafe_load_all",
    "cloudpickle.load", "cloudpickle.loads", "joblib.load",
})
YAML_LOAD = frozenset({"yaml.load", "yaml.load_all"})
SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
SQL_TEXT_CALLS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text",
                             "pandas.read_sql", "pandas.read_sql_query"})
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "mogrify", "fetch", "fetchrow", "fetchval",
                          "read_sql", "read_sql_query"})
DB_MODULES = frozenset({"sqlite3", "psycopg2", "psycopg", "pymysql", "mysql", "MySQLdb", "pymssql", "sqlalchemy",
                         "pg8000", "cx_Oracle", "oracledb", "pyodbc", "asyncpg", "aiomysql", "aiopg",
                         "redshift_connector", "snowflake", "databases", "records", "duckdb", "peewee", "pgdb"})
DB_CONNECT = frozenset({"connect", "create_engine", "create_async_engine", "create_pool", "Connection"})
HTTP_FUNCS = {f"requests.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options")}
HTTP_FUNCS.update({f"httpx.{m}": 0 for m in ("get", "post", "put", "patch", "delete", "head", "options",
                                              "stream")})
HTTP_FUNCS.update({"requests.request": 1, "httpx.request": 1, "urllib.request.urlopen": 0,
                    "urllib.request.urlretrieve": 0, "urllib3.request": 1, "urllib.urlopen": 0,
                    "urllib2.urlopen": 0, "requests.api.get": 0, "requests.api.request": 1,
                    "http.client.HTTPConnection": 0, "http.client.HTTPSConnection": 0})
# Request objects built before they are sent (`urlopen(Request(url, data, headers))`): the position
# of the URL, the one argument that decides where the request goes; the body and headers do not.
REQUEST_OBJECTS = {"urllib.request.Request": 0, "urllib2.Request": 0, "requests.Request": 1,
                   "requests.models.Request": 1}
HTTP_CLIENTS = frozenset({"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient",
                           "aiohttp.ClientSession", "urllib3.PoolManager", "urllib3.HTTPConnectionPool",
                           "urllib3.HTTPSConnectionPool"})
HTTP_METHODS = {**{m: 0 for m in ("get", "post", "put", "patch", "delete", "head", "options", "stream")},
                 "request": 1, "urlopen": 1}
DDB_METHODS = frozenset({"query", "scan", "update_item", "delete_item", "put_item", "get_item",
                          "execute_statement", "batch_execute_statement", "execute_transaction"})
DDB_EXPRESSIONS = frozenset({"FilterExpression", "KeyConditionExpression", "ConditionExpression",
                              "UpdateExpression", "ProjectionExpression", "Statement"})
DDB_FILTERS = frozenset({"QueryFilter", "ScanFilter", "KeyConditions", "Expected", "AttributeUpdates"})
CONDITION_BUILDERS = frozenset({"boto3.dynamodb.conditions.Key", "boto3.dynamodb.conditions.Attr"})


class PythonSinks:
    """The sink checks of the Python reader (mixed into it)."""

    module: IndexedModule

    def eval(self, node: ast.expr | None, logging: bool = False) -> Val:
        raise NotImplementedError

    def hit(self, family: str, sink: str, line: int, flow: Flow, built: bool = False) -> None:
        raise NotImplementedError

    def sinks(self, node: ast.Call, qual: str | None, method: str | None, receiver: Val | None,
              args: list[Val], keywords: dict[str | None, Val]) -> None:
        line = node.lineno
        name = qual or method or ""
        first = args[0] if args else CLEAN
        if qual in SHELL_ALWAYS:
            flow = first_flow(args[:1] + [keywords.get("cmd", CLEAN)])
            if flow:
                self.hit("command", f"`{qual}` (runs a shell)", line, flow)
            return
        if method == "subprocess_shell" and qual is None:
            flow = first_flow(args[1:2] + [keywords.get("cmd", CLEAN)])
            if flow:
                self.hit("command", "`subprocess_shell` (runs a shell)", line, flow)
            return
        if qual in SUBPROCESS:
            self.subprocess(node, qual, args, keywords)
            return
        if qual in EXEC_STYLE or (method == "subprocess_exec" and qual is None):
            start = EXEC_STYLE.get(qual or "", 1)
            self.exec_style(node, name, start)
            return
        if qual in CODE and node.args:
            if first.flow:
                self.hit("code", f"`{qual.split('.')[-1]}`", line, first.flow)
            return
        if qual in DESERIALIZE or (qual in YAML_LOAD and not safe_yaml_loader(node)):
            flow = first_flow(args[:1] + [keywords.get("stream", CLEAN), keywords.get("filename", CLEAN)])
            if flow:
                self.hit("deserialization", f"`{qual}`", line, flow)
            return
        if qual in SQL_TEXT_CALLS:
            if first.flow:
                self.hit("sql", f"`{qual}`", line, first.flow)
            return
        if qual in HTTP_FUNCS:
            self.request(node, qual, HTTP_FUNCS[qual], args, keywords)
            return
        if receiver is not None and method is not None and qual is None:
            self.method_sinks(node, method, receiver, args, keywords)

    def method_sinks(self, node: ast.Call, method: str, receiver: Val, args: list[Val],
                     keywords: dict[str | None, Val]) -> None:
        line = node.lineno
        if receiver.kind == "unsafe-yaml" and method in ("load", "load_all"):
            if args and args[0].flow:
                self.hit("deserialization", "`YAML(typ=\"unsafe\").load`", line, args[0].flow)
            return
        if receiver.kind == "http" and method in HTTP_METHODS:
            self.request(node, method, HTTP_METHODS[method], args, keywords)
            return
        if method in DDB_METHODS and (receiver.kind == "dynamodb" or (
                receiver.kind is None and self.module.uses_boto3)):
            for keyword in node.keywords:
                value = keywords.get(keyword.arg, CLEAN)
                if keyword.arg is None and value.flow and value.kind != "dict":
                    self.hit("nosql", f"`{method}` request built from the event", line, value.flow)
                elif keyword.arg is None and value.flow:   # `**params` of the code's own keys
                    for name, field in value.fields or ():
                        if name in DDB_EXPRESSIONS and field.flow and field.kind != "condition":
                            self.hit("nosql", f"`{name}` of `{method}`", line, field.flow)
                elif keyword.arg in DDB_EXPRESSIONS and value.flow and value.kind != "condition" or keyword.arg in DDB_FILTERS and value.flow and value.kind != "dict" and \
                        not isinstance(keyword.value, ast.Dict):
                    self.hit("nosql", f"`{keyword.arg}` of `{method}`", keyword.value.lineno, value.flow)
            return
        if method in SQL_METHODS and args and args[0].flow and receiver.kind not in ("http", "dynamodb", "event") \
                and (receiver.kind == "db" or self.module.uses_db or db_like(node.func)):
            self.hit("sql", f"`{method}`", line, args[0].flow)

    def subprocess(self, node: ast.Call, qual: str, args: list[Val], keywords: dict[str | None, Val]) -> None:
        command_node = node.args[0] if node.args else next(
            (keyword.value for keyword in node.keywords if keyword.arg == "args"), None)
        command = args[0] if args else keywords.get("args", CLEAN)
        shell = next((keyword.value for keyword in node.keywords if keyword.arg == "shell"), None)
        with_shell = shell is not None and not (isinstance(shell, ast.Constant) and not shell.value)
        if command.flow is None:
            return
        if with_shell:
            self.hit("command", f"`{qual}` with `shell=True`", node.lineno, command.flow)
        elif isinstance(command_node, (ast.List, ast.Tuple)):
            flow = self._shell_dash_c(command_node.elts)
            if flow:
                self.hit("command", f"`{qual}` running a shell with `-c`", node.lineno, flow)
        elif command.kind != "list" and command.flow.prefix == "":
            self.hit("command", f"`{qual}` running a program the event names", node.lineno, command.flow)

    def exec_style(self, node: ast.Call, name: str, start: int) -> None:
        positional = node.args[start:]
        if not positional:
            return
        program = positional[0]
        program_value = self.eval(program)
        if program_value.flow is not None:
            self.hit("command", f"`{name}` running a program the event names", node.lineno, program_value.flow)
            return
        flow = self._shell_dash_c(positional)
        if flow is None:
            for element in positional[1:]:
                if isinstance(element, (ast.List, ast.Tuple)):
                    flow = self._shell_dash_c(element.elts, program_value.template) or flow
        if flow is not None:
            self.hit("command", f"`{name}` running a shell with `-c`", node.lineno, flow)

    def _shell_dash_c(self, elements: list[ast.expr], program: str | None = None) -> Flow | None:
        """Event data after `-c` in an argument list that runs a shell (`["bash", "-c", cmd]`)."""
        values = [self.eval(element) for element in elements]
        texts = [value.template if value.flow is None else None for value in values]
        marker = next((index for index, text in enumerate(texts) if text in ("-c", "/c")), None)
        if marker is None:
            return None
        if not (is_shell(program) or any(is_shell(text) for text in texts[:marker])):
            return None
        return first_flow(values[marker + 1:])

    def request(self, node: ast.Call, name: str, position: int, args: list[Val],
                keywords: dict[str | None, Val]) -> None:
        url = args[position] if len(args) > position else keywords.get("url", CLEAN)
        if url.flow is not None and not host_fixed(url.flow.prefix) and not trusted_url(url.flow):
            self.hit("ssrf", f"`{name}`", node.lineno, url.flow)


def replace_fields(template: str) -> str:
    out, depth = [], 0
    for char in template:
        if char == "{":
            depth += 1
            if depth == 1:
                out.append(UNKNOWN)
        elif char == "}" and depth:
            depth -= 1
        elif not depth:
            out.append(char)
    return "".join(out)


def load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    return target


def dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and parts:
        return ".".join([node.id, *reversed(parts)])
    return None


def root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def is_logging(qual: str | None, method: str | None, func: ast.expr) -> bool:
    if qual in ("print", "pprint.pprint", "sys.stdout.write", "sys.stderr.write"):
        return True
    if qual is not None and qual.startswith("logging."):
        return True
    if method in LOG_METHODS and isinstance(func, ast.Attribute):
        receiver = dotted(func.value) if isinstance(func.value, ast.Attribute) else \
            (func.value.id if isinstance(func.value, ast.Name) else "")
        return bool(receiver) and "log" in (receiver or "").lower()
    return False


def db_like(func: ast.expr) -> bool:
    receiver = func.value if isinstance(func, ast.Attribute) else None
    name = receiver.id if isinstance(receiver, ast.Name) else (receiver.attr if isinstance(receiver, ast.Attribute)
                                                                 else "")
    lowered = name.lower()
    return any(word in lowered for word in ("cur", "conn", "db", "sql", "session", "engine", "database"))


def safe_yaml_loader(node: ast.Call) -> bool:
    loader = node.args[1] if len(node.args) > 1 else next(
        (keyword.value for keyword in node.keywords if keyword.arg == "Loader"), None)
    if loader is None:
        return False
    name = loader.attr if isinstance(loader, ast.Attribute) else loader.id if isinstance(loader, ast.Name) else ""
    return name in SAFE_LOADERS


def declares_html(headers: ast.expr) -> bool:
    if not isinstance(headers, ast.Dict):
        return False
    for key, value in zip(headers.keys, headers.values, strict=True):
        if isinstance(key, ast.Constant) and str(key.value).lower() == "content-type" and \
                isinstance(value, ast.Constant) and "html" in str(value.value).lower():
            return True
    return False


def guards(test: ast.expr) -> tuple[set[str], set[str]]:
    """Names a test proves safe when it is true, and when it is false (allow-list and shape checks)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        when_true, when_false = guards(test.operand)
        return when_false, when_true
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        names: set[str] = set()
        for value in test.values:
            names |= guards(value)[0]
        return names, set()
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name):
        op = test.ops[0]
        comparator = test.comparators[0]
        allow_list = isinstance(comparator, (ast.Set, ast.List, ast.Tuple, ast.Dict, ast.Name, ast.Attribute))
        if isinstance(op, ast.In) and allow_list:
            return {test.left.id}, set()
        if isinstance(op, ast.NotIn) and allow_list:
            return set(), {test.left.id}
        if isinstance(op, ast.Eq) and isinstance(comparator, ast.Constant):
            return {test.left.id}, set()
    if isinstance(test, ast.Call):
        func = test.func
        if isinstance(func, ast.Attribute) and func.attr in GUARD_METHODS and isinstance(func.value, ast.Name):
            return {func.value.id}, set()
        if isinstance(func, ast.Attribute) and func.attr in ("fullmatch", "match") and len(test.args) >= 2 and \
                isinstance(test.args[1], ast.Name):
            return {test.args[1].id}, set()
        if isinstance(func, ast.Attribute) and func.attr in ("fullmatch", "match") and len(test.args) == 1 and \
                isinstance(test.args[0], ast.Name):
            return {test.args[0].id}, set()
    return set(), set()


def sanitizes(qual: str | None, method: str | None) -> bool:
    """Whether a call's result is safe whatever its input: a conversion, a quoting or escaping
    function (not URL quoting), a boolean test, a driver's identifier or literal quoting."""
    if qual in SANITIZERS or (method in BOOL_METHODS and qual is None):
        return True
    last = (qual or "").rpartition(".")[2]
    if qual and "url" not in qual and (last.startswith("escape") or last in ("quote", "quote_ident", "Identifier",
                                                                            "Literal")):
        return True
    return method is not None and method.startswith(("escape", "quote_"))


def through_router_event(node: ast.expr) -> bool:
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
        if isinstance(node, ast.Attribute) and node.attr in ROUTER_EVENTS:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):
        return "the event"


def import_statements(tree: ast.Module) -> list[ast.stmt]:
    """The import statements of a module, nested bodies included, without walking expressions."""
    found: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    blocks_of = _IMPORT_BLOCKS
    while pending:
        stmt = pending.pop()
        kind = stmt.__class__
        if kind is ast.Import or kind is ast.ImportFrom:
            found.append(stmt)
            continue
        blocks = blocks_of.get(kind)
        if blocks is None:   # a match statement's cases are not looked into here
            blocks = blocks_of[kind] = tuple(name for name in statement_blocks(kind) if name != "cases")
        for name in blocks:
            if name == "handlers":
                for handler in getattr(stmt, name):
                    pending.extend(handler.body)
            else:
                pending.extend(getattr(stmt, name))
    return found


# Per statement class, the fields `import_statements` looks into (filled as classes are met).
_IMPORT_BLOCKS: dict[type, tuple[str, ...]] = {}


def builds_string(node: ast.expr) -> bool:
    """An expression that builds text itself: an f-string, `+`/`%`, `str.format`, `str.join`, or
    `json.dumps` (the JSON document of a model's request: `json.dumps({"prompt": prompt})`)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Add, ast.Mod))
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
        node.func.attr in ("format", "join") or (node.func.attr == "dumps" and isinstance(node.func.value, ast.Name)
                                                 and node.func.value.id == "json"))
