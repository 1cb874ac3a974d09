"""Lifecycle hooks: registration (known events, declared arguments, keys), and each runner's
semantics: session_start's return ignored, user_prompt_submit and post_tool_use chain,
pre_tool_use's first string blocks; a hook gets only what it declares; a raising hook is
logged and skipped; the enabled set is honoured; sync and async hooks alike."""

import logging

import pytest

from fasthx_ui.crud import ToolRegistry
from fasthx_ui.crud.ai.hooks import run_post_tool_use, run_pre_tool_use, run_session_start, run_user_prompt_submit

pytestmark = pytest.mark.anyio


@pytest.fixture
def registry():
    return ToolRegistry()


def test_unknown_event_is_refused_at_registration(registry):
    with pytest.raises(ValueError, match="unknown hook event 'before_everything'; expected one of session_start"):
        registry.on("before_everything")


def test_a_hook_asking_for_what_its_event_does_not_offer_is_refused(registry):
    with pytest.raises(ValueError, match=r"asks for result; session_start offers db, session_id, user"):
        registry.on("session_start")(lambda session_id, result: None)


def test_hooks_are_listed_with_key_event_and_description(registry):
    @registry.on("pre_tool_use", description="No deletes")
    def guard(tool_name):
        """Unused docstring."""

    @registry.on("post_tool_use")
    async def redact(result):
        """Hide e-mail addresses.

        More words."""

    assert [(h.key, h.event, h.description) for h in registry.hooks] == [
        ("pre_tool_use:test_hooks_are_listed_with_key_event_and_description.<locals>.guard", "pre_tool_use",
         "No deletes"),
        ("post_tool_use:test_hooks_are_listed_with_key_event_and_description.<locals>.redact", "post_tool_use",
         "Hide e-mail addresses."),
    ]
    registry.on("pre_tool_use", description="Again")(guard)  # re-registering replaces
    assert [h.description for h in registry.hooks] == ["Hide e-mail addresses.", "Again"]

    @registry.on("session_start")
    def greet_new_sessions():
        pass

    assert registry.hooks[-1].description == "Greet new sessions"


async def test_session_start_gets_only_declared_arguments_and_its_return_is_ignored(registry):
    calls = []

    @registry.on("session_start")
    def only_id(session_id):
        calls.append(("only_id", session_id))
        return "ignored"

    @registry.on("session_start")
    async def everything(**kwargs):
        calls.append(("everything", kwargs))

    assert await run_session_start(registry, None, session_id="s1", user={"username": "ann"}, db="DB") is None
    assert calls == [("only_id", "s1"), ("everything", {"session_id": "s1", "user": {"username": "ann"}, "db": "DB"})]


async def test_user_prompt_submit_chains_and_non_strings_keep_the_message(registry):
    seen = []

    @registry.on("user_prompt_submit")
    def shout(message):
        return message.upper()

    @registry.on("user_prompt_submit")
    async def look(message, history, user):
        seen.append((message, len(history), user))
        return None

    @registry.on("user_prompt_submit")
    def sign(message, user):
        return f"{message} (from {user})"

    result = await run_user_prompt_submit(registry, None, message="hi", history=[{"role": "user"}], user="ann")
    assert result == "HI (from ann)"
    assert seen == [("HI", 1, "ann")]


async def test_pre_tool_use_first_string_wins_and_later_hooks_do_not_run(registry):
    ran = []

    @registry.on("pre_tool_use")
    def allow(tool_name, arguments):
        ran.append("allow")

    @registry.on("pre_tool_use")
    async def block_deletes(tool_name, arguments, user):
        ran.append("block")
        if tool_name.startswith("delete"):
            return f"{user} may not delete {arguments['id']}"

    @registry.on("pre_tool_use")
    def second_blocker(tool_name):
        ran.append("second")
        return "second"

    assert await run_pre_tool_use(registry, None, tool_name="delete_row", arguments={"id": 3}, user="ann") == (
        "ann may not delete 3")
    assert ran == ["allow", "block"]
    ran.clear()
    assert await run_pre_tool_use(registry, {h.key for h in registry.hooks[:2]}, tool_name="lookup",
                                  arguments={}) is None
    assert ran == ["allow", "block"]


async def test_post_tool_use_chains(registry):
    @registry.on("post_tool_use")
    def redact(result):
        return result.replace("ann@example.com", "[e-mail]")

    @registry.on("post_tool_use")
    def tag(tool_name, result, arguments):
        return f"{tool_name}({arguments['n']}): {result}"

    assert await run_post_tool_use(registry, None, tool_name="who", arguments={"n": 1},
                                   result="ann@example.com owes 3") == "who(1): [e-mail] owes 3"


async def test_a_raising_hook_is_logged_and_the_others_still_run(registry, caplog):
    @registry.on("user_prompt_submit")
    def broken(message):
        raise RuntimeError("hook bug")

    @registry.on("user_prompt_submit")
    async def fine(message):
        return message + "!"

    @registry.on("pre_tool_use")
    async def broken_guard(tool_name):
        raise ValueError("guard bug")

    with caplog.at_level(logging.ERROR, "fasthx_ui.crud.ai.hooks"):
        assert await run_user_prompt_submit(registry, None, message="go", history=[]) == "go!"
        assert await run_pre_tool_use(registry, None, tool_name="t", arguments={}) is None
    failed = [(r.getMessage(), r.exc_info[0]) for r in caplog.records if r.name == "fasthx_ui.crud.ai.hooks"]
    assert failed == [
        ("AI hook user_prompt_submit:test_a_raising_hook_is_logged_and_the_others_still_run.<locals>.broken failed; "
         "ignored", RuntimeError),
        ("AI hook pre_tool_use:test_a_raising_hook_is_logged_and_the_others_still_run.<locals>.broken_guard failed; "
         "ignored", ValueError),
    ]


async def test_disabled_hooks_do_not_run(registry):
    @registry.on("post_tool_use")
    def one(result):
        return result + "1"

    @registry.on("post_tool_use")
    def two(result):
        return result + "2"

    keys = [h.key for h in registry.hooks]
    assert await run_post_tool_use(registry, None, tool_name="t", arguments={}, result="r") == "r12"
    assert await run_post_tool_use(registry, {keys[1]}, tool_name="t", arguments={}, result="r") == "r2"
    assert await run_post_tool_use(registry, set(), tool_name="t", arguments={}, result="r") == "r"
    assert await run_pre_tool_use(registry, set(), tool_name="t", arguments={}) is None


async def test_hooks_of_other_events_do_not_run(registry):
    @registry.on("pre_tool_use")
    def blocker(tool_name):
        return "blocked"

    assert await run_user_prompt_submit(registry, None, message="m", history=[]) == "m"
    assert await run_post_tool_use(registry, None, tool_name="t", arguments={}, result="r") == "r"
