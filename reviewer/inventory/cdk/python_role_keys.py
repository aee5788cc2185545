"""Which role a Python CDK expression stands for, read with `ast` (`cdk/role_keys.py` says why and
gives the keys): `role = iam.Role(...)`, `role = self._make_role()` whose method returns the role
it made, `self.role = iam.Role(...)` read as `role=self.role` in another method, `fn.role`, and the
role a call of a function-making helper passes (`self._function("orders", role=role)`).

A name is followed to its last assignment before the use in the same function (or at the top of
the module), a parameter to what the one call of its function in the file passes, a field to the one assignment the file gives it, a call to the one `return` of the
method or function of the file it calls: bounded steps, each over what `ast` already indexed.
"""

from __future__ import annotations

import ast

from reviewer.inventory.cdk.role_keys import function_key, name_key

MAX_FOLLOW = 12
_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class PythonRoles:
    """The file's assignments and functions, indexed once, to follow role expressions."""

    def __init__(self, tree: ast.Module) -> None:
        self._enclosing: dict[int, _FunctionNode] = {}
        self._class_of: dict[int, str] = {}
        self._functions: dict[str, list[_FunctionNode]] = {}
        self._locals: dict[tuple[int, str], list[tuple[int, ast.expr]]] = {}   # (function id or 0, name)
        self._fields: dict[str, list[ast.expr]] = {}
        self._calls: dict[str, list[ast.Call]] = {}   # the file's calls by the name they call
        for node in ast.walk(tree):   # outer functions first, so an inner one claims its own nodes
            if isinstance(node, ast.Call) and (called := _called_name(node)) is not None:
                self._calls.setdefault(called, []).append(node)
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    self._class_of[id(item)] = node.name
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._functions.setdefault(node.name, []).append(node)
                for inner in ast.walk(node):
                    if inner is not node:
                        self._enclosing[id(inner)] = node
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                self._remember(node.targets[0], node.value, node)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._remember(node.target, node.value, node)

    def _remember(self, target: ast.expr, value: ast.expr, statement: ast.stmt) -> None:
        if isinstance(target, ast.Name):
            scope = self._enclosing.get(id(statement))
            self._locals.setdefault((id(scope) if scope else 0, target.id), []).append((statement.lineno, value))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            self._fields.setdefault(target.attr, []).append(value)

    def key(self, node: ast.expr | None, stored: dict[str, int]) -> str | None:
        """The role `node` stands for; None when it is no name, field or call."""
        for _ in range(MAX_FOLLOW):
            if isinstance(node, ast.Call):
                imported = _imported_role(node)
                if imported is not None:   # `Role.from_role_arn(self, id, role.role_arn)`: that role
                    node = imported
                    continue
                followed = self._returned(node)
                if followed is None:   # the call that makes the role (`iam.Role(...)`, `Role.from_role_arn`)
                    return f"@{node.lineno}:{node.col_offset}"
                node = followed
            elif isinstance(node, ast.Name):
                found = self._local(node) or self._argument(node)
                if found is None:
                    return name_key(node.id)
                node = found
            elif isinstance(node, ast.Attribute):
                holder = node.value
                if isinstance(holder, ast.Name) and holder.id == "self":
                    fields = self._fields.get(node.attr, [])
                    if len(fields) != 1:
                        return name_key(node.attr)
                    node = fields[0]
                    continue
                owner = holder.attr if isinstance(holder, ast.Attribute) else holder.id \
                    if isinstance(holder, ast.Name) else None
                if node.attr == "role" and owner is not None and stored.get(owner, -1) > 0:
                    return function_key(stored[owner])
                return name_key(node.attr)
            else:
                return None
        return None

    def _local(self, use: ast.Name) -> ast.expr | None:
        """The value `use` holds: its last assignment before it in its function, else the module's one."""
        scope = self._enclosing.get(id(use))
        values = [value for line, value in self._locals.get((id(scope) if scope else 0, use.id), [])
                  if line <= use.lineno]
        if values:
            return values[-1]
        top = self._locals.get((0, use.id), [])
        return top[0][1] if len(top) == 1 else None

    def _argument(self, use: ast.Name) -> ast.expr | None:
        """What the one call of the file passes for the parameter `use` names, in the function
        (`self._add_post_integration(resource, self.lambda_role)` of a method that makes its
        function with `role=role`); None when the function is called other than once."""
        scope = self._enclosing.get(id(use))
        if scope is None or any(a.arg == use.id for a in scope.args.kwonlyargs):
            calls = []
        else:
            calls = self._calls.get(scope.name, [])
        parameters = [a.arg for a in scope.args.posonlyargs + scope.args.args] if scope is not None else []
        if len(calls) != 1 or use.id not in parameters:
            return None
        call = calls[0]
        given = next((k.value for k in call.keywords if k.arg == use.id), None)
        position = parameters.index(use.id) - (1 if parameters[:1] in (["self"], ["cls"]) else 0)
        if given is None and 0 <= position < len(call.args) and not any(
                isinstance(arg, ast.Starred) for arg in call.args[:position + 1]):
            given = call.args[position]
        return given

    def _returned(self, call: ast.Call) -> ast.expr | None:
        """What the one method or function of the file `call` names returns (`self._make_role()`)."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
            and func.value.id in ("self", "cls") else func.id if isinstance(func, ast.Name) else None
        helpers = self._functions.get(name or "", [])
        if len(helpers) != 1:
            return None
        returns = [node.value for node in ast.walk(helpers[0]) if isinstance(node, ast.Return)
                   and node.value is not None and self._enclosing.get(id(node)) is helpers[0]]
        return returns[0] if len(returns) == 1 else None

    def site_key(self, construct: ast.Call, site: ast.Call, stored: dict[str, int]) -> str | None:
        """The role one call of the helper (or construct class) that makes a function passes it: the
        argument for the parameter the construct's `role=` names, or the call's own `role=` when
        the construct takes `**kwargs`."""
        helper = self._enclosing.get(id(construct))
        if helper is None or _called_name(site) not in (helper.name, self._class_of.get(id(helper))):
            return None
        given = next((k.value for k in construct.keywords if k.arg == "role"), None)
        parameters = [a.arg for a in helper.args.posonlyargs + helper.args.args]
        if isinstance(given, ast.Name) and given.id in parameters + [a.arg for a in helper.args.kwonlyargs]:
            argument = next((k.value for k in site.keywords if k.arg == given.id), None)
            position = parameters.index(given.id) - (1 if parameters[:1] in (["self"], ["cls"]) else 0) \
                if given.id in parameters else -1
            if argument is None and 0 <= position < len(site.args):
                argument = site.args[position]
        elif given is None and any(k.arg is None for k in construct.keywords):   # `**kwargs`
            argument = next((k.value for k in site.keywords if k.arg == "role"), None)
        else:
            return None
        return self.key(argument, stored) if argument is not None else None


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _imported_role(call: ast.Call) -> ast.expr | None:
    """`role` of `iam.Role.from_role_arn(self, id, role.role_arn)`: a role the app makes, imported
    again by its ARN, holds the same statements (`cdk/role_keys.py`'s `imported_role`)."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "from_role_arn":
        return None
    arn = call.args[2] if len(call.args) >= 3 else next((k.value for k in call.keywords if k.arg == "role_arn"), None)
    return arn.value if isinstance(arn, ast.Attribute) and arn.attr == "role_arn" else None
