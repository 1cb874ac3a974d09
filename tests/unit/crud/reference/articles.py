"""The starlette-admin actions page's ArticleView (batch actions, row actions, link row
actions, the list's display type) as one CRUDView, imports changed, in an app of its own.

The page lost some lines of its examples in extraction; they are filled in from
starlette-admin's documented signatures: each decorator's `name=`, the batch action's
`submit_btn_class` and `form` (a `<form>` around its fields, as starlette-admin writes
it), `custom_response=True` on the redirect, and the row action's form. Its `if ...:`
stands for "the input is refused": here, an empty or "no" value. starlette-admin's
`ModelView(Article)` is `model = Article` on a CRUDView.
"""

import os
from typing import Any, List

from fastapi import FastAPI, Request
from starlette.datastructures import FormData
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response

from fasthx_ui.crud import ActionFailed, Admin, CRUDView, RowActionsDisplayType, action, link_row_action, row_action

from .models import Article

VALUE_FORM = """
<form>
    <div class="mt-3">
        <input type="text" class="form-control" name="example-text-input" placeholder="Enter value">
    </div>
</form>
"""


def refused(user_input):
    return not user_input or user_input == "no"


class ArticleView(CRUDView):
    model = Article
    actions = ["make_published", "redirect", "delete"]  # `delete` function is added by default
    row_actions = ["view", "edit", "go_to_example", "make_published",
                   "delete"]  # edit, view and delete are provided by default
    row_actions_display_type = RowActionsDisplayType.ICON_LIST  # RowActionsDisplayType.DROPDOWN

    @action(
        name="make_published",
        text="Mark selected articles as published",
        confirmation="Are you sure you want to mark selected articles as published ?",
        submit_btn_text="Yes, proceed",
        submit_btn_class="btn-success",
        form=VALUE_FORM,
    )
    async def make_published_action(self, request: Request, pks: List[Any]) -> str:
        # Write your logic here

        data: FormData = await request.form()
        user_input = data.get("example-text-input")

        if refused(user_input):
            # Display meaningfully error
            raise ActionFailed("Sorry, We can't proceed this action now.")
        session = request.state.session
        for pk in pks:
            session.get(Article, pk).status = "published"
        # Display successfully message
        return "{} articles were successfully marked as published".format(len(pks))

    # For custom response
    @action(
        name="redirect",
        text="Redirect",
        custom_response=True,
        confirmation="Fill the form",
        form="""
        <form>
            <div class="mt-3">
                <input type="text" class="form-control" name="value" placeholder="Enter value">
            </div>
        </form>
        """,
    )
    async def redirect_action(self, request: Request, pks: List[Any]) -> Response:
        data = await request.form()
        return RedirectResponse(f"{data['value']}")

    @row_action(
        name="make_published",
        text="Mark as published",
        confirmation="Are you sure you want to mark this article as published ?",
        icon_class="fas fa-check-circle",
        submit_btn_text="Yes, proceed",
        submit_btn_class="btn-success",
        action_btn_class="btn-info",
        form=VALUE_FORM,
    )
    async def make_published_row_action(self, request: Request, pk: Any) -> str:
        # Write your logic here

        data: FormData = await request.form()
        user_input = data.get("example-text-input")

        if refused(user_input):
            # Display meaningfully error
            raise ActionFailed("Sorry, We can't proceed this action now.")
        request.state.session.get(Article, pk).status = "published"
        # Display successfully message
        return "The article was successfully marked as published"

    @link_row_action(
        name="go_to_example",
        text="Go to",
        icon_class="fas fa-arrow-up-right-from-square",
    )
    def go_to_example_row_action(self, request: Request, pk: Any) -> str:
        return f"{pk}"


class ArticleMenuView(ArticleView):
    """The List rendering section's other display type."""

    name = "article_menu"
    row_actions_display_type = RowActionsDisplayType.DROPDOWN


app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ.get("SESSION_SECRET", "change-me"))


@app.get("/test-login")
async def test_login(request: Request, username: str = "dev"):
    """Sign in for the tests (the reference's login is in app.py)."""
    request.session["user"] = {"username": username, "groups": []}
    return {"ok": True}


admin = Admin(app)
admin.add_view(ArticleView)
admin.add_view(ArticleMenuView)
