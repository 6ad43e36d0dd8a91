"""PostgreSQL connection options come from the environment, for the primary and the replica
alike; what DATABASE_URL itself sets wins; SQLite is left alone."""

from newsroom.settings import postgres_options

POSTGRES = "django.db.backends.postgresql"


def test_postgres_connections_get_planner_settings_and_prepared_statements(monkeypatch):
    monkeypatch.delenv("DATABASE_PG_OPTIONS", raising=False)
    monkeypatch.delenv("DATABASE_SERVER_SIDE_BINDING", raising=False)
    database = {"ENGINE": POSTGRES, "OPTIONS": {"options": "-c statement_timeout=5000"}}

    postgres_options(database)

    options = database["OPTIONS"]
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    assert options["options"] == "-c jit=off -c random_page_cost=1.1 -c statement_timeout=5000"


def test_both_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("DATABASE_PG_OPTIONS", "")
    monkeypatch.setenv("DATABASE_SERVER_SIDE_BINDING", "0")
    database = {"ENGINE": POSTGRES}

    postgres_options(database)

    assert database["OPTIONS"] == {"options": ""}


def test_sqlite_is_left_alone():
    database = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"init_command": "x"}}
    postgres_options(database)
    assert database["OPTIONS"] == {"init_command": "x"}
