"""SAM and CloudFormation templates (and the synthesized ones of `cdk.out/`): functions, events, routes, guardrails."""
