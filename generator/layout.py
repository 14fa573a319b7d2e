"""The layout of a generated SQL file: every line under 120 characters, the tokens untouched.

The templates write each statement as it reads best; an expression built by the dialect (a hashdiff of
twenty columns, a cast check) or a list the model makes long (column lists) can still exceed a line. This
pass breaks such a line where SQL allows whitespace, and nowhere else, so the statement is the same token
for token (tests/test_generated_layout.py proves it for every generated file):

- a list (commas) is filled line by line, or one item per line when its items are expressions;
- a chain of ``OR``, ``AND`` or ``||`` puts each operand on its own line, operator first (a hashdiff: one
  part per line, the delimiter kept with the part it precedes);
- a call or parenthesis that does not fit opens its argument list, one argument per line, four more spaces
  in; a ``CASE`` puts each ``WHEN`` and ``ELSE`` on its own line;
- a ``--`` comment is word-wrapped.

A string literal is never broken (PostgreSQL would join two adjacent literals, but only across a line
break, and sqlglot does not read that form): a long one stands alone on its line. Lines inside a
dollar-quoted body or a string that spans lines are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LIMIT = 120  # a generated line is shorter than this
WIDTH = LIMIT - 1
INDENT = 4

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>--[^\n]*)
  | (?P<block>/\*.*?\*/)
  | (?P<str>[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")*")
  | (?P<dollar>\$(?:[A-Za-z_]\w*)?\$)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
  | (?P<word>[A-Za-z_]\w*|\d+(?:\.\d*)?)
  | (?P<op>::|\|\||<>|<=|>=|!=|!~\*|!~|~\*|[^\s\w(),'"])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Tok:
    kind: str
    text: str
    ws: str = ""  # the whitespace before it, kept when the line is not broken there


@dataclass
class Group:
    open: Tok  # "(" or CASE
    items: list[list[Tok | Group]] = field(default_factory=list)
    seps: list[Tok] = field(default_factory=list)  # the commas between the items (a parenthesis)
    close: Tok | None = None
    text: str | None = field(default=None, init=False, repr=False, compare=False)  # flat(), once built

    @property
    def ws(self) -> str:
        return self.open.ws

    @property
    def is_case(self) -> bool:
        return self.open.kind == "word"


Element = Tok | Group


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, start) of every token of ``text``, whitespace and comments included."""
    out: list[tuple[str, str, int]] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:  # an unterminated quote: the rest is one opaque token
            break
        kind = match.lastgroup
        assert kind is not None
        out.append((kind, match.group(), pos))
        pos = match.end()
    if pos < len(text):
        out.append(("rest", text[pos:], pos))
    return out


# a run of tokens that can neither span lines nor open a dollar-quoted body, each matched exactly as _TOKEN
# matches it where it starts (a word is not the E of E'…', an operator not the start of --, /* or $tag$):
# _fixed_lines steps over such a run at once instead of token by token
_PLAIN = re.compile(
    r"""(?:\s+|[(),]|(?![Ee]')[A-Za-z_]\w*|\d+(?:\.\d*)?|::|\|\||<>|<=|>=|!=|!~\*|!~|~\*|[^\s\w(),'"$/\-]|-(?!-)|/(?!\*))+"""
)


def layout(text: str) -> str:
    """``text`` with every line of ``LIMIT`` characters or more broken where whitespace may stand."""
    lines = text.split("\n")
    if all(len(line) < LIMIT for line in lines):
        return text
    fixed = _fixed_lines(text)
    out: list[str] = []
    for number, line in enumerate(lines):
        if len(line) < LIMIT or number in fixed:
            out.append(line)
        else:
            out.extend(_break(line))
    return "\n".join(out)


def _fixed_lines(text: str) -> set[int]:
    """Lines a token spans into or out of (a multi-line string), or inside a dollar-quoted body."""
    fixed: set[int] = set()
    body: str | None = None  # the dollar tag whose body we are in
    pos, line, end = 0, 0, len(text)
    while pos < end:
        plain = _PLAIN.match(text, pos)
        if plain is not None:  # whitespace, words, operators: fixed only inside a body
            lines = text.count("\n", pos, plain.end())
            if body is not None:
                fixed.update(range(line, line + lines + 1))
            line += lines
            pos = plain.end()
            continue
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup if match is not None else "rest"  # an unterminated quote: one opaque token
        token = match.group() if match is not None else text[pos:]
        first = line
        line += token.count("\n")
        pos += len(token)
        if kind == "dollar":
            if body is None:
                body = token
                continue
            if token == body:
                body = None
        if body is not None or (kind != "ws" and line > first) or kind == "rest":
            fixed.update(range(first, line + 1))
    return fixed


