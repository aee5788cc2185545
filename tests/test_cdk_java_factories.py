"""A Java helper of another class that returns a builder makes one function per call, declared at
the call, finished by what the caller chains (`cdk/factories.py`)."""

from __future__ import annotations

from reviewer.inventory import build_inventory
from reviewer.workspace import Workspace

_PACKAGE = "src/main/java/org/acme/infra"


def test_a_static_helper_returning_a_builder_is_one_function_per_call(tmp_path):
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    folder = tmp_path / _PACKAGE
    folder.mkdir(parents=True)
    (folder / "Functions.java").write_text(
        "package org.acme.infra;\n"
        "import software.amazon.awscdk.services.lambda.*;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.constructs.Construct;\n"
        "public class Functions {\n"
        "  public static Function.Builder javaFunction(Construct scope, String name) {\n"
        "    return Function.Builder.create(scope, name)\n"
        "        .runtime(Runtime.JAVA_21)\n"
        "        .memorySize(1024)\n"
        "        .code(Code.fromAsset(\"target/app.jar\"));\n"
        "  }\n"
        "}\n")
    (folder / "OrdersStack.java").write_text(
        "package org.acme.infra;\n"
        "import java.util.List;\n"
        "import software.amazon.awscdk.services.iam.PolicyStatement;\n"
        "import software.amazon.awscdk.services.lambda.Function;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "import static org.acme.infra.Functions.*;\n"
        "public class OrdersStack {\n"
        "  public OrdersStack() {\n"
        "    Function create = javaFunction(this, \"CreateOrder\")\n"
        "        .handler(\"org.acme.CreateOrder::handleRequest\")\n"
        "        .build();\n"
        "    create.addToRolePolicy(PolicyStatement.Builder.create()\n"
        "        .actions(List.of(\"dynamodb:*\")).resources(List.of(\"*\")).build());\n"
        "    Function list = Functions.javaFunction(this, \"ListOrders\")\n"
        "        .handler(\"org.acme.ListOrders::handleRequest\").runtime(Runtime.JAVA_17)\n"
        "        .build();\n"
        "  }\n"
        "}\n")
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted(functions) == ["CreateOrder", "ListOrders"]
    create, listing = functions["CreateOrder"], functions["ListOrders"]
    assert (create.location.path, create.location.line) == (f"{_PACKAGE}/OrdersStack.java", 9)
    assert (create.runtime, create.handler) == ("java21", "org.acme.CreateOrder::handleRequest")
    assert (listing.location.line, listing.runtime, listing.handler) == (14, "java17", "org.acme.ListOrders::handleRequest")
    assert listing.locations["Runtime"].line == 15
    assert [statement.actions for statement in create.policy_statements] == [("dynamodb:*",)]
    assert listing.policy_statements == []
