"""YAML loading with line numbers and duplicate-key detection.

PyYAML silently keeps the last of two equal keys; a modeler's typo then
vanishes. We compose the node tree ourselves, refuse duplicate keys, and keep
for every mapping key and sequence item the line it stands on, so schema
errors can point at the exact line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem

Loc = tuple[str | int, ...]


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

    @staticmethod
    def build_scalar(node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return _construct(node)
        return None


_CONSTRUCTOR = yaml.SafeLoader("")


def _construct(node: yaml.ScalarNode) -> Any:
    value = _CONSTRUCTOR.construct_object(node, deep=True)
    _CONSTRUCTOR.constructed_objects.clear()
    return value


def load_documents(path: Path, shown_as: str) -> tuple[list[Document], list[Problem], bool]:
    """Parse every document of one YAML file; syntax errors become problems.

    The flag is False when documents may be missing (unreadable file, syntax error).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown_as, 0, "", f"cannot read file: {exc}")], False
    docs: list[Document] = []
    problems: list[Problem] = []
    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if node is None:
                continue
            builder = _Builder(shown_as)
            data = builder.build(node, ())
            entity = entity_label(data)
            problems.extend(replace(p, entity=p.entity or entity) for p in builder.problems)
            docs.append(Document(shown_as, data, node.start_mark.line + 1, builder.lines))
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, shown_as))
        return docs, problems, False
    return docs, problems, True


def entity_label(data: Any) -> str:
    """How problems name the entity of a document: ``hub 'customer'``."""
    if not isinstance(data, dict):
        return ""
    kind, name = data.get("kind"), data.get("name", "?")
    return f"{kind} '{name}'" if kind else f"'{name}'"


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
