"""Files a Node.js handler writes under /tmp, and whether it ever removes any (LR402's reading).

The counterpart of `tmp_files.py` for JavaScript and TypeScript, on the same program the
recursion reader builds: Node's `fs` writes (`writeFile`, `writeFileSync`, `appendFile`,
`createWriteStream`, `copyFile`, the `fs/promises` forms) whose path starts with `/tmp` or
`os.tmpdir()` as the evaluator sees it (literals, template strings, `path.join`, constants), and
the AWS SDK v2 `getObject(...).createReadStream().pipe(fs.createWriteStream('/tmp/...'))` shape
through the same call. Any `unlink`, `rm` or `rmdir` in the code read counts as removing.
"""

from __future__ import annotations

from typing import Any

from reviewer import source_trees as st
from reviewer.code.javascript_program import JsProgram, unwrap
from reviewer.code.javascript_values import JsEvaluator
from reviewer.code.tmp_files import MAX_TARGET_TEXT, TmpUsage, TmpWrite
from reviewer.code.values import StaticValue

FS_MODULES = frozenset({"fs", "node:fs", "fs/promises", "node:fs/promises", "fs-extra", "graceful-fs"})
# Method -> position of the argument that is the written path.
_WRITES = {"writeFile": 0, "writeFileSync": 0, "appendFile": 0, "appendFileSync": 0, "createWriteStream": 0,
           "copyFile": 1, "copyFileSync": 1, "outputFile": 0, "outputFileSync": 0, "writeJson": 0,
           "writeJsonSync": 0, "cp": 1, "cpSync": 1, "rename": 1, "renameSync": 1}
_REMOVES = frozenset({"unlink", "unlinkSync", "rm", "rmSync", "rmdir", "rmdirSync", "remove", "removeSync",
                      "emptyDir", "emptyDirSync"})
TMP = "/tmp"


def js_tmp_usage(program: JsProgram, evaluator: JsEvaluator) -> TmpUsage:
    usage = TmpUsage()
    for path, file in program.files.items():
        for call in file.calls:
            if call.type != "call_expression":
                continue
            name = _fs_method(call, path, program)
            if name is None:
                continue
            if name in _REMOVES:
                usage.removes = True
                continue
            position = _WRITES.get(name)
            arguments = call.child_by_field_name("arguments")
            items = list(arguments.named_children) if arguments is not None else []
            if position is None or position >= len(items):
                continue
            values = evaluator.strings(items[position], path)[:3]
            for value in values:
                if _under_tmp(value):
                    usage.writes.append(TmpWrite(path, file.line(call), f"fs.{name}",
                                                 st.text(items[position])[:MAX_TARGET_TEXT],
                                                 fixed=len(values) == 1 and value.is_literal))
                    break
    return usage


def _fs_method(call: Any, path: str, program: JsProgram) -> str | None:
    """The `fs` method a call makes (`fs.writeFileSync`, `fs.promises.writeFile`, an imported
    `writeFile`), or None for anything else."""
    target = unwrap(call.child_by_field_name("function"))
    if target is None:
        return None
    bindings = program.files[path].bindings
    if target.type == "identifier":
        name = st.text(target)
        found = bindings.get(name, [])
        if any(binding.kind == "import" and binding.module in FS_MODULES for binding in found):
            return next((binding.name for binding in found if binding.kind == "import"), name)
        return None
    if target.type != "member_expression":
        return None
    method = st.text(target.child_by_field_name("property"))
    receiver = st.dotted(target.child_by_field_name("object"))
    root = receiver.split(".")[0] if receiver else ""
    if root and any(binding.kind == "import" and binding.module in FS_MODULES for binding in bindings.get(root, [])):
        return method
    return None


def _under_tmp(value: StaticValue) -> bool:
    prefix = value.literal_prefix
    return prefix == TMP or prefix.startswith(TMP + "/")
