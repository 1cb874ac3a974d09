"""fasthx_ui's CRUD preset serving the benchmark tables (see reference_app)."""

from fasthx_ui.crud import Admin, Base, CRUDView, init_db

from reference_app import build

app = build(Admin, CRUDView, Base, init_db)
