"""What a Terraform function's package is made of: the `archive_file` that zips its code (a
folder, a file, or `source { content, filename }` blocks), the S3 object uploaded from such an
archive or a zip of the repository (or, for an `s3_key` written as a name, the archive its
`source_code_hash` hashes), and the repository path each names.
"""

from __future__ import annotations

import posixpath
from typing import Any

from reviewer.inventory.terraform.base import ReaderBase, unresolved_reason
from reviewer.inventory.terraform.count import iterations
from reviewer.inventory.terraform.hcl import Block, Expression
from reviewer.inventory.terraform.modules import Instance
from reviewer.inventory.terraform.values import FileContent, Iteration, Literal, Reference, Scope
from reviewer.model import Function, InlineCode

# What zips a function's code: the archive provider's data source and its managed resource.
ARCHIVES = ("data.archive_file", "archive_file")
# What uploads a file of the repository as the object a function's `s3_key` names.
_UPLOADED_OBJECTS = ("aws_s3_object", "aws_s3_bucket_object")
# The functions that hash a file, written around the archive's path in a `source_code_hash`.
_FILE_HASHES = ("filebase64sha256", "filesha256", "filemd5", "filebase64sha512", "filesha512", "filesha1")


def _selects(index: str | None, iteration: Iteration, instances: int) -> bool:
    """Whether a reference's instance key (`["orders"]`, `[0]`, none) names `iteration` of a block
    with `count` or `for_each`; a single instance (`count = 1`, written `x[0]` or `x`) is the one
    any key of it names."""
    if index is not None and index == iteration.suffix:
        return True
    return instances == 1 and not iteration.suffix and index in (None, "[0]")


