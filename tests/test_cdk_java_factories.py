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


def test_static_variants_passing_their_parameters_to_one_recipe_make_one_function_per_call(tmp_path):
    """`Lambdas.standard(...)` and `Lambdas.warm(...)` both call the private `recipe(...)` of their
    class: the calls of `recipe` are no functions, each stack's call of a variant is one."""
    (tmp_path / "cdk.json").write_text('{"app": "mvn -e -q compile exec:java"}')
    folder = tmp_path / _PACKAGE
    folder.mkdir(parents=True)
    (folder / "Lambdas.java").write_text(
        "package org.acme.infra;\n"
        "import java.util.function.Consumer;\n"
        "import software.amazon.awscdk.services.lambda.*;\n"
        "import software.amazon.awscdk.services.lambda.Runtime;\n"
        "import software.constructs.Construct;\n"
        "public class Lambdas {\n"
        "  public static Alias standard(Construct scope, String name, String module, String entry,\n"
        "                               Consumer<Function.Builder> edit) {\n"
        "    return recipe(scope, name, module, entry, 1024, edit);\n"
        "  }\n"
        "  public static Alias warm(Construct scope, String name, String module, String entry, int count) {\n"
        "    return recipe(scope, name, module, entry, 2048, null);\n"
        "  }\n"
        "  private static Alias recipe(Construct scope, String fnId, String module, String entry, int memory,\n"
        "                              Consumer<Function.Builder> edit) {\n"
        "    Function.Builder builder = Function.Builder.create(scope, fnId)\n"
        "        .runtime(Runtime.JAVA_17)\n"
        "        .code(Code.fromAsset(jarOf(module)))\n"
        "        .memorySize(memory)\n"
        "        .handler(entry);\n"
        "    if (edit != null) { edit.accept(builder); }\n"
        "    Function fn = builder.build();\n"
        "    return Alias.Builder.create(scope, fnId + \"Live\").aliasName(\"live\")\n"
        "        .version(fn.getCurrentVersion()).build();\n"
        "  }\n"
        "  static String jarOf(String module) { return System.getenv(\"BUILD_DIR\") + \"/\" + module + \".jar\"; }\n"
        "}\n")
    (folder / "BillingStack.java").write_text(
        "package org.acme.infra;\n"
        "import software.amazon.awscdk.services.lambda.Alias;\n"
        "public class BillingStack {\n"
        "  public BillingStack() {\n"
        "    Alias invoices = Lambdas.standard(this, \"InvoiceFunction\", \"invoices\",\n"
        "        \"org.acme.billing.InvoiceHandler\", b -> b.memorySize(512));\n"
        "    Alias refunds = Lambdas.standard(this, \"RefundFunction\", \"refunds\",\n"
        "        \"org.acme.billing.RefundHandler\", null);\n"
        "  }\n"
        "}\n")
    functions = {fn.name: fn for fn in build_inventory(Workspace(tmp_path)).functions}
    assert sorted(functions) == ["Function at src/main/java/org/acme/infra/Lambdas.java:12",
                                 "InvoiceFunction", "RefundFunction"]
    invoices, refunds = functions["InvoiceFunction"], functions["RefundFunction"]
    assert (invoices.location.path, invoices.location.line) == (f"{_PACKAGE}/BillingStack.java", 5)
    assert (invoices.runtime, invoices.handler) == ("java17", "org.acme.billing.InvoiceHandler")
    assert (refunds.location.line, refunds.handler) == (7, "org.acme.billing.RefundHandler")
    # `warm` has no caller: its construct stays listed as written, where it calls the recipe
    assert functions["Function at src/main/java/org/acme/infra/Lambdas.java:12"].handler is None
