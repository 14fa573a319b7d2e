"""YAML loading with line numbers and duplicate-key detection.

PyYAML silently keeps the last of two equal keys; a modeler's typo then
vanishes. We compose the node tree ourselves, refuse duplicate keys, and keep
for every mapping key and sequence item the line it stands on, so schema
errors can point at the exact line.

Hostile input is refused while composing, before anything is expanded: a value
nested deeper than ``MAX_DEPTH``, a file whose aliases expand to more than
``MAX_VALUES`` values (a "billion laughs" of nested anchors), an alias inside
the value it names (a recursive value), and a NUL character in any text
(PostgreSQL text cannot hold it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.errors import Problem

Loc = tuple[str | int, ...]

# A model document is a few levels deep (the repository's deepest: 5) and a file a few thousand values (its
# largest: about 1,000 YAML events); these limits are far above both and far below what hurts.
MAX_DEPTH = 64
MAX_VALUES = 100_000
_FAST = getattr(yaml, "__with_libyaml__", False)  # PyYAML built with libyaml (the wheels are)


@dataclass
class Document:
    """One YAML document of a model file, with the line of every location in it."""

    file: str
    data: Any
    start_line: int
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest known prefix of ``loc`` (pydantic error locations)."""
        probe = tuple(loc)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.start_line


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self.build_scalar(key_node)
                line = key_node.start_mark.line + 1
                if not isinstance(key, str | int | bool | float) and key is not None:
                    self.problems.append(Problem(self.file, line, "", "a mapping key must be a plain scalar"))
                    continue
                if key in seen:
                    self.problems.append(
                        Problem(
                            self.file,
                            line,
                            "",
                            f"duplicate key '{key}' (first at line {seen[key]})",
                            "YAML keeps only the last of two equal keys; remove or rename one of them",
                        )
                    )
                    continue
                seen[key] = line
                self.lines[(*loc, str(key))] = line
                out[key] = self.build(value_node, (*loc, str(key)))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[(*loc, i)] = item.start_mark.line + 1
                items.append(self.build(item, (*loc, i)))
            return items
        return self.build_scalar(node)

    def build_scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        value = _construct(node)
        if isinstance(value, str | bytes) and ("\0" in value if isinstance(value, str) else b"\0" in value):
            self.problems.append(
                Problem(
                    self.file,
                    node.start_mark.line + 1,
                    "",
                    "the text holds a NUL character (\\0), which PostgreSQL cannot store",
                    "remove the \\0 escape from the quoted string",
                )
            )
        return value


_CONSTRUCTOR = yaml.SafeLoader("")


def _construct(node: yaml.ScalarNode) -> Any:
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (ValueError, TypeError, ArithmeticError) as exc:  # e.g. `!!int abc`, `!!timestamp 2024-13-45`
        raise yaml.constructor.ConstructorError(
            None, None, f"cannot read the value as {node.tag}: {exc}", node.start_mark
        ) from None
    finally:
        _CONSTRUCTOR.constructed_objects.clear()


class Refused(yaml.YAMLError):
    """A document refused before it is expanded: too deep, too large once its aliases expand, recursive."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1
        self.message = message
        self.hint = hint


class _Budget(yaml.composer.Composer):
    """A composer with a depth limit and a budget of values counted as aliases expand them.

    Aliases share one node in the composed tree, so composing a "billion laughs" is cheap; expanding it
    (``_Builder``) is not. The expanded size of every anchored value is known once it is composed, so an
    alias adds that size to the file's count without expanding anything."""

    if TYPE_CHECKING:  # the parser's, from the loader it is mixed into

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def start_budget(self) -> None:
        self.depth = 0
        self.values = 0
        self.anchor_sizes: dict[str, int] = {}

    def count(self, n: int, mark: yaml.Mark) -> None:
        self.values += n
        if self.values > MAX_VALUES:
            raise Refused(
                mark,
                f"the file expands to more than {MAX_VALUES:,} values (aliases of nested anchors?)",
                "a model file is a few thousand values; write values out instead of nesting aliases",
            )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                size = self.anchor_sizes.get(event.anchor)
                if size is None:
                    raise Refused(
                        event.start_mark,
                        f"alias *{event.anchor} stands inside the value it names (a recursive value)",
                        "a model value cannot contain itself; write it out",
                    )
                self.count(size, event.start_mark)
            return super().compose_node(parent, index)
        event = self.peek_event()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Refused(
                event.start_mark,
                f"a value is nested more than {MAX_DEPTH} levels deep",
                "a model document is a few levels deep; check for runaway brackets or indentation",
            )
        before = self.values
        self.count(1, event.start_mark)
        node = super().compose_node(parent, index)
        self.depth -= 1
        if event.anchor is not None:
            self.anchor_sizes[event.anchor] = self.values - before
        return node

    def compose_document(self) -> yaml.Node | None:
        self.anchor_sizes = {}
        return super().compose_document()


