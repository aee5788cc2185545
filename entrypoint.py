#!/usr/bin/env python3
"""Container entrypoint of the Lambda Review action: the workspace is the working directory."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reviewer.action import main  # noqa: E402
from reviewer.process_tuning import skip_final_collections  # noqa: E402

if __name__ == "__main__":
    code = main()
    skip_final_collections()
    sys.exit(code)
