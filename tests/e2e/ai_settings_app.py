"""A small app with the AI settings pages for the tests: `Admin(ai_chat=True)` whose
settings administrators are the user `ada` and the group `/AI-Admins`, two tools and a
hook registered, and `/test-login?username=…&groups=a,b` to sign anyone in.
`python tests/e2e/ai_settings_app.py --port N --db FILE`"""

from typing import Any

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from app_main import run_app
from fasthx_ui.crud import Admin, init_db, tool_registry

SETTINGS_ADMIN = "ada"
SETTINGS_GROUP = "/AI-Admins"


@tool_registry.tool(description="Look up a device by its hostname")
def aisettings_lookup(hostname: str) -> str:
    return f"{hostname}: online"


@tool_registry.tool(description="Reboot a device", confirm=True)
def aisettings_reboot(hostname: str) -> str:
    return f"{hostname} rebooted"


@tool_registry.on("user_prompt_submit", description="Adds the date to every message")
def aisettings_dated(message: str) -> str:
    return message


def build_app(url: str, **engine_options: Any) -> FastAPI:
    """The app on the database at `url` (the settings table is created on first use)."""
    init_db(url, **engine_options)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/test-login")
    def test_login(request: Request, username: str, groups: str = "") -> dict:
        request.session["user"] = {"username": username, "groups": [g for g in groups.split(",") if g]}
        return {"ok": True}

    Admin(app, title="AI settings test", ai_chat=True, settings_admin_users=[SETTINGS_ADMIN],
          settings_admin_groups=[SETTINGS_GROUP])
    app.add_middleware(SessionMiddleware, secret_key="ai-settings-test")
    return app


def create_app(db: str) -> FastAPI:
    return build_app(f"sqlite:///{db}", connect_args={"check_same_thread": False})


if __name__ == "__main__":
    run_app(create_app)
