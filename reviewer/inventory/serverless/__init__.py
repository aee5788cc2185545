"""Serverless Framework services (`serverless.yml`, `.json`, `.ts`/`.js`): functions, events, IAM, packaging."""
