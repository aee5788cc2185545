"""Calls whose result stands for the value they are given, so the JavaScript reader sees through them.

Real handlers rarely call the AWS SDK or their helpers bare:

- X-Ray instruments the SDK: `AWSXRay.captureAWS(require('aws-sdk'))`, `captureAWSClient(new
  AWS.S3())`, `captureAWSv3Client(new S3Client({}))`, and Powertools' `tracer.captureAWSv3Client(...)`
  return the same module or client, traced; its writes are the client's writes.
- Generator and promise helpers wrap a function and return one that runs it: `co.wrap(function*
  (order) {...})`, Bluebird's `Promise.coroutine`, `util.promisify`; calling the result calls the
  function (the older Serverless code bases keep every helper in `co.wrap`).
- Middleware chains return the handler they were built on: `middy(handler).use(...)`,
  `wrapper(handler).use(flushMetrics)`.
- `Function.prototype.bind` returns the function it is called on, its `this` fixed:
  `exports.handler = publisher.handler.bind(publisher)`, where `publisher` is `new Publisher(...)`
  of a class the code writes, runs that class's `handler` method.

Only these names are seen through: an unknown package's function may return anything, and the
reader never invents a value.
"""

from __future__ import annotations

from typing import Any

from reviewer import source_trees as st

# The last part of the call's name: X-Ray's and Powertools' instrumentation of SDK clients.
CLIENT_WRAPPERS = frozenset({"captureAWS", "captureAWSClient", "captureAWSv3Client"})
# The whole dotted name: functions that return a function running the one they are given.
FUNCTION_WRAPPERS = frozenset({"co.wrap", "Promise.coroutine", "Bluebird.coroutine", "bluebird.coroutine",
                               "BPromise.coroutine", "P.coroutine", "util.promisify", "promisify", "middy"})
# Methods of a middleware chain that return the chain itself (middy's and its look-alikes').
CHAIN_METHODS = frozenset({"use", "before", "after", "onError"})


def wrapped_argument(call: Any) -> Any | None:
    """The argument whose value `call` returns (instrumented or wrapped), or None for any other call."""
    if call.type != "call_expression":
        return None
    name = st.call_name(call)
    if not name or (name.rsplit(".", 1)[-1] not in CLIENT_WRAPPERS and name not in FUNCTION_WRAPPERS):
        return None
    arguments = call.child_by_field_name("arguments")
    items = [child for child in arguments.named_children if child.type != "comment"] if arguments is not None else []
    return items[0] if items and items[0].type != "spread_element" else None


def chained_receiver(call: Any) -> Any | None:
    """`middy(handler)` of `middy(handler).use(a).use(b)`: the receiver a chain method returns, else None."""
    if call.type != "call_expression":
        return None
    target = call.child_by_field_name("function")
    if target is None or target.type != "member_expression":
        return None
    if st.text(target.child_by_field_name("property")) not in CHAIN_METHODS:
        return None
    return target.child_by_field_name("object")


def bound_function(call: Any) -> Any | None:
    """`x.handler` of `x.handler.bind(x)`: the function a `bind` call returns a copy of, else None."""
    if call.type != "call_expression":
        return None
    target = call.child_by_field_name("function")
    if target is None or target.type != "member_expression" or st.text(target.child_by_field_name("property")) != "bind":
        return None
    return target.child_by_field_name("object")
