"""Validating YAML data with pydantic and mapping every error back to ``file:line:column``."""

from __future__ import annotations

import difflib
import types
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from rcim.errors import ConfigError, Problem

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from rcim.program.yamlsource import KeyPath, SourceMap

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_model(model: type[ModelT], data: Any, source: SourceMap) -> ModelT:  # noqa: ANN401
    """Validate ``data`` as ``model``; raise ``ConfigError`` listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ConfigError(problems_from(error, model, data, source)) from None


def problems_from(
    error: ValidationError,
    model: type[BaseModel],
    data: Any,  # noqa: ANN401
    source: SourceMap,
) -> list[Problem]:
    return [_problem(detail, model, data, source) for detail in error.errors()]


def _problem(
    detail: ErrorDetails,
    model: type[BaseModel],
    data: Any,  # noqa: ANN401
    source: SourceMap,
) -> Problem:
    path = data_path(data, detail["loc"])
    kind = detail["type"]
    label = dotted(path)
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        hint = _suggestion(key, allowed_keys(model, detail["loc"][:-1]))
        return source.problem(path, f"{label}: unknown key '{key}'{hint}", at_key=True)
    if kind == "missing":
        missing = str(detail["loc"][-1])
        if path and path[-1] == detail["loc"][-1]:
            path = path[:-1]
        where = dotted(path)
        prefix = f"{where}: " if where else ""
        return source.problem(path, f"{prefix}missing required key '{missing}'")
    return source.problem(path, f"{label}: {_message(detail)}" if label else _message(detail))


def data_path(data: Any, loc: tuple[str | int, ...]) -> KeyPath:  # noqa: ANN401
    """The part of a pydantic location that exists in the data (drops union tags).

    An unknown (extra) or missing key is kept as the last element so that it can be named.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        in_mapping = isinstance(current, dict) and part in current
        in_list = isinstance(current, tuple) and isinstance(part, int) and part < len(current)
        if in_mapping or in_list:
            current = current[part]
            path.append(part)
        elif isinstance(current, dict) and part == loc[-1]:
            path.append(part)
    return tuple(path)


def dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names valid at ``loc`` (a pydantic location) inside ``model``."""
    target: Any = model
    for part in loc:
        target = _step(target, part)
        if target is None:
            return []
    target = _unwrap(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [info.alias or name for name, info in target.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:  # noqa: ANN401 - a type annotation
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (tuple, list, frozenset, set) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    if origin in (Union, types.UnionType):
        return _union_member(args, part)
    return None


def _union_member(members: tuple[Any, ...], tag: str | int) -> Any:  # noqa: ANN401
    for member in members:
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for info in member.model_fields.values():
                if get_origin(info.annotation) is Literal and tag in get_args(info.annotation):
                    return member
    return None


def _unwrap(annotation: Any) -> Any:  # noqa: ANN401
    """Strip ``Annotated`` and ``Optional`` wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _suggestion(key: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if candidates:
        return f"; valid keys: {', '.join(sorted(candidates))}"
    return ""


_TYPE_NAMES = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "datetime_type": "a date-time",
}


def _message(detail: ErrorDetails) -> str:
    kind = detail["type"]
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, got {_describe(detail['input'])}"
    message = detail["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "union_tag_invalid":
        ctx = detail.get("ctx", {})
        return f"'{ctx.get('tag')}' is not one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"missing required key '{detail.get('ctx', {}).get('discriminator', '?')}'"
    return message[:1].lower() + message[1:]


def _describe(value: Any) -> str:  # noqa: ANN401
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple | list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return f"{type(value).__name__} {value!r}"
