"""Store and service tests: real SQLite files, the migration chain, the use cases the CLI and the screens
share. Marked `store`; the `diary` fixture lives in tests/conftest.py."""
