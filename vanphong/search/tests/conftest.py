from vanphong.incoming.tests.conftest import office  # noqa: F401
