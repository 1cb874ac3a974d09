"""The reference's (fasthx-admin 0.5.39) examples as one app, only their imports changed
to fasthx_ui.crud: models.py, views.py, edges.py and app.py (pages, sign-in, links)."""
