"""A small app on the CRUD preset's shell for the browser tests: the reference's login
and logout routes, a page of its own on base.html holding a <ui:Table>, and sidebar
links of which one only `root` sees. `python tests/e2e/crud_shell_app.py --port N`"""

import argparse

import jinja2
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from fasthx_ui import is_partial
from fasthx_ui.crud.sessions import safe_next
from fasthx_ui.crud.admin import Admin
from fasthx_ui.crud.auth import get_current_user
from fasthx_ui import Column, ListSource, TableSpec

PETS_PAGE = """{% extends "base.html" %}
{% block title %}Pets{% endblock %}
{% block content %}<ui:Table page={{ page }} url="/pets" id="pets" caption="Pets" />{% endblock %}
{% block scripts %}<script>document.body.dataset.pageScript = typeof htmx;</script>{% endblock %}
"""
PETS = [{"id": 1, "name": "Rex"}, {"id": 2, "name": "Ada's cat"}, {"id": 3, "name": "<Tom>"}]
SPEC = TableSpec(columns=[Column("id", label="ID"), Column("name")])

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="e2e-session")
admin = Admin(app, templates=Jinja2Templates(env=jinja2.Environment(loader=jinja2.DictLoader({"pets.html": PETS_PAGE}))), title="Shell test")
admin.add_link("pets", "/pets", "Pets", icon="heart", category="Zoo")
admin.add_link("vault", "/vault", "Vault", icon="safe", category="Zoo", allowed_users=["root"])


@app.get("/")
def root():
    return RedirectResponse("/pets")


@app.get("/pets")
def pets(request: Request):
    context = {"page": ListSource(PETS, SPEC).page(SPEC.parse(request.query_params)), "active_page": "pets"}
    if is_partial(request) and get_current_user(request):
        return HTMLResponse(admin.templates.render(request, "pets.html", context, block="content"))
    return admin.templates.TemplateResponse(request, "pets.html", context)


@app.get("/login", response_class=HTMLResponse)
async def login_page(request: Request):
    if get_current_user(request):
        return RedirectResponse("/pets", status_code=303)
    return admin.templates.TemplateResponse("login.html", {"request": request, "error": None, "username": None})


@app.post("/login", response_class=HTMLResponse)
async def login_submit(request: Request):
    form = await request.form()
    username = str(form.get("username", "")).strip()
    if form.get("password") != "right":
        return admin.templates.TemplateResponse(
            "login.html", {"request": request, "error": "Invalid username or password.", "username": username}, status_code=401
        )
    request.session["user"] = {"username": username, "groups": []}
    return RedirectResponse(safe_next(request.query_params.get("next"), "/pets"), status_code=303)


@app.get("/logout")
async def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning")
