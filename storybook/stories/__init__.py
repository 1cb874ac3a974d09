"""One module per component; each defines `stories = Stories(...)`."""
