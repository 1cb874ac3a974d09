"""A small app for the browser tests of actions: 30 articles on pages of 10 with a
reference bulk action (`{count}` in its confirm), a starlette-admin batch action with a
form in its dialog, a row action and a link row action; a second view of the same rows
shows its row actions as a dropdown. `python tests/e2e/actions_app.py --port N --db PATH`
(AUTH_DISABLED=1: every request is the dev user)."""

from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session

from fasthx_ui.crud import ActionFailed, Admin, Base, CRUDView, action, get_db, init_db, link_row_action, row_action
from fasthx_ui.crud import toast_response

from app_main import run_app

NOTE_FORM = ('<form><label class="form-label mt-3" for="note">Note</label>'  # wrapped as starlette-admin writes it
             '<input type="text" class="form-control" id="note" name="note">'
             '<label class="form-label mt-2" for="level">Level</label>'
             '<select class="form-select" id="level" name="level"><option>low</option><option>high</option></select></form>')


class Article(Base):
    __tablename__ = "e2e_articles"
    id = Column(Integer, primary_key=True)
    title = Column(String(100), nullable=False)
    status = Column(String(20), nullable=False, default="draft")
    note = Column(String(100))

    __admin_name__ = "Articles"


class ArticleView(CRUDView):
    model = Article
    name = "articles"
    page_size = 10
    column_list = ["id", "title", "status", "note"]
    column_filters = ["status"]
    multi_row_select_all_pages = True
    multi_row_actions = [{"label": "Archive Selected", "icon": "archive", "hx_post": "/articles/bulk-archive",
                          "confirm": "Archive {count} articles?"}]
    actions = ["publish", "delete"]
    row_actions = ["view", "edit", "source", "flag", "delete"]

    @CRUDView.endpoint("/{name}/bulk-archive", methods=["POST"], permission="edit")
    async def bulk_archive(self, request: Request, db: Session = Depends(get_db)):
        ids = self.parse_ids((await request.form()).getlist("ids"))
        for article in db.scalars(select(Article).where(Article.id.in_(ids))):
            article.status = "archived"
        db.commit()
        return toast_response(f"Archived {len(ids)} articles", type="success")

    @action("publish", "Publish with a note", confirmation="Publish {count} articles?", submit_btn_text="Publish",
            submit_btn_class="btn-success", form=NOTE_FORM, icon_class="send")
    async def publish_action(self, request: Request, pks):
        data = await request.form()
        if not data.get("note"):
            raise ActionFailed("Write a note first.")
        for article in request.state.session.scalars(select(Article).where(Article.id.in_(pks))):
            article.status, article.note = "published", f"{data['note']} ({data.get('level')})"
        return f"Published {len(pks)} articles"

    @row_action("flag", "Flag", icon_class="flag", action_btn_class="btn-outline-warning")
    def flag_row_action(self, request: Request, pk):
        request.state.session.get(Article, pk).status = "flagged"
        return "Flagged"

    @link_row_action("source", "Source", icon_class="box-arrow-up-right")
    def source_row_action(self, request: Request, pk):
        return f"/test/source/{pk}"


class ArticleMenuView(ArticleView):
    """The same rows, each row's actions in one dropdown menu."""

    name = "article_menu"
    display_name = "Article menu"
    row_actions_display_type = "dropdown"
    multi_row_actions = []
    multi_row_select_all_pages = False


def create_app(db_path: str) -> FastAPI:
    engine = init_db(f"sqlite:///{db_path}", connect_args={"check_same_thread": False})
    Base.metadata.create_all(bind=engine)
    app = FastAPI()
    admin = Admin(app, title="Actions test")
    admin.add_view(ArticleView)
    admin.add_view(ArticleMenuView)

    @app.get("/")
    def root():
        return RedirectResponse("/articles")

    @app.post("/test/seed")
    def seed(db: Session = Depends(get_db)):
        """Start every test from the same rows: article-01 … article-30, every third published."""
        db.query(Article).delete()
        db.add_all([Article(id=i, title=f"article-{i:02d}", status="published" if i % 3 == 0 else "draft")
                    for i in range(1, 31)])
        db.commit()
        return PlainTextResponse("seeded")

    @app.get("/test/articles")
    def articles(db: Session = Depends(get_db)):
        return {a.id: [a.status, a.note] for a in db.scalars(select(Article))}

    @app.get("/test/source/{item_id}")
    def source(item_id: int):
        return PlainTextResponse(f"source of article {item_id}")

    return app


if __name__ == "__main__":
    run_app(create_app)
