"""The fasthx_ui storybook: every component in isolation, story by story."""
