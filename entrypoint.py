#!/usr/bin/env python3
"""Container entrypoint of the Lambda Review action: the workspace is the working directory."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reviewer import method_cache  # noqa: E402
from reviewer.cache_directory import distrust  # noqa: E402

# The workspace is the checkout under review: no compiled code is read from it. Distrusted and the
# method cache installed before reviewer.action imports the pipeline's modules and their dataclasses.
distrust(Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve())
method_cache.install()

from reviewer.action import main  # noqa: E402
from reviewer.process_tuning import skip_final_collections  # noqa: E402

if __name__ == "__main__":
    code = main()
    method_cache.save()
    skip_final_collections()
    sys.exit(code)
