"""A serverless.ts whose http events carry API documentation for the openapi-documentation
plugin, built from models another module makes (backupvs/aws-shortlinker-api's shape: each
function's `index.ts` imports its `documentation.ts`, whose request and response models are
`Models.X` of a shared module). Nothing the review says depends on those values, so no LR904
notice names them; a value the review does read (an authorizer) computed when the file runs
still has its notice."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from reviewer.cli import main

_SERVERLESS_TS = """
    import type { AWS } from '@serverless/typescript';
    import signIn from './src/lambdas/sign-in';

    const serverlessConfiguration: AWS = {
      service: 'shortlinker',
      provider: { name: 'aws', runtime: 'nodejs20.x' },
      functions: { signIn },
    };

    module.exports = serverlessConfiguration;
    """

_INDEX_TS = """
    import documentation from './documentation';
    import requestBodySchema from './request-body.schema';

    export default {
      handler: 'src/lambdas/sign-in/handler.main',
      events: [
        {
          http: {
            method: 'post',
            path: 'auth/sign-in',
            request: { schemas: { 'application/json': requestBodySchema } },
            documentation,
            AUTHORIZER
          },
        },
      ],
    };
    """

_DOCUMENTATION_TS = """
    import { Models } from '../../configs/openApiDocumentation';

    export default {
      summary: 'Sign in',
      requestModels: { 'application/json': Models.SignInRequestBody },
      methodResponses: [
        { statusCode: 200, responseModels: { 'application/json': Models.SignInResponseBody } },
      ],
    };
    """


def _notices(root: Path, authorizer: str) -> list[str]:
    files = {
        "serverless.ts": _SERVERLESS_TS,
        "src/lambdas/sign-in/index.ts": _INDEX_TS.replace("AUTHORIZER", authorizer),
        "src/lambdas/sign-in/documentation.ts": _DOCUMENTATION_TS,
        "src/lambdas/sign-in/request-body.schema.ts": "export default { type: 'object' } as const;\n",
        "src/lambdas/sign-in/handler.ts": "export const main = async () => ({ statusCode: 200 });\n",
        "src/configs/openApiDocumentation.ts": "export const Models = buildModels();\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    out = io.StringIO()
    main(["scan", str(root), "--audit", "off", "--format", "json", "--fail-on", "never"], out)
    return [f["message"] for f in json.loads(out.getvalue())["findings"] if f["rule_id"] == "LR904"]


def test_documentation_models_computed_when_the_file_runs_are_not_noticed(tmp_path: Path) -> None:
    assert _notices(tmp_path, "") == []


def test_an_authorizer_computed_when_the_file_runs_is_still_noticed(tmp_path: Path) -> None:
    notices = _notices(tmp_path, "authorizer: buildAuthorizer(),")
    assert len(notices) == 1 and "authorizer" in notices[0] and "documentation" not in notices[0]
