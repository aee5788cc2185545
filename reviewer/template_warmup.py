"""Fill the run's caches ahead of any run: `python -m reviewer.template_warmup`.

The action's image runs it at build time (Dockerfile), so that no review in the image compiles
a template (reviewer.template_cache) or a dataclass's methods (reviewer.method_cache). Every
template is compiled by every environment that renders templates; one that an environment
cannot compile (it uses a filter only another environment has) is simply not for that
environment. Every module of the package is imported once, after the method cache is installed,
so its dataclasses' methods are compiled into it.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import TYPE_CHECKING

import reviewer
from reviewer import method_cache
from reviewer.cache_directory import cache_root

if TYPE_CHECKING:
    from jinja2 import Environment


def import_every_module() -> int:
    """Import each module of the package (not `__main__`, which runs the command), and bandit,
    which a scan of a few files imports in the run's own process rather than in a worker's; how
    many modules of the package."""
    imported = 0
    for module in pkgutil.walk_packages(reviewer.__path__, "reviewer."):
        if not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
            imported += 1
    from reviewer.analyzers.bandit_plugins import load_bandit

    load_bandit()
    return imported


def environments() -> list[Environment]:
    """Every environment a run renders templates with."""
    from reviewer import wording
    from reviewer.publish import render

    return [wording.environment(), wording.environment(for_markdown=True), render.environment(),
            render.text_environment()]


def warm() -> int:
    """Compile every template into the cache; how many were stored (0 when the cache is off or unusable)."""
    from jinja2 import TemplateError

    stored = 0
    for environment in environments():
        if environment.bytecode_cache is None:
            return 0
        for name in environment.list_templates(extensions=["j2"]):
            try:
                environment.get_template(name)
            except TemplateError:
                continue
            stored += 1
    return stored


def main() -> int:
    from reviewer.template_cache import versioned_directory

    root = cache_root()
    if not method_cache.install():
        print("lambda-review: no usable cache directory; nothing compiled", file=sys.stderr)
        return 1
    import_every_module()
    stored = warm()
    methods = method_cache.save()
    if not stored or root is None:
        print("lambda-review: no usable template cache directory; nothing compiled", file=sys.stderr)
        return 1
    print(f"lambda-review: {stored} compiled templates in {versioned_directory(root)}, "
          f"{methods} compiled dataclass methods in {root / method_cache.file_name()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
