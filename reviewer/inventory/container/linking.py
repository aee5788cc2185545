"""Which declared function builds from which Dockerfile, and the standalone entries that then go.

A SAM or CDK function linked to its Dockerfile carries the base image's runtime itself; a
Terraform or Serverless function declared with only an image name takes the Dockerfile its name
names, or the one beside or above its declaration. The Dockerfile is then not listed again, and
one that builds the code of zip functions (a local test image) is not a function.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.inventory.build_output import in_cdk_output
from reviewer.inventory.container.context_copies import COPIES_PROPERTY
from reviewer.inventory.container.named_images import named_matches
from reviewer.inventory.container.read import FORMAT, image_build_context, take_task_root
from reviewer.inventory.container.task_root import task_root_folder
from reviewer.model import Function


def claim_linked_dockerfiles(functions: list[Function]) -> list[Function]:
    """Drop the standalone entry of a Dockerfile that a declared function already builds from.

    A SAM or CDK function linked to its Dockerfile carries the base-image runtime itself, under
    the name reviewers know; listing the Dockerfile again would count one function twice. One
    declared without its Dockerfile takes the one its image's name names (`named_images.py`),
    else the one beside or above its declaration.
    """
    for function, image in named_matches([fn for fn in functions if fn.format != FORMAT],
                                         [fn for fn in functions if fn.format == FORMAT]):
        _take_base_image(function, image)
    _adopt_dockerfiles_beside(functions)
    claimed = {fn.properties.get("Dockerfile") for fn in functions
               if fn.format != FORMAT and isinstance(fn.properties.get("Dockerfile"), str)}
    kept = [fn for fn in functions if not (fn.format == FORMAT and fn.location.path in claimed)]
    return _without_local_builds(kept)


def _adopt_dockerfiles_beside(functions: list[Function]) -> None:
    """Link an image function declared without its Dockerfile to the one beside its declaration.

    A Terraform root whose `image_uri` names an ECR repository that CI or a `local-exec` fills
    with `docker build .` keeps that Dockerfile in its own folder. When a folder holds one such
    function and one standalone Lambda Dockerfile, they are one function: it takes the base
    image's runtime and lines, and the Dockerfile is not listed again.
    """
    def folder_of(fn: Function) -> str:
        return _folder(str(PurePosixPath(fn.location.path).parent))

    unlinked: dict[str, list[Function]] = {}
    standalone: dict[str, list[Function]] = {}
    for fn in functions:
        if fn.format == FORMAT:
            standalone.setdefault(folder_of(fn), []).append(fn)
        elif fn.package_type.lower() == "image" and not isinstance(fn.properties.get("Dockerfile"), str):
            unlinked.setdefault(folder_of(fn), []).append(fn)
    adopted: set[int] = set()
    for folder, declared in unlinked.items():
        images = standalone.get(folder, [])
        if len(declared) == 1 and len(images) == 1:
            _take_base_image(declared[0], images[0])
            adopted.add(id(images[0]))
    _adopt_dockerfiles_above(functions, adopted)


def _adopt_dockerfiles_above(functions: list[Function], adopted: set[int]) -> None:
    """Link an image function to the one Lambda Dockerfile of the project that holds both.

    Infrastructure and image often sit in sibling folders (`terraform/main.tf` names an ECR
    repository, CI runs `docker build ./docker`). From the function's folder upwards, the first
    folder that holds a standalone Dockerfile decides: it links when that folder holds exactly one
    such Dockerfile and every function it declares is, like this one, an image function with no
    Dockerfile of its own. Several such functions all take it: one Dockerfile built once per
    function (a build argument naming the handler script, or one image whose command each
    function overrides) is how a project of image functions with a single Dockerfile ships them.
    Beside a zip function, or an image function built from another Dockerfile, the Dockerfile may
    be anyone's and nothing is linked; never a Dockerfile another function builds from, nor one
    that builds the code of a zip function (a local test image, `_without_local_builds`).
    """
    declared = [fn for fn in functions if fn.format != FORMAT]
    zip_code = {_folder(fn.code_path) for fn in declared if fn.package_type != "Image" and fn.code_path}
    claimed = {fn.properties.get("Dockerfile") for fn in declared}
    images = [fn for fn in functions if fn.format == FORMAT and id(fn) not in adopted
              and fn.location.path not in claimed
              and not any(_overlap(_folder(image_build_context(fn)), code) for code in zip_code)]
    unlinked = [fn for fn in declared
                if fn.package_type.lower() == "image" and not isinstance(fn.properties.get("Dockerfile"), str)]
    alike = {id(fn) for fn in unlinked}          # fixed before any of them takes a Dockerfile
    for function in unlinked:
        for folder in _ancestors(_folder(str(PurePosixPath(function.location.path).parent))):
            inside = [image for image in images if _within(image.location.path, folder)]
            if not inside:
                continue
            rivals = [fn for fn in declared if _within(fn.location.path, folder) and id(fn) not in alike]
            if len(inside) == 1 and not rivals:
                _take_base_image(function, inside[0])
            break


def _ancestors(folder: str) -> list[str]:
    """`a/b` → `a/b`, `a`, `` (the repository's root last)."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:end]) for end in range(len(parts), -1, -1)]


def _within(path: str, folder: str) -> bool:
    return not folder or path.startswith(folder + "/")


def _take_base_image(function: Function, image: Function) -> None:
    """Give a declared image function what `apply_base_image` gave the Dockerfile's own entry."""
    function.unresolved.pop("Runtime", None)
    function.runtime = image.runtime
    for key in ("Runtime", "Runtime.Default"):
        if key in image.locations:
            function.locations[key] = image.locations[key]
    if "Runtime" in image.unresolved:
        function.unresolved["Runtime"] = image.unresolved["Runtime"]
    for key in ("Dockerfile", "BaseImage", "BaseImageDigest", "BuildStage", "BuildContext", COPIES_PROPERTY):
        if key in image.properties:
            function.properties[key] = image.properties[key]
    handler = function.handler or (image.handler if "ImageConfig" not in function.properties else None)
    sources = image.properties.get("TaskSources")
    if function.handler and isinstance(sources, tuple) and not function.task_root:
        # the function runs its own command: the folder that brings that handler's module
        folder = task_root_folder(sources[0], sources[1], function.handler)
        if folder is not None and not in_cdk_output(f"{folder}/-"):
            take_task_root(function, folder, sources[0], sources[1])
    elif image.task_root and not function.task_root:
        function.task_root, function.code_path = image.task_root, image.code_path
        function.task_root_copies = image.task_root_copies
        function.handler = handler
    function.image_dependency_files = function.image_dependency_files or image.image_dependency_files
    if not function.code_path:
        function.code_path = image_build_context(image)    # no handler's folder known: the build context


def _without_local_builds(functions: list[Function]) -> list[Function]:
    """Drop a standalone Dockerfile that builds the code of functions deployed as zip archives.

    Teams keep a Dockerfile on a Lambda base image beside zip functions to run them locally
    (the image carries the Runtime Interface Emulator): its build context holds, or sits inside,
    the code folder of a declared zip function. It deploys nothing of its own. Kept while any
    declared image function has no Dockerfile linked: the standalone one may be its image.
    """
    declared = [fn for fn in functions if fn.format != FORMAT]
    if any(fn.package_type == "Image" and not isinstance(fn.properties.get("Dockerfile"), str)
           for fn in declared):
        return functions
    zip_code = {_folder(fn.code_path) for fn in declared if fn.package_type != "Image" and fn.code_path}
    if not zip_code:
        return functions
    return [fn for fn in functions
            if not (fn.format == FORMAT and any(_overlap(_folder(image_build_context(fn)), code) for code in zip_code))]


def _folder(path: str) -> str:
    """A repository-relative folder with "" for the root (`.` and `./src/` spelled alike)."""
    folder = str(PurePosixPath(path)).strip("/")
    return "" if folder == "." else folder


def _overlap(context: str, code: str) -> bool:
    """Whether a build context folder holds, equals, or sits inside a code folder."""
    if not context or not code or context == code:
        return True
    return code.startswith(context + "/") or context.startswith(code + "/")


__all__ = ["claim_linked_dockerfiles"]
