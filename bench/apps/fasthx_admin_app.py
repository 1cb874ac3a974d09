"""fasthx-admin 0.6.6 serving the benchmark tables (see reference_app)."""

from fasthx_admin import Admin, Base, CRUDView, init_db

from reference_app import build

app = build(Admin, CRUDView, Base, init_db)
