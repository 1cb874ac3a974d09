"""A tool's JSON schema, read from its Python signature, and the check of the arguments a
model sends against it: the model's arguments are untrusted input, so a missing, extra or
wrongly typed one is refused with a message the model can act on, never passed through.

Supported annotations: str, int, float, bool, list, dict, list[X], dict[str, X], X | None
(Optional), Literal[...], and Annotated[X, "description"]. Unannotated parameters are strings.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

INJECTED = frozenset({"db", "user", "request"})
_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_MISSING = inspect.Parameter.empty
_NAMES: dict[Any, str] = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
                          list: "an array", dict: "an object", type(None): "null"}


class ArgumentError(ValueError):
    """The arguments a model sent do not fit the tool's parameters."""


@dataclass(frozen=True)
class Param:
    """One parameter the model fills in."""

    name: str
    annotation: Any
    default: Any = _MISSING

    @property
    def required(self) -> bool:
        return self.default is _MISSING


@dataclass(frozen=True)
class Signature:
    """What a function asks for: the model's parameters and the injected ones it declares."""

    params: tuple[Param, ...]
    injected: frozenset[str]

    def json_schema(self) -> dict[str, Any]:
        """The `parameters` object of an OpenAI function definition."""
        properties = {}
        for param in self.params:
            prop = type_schema(param.annotation)
            if not param.required and _jsonable(param.default):
                prop["default"] = param.default
            properties[param.name] = prop
        required = [p.name for p in self.params if p.required]
        return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}

    def bind(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check the model's arguments; the keyword arguments to call with (defaults left out)."""
        known = {p.name for p in self.params}
        extra = sorted(set(arguments) - known)
        if extra:
            raise ArgumentError(f"unexpected argument(s) {', '.join(extra)}; expected {_names(known)}")
        missing = [p.name for p in self.params if p.required and p.name not in arguments]
        if missing:
            raise ArgumentError(f"missing required argument(s) {', '.join(missing)}")
        for param in self.params:
            if param.name in arguments:
                _check(param.name, param.annotation, arguments[param.name])
        return dict(arguments)


def read_signature(func: Callable[..., Any], what: str) -> Signature:
    """The signature of `func`; TypeError (naming `what`) for what a model cannot fill in."""
    hints = _hints(func)
    params = []
    injected = set()
    for param in inspect.signature(func).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise TypeError(f"{what}: *{param.name} is not supported; name every parameter")
        if param.kind is param.POSITIONAL_ONLY:
            raise TypeError(f"{what}: positional-only parameter {param.name!r} is not supported")
        if param.name in INJECTED:
            injected.add(param.name)
            continue
        annotation = hints.get(param.name, str)
        try:
            type_schema(annotation)
        except TypeError as exc:
            raise TypeError(f"{what}: parameter {param.name!r}: {exc}") from None
        params.append(Param(param.name, annotation, param.default))
    return Signature(tuple(params), frozenset(injected))


def type_schema(annotation: Any) -> dict[str, Any]:
    """The JSON schema of one annotation; TypeError for an unsupported one."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        schema = type_schema(args[0])
        notes = [a for a in args[1:] if isinstance(a, str)]
        if notes:
            schema["description"] = " ".join(notes)
        return schema
    if annotation in _SCALARS:
        return {"type": _SCALARS[annotation]}
    if annotation is list or origin is list:
        return {"type": "array", "items": type_schema(args[0])} if args else {"type": "array"}
    if annotation is dict or origin is dict:
        if args and args[0] is not str:
            raise TypeError("dict keys must be str")
        return {"type": "object", "additionalProperties": type_schema(args[1])} if args else {"type": "object"}
    if origin is typing.Literal:
        kinds = {_SCALARS.get(type(a)) for a in args}
        if None in kinds:
            raise TypeError("Literal values must be str, int, float or bool")
        schema: dict[str, Any] = {"enum": list(args)}
        if len(kinds) == 1:
            schema["type"] = kinds.pop()
        return schema
    if _is_union(origin):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1 or len(args) != 2:
            raise TypeError(f"only X | None unions are supported, not {annotation!r}")
        schema = type_schema(inner[0])
        return {"anyOf": [schema, {"type": "null"}], **_lift_description(schema)}
    raise TypeError(f"unsupported annotation {annotation!r}")


def _check(path: str, annotation: Any, value: Any) -> None:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _check(path, args[0], value)
    if _is_union(origin):
        if value is None:
            return None
        return _check(path, next(a for a in args if a is not type(None)), value)
    if origin is typing.Literal:
        if not any(type(a) is type(value) and a == value for a in args):
            raise ArgumentError(f"{path} must be one of {', '.join(map(repr, args))}, not {value!r}")
        return None
    if annotation is list or origin is list:
        _expect(path, value, list)
        for i, item in enumerate(value):
            if args:
                _check(f"{path}[{i}]", args[0], item)
        return None
    if annotation is dict or origin is dict:
        _expect(path, value, dict)
        for key, item in value.items():
            if args:
                _check(f"{path}.{key}", args[1], item)
        return None
    return _expect(path, value, annotation)


def _expect(path: str, value: Any, kind: type) -> None:
    """`value` is JSON of `kind` (a bool is no number; an integer is a float)."""
    fits = isinstance(value, (int, float) if kind is float else kind) and isinstance(value, bool) == (kind is bool)
    if not fits:
        raise ArgumentError(f"{path} must be {_NAMES[kind]}, not {_NAMES.get(type(value), type(value).__name__)}")


def _hints(func: Callable[..., Any]) -> dict[str, Any]:
    """Resolved annotations; one that does not resolve (a type imported only for type
    checkers, say `Session`) is left out, which is harmless for injected parameters."""
    try:
        return typing.get_type_hints(func, include_extras=True)
    except Exception:
        hints = {}
        namespace = getattr(func, "__globals__", {})
        for name, raw in getattr(func, "__annotations__", {}).items():
            try:
                hints[name] = eval(raw, namespace) if isinstance(raw, str) else raw
            except Exception:
                continue
        return hints


def _is_union(origin: Any) -> bool:
    return origin is typing.Union or origin is types.UnionType


def _lift_description(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": schema.pop("description")} if "description" in schema else {}


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "no arguments"
