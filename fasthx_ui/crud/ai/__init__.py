"""AI assistant of the CRUD preset: tools, hooks, providers, settings, chat."""
