"""Fill the compiled-template cache ahead of any run: `python -m reviewer.template_warmup`.

The action's image runs it at build time (Dockerfile), so that no review in the image compiles
a template (reviewer.template_cache). Every template is compiled by every environment that
renders templates; one that an environment cannot compile (it uses a filter only another
environment has) is simply not for that environment.
"""

from __future__ import annotations

import sys

from jinja2 import Environment, TemplateError

from reviewer import template_cache, wording
from reviewer.publish import render


def environments() -> list[Environment]:
    """Every environment a run renders templates with."""
    return [wording.environment(), wording.environment(for_markdown=True), render.environment(),
            render.text_environment()]


def warm() -> int:
    """Compile every template into the cache; how many were stored (0 when the cache is off or unusable)."""
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
    root = template_cache.cache_root()
    stored = warm()
    if not stored or root is None:
        print("lambda-review: no usable template cache directory; nothing compiled", file=sys.stderr)
        return 1
    print(f"lambda-review: {stored} compiled templates in {template_cache.versioned_directory(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
