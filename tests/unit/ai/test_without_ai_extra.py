"""Without the [ai] extra (markdown-it-py, nh3) the CRUD preset and its tool registry,
hooks and `ai_complete` import and run: checked in a fresh interpreter where importing
either package fails."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import asyncio, sys
    sys.modules["markdown_it"] = None  # importing them now raises ImportError
    sys.modules["nh3"] = None
    from fasthx_ui.crud import Admin, CRUDView, ToolRegistry, ai_complete, tool_registry
    from fasthx_ui.crud.ai.hooks import run_user_prompt_submit

    registry = ToolRegistry()
    registry.tool(name="double")(lambda n: n * 2)
    registry.on("user_prompt_submit")(lambda message: message + "!")
    print(asyncio.run(registry.execute("double", {"n": "ab"})))
    print(asyncio.run(run_user_prompt_submit(registry, None, message="hi", history=[])))
    print(sorted(m for m in sys.modules if m.startswith(("markdown_it", "nh3")) and sys.modules[m]))
""")


def test_crud_ai_runs_without_markdown_packages():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["abab", "hi!", "[]"]
