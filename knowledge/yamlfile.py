"""Any knowledge file whose schema is a dataclass, read with its line numbers.

The YAML is composed into nodes (which keep line numbers) and converted field by field, led by
the dataclasses' own type hints: the schema is the model, so a new optional field in the model
is a new optional key in the file. Every problem found is collected, with its line, and raised
together in `KnowledgeError`. Shared by the référentiel, its phrasings, the language data, the
phrase catalogue and the decision policy.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml

from knowledge.model import Text
from knowledge.problems import Problem

__all__ = ["TOP", "Builder", "build_file", "compose_file", "line_of"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
TOP = "top level"


class _Invalid:
    """Marks a value that could not be built (its problem is already recorded)."""


_INVALID = _Invalid()


def build_file(
    cls: type, path: str | Path, check: Callable[[Any, Builder], None] | None = None
) -> tuple[object | None, list[Problem]]:
    """Any knowledge file whose schema is a dataclass (language data, questions); `check`
    reports what no single field shows, at its line, once the object is built."""
    root, problems = compose_file(path)
    if root is None:
        return None, problems
    builder = Builder(str(path))
    value = builder.build(cls, root, TOP)
    if check is not None and isinstance(value, cls):
        check(value, builder)
    problems = sorted(builder.problems, key=lambda p: p.line)
    return (value if not problems else None), problems


def compose_file(path: str | Path) -> tuple[yaml.Node | None, list[Problem]]:
    """A YAML file as nodes (which keep line numbers), or the reason it cannot be read.

    Shared by every knowledge file (référentiel, phrases) so they all report `file:line`.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(name, 1, f"cannot read the file: {exc}")]
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, [Problem(name, line, f"not valid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, f"not valid YAML: {exc}")]
    if root is None:
        return None, [Problem(name, 1, "the file is empty")]
    return root, []


def line_of(node: yaml.Node) -> int:
    """1-based line where a node starts."""
    return int(node.start_mark.line) + 1


class Builder:
    """Converts nodes to model objects, remembering where each object and field came from."""

    def __init__(self, file: str, filled: frozenset[str] = frozenset()) -> None:
        self.file = file
        self.filled = filled  # fields the caller sets itself, never read from the file
        self.problems: list[Problem] = []
        self.broken_ids: set[str] = set()  # ids of entries that could not be built
        self._lines: dict[int, int] = {}
        self._fields: dict[int, dict[str, yaml.Node]] = {}  # id of an object -> its fields' nodes
        self._hints: dict[type, dict[str, Any]] = {}
        self._keep: list[object] = []  # keeps ids in the maps above valid

    # -- where things are -------------------------------------------------------------
    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def line_of(self, obj: object, field: str | None = None, index: int | None = None) -> int:
        """Line of an object, of one of its fields, or of one item of a list field."""
        if field is not None:
            node = self._fields.get(id(obj), {}).get(field)
            if node is not None:
                if (
                    index is not None
                    and isinstance(node, yaml.SequenceNode)
                    and 0 <= index < len(node.value)
                ):
                    return int(node.value[index].start_mark.line) + 1
                return int(node.start_mark.line) + 1
        return self._lines.get(id(obj), 1)

    def alias(self, old: object, new: object) -> None:
        self._keep.append(new)
        self._lines[id(new)] = self._lines.get(id(old), 1)
        if id(old) in self._fields:
            self._fields.setdefault(id(new), {}).update(self._fields[id(old)])

    # -- conversion -------------------------------------------------------------------
    def build(self, cls: type, node: yaml.Node, what: str) -> Any:
        """A dataclass from a mapping node (or, for `Text`, from a plain string)."""
        line = int(node.start_mark.line) + 1
        if cls is Text and isinstance(node, yaml.ScalarNode) and node.tag != _NULL:
            return self._keep_obj(Text(fr=node.value), line)
        if not isinstance(node, yaml.MappingNode):
            self.problem(line, f"{what}: expected a mapping of keys, got {_kind(node)}")
            return _INVALID
        hints = self._hints.get(cls)
        if hints is None:
            hints = self._hints[cls] = typing.get_type_hints(cls)
        fields = {
            f.name: f
            for f in dataclasses.fields(cls)
            if f.init
            and not f.name.startswith("_")
            and f.name not in self.filled
        }
        label = _label(cls, node, what)
        given = self._given_keys(node, fields, label)
        values, broken = self._field_values(fields, hints, given, label, line)
        if broken:
            ident = _ident(node)
            if ident is not None:  # references to it are not reported again
                self.broken_ids.add(ident)
            return _INVALID
        try:
            obj = cls(**values)
        except (TypeError, ValueError) as exc:  # a model's own check refused the values
            self.problem(line, f"{label}: {exc}")
            return _INVALID
        for name, value_node in given.items():
            self._fields.setdefault(id(obj), {})[name] = value_node
        return self._keep_obj(obj, line)

    def _given_keys(
        self, node: yaml.MappingNode, fields: dict[str, dataclasses.Field[Any]], label: str
    ) -> dict[str, yaml.Node]:
        """The mapping's value nodes by key; unknown and repeated keys are reported."""
        given: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            key_line = int(key_node.start_mark.line) + 1
            if key not in fields:
                self.problem(
                    key_line,
                    f"{label}: unknown key {key!r} (expected one of: {', '.join(fields)})",
                )
            elif key in given:
                self.problem(key_line, f"{label}: key {key!r} given twice")
            else:
                given[key] = value_node
        return given

    def _field_values(
        self,
        fields: dict[str, dataclasses.Field[Any]],
        hints: dict[str, Any],
        given: dict[str, yaml.Node],
        label: str,
        line: int,
    ) -> tuple[dict[str, Any], bool]:
        """Each given field converted by its type hint, and whether any (or a required one
        missing) could not be."""
        values: dict[str, Any] = {}
        broken = False
        for name, f in fields.items():
            if name not in given:
                has_default = (
                    f.default is not dataclasses.MISSING
                    or f.default_factory is not dataclasses.MISSING
                )
                if not has_default:
                    self.problem(line, f"{label}: missing field {name!r}")
                    broken = True
                continue
            where = name if label == TOP else f"{label}, {name}"
            value = self.convert(hints[name], given[name], where)
            if value is _INVALID:
                broken = True
            else:
                values[name] = value
        return values, broken

    def _keep_obj(self, obj: object, line: int) -> object:
        self._keep.append(obj)
        self._lines[id(obj)] = line
        return obj

    def convert(self, tp: Any, node: yaml.Node, what: str) -> Any:
        """One value of type `tp` (a model type hint) from a node."""
        line = int(node.start_mark.line) + 1
        origin = get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            if _is_null(node) and len(options) < len(get_args(tp)):
                return None
            return self.convert(options[0], node, what)
        if origin is tuple:
            return self._convert_tuple(tp, node, what)
        if origin is dict:
            return self._convert_dict(tp, node, what)
        if origin is Literal:
            allowed = get_args(tp)
            if isinstance(node, yaml.ScalarNode) and node.value in allowed:
                return node.value
            shown = node.value if isinstance(node, yaml.ScalarNode) else _kind(node)
            choices = ", ".join(str(a) for a in allowed)
            self.problem(line, f"{what}: {shown!r} is not one of: {choices}")
            return _INVALID
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.build(tp, node, what)
        scalar = _SCALARS.get(tp)
        if scalar is None:  # pragma: no cover - the model uses no other type
            raise TypeError(f"the loader cannot read a field of type {tp!r}")
        if not isinstance(node, yaml.ScalarNode) or _is_null(node):
            self.problem(line, f"{what}: expected {scalar[0]}, got {_kind(node)}")
            return _INVALID
        try:
            return scalar[1](node)
        except ValueError as exc:
            self.problem(line, f"{what}: {exc}")
            return _INVALID

    def _convert_dict(self, tp: Any, node: yaml.Node, what: str) -> Any:
        """A mapping of words (`spellings: {koi: quoi}`); keys are read as text."""
        if _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            line = int(node.start_mark.line) + 1
            self.problem(line, f"{what}: expected a mapping, got {_kind(node)}")
            return _INVALID
        value_type = get_args(tp)[1]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if not key or key in out:
                line = int(key_node.start_mark.line) + 1
                self.problem(line, f"{what}: key {key!r} is empty or given twice")
                continue
            value = self.convert(value_type, value_node, f"{what}, {key}")
            if value is not _INVALID:
                out[key] = value
        return out

    def _convert_tuple(self, tp: Any, node: yaml.Node, what: str) -> Any:
        if _is_null(node):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            line = int(node.start_mark.line) + 1
            self.problem(line, f"{what}: expected a list, got {_kind(node)}")
            return _INVALID
        item_type = get_args(tp)[0]
        if item_type is str:  # the phrasings: tens of thousands of texts, read straight off
            items = [_read_str(item) if _is_text(item) else self.convert(str, item, what)
                     for item in node.value]  # fmt: skip
        else:
            items = [self.convert(item_type, item, what) for item in node.value]
        # a broken item is already reported: leave it out so the rest can still be cross-checked
        return tuple(item for item in items if item is not _INVALID)


def _read_str(node: yaml.ScalarNode) -> str:
    return str(node.value)  # a number or a word like `yes` is taken as written


def _read_int(node: yaml.ScalarNode) -> int:
    if node.tag != _INT:
        raise ValueError(f"expected a whole number, got {node.value!r}")
    try:
        return int(node.value.replace("_", ""))
    except ValueError:
        raise ValueError(f"expected a whole number, got {node.value!r}") from None


def _read_date(node: yaml.ScalarNode) -> date:
    match = _DATE.match(node.value.strip())
    if match is None:
        raise ValueError(f"expected a date written YYYY-MM-DD, got {node.value!r}")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{node.value!r} is not a real date") from None


def _read_float(node: yaml.ScalarNode) -> float:
    try:
        return float(node.value)
    except ValueError:
        raise ValueError(f"expected a number, got {node.value!r}") from None


_SCALARS: dict[Any, tuple[str, Callable[[yaml.ScalarNode], Any]]] = {
    str: ("some text", _read_str),
    float: ("a number", _read_float),
    int: ("a whole number", _read_int),
    date: ("a date written YYYY-MM-DD", _read_date),
}


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def _is_text(node: yaml.Node) -> bool:
    """What `convert` would read as text without a problem (a scalar that is not null)."""
    return isinstance(node, yaml.ScalarNode) and node.tag != _NULL


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if _is_null(node):
        return "nothing"
    return f"{node.value!r}"


def _ident(node: yaml.MappingNode) -> str | None:
    """The `id` (else the `number`) written in a mapping, if any."""
    found: dict[str, str] = {}
    for key_node, value_node in node.value:
        if (
            isinstance(key_node, yaml.ScalarNode)
            and key_node.value in ("id", "number")
            and isinstance(value_node, yaml.ScalarNode)
        ):
            found[key_node.value] = str(value_node.value)
    return found.get("id", found.get("number"))


def _label(cls: type, node: yaml.MappingNode, what: str) -> str:
    """`topic 'vae'`-style name for messages, using the mapping's id or number when given."""
    ident = _ident(node)
    if ident is None:
        return what
    words = "CCP" if cls.__name__ == "Ccp" else re.sub(r"(?<!^)([A-Z])", r" \1", cls.__name__)
    return f"{words if words == 'CCP' else words.lower()} {ident!r}"
