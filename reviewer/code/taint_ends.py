"""Calls whose result is not the event's text, though event data went into them (LR306).

Both taint readers pass event data through a call they do not know: `JSON.stringify(x)`,
`encodeURIComponent(x)` and `x.trim()` still carry the caller's text into a page, a query or a path.
Some calls never do, and a flow through them is a false finding. An OAuth callback that exchanges
the `code` it was given for the user's profile and answers with a token signed for that user puts
no byte of the caller's text in the page. Each list below names one such class of calls, kept
small and explicit: only calls whose result is, whatever their input,

- a signature, digest or identifier computed from the input (a JWT, a hash, an HMAC, a name-based UUID),
- a number or a boolean,
- a remote service's answer to a request (its body and headers are the service's, not the event's;
  the request's URL is still checked as a server-side request before the result is dropped), and
  a DynamoDB table's answer (its items are what the table stores; the request itself is still
  checked for expressions built from the event). The JavaScript reader ends DynamoDB answers too.

A call not listed keeps the flow. Nothing here decides a sink.
"""

from __future__ import annotations

from reviewer.code.taint_common import CLEAN, Val
from reviewer.code.taint_javascript_sinks import HTTP_METHODS as JS_HTTP_METHODS
from reviewer.code.taint_javascript_sinks import HTTP_MODULES as JS_HTTP_MODULES
from reviewer.code.taint_python_sinks import DDB_METHODS as PY_DDB_METHODS
from reviewer.code.taint_python_sinks import HTTP_FUNCS as PY_HTTP_FUNCS
from reviewer.code.taint_python_sinks import HTTP_METHODS as PY_HTTP_METHODS

# The kind of a hash, HMAC or JWT being built (`createHash('sha256')`, `new SignJWT(claims)`): its
# methods feed it or give its digest, never the text fed in.
DIGEST = "digest"
# The kind of an HTTP client instance (`axios.create({baseURL})`): its request methods are requests.
HTTP_CLIENT = "http"

# -- JavaScript / TypeScript (qualified names as the reader resolves imports: `module.name`) -------

# Signatures and tokens computed from their input (jsonwebtoken, jose's compact forms).
JS_SIGNATURES = frozenset({"jsonwebtoken.sign", "jsonwebtoken.default.sign", "jose.jwtSign"})
# Calls that start a hash, HMAC, signature or JWT builder (kind DIGEST).
JS_DIGEST_BUILDERS = frozenset({
    "crypto.createHash", "crypto.createHmac", "crypto.createSign", "crypto.hash",
    "jose.SignJWT", "jose.CompactSign", "jose.FlattenedSign", "jose.GeneralSign",
})
# Modules every function of which returns an identifier, a number or a boolean.
JS_VALUE_MODULES = frozenset({"uuid", "Math"})
# Single functions that return a number, a boolean or a random identifier.
JS_VALUES = frozenset({
    "Array.isArray", "Number.isInteger", "Number.isFinite", "Number.isNaN", "Number.isSafeInteger",
    "isFinite", "Buffer.isBuffer", "Buffer.byteLength", "Date.parse", "Date.UTC", "crypto.timingSafeEqual",
    "crypto.randomUUID", "crypto.randomInt",
})
# Functions of an HTTP client module that make an instance whose methods send requests.
JS_HTTP_CLIENT_FACTORIES = frozenset({"axios.create", "got.extend", "ky.create", "ky.extend"})


def javascript_result(qual: str | None, method: str | None, receiver: Val | None) -> Val | None:
    """What a JavaScript call returns when it is one that ends event data (see the lists above),
    or None when the reader should decide as usual."""
    if receiver is not None and method is not None and qual is None:
        if receiver.kind == DIGEST:
            return Val(kind=DIGEST)             # `.update(x)` feeds it, `.digest()` / `.sign()` hash it
        if receiver.kind == HTTP_CLIENT and method in JS_HTTP_METHODS:
            return CLEAN                        # the service's response
        return None
    if qual is None:
        return None
    if qual in JS_HTTP_CLIENT_FACTORIES:
        return Val(kind=HTTP_CLIENT)
    if qual in JS_DIGEST_BUILDERS:
        return Val(kind=DIGEST)
    module, _, name = qual.rpartition(".")
    if qual in JS_SIGNATURES or qual in JS_VALUES or module.split(".")[0] in JS_VALUE_MODULES or \
            qual in JS_VALUE_MODULES:
        return CLEAN
    if qual in ("fetch", "globalThis.fetch") or qual in JS_HTTP_MODULES or (
            module in JS_HTTP_MODULES and name in JS_HTTP_METHODS | {"default"}):
        return CLEAN                            # the service's response (its URL was checked as a sink)
    return None


# -- Python (qualified names: `module.function`) ---------------------------------------------------

# Signatures, digests, checksums and name-based UUIDs of their input. `hashlib.sha256`, `md5` and
# `sha1` are sanitisers in taint_python_sinks.py already.
PY_SIGNATURES = frozenset({
    "jwt.encode", "jwt.api_jwt.encode", "jose.jwt.encode", "jwcrypto.jwt.JWT",
    "hmac.new", "hmac.digest", "hashlib.new", "hashlib.sha224", "hashlib.sha384", "hashlib.sha512",
    "hashlib.sha3_224", "hashlib.sha3_256", "hashlib.sha3_384", "hashlib.sha3_512", "hashlib.blake2b",
    "hashlib.blake2s", "hashlib.shake_128", "hashlib.shake_256", "hashlib.pbkdf2_hmac", "hashlib.scrypt",
    "uuid.uuid3", "uuid.uuid5", "zlib.crc32", "zlib.adler32", "binascii.crc32",
})
# Booleans whatever their input.
PY_BOOLEANS = frozenset({"any", "all", "hmac.compare_digest", "secrets.compare_digest"})
# Functions that send a request and return its response. `http.client` connections and
# `urlretrieve` (which returns the local file name it was given) are not answers.
PY_RESPONSES = frozenset(qual for qual in PY_HTTP_FUNCS
                         if not qual.startswith("http.client.") and not qual.endswith("urlretrieve"))
# Requests of a boto3 DynamoDB table or client whose answer holds stored items, not the request.
PY_DYNAMODB_ANSWERS = PY_DDB_METHODS | {"batch_get_item", "batch_write_item", "transact_get_items",
                                        "transact_write_items"}


def python_result(qual: str | None, method: str | None, receiver: Val | None) -> Val | None:
    """What a Python call returns when it is one that ends event data (see the lists above), or
    None when the reader should decide as usual."""
    if qual is not None and (qual in PY_SIGNATURES or qual in PY_BOOLEANS or qual in PY_RESPONSES):
        return CLEAN
    if qual is None and receiver is not None and receiver.flow is None and receiver.kind == HTTP_CLIENT and \
            method in PY_HTTP_METHODS:
        return CLEAN                            # a session's response (its URL was checked as a sink)
    if qual is None and receiver is not None and receiver.flow is None and receiver.kind == "dynamodb" and \
            method in PY_DYNAMODB_ANSWERS:
        return CLEAN                            # the table's items (the request was checked as a sink)
    return None
