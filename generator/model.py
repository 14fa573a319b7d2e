"""Load ``model/``: YAML documents -> validated specs -> resolved :class:`Model`.

Every problem in every file is collected before anything is reported, so a
modeler sees all of them at once (``dv validate``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.dialects import get_dialect
from generator.errors import ModelError, Problem
from generator.kinds import KINDS, SPEC_BY_KIND
from generator.kinds.derived import derived_name
from generator.kinds.project import ProjectSpec
from generator.kinds.registry import KindDef
from generator.model_files import find_model_files, shown_path
from generator.physical import Context
from generator.resolve import Hub, Link, Reporter, Satellite, Source, did_you_mean
from generator.yaml_loader import Document, entity_label, parse_documents

# Error types that only say "this union member does not fit the value's type": noise when
# another member of the union reports what is really wrong.
_UNION_MISMATCH = {"model_type", "model_attributes_type", "dict_type", "string_type"}


@dataclass
class Declared:
    """A validated spec with where it came from."""

    spec: Any
    doc: Document

    def reporter(self) -> Reporter:
        return Reporter(self.doc.file, self.doc.lines, self.doc.start_line, f"{self.spec.kind} '{self.spec.name}'")


_STORES = {"source": "sources", "hub": "hubs", "link": "links", "satellite": "satellites"}


@dataclass
class Model:
    root: Path
    project: ProjectSpec
    project_file: str
    files: dict[str, str]  # shown path -> sha256 of content
    sources: dict[str, Source] = field(default_factory=dict)
    hubs: dict[str, Hub] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)
    satellites: dict[str, Satellite] = field(default_factory=dict)
    entities: dict[str, Any] = field(default_factory=dict)  # every resolved entity by manifest id
    invalid: set[str] = field(default_factory=set)  # ids of documents that failed validation
    # business-vault and mart objects declared in the model: qualified name -> manifest id (before they resolve,
    # so SQL-defined objects may read each other in any order)
    derived_names: dict[str, str] = field(default_factory=dict)
    # what SQL-defined objects may read (generator.kinds.derived.catalog), computed once when they resolve
    catalog: Any = None

    def register(self, kind: str, entity: Any) -> None:
        self.entities[entity.id] = entity
        store = _STORES.get(kind)
        if store is not None:
            getattr(self, store)[entity.name] = entity

    def of_kind(self, kind_def: KindDef) -> list[Any]:
        """Resolved entities of one kind, by name."""
        prefix = kind_def.id_prefix + "."
        return [e for i, e in sorted(self.entities.items()) if i.startswith(prefix)]

    def is_invalid(self, kind: str, name: str) -> bool:
        """A reference to a declared but invalid entity: its own error is reported already."""
        return f"{kind}.{name}" in self.invalid

    @property
    def algorithm(self) -> str:
        return self.project.hash.algorithm

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(f"{name}\0{self.files[name]}\0".encode())
        return digest.hexdigest()

    def entity_files(self) -> dict[str, str]:
        return {i: e.origin.file for i, e in self.entities.items()}


def _format_pydantic(exc: ValidationError, doc: Document, entity: str) -> list[Problem]:
    problems = []
    spec_cls = SPEC_BY_KIND.get(str(doc.data.get("kind")))
    errors = [(_clean_loc(tuple(err["loc"]), doc), err) for err in exc.errors()]
    # a field declared `A | B` gets one error per member: keep the ones about the content
    errors = [
        (loc, err)
        for loc, err in errors
        if err["type"] not in _UNION_MISMATCH
        or not any(o["type"] not in _UNION_MISMATCH and other[: len(loc)] == loc for other, o in errors)
    ]
    # a misspelt field is also reported missing: the did-you-mean of the misspelling says it all
    suggested = {
        (loc[:-1], _field_hint(spec_cls, loc)) for loc, err in errors if err["type"] == "extra_forbidden" and loc
    }
    for loc, err in errors:
        if err["type"] == "missing" and loc and (loc[:-1], f"did you mean '{loc[-1]}'?") in suggested:
            continue
        line = doc.line_of(loc)
        path = ".".join(str(p) for p in loc) or "(document)"
        hint = ""
        if err["type"] == "extra_forbidden":
            message = f"unknown field '{path}'"
            hint = _field_hint(spec_cls, loc) or "remove it, or check the kind's fields in docs/modeling.md"
        elif err["type"] == "missing":
            message = f"missing required field '{path}'"
            hint = "see docs/modeling.md for a complete example of this kind"
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            message = f"{path}: {msg}" if loc else msg
        problems.append(Problem(doc.file, line, entity, message, hint))
    return problems


def _clean_loc(loc: tuple[Any, ...], doc: Document) -> tuple[Any, ...]:
    """Drop the union-member tags pydantic adds inside `A | B` fields (``SatColumnSpec``,
    ``str``, ``function-after[_check_identifier(), constrained-str]``); a key the YAML
    really has is kept, whatever it looks like."""
    out: tuple[Any, ...] = ()
    for part in loc:
        tag = isinstance(part, str) and (part[:1].isupper() or part == "str" or "[" in part or "-" in part)
        if tag and (*out, part) not in doc.lines:
            continue
        out = (*out, part)
    return out


def _field_hint(spec_cls: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    if spec_cls is None or not loc:
        return ""
    cls: Any = spec_cls
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part)
        if info is None:
            return ""
        nxt = _model_in(info.annotation)
        if nxt is None:
            return ""
        cls = nxt
    return did_you_mean(str(loc[-1]), cls.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The schema class inside a field's type: ``list[A]``, ``A | None``, ``list[str | A]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def load_model(model_dir: Path, project_root: Path | None = None) -> Model:
    """Read, validate and resolve every ``*.yml``/``*.yaml`` file under ``model_dir``."""
    root = project_root or model_dir.parent
    problems: list[Problem] = []
    if not model_dir.is_dir():
        raise ModelError([Problem(str(model_dir), 0, "", "model folder not found", "run dv in the project root")])
    files: dict[str, str] = {}
    invalid: set[str] = set()
    complete = True  # False when a file could not be parsed: its documents are unknown
    declared: dict[str, list[Declared]] = {kind: [] for kind in SPEC_BY_KIND}
    paths, file_problems = find_model_files(model_dir, root)
    problems.extend(file_problems)
    complete = not file_problems
    for path in paths:
        shown = shown_path(path, root)
        try:
            content = path.read_bytes()
        except OSError as exc:
            hint = "make it readable (chmod +r), or move it out of model/"
            problems.append(Problem(shown, 0, "", f"cannot read file: {exc.strerror or exc}", hint))
            complete = False
            continue
        files[shown] = hashlib.sha256(content).hexdigest()
        docs, doc_problems, parsed = parse_documents(content, shown)
        complete = complete and parsed
        problems.extend(doc_problems)
        for doc in docs:
            problems.extend(_validate_document(doc, declared, invalid))

    projects = declared["project"]
    if len(projects) > 1:
        for extra in projects[1:]:
            problems.append(
                Problem(
                    extra.doc.file,
                    extra.doc.start_line,
                    "project",
                    "more than one 'kind: project' document",
                    f"keep one; the first is in {projects[0].doc.file}",
                )
            )
    project = projects[0].spec if projects else ProjectSpec(kind="project", name="project")
    project_file = projects[0].doc.file if projects else ""
    model = Model(root=root, project=project, project_file=project_file, files=files, invalid=invalid)

    problems.extend(_check_names(declared))
    for kind, items in declared.items():
        for item in items:
            named = derived_name(kind, item.spec.name)
            if named is not None:
                model.derived_names[named[0]] = named[1]
    if not complete:
        # references into a file that did not parse would all look unknown: report its syntax first
        raise ModelError(problems)
    reporters: list[Reporter] = []

    def resolved(item: Declared, r: Reporter, entity: Any) -> bool:
        """An entity with problems of its own is invalid: what refers to it is not reported again."""
        reporters.append(r)
        if entity is None or r.problems:
            invalid.add(f"{item.spec.kind}.{item.spec.name}")
        return entity is not None

    for kind_def in sorted(KINDS, key=lambda k: (k.tier, k.kind)):
        for item in declared[kind_def.kind]:
            r = item.reporter()
            entity = kind_def.resolve(item.spec, item.doc, r, model)
            if resolved(item, r, entity):
                model.register(kind_def.kind, entity)
    for r in reporters:
        problems.extend(r.problems)
    if not problems:
        problems.extend(_check_table_limits(model))
    if problems:
        raise ModelError(problems)
    model.sources = dict(sorted(model.sources.items()))
    model.hubs = dict(sorted(model.hubs.items()))
    model.links = dict(sorted(model.links.items()))
    model.satellites = dict(sorted(model.satellites.items()))
    model.entities = dict(sorted(model.entities.items()))
    return model


def _validate_document(doc: Document, declared: dict[str, list[Declared]], invalid: set[str]) -> list[Problem]:
    data = doc.data
    if not isinstance(data, dict):
        return [Problem(doc.file, doc.start_line, "", "a model document must be a mapping with a 'kind' field")]
    kind = data.get("kind")
    name = data.get("name", "?")
    entity = entity_label(data)
    if not isinstance(kind, str) or kind not in SPEC_BY_KIND:
        # it may be any kind: references to its name are not reported as unknown on top of this
        invalid.update(f"{k}.{name}" for k in SPEC_BY_KIND)
        hint = did_you_mean(str(kind), SPEC_BY_KIND) or f"kind is one of: {', '.join(sorted(SPEC_BY_KIND))}"
        if kind is None:
            message = "missing field 'kind'"
        elif not isinstance(kind, str):
            message = f"kind must be a name, not a {_TYPE_NAMES.get(type(kind), type(kind).__name__)}"
            hint = f"write one kind, e.g. 'kind: hub'; kind is one of: {', '.join(sorted(SPEC_BY_KIND))}"
        else:
            message = f"unknown kind '{kind}'"
        return [Problem(doc.file, doc.line_of(("kind",)), entity, message, hint)]
    try:
        spec = SPEC_BY_KIND[kind].model_validate(data)
    except ValidationError as exc:
        invalid.add(f"{kind}.{name}")
        return _format_pydantic(exc, doc, entity)
    declared[kind].append(Declared(spec, doc))
    return []


# PostgreSQL's limits on a table (MaxHeapAttributeNumber) and an index (INDEX_MAX_KEYS, key and included columns)
MAX_TABLE_COLUMNS = 1600
MAX_INDEX_COLUMNS = 32


def _check_table_limits(model: Model) -> list[Problem]:
    """Tables the model asks for that PostgreSQL would refuse to create: too many columns, too wide an index."""
    ctx = Context(get_dialect(), model.algorithm)
    problems: list[Problem] = []
    for kind_def in KINDS:
        for entity in model.of_kind(kind_def):
            where = (entity.origin.file, entity.origin.line, f"{kind_def.kind} '{entity.name}'")
            for table in kind_def.physical(entity, ctx):
                if len(table.columns) > MAX_TABLE_COLUMNS:
                    message = (
                        f"table {table.schema}.{table.name} would have {len(table.columns):,} columns, "
                        f"more than PostgreSQL's {MAX_TABLE_COLUMNS:,}"
                    )
                    problems.append(Problem(*where, message, "split it: fewer columns per source or satellite"))
                for index in table.indexes:
                    width = len(index.columns) + len(index.include)
                    if width > MAX_INDEX_COLUMNS:
                        message = (
                            f"index {index.name} of {table.schema}.{table.name} would have {width} columns, "
                            f"more than PostgreSQL's {MAX_INDEX_COLUMNS}"
                        )
                        problems.append(Problem(*where, message, "use fewer key or sub-key columns"))
    return problems


_TYPE_NAMES = {list: "list", dict: "mapping", bool: "boolean", int: "number", float: "number"}

# Kinds whose names share one namespace, and why (the hint of a clash between two of them).
_CLASH_HINTS = {
    "hub/link": "hubs and links share the hash-key column hk_<name>; give one of them another name",
    "satellite": "satellites and multi-active satellites share the stage hashdiff column hd_<name>; "
    "give one of them another name",
    "business_vault": "PITs, bridges and computed satellites are tables of the schema business_vault named as "
    "declared; give one of them another name",
    "marts": "dimensions, facts, KPIs and feeds are tables or views of the schema marts named as declared; "
    "give one of them another name",
}


def _check_names(declared: dict[str, list[Declared]]) -> list[Problem]:
    """Duplicate names within a kind, and clashes between kinds that share a namespace (``KindDef.name_group``),
    for every kind of the registry. In file order: the one declared later (by file, then line) is reported,
    naming the place of the first."""
    items = [(kind_def, item) for kind_def in KINDS for item in declared[kind_def.kind]]
    items.sort(key=lambda pair: (pair[1].doc.file, pair[1].doc.line_of(("name",))))
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Declared] = {}
    for kind_def, item in items:
        key = (kind_def.names, item.spec.name)
        first = seen.setdefault(key, item)
        if first is item:
            continue
        same_kind = first.spec.kind == item.spec.kind
        problems.append(
            Problem(
                item.doc.file,
                item.doc.line_of(("name",)),
                f"{kind_def.kind} '{item.spec.name}'",
                f"name clash: {first.spec.kind} '{item.spec.name}' is already declared in "
                f"{first.doc.file}:{first.doc.line_of(('name',))}",
                "rename one of them" if same_kind else _CLASH_HINTS.get(kind_def.names, "rename one of them"),
            )
        )
    return problems
