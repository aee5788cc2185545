"""What to do instead of what bandit flags, and `lambda-review explain bandit/BXXX`.

bandit says what it found in one line; a reviewer also wants the usual fix. The advice below
covers the tests that fire most in Lambda handlers; `explain` works for every test bandit has,
from bandit's own plugin metadata (its docstrings and blacklist messages are its documentation).
"""

from __future__ import annotations

import re

from reviewer.analyzers.bandit_plugins import doc_url, load_bandit

# Test id → the usual safe alternative, in one or two sentences (Markdown, our own text).
INSTEAD: dict[str, str] = {
    **dict.fromkeys(("B602", "B604", "B605"), (
        "Pass the command as a list without a shell (`subprocess.run([\"convert\", path, out], check=True)`), "
        "so no input can add shell syntax; where a shell is unavoidable, quote every input with "
        "`shlex.quote`.")),
    **dict.fromkeys(("B603", "B606", "B607", "B404"), (
        "Call the program by its absolute path with a fixed argument list, and check any input that "
        "becomes an argument against what it may be (an allow-list, `--` before file names).")),
    "B608": ("Let the driver bind the values: `cursor.execute(\"SELECT * FROM orders WHERE id = %s\", (order_id,))` "
             "(or the ORM's query builder) instead of building SQL with f-strings, `%` or `+`."),
    **dict.fromkeys(("B105", "B106", "B107"), (
        "Read the secret at run time from Secrets Manager or an SSM SecureString parameter (the AWS "
        "Parameters and Secrets Lambda extension caches it), not from the source.")),
    "B108": ("Use `tempfile.mkstemp()` or `tempfile.TemporaryDirectory()`, which create a private, "
             "unpredictable name, and remove the file when done: `/tmp` survives between invocations."),
    **dict.fromkeys(("B301", "B403"), (
        "Exchange data as JSON (`json.loads`), or sign what is pickled with `hmac` and check the "
        "signature before loading; never unpickle data a caller or a bucket can supply.")),
    "B506": "Use `yaml.safe_load` (or `yaml.load(data, Loader=yaml.SafeLoader)`), which builds only plain data.",
    **dict.fromkeys(("B303", "B304", "B324"), (
        "Use `hashlib.sha256` (or stronger) for anything security-related; where MD5 or SHA-1 is only "
        "a checksum, say so with `usedforsecurity=False`.")),
    **dict.fromkeys(("B501", "B502", "B503", "B504", "B323"), (
        "Keep certificate verification on (the default); for a private CA, point `verify=` (or "
        "`ssl.create_default_context(cafile=...)`) at its bundle instead of switching checks off.")),
    "B113": ("Give every call a timeout shorter than the function's own "
             "(`requests.get(url, timeout=(3.05, 10))`), so a slow server cannot use up the invocation."),
    **dict.fromkeys(("B102", "B307"), (
        "Parse the input instead of running it: `ast.literal_eval` for Python literals, `json.loads` "
        "for data, a dictionary of allowed operations for commands.")),
    "B310": ("Check the scheme before opening (only `https:`), or use `requests`/`urllib3`, which never open "
             "`file:` URLs."),
    "B104": "Bind to `127.0.0.1` or the one interface that must listen.",
    "B311": "Use `secrets.token_hex()` / `secrets.choice()` for tokens, passwords and anything an attacker must not guess.",
    **dict.fromkeys(("B110", "B112"), (
        "Catch the specific exception and log it (`logger.exception(...)`), so a failure is visible in "
        "CloudWatch instead of silently skipped.")),
    "B101": "Raise an exception for checks that must hold in production: `python -O` removes `assert` statements.",
}

_TEST_ID = re.compile(r"^B\d{3}$")


def instead(test_id: str) -> str | None:
    """The short "what to do instead" of a bandit test, when the review has one."""
    return INSTEAD.get(test_id)


def _first_paragraph(docstring: str) -> str:
    """bandit's plugin docstrings start with a bold title line, then prose; keep the prose's first paragraph."""
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", docstring or "") if part.strip()]
    prose = [text for text in paragraphs if not text.startswith("**") and not text.startswith((".. ", ":"))]
    return prose[0] if prose else ""


def explain_bandit(rule: str) -> str | None:
    """`explain bandit/B602`: bandit's name and description of the test, what to do instead, the link."""
    test_id = rule.split("/", 1)[-1].upper()
    if not _TEST_ID.match(test_id):
        return None
    load_bandit()
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    plugin = manager.plugins_by_id.get(test_id)
    listed = manager.blacklist_by_id.get(test_id)
    if plugin is None and listed is None:
        return None
    if plugin is not None:
        name, about = plugin.name, _first_paragraph(plugin.plugin.__doc__ or "")
    else:
        name, about = str(listed.get("name", "")), str(listed.get("message", ""))
    text = f"bandit/{test_id}: {name}\nSeverity: by bandit's severity and confidence (bandit-thresholds)\n\n"
    if about:
        text += f"What bandit checks\n  {about}\n\n"
    advice = instead(test_id)
    if advice:
        text += f"What to do instead\n  {advice.replace('`', '')}\n\n"
    text += f"To accept one finding\n  # nosec {test_id} <reason>   (on the flagged line)\n\n"
    doc = doc_url(test_id)
    if doc:
        text += f"Reference: {doc}\n"
    return text
