"""The SQL store: SQLAlchemy 2.0 rows, repositories, migrations; SQLite embedded, PostgreSQL scaled."""
