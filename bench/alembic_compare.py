#!/usr/bin/python3
"""W3 for Alembic: what `alembic check` runs, compare_metadata(), on a database.

    alembic_compare.py URL MODELS.py

MODELS.py defines `metadata` (bench/gen.py w3 writes it). Retort's and Alembic's
version tables are left out, as Retort leaves them out. Prints one line per
difference; exit 0 when there is none, 3 otherwise (as `retort check`).
"""
import importlib.util
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

VERSION_TABLES = {"alembic_version", "retort_version", "retort_version_history"}


def include_name(name, type_, parent_names):
    return not (type_ == "table" and name in VERSION_TABLES)


def main():
    url, models_path = sys.argv[1], sys.argv[2]
    spec = importlib.util.spec_from_file_location("bench_models", models_path)
    models = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(models)
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name})
        diffs = compare_metadata(context, models.metadata)
    for d in diffs:
        print(d)
    return 3 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