class _BoundedLoader(_Budget, yaml.SafeLoader):
    """PyYAML's own parser: its messages name what is wrong (a syntax error is reported from this one)."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self.start_budget()


class _FastLoader(_Budget, yaml.CSafeLoader):
    """libyaml's parser (several times faster) under the same composer; a file it refuses is read again by
    ``_BoundedLoader``, so every problem is reported as before."""

    def __init__(self, stream: str) -> None:
        yaml.CSafeLoader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        self.start_budget()


def load_documents(path: Path, shown_as: str) -> tuple[list[Document], list[Problem], bool]:
    """Parse every document of one YAML file; syntax errors become problems.

    The flag is False when documents may be missing (unreadable file, syntax error).
    """
    try:
        content = path.read_bytes()
    except OSError as exc:
        return [], [Problem(shown_as, 0, "", f"cannot read file: {exc.strerror or exc}")], False
    return parse_documents(content, shown_as)


def parse_documents(content: bytes, shown_as: str) -> tuple[list[Document], list[Problem], bool]:
    """``load_documents`` of a file's bytes."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"the file is not UTF-8 text (byte {exc.start}: {exc.reason})"
        return [], [Problem(shown_as, 0, "", message, "save the file as UTF-8")], False
    if _FAST:
        try:
            return _parse(text, shown_as, _FastLoader)
        except yaml.YAMLError:
            pass  # read again by PyYAML's parser, whose messages the problems quote
    return _parse(text, shown_as, _BoundedLoader)


def _parse(text: str, shown_as: str, loader: type[_Budget]) -> tuple[list[Document], list[Problem], bool]:
    docs: list[Document] = []
    problems: list[Problem] = []
    fast = loader is not _BoundedLoader
    try:
        for node in yaml.compose_all(text, Loader=loader):  # type: ignore[arg-type]
            if node is None:
                continue
            builder = _Builder(shown_as)
            data = builder.build(node, ())
            entity = entity_label(data)
            problems.extend(replace(p, entity=p.entity or entity) for p in builder.problems)
            docs.append(Document(shown_as, data, node.start_mark.line + 1, builder.lines))
    except Refused as exc:
        if fast:
            raise
        problems.append(Problem(shown_as, exc.line, "", exc.message, exc.hint))
        return docs, problems, False
    except yaml.YAMLError as exc:
        if fast:
            raise
        problems.append(_syntax_problem(exc, shown_as))
        return docs, problems, False
    return docs, problems, True


def entity_label(data: Any) -> str:
    """How problems name the entity of a document: ``hub 'customer'``."""
    if not isinstance(data, dict):
        return ""
    kind, name = data.get("kind"), data.get("name", "?")
    name = name if isinstance(name, str | int | float) else "?"
    return f"{kind} '{name}'" if isinstance(kind, str) and kind else f"'{name}'"


def _syntax_problem(exc: yaml.YAMLError, shown_as: str) -> Problem:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    reason = getattr(exc, "problem", None) or str(exc)
    line = problem_mark.line + 1 if problem_mark is not None else 0
    if context and context_mark is not None:
        context_line = context_mark.line + 1
        reason += f" ({context} at line {context_line})"
        # An unclosed bracket or quote, or a key without ':', is noticed lines later: point at its start.
        if context.startswith(("while scanning a", "while parsing a flow")):
            line = context_line
    return Problem(
        shown_as,
        line,
        "",
        f"YAML syntax error: {reason}",
        "check indentation, quoting and brackets; references between entities are checked once every file parses",
    )
