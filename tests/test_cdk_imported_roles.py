"""A role the app makes and gives a function again imported by its own ARN
(`Role = Role.FromRoleArn(this, "Imported", workerRole.RoleArn)`) is the same role: its statements
are the function's, for LR300 and LR301 (`cdk/role_keys.py`, `cdk/python_role_keys.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.test_cdk_shared_roles import role_findings, scan

CSHARP = """\
using System.Collections.Generic;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;

public class ChatStack : Stack
{
    public ChatStack(Construct scope, string id) : base(scope, id)
    {
        var answerRole = new Role(this, "AnswerRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            InlinePolicies = new Dictionary<string, PolicyDocument>()
            {
                { "Models", new PolicyDocument(new PolicyDocumentProps
                    {
                        Statements = new[]
                        {
                            new PolicyStatement(new PolicyStatementProps
                            {
                                Actions = new[] { "sqs:SendMessage" },
                                Resources = new[] { "*" }
                            })
                        }
                    })
                }
            }
        });
        new Function(this, "Answer", new FunctionProps
        {
            Runtime = Runtime.DOTNET_8,
            Handler = "Answer::Answer.Function::Handle",
            Code = Code.FromAsset("./answer/"),
            Role = Role.FromRoleArn(this, "AnswerRoleImported", answerRole.RoleArn),
        });
        new Function(this, "Elsewhere", new FunctionProps
        {
            Runtime = Runtime.DOTNET_8,
            Handler = "Answer::Answer.Function::Handle",
            Code = Code.FromAsset("./answer/"),
            Role = Role.FromRoleArn(this, "SharedRole", "arn:aws:iam::123456789012:role/shared"),
        });
    }
}
"""

PYTHON = """\
from aws_cdk import Stack, aws_iam as iam, aws_lambda as lambda_


class ChatStack(Stack):
    def __init__(self, scope, construct_id):
        super().__init__(scope, construct_id)
        answer_role = iam.Role(self, "AnswerRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        answer_role.add_to_policy(iam.PolicyStatement(actions=["sqs:SendMessage"], resources=["*"]))
        lambda_.Function(self, "Answer", runtime=lambda_.Runtime.PYTHON_3_12, handler="app.handler",
                         code=lambda_.Code.from_asset("answer"),
                         role=iam.Role.from_role_arn(self, "AnswerRoleImported", role_arn=answer_role.role_arn))
"""

JAVA = """\
package chat;
import software.amazon.awscdk.services.iam.*;
import software.amazon.awscdk.services.lambda.*;
import java.util.List;
public class ChatStack extends Stack {
  public ChatStack(final Construct scope, final String id) {
    super(scope, id);
    Role answerRole = Role.Builder.create(this, "AnswerRole")
        .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
    answerRole.addToPolicy(PolicyStatement.Builder.create()
        .actions(List.of("sqs:SendMessage")).resources(List.of("*")).build());
    Function.Builder.create(this, "Answer")
        .runtime(Runtime.JAVA_21).handler("chat.Answer").code(Code.fromAsset("target/app.jar"))
        .role(Role.fromRoleArn(this, "AnswerRoleImported", answerRole.getRoleArn())).build();
  }
}
"""


def _app(root: Path, command: str, rel: str, text: str) -> Path:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / "cdk.json").write_text('{"app": "%s"}' % command)
    (root / rel).write_text(text)
    return root


def test_a_role_imported_by_its_own_arn_gives_its_statements(tmp_path):
    csharp = _app(tmp_path / "cs", "dotnet run --project src/Chat/Chat.csproj", "src/Chat/ChatStack.cs", CSHARP)
    assert role_findings(scan(csharp)) == [("LR301", 20, "Answer")]   # not Elsewhere: an ARN written out
    python = _app(tmp_path / "py", "python3 app.py", "chat/chat_stack.py", PYTHON)
    assert role_findings(scan(python)) == [("LR301", 8, "Answer")]
    java = _app(tmp_path / "java", "mvn -e -q compile exec:java", "src/main/java/chat/ChatStack.java", JAVA)
    assert role_findings(scan(java)) == [("LR301", 10, "Answer")]
