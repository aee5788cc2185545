"""Renders the nightly usage report and archives it."""

import os
import subprocess

from jinja2 import Template


def handler(event, context):
    stage = event.get("stage", os.environ.get("STAGE", "dev"))
    listing = subprocess.run(f"ls /tmp/reports/{stage}", shell=True, capture_output=True, text=True)
    page = Template("<h1>Report for {{ stage }}</h1><pre>{{ listing }}</pre>").render(
        stage=stage, listing=listing.stdout
    )
    with open(f"/tmp/report-{stage}.html", "w") as handle:
        handle.write(page)
    return {"bytes": len(page)}
