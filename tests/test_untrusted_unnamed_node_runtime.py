"""LR306 of a CDK function whose Node.js runtime the review cannot name (`determineLatestNodeRuntime(this)`,
the newest of the stack's region): its handler is the declared function's, judged by its triggers,
not a file no template declares. Shaped like a construct that serves a setup page from a function
URL, writing the URL's own domain into the page, and a search endpoint that shells out."""

from __future__ import annotations

from pathlib import Path

from tests.inventory_helpers import scan_report

STACK = """\
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class PortalStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const setup = new lambda.Function(this, 'Setup', {
      runtime: lambda.determineLatestNodeRuntime(this),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../functions/setup')),
    });
    setup.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    const search = new lambda.Function(this, 'Search', {
      runtime: lambda.determineLatestNodeRuntime(this),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../functions/search')),
    });
    search.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }
}
"""

# The function URL writes `requestContext.domainName` itself: the host the request was routed by.
SETUP = """\
exports.handler = async (event) => {
  const base = `https://${event.requestContext.domainName}/setup`;
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/html' },
    body: `<html><body><a href="${base}/start">Start the setup</a></body></html>`,
  };
};
"""

SEARCH = """\
const { execSync } = require('child_process');

exports.handler = async (event) => {
  const term = event.queryStringParameters.term;
  return { statusCode: 200, body: execSync(`grep -rl ${term} /opt/catalog`).toString() };
};
"""


def portal(root: Path) -> Path:
    for rel, text in {"cdk.json": '{"app": "npx ts-node bin/portal.ts"}', "lib/portal-stack.ts": STACK,
                      "functions/setup/index.js": SETUP, "functions/search/index.js": SEARCH}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_handler_is_judged_as_the_declared_functions_by_its_function_url(tmp_path):
    report = scan_report(portal(tmp_path), "2026-12-08")
    assert {function["name"]: function["runtime"] for function in report["functions"]} == {"Setup": None, "Search": None}
    flagged = [finding for finding in report["findings"] if finding["rule_id"] == "LR306"]
    # the page's domain is the function URL's own, no caller's: no finding for the setup page
    assert [finding["path"] for finding in flagged] == ["functions/search/index.js"]
    assert flagged[0]["function"] == "Search"
    assert flagged[0]["severity"] == "error"
