"""When HTML text built from the event is a page (LR306, CWE-79), for both taint readers.

Tag-like text is everywhere: prompts for a model mark their parts with it, logs quote it. It is
only a page when it becomes a response. Text built straight into a call or a response counts at
once; text built into a plain variable waits until the variable is read for something other than
a log line or a model's prompt (the readers pass those reads with `logging` set). A variable
never read that way was never a page. Text that waits and is built into another variable's text
(`body = json.dumps({"prompt": prompt})`, `context += f"<doc>{d}</doc>"`) waits with that one.
A helper's returned text waits too (Python): its caller receives it as the value of the call,
waiting with the variable the call's result is assigned to (`prompt = build_prompt(docs)`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.code.taint_common import Flow, SinkHit, Val


class PageHits:
    """Mixed into a reader: `hit` and the waiting room for HTML built into variables."""

    taint: Any                # the file's or module set's reading, whose `record` keeps a hit
    path: str
    python: bool = True       # which language the reader reads (its hits' fixes show that language)

    def init_pages(self) -> None:
        self.deferring: list[SinkHit] | None = None
        # The call whose result a plain variable is given (`prompt = build_prompt(docs)`), and the
        # helper's returned text it hands back, which waits with the variable.
        self.receiving: tuple[Any, list[SinkHit]] | None = None
        self.returned_pages: list[SinkHit] = []    # text this function returns, still waiting
        self.statement_line = 0       # the statement being read (`SinkHit.statement`), kept by `read_statement`
        self.pending: dict[str, list[SinkHit]] = {}

    def hit(self, family: str, sink: str, line: int, flow: Flow, built: bool = False) -> None:
        hit = SinkHit(family, sink, self.path, line, flow, built, self.python, self.statement_line)
        if built and family == "html" and self.deferring is not None:
            self.deferring.append(hit)
        else:
            self.taint.record(hit)

    def read_statement(self, line: int, read: Callable[[], None]) -> None:
        """Read one statement (`read`) that starts at `line`, so the hits in it say where it starts."""
        outer, self.statement_line = self.statement_line, line
        try:
            read()
        finally:
            self.statement_line = outer

    def assigned(self, name: str, evaluate: Callable[[], Val]) -> Val:
        """Evaluate a value given to `name`; HTML text it builds waits for the name's first use."""
        outer, self.deferring = self.deferring, []
        try:
            value = evaluate()
            deferred = self.deferring
        finally:
            self.deferring = outer
        if deferred:
            self.pending.setdefault(name, []).extend(deferred)
        return value

    def received(self, name: str, call: Any, evaluate: Callable[[], Val]) -> Val:
        """Evaluate `call`, whose result `name` is given: text its helper returns waits with `name`."""
        outer, self.receiving = self.receiving, (call, [])
        try:
            value = evaluate()
            handed = self.receiving[1]
        finally:
            self.receiving = outer
        if handed:
            self.pending.setdefault(name, []).extend(handed)
        return value

    def handed_back(self, call: Any, hits: tuple[SinkHit, ...]) -> None:
        """A helper called at `call` returned text built from the event: it waits where the call's
        value waits (the text being built, the variable given the call's result), else counts."""
        if not hits:
            return
        if self.deferring is not None:
            self.deferring.extend(hits)
        elif self.receiving is not None and self.receiving[0] is call:
            self.receiving[1].extend(hits)
        else:
            for hit in hits:
                self.taint.record(hit)

    def returning(self, evaluate: Callable[[], Val]) -> Val:
        """Evaluate a helper's returned value: text it holds or builds waits for the caller."""
        outer, self.deferring = self.deferring, []
        try:
            value = evaluate()
            self.returned_pages.extend(self.deferring)
        finally:
            self.deferring = outer
        return value

    def use(self, name: str, logging: bool) -> None:
        """`name` is read: HTML text it holds counts now, unless only a log line or a prompt reads it,
        or it goes into the text being built for another plain variable, which it then waits with."""
        if not logging and name in self.pending:
            hits = self.pending.pop(name)
            if self.deferring is not None:
                self.deferring.extend(hits)
                return
            for hit in hits:
                self.taint.record(hit)

    def use_all(self) -> None:
        """A nested function is read with this scope: it may read any waiting name."""
        for name in list(self.pending):
            self.use(name, False)
