"""The reference's examples (tests/unit/crud/reference/, only their imports changed) run on
fasthx_ui.crud, one module per section of the reference: every route of that app answers as
the reference documents it."""