def _break(line: str) -> list[str]:
    indent = len(line) - len(line.lstrip(" "))
    found = tokens(line[indent:])
    elements: list[Tok] = []
    ws = ""
    for kind, token, _ in found:
        if kind == "ws":
            ws = token
            continue
        elements.append(Tok(kind, token, ws))
        ws = ""
    out = _Out([" " * indent])
    if len(elements) == 1 and elements[0].kind == "comment":
        return _wrap_comment(elements[0].text, indent)
    seq = _nest(elements)
    if seq:
        seq[0] = _without_ws(seq[0])
    out.seq(seq, indent)
    return [text.rstrip() for text in out.lines]


def _nest(flat: list[Tok]) -> list[Element]:
    """Parentheses and CASE … END as groups; one left open on the line stays a plain token."""
    root: list[Element] = []
    stack: list[tuple[Group, list[Element]]] = []
    current = root
    for tok in flat:
        upper = tok.text.upper() if tok.kind == "word" else ""
        if tok.kind == "open" or upper == "CASE":
            group = Group(tok)
            group.items.append([])
            stack.append((group, current))
            current = group.items[-1]
        elif stack and (
            (tok.kind == "close" and not stack[-1][0].is_case) or (upper == "END" and stack[-1][0].is_case)
        ):
            group, parent = stack.pop()
            group.close = tok
            parent.append(group)
            current = parent
        elif stack and tok.kind == "comma" and not stack[-1][0].is_case:
            group = stack[-1][0]
            group.seps.append(tok)
            group.items.append([])
            current = group.items[-1]
        elif stack and stack[-1][0].is_case and upper in ("WHEN", "ELSE") and current:
            group = stack[-1][0]
            group.items.append([tok])
            current = group.items[-1]
        else:
            current.append(tok)
    while stack:  # unclosed: its tokens go back into the parent as they were
        group, parent = stack.pop()
        parent.append(group.open)
        for i, item in enumerate(group.items):
            if i > 0 and not group.is_case:
                parent.append(group.seps[i - 1])
            parent.extend(item)
        current = parent
    return root


def flat(element: Element | list[Element]) -> str:
    """The text as written (the whitespace before the first element included)."""
    if isinstance(element, list):
        return "".join([flat(e) for e in element])
    if isinstance(element, Tok):
        return element.ws + element.text
    if element.text is None:  # a group is complete once _nest returns: its text is kept
        text = element.open.ws + element.open.text
        for i, item in enumerate(element.items):
            if i > 0 and not element.is_case:
                text += flat(element.seps[i - 1])
            text += flat(item)
        if element.close is not None:
            text += flat(element.close)
        element.text = text
    return element.text


def _without_ws(element: Element) -> Element:
    if isinstance(element, Tok):
        return Tok(element.kind, element.text)
    return Group(Tok(element.open.kind, element.open.text), element.items, element.seps, element.close)


def _strip(seq: list[Element]) -> list[Element]:
    return [_without_ws(seq[0]), *seq[1:]] if seq else seq


def _wrap_comment(comment: str, indent: int) -> list[str]:
    words = comment[2:].split()
    lines = [" " * indent + "--"]
    for word in words:
        if len(lines[-1]) + 1 + len(word) > WIDTH and len(lines[-1]) > indent + 2:
            lines.append(" " * indent + "--")
        lines[-1] += " " + word
    return lines


_CHAINS = ("OR", "AND", "||")  # operators a long expression is broken before, loosest first
_KEYWORDS = {"WHEN", "THEN", "ELSE", "WHERE", "AND", "OR", "ON", "SELECT", "SET", "RETURN", "IF"}