class ArchivedCode(ReaderBase):
    """Follows a function's `filename` or `s3_key` to the repository files its package zips."""

    def _uploaded_object(self, function: Function, key: Any, scope: Scope) -> None:
        """`s3_key = aws_s3_object.zip.key`, an object Terraform uploads from a file of the
        repository (`source = "${path.root}/../app/handlers/orders.zip"`) or from the output of an
        `archive_file` (`source = data.archive_file.x.output_path`): the code is what that zip was
        made of, the `archive_file` that writes it or the folder of the same name beside it."""
        result = self.evaluator.evaluate(key, scope)
        if not isinstance(result, Reference) or result.resource_type not in _UPLOADED_OBJECTS:
            return
        found = self._block(result)
        if found is None or "source" not in found[0].attributes:
            return
        block, instance = found
        object_scope = Scope(instance, block.path)
        uploaded = self.evaluator.evaluate(block.attributes["source"], object_scope)
        if isinstance(uploaded, Reference) and uploaded.resource_type in ARCHIVES:
            self._archive_source(function, uploaded)  # `source = data.archive_file.x.output_path`
            return
        source = self.evaluator.literal_text(block.attributes["source"], object_scope)
        if not source or source.startswith("/") or "://" in source:
            return
        archive = self._archive_writing(source, object_scope)
        if archive is not None:
            self._archived_folder(function, *archive)
            return
        zipped = self._run_path(source, object_scope.instance)
        folder = zipped[:-len(".zip")] if zipped is not None and zipped.endswith(".zip") else None
        if folder and self.workspace.exists(folder) and self.workspace.is_dir(folder):
            function.code_path = folder

    def _hashed_archive(self, function: Function, hashed: Any, scope: Scope) -> None:
        """`source_code_hash = data.archive_file.x.output_base64sha256` (or a hash of the file it
        writes, `filebase64sha256(data.archive_file.x.output_path)`) beside an `s3_key` written as
        a name (`"${var.name}.zip"`) rather than as the uploaded object: Terraform redeploys the
        function when that archive changes, so what it zips is the function's code."""
        if isinstance(hashed, Expression) and hashed.kind == "call" and hashed.name in _FILE_HASHES and hashed.args:
            hashed = hashed.args[0]
        archive = self.evaluator.evaluate(hashed, scope)
        if isinstance(archive, Reference) and archive.resource_type in ARCHIVES:
            self._archive_source(function, archive)

    def _archive_source(self, function: Function, archive: Reference) -> None:
        """`filename = data.archive_file.x.output_path`: the code is what the archive zips (the
        archive provider's managed `resource "archive_file"` zips the same way)."""
        found = self._block(archive)
        function.properties["archive"] = archive.ref.value
        if found is None:
            function.unresolved["Code"] = f"{archive.ref.value} is not declared"
            return
        block, instance = found
        if "count" not in block.attributes and "for_each" not in block.attributes:
            self._archived_folder(function, block, instance)
            return
        # One archive per instance (`data.archive_file.bundle[each.key]`): what it zips is read
        # with that instance's `each`/`count.index`, the one the reference's key selects. When no
        # key selects one, a path that does not depend on the instance is still read.
        instances = iterations(self.evaluator, block, Scope(instance, block.path))
        chosen = [iteration for iteration in instances
                  if iteration.unknown is None and _selects(archive.index, iteration, len(instances))]
        unknown = Iteration(unknown=f"{archive.ref.value} makes one archive per instance, and which one the "
                                    "function's filename names is not known statically")
        self._archived_folder(function, block, instance, chosen[0] if len(chosen) == 1 else unknown)

    def _archive_writing(self, filename: str, scope: Scope) -> tuple[Block, Instance] | None:
        """The one `archive_file` of the module whose `output_path` is `filename`: a function whose
        `filename` repeats the path the archive writes (`"${path.module}/tmp/fn.zip"`) ships what it zips."""
        wanted = posixpath.normpath(filename)
        module = scope.instance.module
        found = []
        for (kind, _), block in [*module.data.items(), *module.resources.items()]:
            if kind != "archive_file" or "output_path" not in block.attributes:
                continue
            written = self.evaluator.literal_text(block.attributes["output_path"], Scope(scope.instance, block.path))
            if written is not None and posixpath.normpath(written) == wanted:
                found.append((block, scope.instance))
        return found[0] if len(found) == 1 else None

    def _archived_folder(self, function: Function, block: Block, instance: Instance,
                         iteration: Iteration | None = None) -> None:
        """The folder or file an `archive_file` block (or one instance of it) zips, as the
        function's code path."""
        scope = Scope(instance, block.path, iteration)
        archive = function.properties.get("archive", "the archive")
        for key in ("source_dir", "source_file"):
            if key in block.attributes:
                value = self.evaluator.literal_text(block.attributes[key], scope)
                if value is not None:
                    function.code_path = self._workspace_path(value, scope, function)
                else:
                    function.unresolved["Code"] = unresolved_reason(self.evaluator.evaluate(block.attributes[key], scope))
                return
        if not self._archived_handler_content(function, block, scope):
            function.unresolved["Code"] = f"{archive} zips inline content, not a directory"

    def _archived_handler_content(self, function: Function, block: Block, scope: Scope) -> bool:
        """An archive of `source { content = ..., filename = "index.py" }` blocks: the content
        written under the handler's module file is the handler's code, read where it is written
        (a heredoc's lines, or the repository file `file(...)` reads: that file itself when the
        archive keeps its name). Either way the function's package is a .zip archive."""
        module = (function.handler or "").rpartition(".")[0]
        if not module:
            return False
        wanted = {module, module.replace(".", "/")}
        for source in block.blocks_named("source"):
            inner = Scope(scope.instance, source.path, scope.iteration)
            filename = self.evaluator.literal_text(source.attributes.get("filename"), inner)
            if filename is None or posixpath.splitext(posixpath.normpath(filename))[0] not in wanted:
                continue
            if "content" not in source.attributes:
                return False
            content = self.evaluator.evaluate(source.attributes["content"], inner)
            if isinstance(content, FileContent) and posixpath.basename(content.path) == posixpath.basename(filename):
                # `content = file("../../handler.py")` under its own name: the repository file is
                # packaged as it is, and read as a file (with the modules beside it it imports)
                function.code_path = content.path
                return True
            if not (isinstance(content, Literal) and isinstance(content.value, str) and content.location is not None):
                return False
            function.inline_code = InlineCode(content.location, content.value, packaged=True)
            function.locations["Code"] = content.location
            return True
        return False

    def _workspace_path(self, value: str, scope: Scope, function: Function) -> str | None:
        """A Terraform filesystem path (relative to the root module) as a repo-relative path."""
        if value.startswith("/") or "://" in value:
            function.unresolved["Code"] = "an absolute path outside the repository"
            return None
        resolved = self._run_path(value, scope.instance)
        if resolved is None:
            function.unresolved["Code"] = "the path leads outside the workspace"
        return resolved

    def _run_path(self, value: str, instance: Instance) -> str | None:
        """A relative path of the instance's module as a repo-relative path: the one that exists
        of those it may name (a Terragrunt unit's file, else the module folder's), else the last."""
        candidates = [self.workspace.resolve(path) for path in instance.run_paths(value)]
        return next((path for path in candidates if path is not None and self.workspace.exists(path)),
                    candidates[-1])
