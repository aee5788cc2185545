"""AWS CDK apps: constructs read from the source (TypeScript, JavaScript, Python, Java, C#, Go) and `cdk.out/`."""
