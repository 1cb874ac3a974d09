"""A tool's JSON schema comes from its signature: types, defaults (not required), Optional,
Literal enums, Annotated descriptions; db/user/request never reach the model; what the model
cannot fill in is refused at registration."""

from typing import Annotated, Literal, Optional

import pytest

from fasthx_ui.crud import ToolRegistry


@pytest.fixture
def registry():
    return ToolRegistry()


def schema(registry, func, **options):
    registry.tool(**options)(func)
    return registry.tools[options.get("name") or func.__name__].schema


def test_scalar_types_and_defaults(registry):
    def lookup(name: str, count: int, ratio: float, active: bool, note: str = "none", limit: int = 10):
        return name

    assert schema(registry, lookup) == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "active": {"type": "boolean"},
            "note": {"type": "string", "default": "none"},
            "limit": {"type": "integer", "default": 10},
        },
        "required": ["name", "count", "ratio", "active"],
        "additionalProperties": False,
    }


def test_containers_optional_literal_and_annotated(registry):
    def search(tags: list[str], filters: dict[str, int], raw: list, extra: dict,
               status: Literal["open", "paid"] = "open", since: Optional[int] = None,
               until: int | None = None, query: Annotated[str, "words to look for"] = ""):
        return []

    props = schema(registry, search)["properties"]
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["filters"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert props["raw"] == {"type": "array"} and props["extra"] == {"type": "object"}
    assert props["status"] == {"enum": ["open", "paid"], "type": "string", "default": "open"}
    assert props["since"] == {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None}
    assert props["until"] == props["since"]
    assert props["query"] == {"type": "string", "description": "words to look for", "default": ""}
    assert schema(registry, search)["required"] == ["tags", "filters", "raw", "extra"]


def test_injected_parameters_are_not_in_the_schema(registry):
    def mine(db, user, request, customer_id: int):
        return customer_id

    tool_schema = schema(registry, mine)
    assert list(tool_schema["properties"]) == ["customer_id"] and tool_schema["required"] == ["customer_id"]
    assert registry.tools["mine"].signature.injected == {"db", "user", "request"}


def test_unannotated_parameters_are_strings_and_string_annotations_resolve(registry):
    def loose(a, b: "int"):
        return a

    assert schema(registry, loose)["properties"] == {"a": {"type": "string"}, "b": {"type": "integer"}}


def test_description_from_argument_then_docstring_then_name(registry):
    def documented():
        """First paragraph
        goes on here.

        Details the model need not read."""

    def open_invoice_count():
        pass

    registry.tool(description="Given")(documented)
    assert registry.tools["documented"].description == "Given"
    registry.tool(name="doc2")(documented)
    assert registry.tools["doc2"].description == "First paragraph goes on here."
    registry.tool()(open_invoice_count)
    assert registry.tools["open_invoice_count"].description == "Open invoice count"


def test_definition_is_the_openai_function_shape_and_options_are_kept(registry):
    @registry.tool("Delete a row", name="delete_row", confirm=True)
    def remove(row_id: int):
        return "gone"

    tool = registry.tools["delete_row"]
    assert tool.confirm is True and tool.func is remove
    assert tool.definition() == {"type": "function", "function": {
        "name": "delete_row", "description": "Delete a row",
        "parameters": {"type": "object", "properties": {"row_id": {"type": "integer"}},
                       "required": ["row_id"], "additionalProperties": False}}}


def test_bare_decorator(registry):
    @registry.tool
    def ping() -> str:
        return "pong"

    assert registry.tools["ping"].confirm is False and registry.tools["ping"].schema["properties"] == {}


@pytest.mark.parametrize("func, message", [
    (lambda *items: None, r"\*items is not supported"),
    (lambda **options: None, r"\*options is not supported"),
])
def test_variadic_parameters_are_refused(registry, func, message):
    with pytest.raises(TypeError, match=message):
        registry.tool(name="bad")(func)


def test_unsupported_annotations_are_refused_naming_tool_and_parameter(registry):
    def by_set(values: set[int]):
        pass

    def by_union(value: int | str):
        pass

    def by_keys(values: dict[int, str]):
        pass

    with pytest.raises(TypeError, match=r"tool 'by_set': parameter 'values': unsupported annotation"):
        registry.tool()(by_set)
    with pytest.raises(TypeError, match=r"only X \| None unions"):
        registry.tool()(by_union)
    with pytest.raises(TypeError, match=r"dict keys must be str"):
        registry.tool()(by_keys)
    assert registry.tools == {}


def test_a_second_function_under_a_taken_name_is_refused(registry):
    def first():
        pass

    def second():
        pass

    registry.tool(name="same")(first)
    registry.tool(name="same")(first)  # the same function again (a re-import) replaces it
    with pytest.raises(ValueError, match="a tool named 'same' is already registered"):
        registry.tool(name="same")(second)
    assert registry.tools["same"].func is first


def test_definitions_filter_order_and_unknown_names(registry):
    for name in ("a", "b", "c"):
        registry.tool(name=name)(lambda: None)
    names = lambda defs: [d["function"]["name"] for d in defs]  # noqa: E731
    assert names(registry.definitions()) == ["a", "b", "c"]
    assert names(registry.definitions(["c", "nope", "a", "c"])) == ["c", "a"]
    assert names(registry.definitions(enabled={"b", "c"})) == ["b", "c"]
    assert names(registry.definitions(["a", "b"], enabled={"b"})) == ["b"]
    assert registry.definitions([]) == []


def test_remove_forgets_a_tool(registry):
    registry.tool(name="gone")(lambda: None)
    registry.remove("gone")
    registry.remove("never_there")
    assert registry.tools == {} and registry.definitions() == []