class _Out:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def fits(self, text: str) -> bool:
        return len(self.lines[-1]) + len(text) <= WIDTH

    @property
    def at_start(self) -> bool:
        return not self.lines[-1].strip()

    @property
    def indent(self) -> int:
        line = self.lines[-1]
        return len(line) - len(line.lstrip(" "))

    def add(self, text: str) -> None:
        self.lines[-1] += text

    def newline(self, indent: int) -> None:
        if not self.at_start:
            self.lines.append(" " * indent)

    def seq(self, seq: list[Element], indent: int, tail: str = "", level: int = 0) -> None:
        """A sequence of elements, starting where the current line stands; ``tail`` follows it (a comma)."""
        text = flat(seq)
        if self.fits(text + tail):
            self.add(text)
            return
        # operands of a list or chain continue under the first one when it begins the line (a call's argument),
        # four spaces in after a keyword or what stands before it on the line
        lead = seq[0].text.upper() if isinstance(seq[0], Tok) else ""
        more = indent if self.at_start and lead not in _KEYWORDS else indent + INDENT
        commas = [i for i, e in enumerate(seq) if isinstance(e, Tok) and e.kind == "comma"]
        if commas:  # a list left open on an earlier line: filled
            start = 0
            for end in [*commas, len(seq)]:
                part = seq[start:end]
                comma = flat(seq[end]) if end < len(seq) else ""
                start = end + 1
                if not part:
                    self.add(comma)
                    continue
                if not self.fits(flat(part) + comma) and not self.at_start:
                    self.newline(more)
                    part = _strip(part)
                self.seq(part, self.indent, comma)
                self.add(comma)
            return
        for n, operator in enumerate(_CHAINS[level:], start=level):
            parts = _split_before(seq, operator)
            if len(parts) > 1:
                self.seq(parts[0], indent, level=n + 1)
                for i, part in enumerate(parts[1:], start=1):
                    self.newline(more)
                    self.seq(_strip(part), more, tail if i == len(parts) - 1 else "", n + 1)
                return
        units = _units(seq)
        for n, unit in enumerate(units):
            after = tail if n == len(units) - 1 else ""
            text = flat(unit)
            if self.fits(text + after):
                self.add(text)
            elif not self.at_start and (len(" " * (indent + INDENT) + text.lstrip() + after) <= WIDTH or _opaque(unit)):
                self.newline(indent + INDENT)
                unit = _strip(unit)
                if self.fits(flat(unit) + after) or _opaque(unit):
                    self.add(flat(unit))
                else:
                    self.unit(unit, after)
            else:
                self.unit(unit, after)

    def unit(self, unit: list[Element], tail: str = "") -> None:
        """Elements without whitespace between them (``f(…)::text``): its groups opened as needed."""
        for n, element in enumerate(unit):
            rest = flat(unit[n:])
            if isinstance(element, Tok):
                if element.kind == "comment" and not self.fits(flat(element)):
                    self.newline(self.indent)
                    self.add(element.text)
                else:
                    self.add(flat(element))
            elif self.fits(rest + tail):
                self.add(flat(element))
            else:
                self.group(element)

    def group(self, group: Group) -> None:
        base = self.indent
        inner = base + INDENT
        self.add(group.open.ws + group.open.text)
        simple = [
            not group.is_case and all(isinstance(e, Tok) and e.kind != "comment" for e in item) and len(flat(item)) < 40
            for item in group.items
        ]
        for i, item in enumerate(group.items):
            if all(simple[i:]):  # the rest are names or short values: filled, from a line of their own
                self.newline(inner)
                for j in range(i, len(group.items)):
                    sep = flat(group.seps[j]) if j < len(group.seps) else ""
                    text = flat(group.items[j])
                    if not self.at_start and not self.fits(text + sep):
                        self.newline(inner)
                    self.add((text.lstrip() if self.at_start else text) + sep)
                break
            sep = "" if group.is_case or i == len(group.items) - 1 else flat(group.seps[i])
            self.newline(inner)
            self.seq(_strip(item), inner, sep)
            self.add(sep)
        if group.close is not None:
            self.newline(base)
            self.add(group.close.text)


def _opaque(unit: list[Element]) -> bool:
    """A unit with nothing to open (a long string literal): it may only move to a line of its own."""
    return all(isinstance(e, Tok) for e in unit)


def _units(seq: list[Element]) -> list[list[Element]]:
    units: list[list[Element]] = []
    for element in seq:
        if not units or element.ws or (isinstance(element, Tok) and element.kind == "comment"):
            units.append([element])
        else:
            units[-1].append(element)
    return units


def _split_before(seq: list[Element], operator: str) -> list[list[Element]]:
    """``seq`` cut before each ``operator`` standing as a word of its own; a short operand (the hash
    delimiter) stays with the operand after it."""
    parts: list[list[Element]] = [[]]
    for element in seq:
        if isinstance(element, Tok) and element.ws and element.text.upper() == operator and parts[-1]:
            parts.append([])
        parts[-1].append(element)
    merged: list[list[Element]] = []
    pending: list[Element] = []
    for i, part in enumerate(parts):
        part = pending + part
        pending = []
        if 0 < i < len(parts) - 1 and len(part) == 2 and len(flat(part).strip()) <= 8:
            pending = part
            continue
        merged.append(part)
    return merged
