"""Which Lambda Dockerfile a declared image function runs, by the name both are written with.

Repositories that build each image in CI keep one folder per function (`lambdas/ack_backend/
Dockerfile`) and pass the pushed URI to the infrastructure under the same name
(`image_uri = var.ack_backend_image_uri`, or the ECR repository `ack_backend` or `"ack-backend"`).
The declaration then names no Dockerfile, and without this link each Dockerfile would be listed as
a second function beside the one that deploys it.

A declaration's names (`properties["ImageNames"]`, gathered by its format's reader) link it to a
Dockerfile when, with the words that say "image" (`_image_uri`, `_repo`, `-lambda`) taken off
either end (`ecr_repository_url_notify_slack_lambda`) and `-` read as `_`, one of them is the name of the Dockerfile's folder (or of the Dockerfile,
`Dockerfile.ack_backend`), and no other Lambda Dockerfile of the repository has that name: a name
two Dockerfiles share says nothing of which one is built.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from reviewer.model import Function

# Words that say how an image is kept, not which one: dropped from the end of a name.
_IMAGE_WORDS = frozenset({
    "image", "images", "uri", "uris", "url", "urls", "repo", "repos", "repository", "repositories",
    "ecr", "lambda", "lambdas", "function", "functions", "container", "docker", "tag", "tags",
    "digest", "name", "names", "arn", "arns",
})


def name_stem(name: str) -> str:
    """`ack_backend_image_uri`, `ecr_repository_url_ack_backend`, `Ack-Backend-Lambda` →
    `ack_backend`; `image_uri` → ``."""
    words = [word for word in name.lower().replace("-", "_").split("_") if word]
    start, end = 0, len(words)
    while start < end and words[start] in _IMAGE_WORDS:
        start += 1
    while end > start and words[end - 1] in _IMAGE_WORDS:
        end -= 1
    return "_".join(words[start:end])


def dockerfile_stems(path: str) -> set[str]:
    """The names a Dockerfile is known by: its folder's, and the one its file name adds
    (`Dockerfile.orders`, `orders.Dockerfile`)."""
    posix = PurePosixPath(path)
    stems = {name_stem(posix.parent.name)} if posix.parent.name else set()
    lowered = posix.name.lower()
    if lowered.startswith("dockerfile."):
        stems.add(name_stem(posix.name[len("dockerfile."):]))
    elif lowered.endswith(".dockerfile"):
        stems.add(name_stem(posix.name[:-len(".dockerfile")]))
    return {stem for stem in stems if stem}


def named_matches(declared: list[Function], images: list[Function]) -> list[tuple[Function, Function]]:
    """(declared function, standalone Dockerfile entry) for each declared image function without
    a Dockerfile whose names point to exactly one of `images`."""
    by_stem: dict[str, list[Function]] = {}
    for image in images:
        for stem in dockerfile_stems(image.location.path):
            by_stem.setdefault(stem, []).append(image)
    matches = []
    for function in declared:
        names = function.properties.get("ImageNames")
        if (function.package_type.lower() != "image" or isinstance(function.properties.get("Dockerfile"), str)
                or not isinstance(names, tuple)):
            continue
        found = {id(image): image for name in names if isinstance(name, str)
                 for image in by_stem.get(name_stem(name), []) if len(by_stem[name_stem(name)]) == 1}
        if len(found) == 1:
            matches.append((function, next(iter(found.values()))))
    return matches
