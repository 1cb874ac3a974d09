"""crud.db: init_db, get_engine, open_session and get_db on SQLite and PostgreSQL."""

import asyncio
import threading

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from starlette.requests import Request
from starlette.testclient import TestClient

from fasthx_ui.crud import db

from ..databases import KINDS, database_settings


NO_ROUTE = Request({"type": "http", "app": FastAPI()})
"""A request of an app without dependency overrides."""


class Model(DeclarativeBase):
    pass


class Owner(Model):
    __tablename__ = "owners"
    id: Mapped[int] = mapped_column(primary_key=True)


class Pet(Model):
    __tablename__ = "pets"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owners.id"))


@pytest.fixture
def fresh_db(monkeypatch):
    """crud.db as before any init_db; engines made during the test are disposed."""
    monkeypatch.setattr(db, "_engine", None)
    monkeypatch.setattr(db, "_sessions", None)
    monkeypatch.setattr(db, "_read_sessions", None)
    yield
    if db._engine is not None:
        db._engine.dispose()


@pytest.fixture(params=KINDS)
def engine(request, tmp_path, fresh_db):
    with database_settings(request.param, tmp_path) as (url, kwargs):
        engine = db.init_db(url, **kwargs)
        Model.metadata.create_all(engine)
        yield engine
        engine.dispose()


def test_before_init_db_engine_and_sessions_raise(fresh_db):
    with pytest.raises(RuntimeError, match="init_db"):
        db.get_engine()
    with pytest.raises(RuntimeError, match="init_db"):
        db.open_session()
    with pytest.raises(RuntimeError, match="init_db"):
        next(db.get_db())


def test_init_db_returns_the_engine_and_passes_kwargs(tmp_path, fresh_db):
    engine = db.init_db(f"sqlite:///{tmp_path / 'a.db'}", connect_args={"check_same_thread": False}, echo=True)
    assert db.get_engine() is engine
    assert engine.echo is True
    with db.open_session() as session:
        assert session.get_bind() is engine


def test_a_bad_foreign_key_is_refused(engine):
    with db.open_session() as session:
        session.add(Pet(id=1, owner_id=999))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()


def test_a_good_foreign_key_is_stored(engine):
    with db.open_session() as session:
        session.add_all([Owner(id=1), Pet(id=1, owner_id=1)])
        session.commit()
    with db.open_session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Pet)) == 1


def test_get_db_closes_the_session_even_on_error(engine):
    dependency = db.get_db()
    session = next(dependency)
    session.execute(sa.text("SELECT 1"))
    assert engine.pool.checkedout() == 1
    with pytest.raises(ValueError):
        dependency.throw(ValueError("the route failed"))
    assert engine.pool.checkedout() == 0


def test_get_db_as_a_fastapi_dependency(engine):
    app = FastAPI()

    @app.get("/pets")
    def pets(session: Session = Depends(db.get_db)):
        session.add(Owner(id=7))
        session.flush()
        return {"owners": session.scalar(sa.select(sa.func.count()).select_from(Owner))}

    @app.get("/boom")
    def boom(session: Session = Depends(db.get_db)):
        session.add(Owner(id=8))
        session.flush()
        raise RuntimeError("boom")

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/pets").json() == {"owners": 1}
    assert client.get("/boom").status_code == 500
    assert engine.pool.checkedout() == 0
    with db.open_session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Owner)) == 0, "nothing committed"


def test_base_is_a_declarative_base():
    assert issubclass(db.Base, DeclarativeBase)
    assert isinstance(db.Base.metadata, sa.MetaData)


def test_a_server_database_pool_keeps_ten_connections_unless_told(fresh_db):
    with database_settings("postgresql", None) as (url, kwargs):
        assert db.init_db(url, **kwargs).pool.size() == db.POOL_SIZE == 10
        db._engine.dispose()
        assert db.init_db(url, pool_size=3, **kwargs).pool.size() == 3


def test_a_sqlite_file_pool_keeps_ten_connections_too(tmp_path, fresh_db):
    engine = db.init_db(f"sqlite:///{tmp_path / 'pool.db'}")
    assert isinstance(engine.pool, sa.pool.QueuePool) and engine.pool.size() == db.POOL_SIZE
    engine.dispose()
    assert db.init_db("sqlite://", poolclass=sa.pool.StaticPool).pool.__class__ is sa.pool.StaticPool


def test_with_session_runs_in_a_worker_thread_and_closes_the_session(engine):
    main = threading.get_ident()

    def work(session: Session) -> tuple[int, int, int]:
        owners = session.scalar(sa.select(sa.func.count()).select_from(Owner))
        return threading.get_ident(), engine.pool.checkedout(), owners

    thread, checked_out, owners = asyncio.run(db.with_session(NO_ROUTE, work))
    assert thread != main and checked_out == 1 and owners == 0
    assert engine.pool.checkedout() == 0


def test_with_session_refuses_to_write_and_nothing_is_stored(engine):
    def work(session: Session) -> None:
        session.add(Owner(id=5))
        session.flush()

    with pytest.raises(RuntimeError, match="does not write"):
        asyncio.run(db.with_session(NO_ROUTE, work))
    with db.open_session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Owner)) == 0, "nothing stored"


def test_on_postgresql_reads_run_in_autocommit_and_writes_in_a_transaction(fresh_db):
    """A read is one round trip (no BEGIN, no ROLLBACK, which would also drop psycopg's
    prepared statements); get_db's sessions keep their transaction, on the same pool."""
    with database_settings("postgresql", None) as (url, kwargs):
        engine = db.init_db(url, **kwargs)
        seen: list[tuple[str, bool]] = []
        sa.event.listen(engine, "before_cursor_execute",
                        lambda conn, _c, sql, *_: seen.append((sql, conn.connection.dbapi_connection.autocommit)))

        def read(session: Session) -> None:
            for _ in range(7):  # psycopg prepares a statement on its sixth execution
                session.execute(sa.text("SELECT 1 WHERE 1 = :one"), {"one": 1})
            return session.connection().connection.dbapi_connection

        raw = asyncio.run(db.with_session(NO_ROUTE, read))
        assert raw._prepared._names, "prepared after the ROLLBACK-free reads"
        for session in db.get_db():
            session.execute(sa.text("SELECT 2"))
            assert session.connection().connection.dbapi_connection.autocommit is False
        assert seen == [("SELECT 1 WHERE 1 = %(one)s", True)] * 7 + [("SELECT 2", False)]
        assert engine.pool.checkedout() == 0


def test_with_session_closes_the_session_when_the_work_fails(engine):
    def work(session: Session) -> None:
        session.execute(sa.text("SELECT 1"))
        raise ValueError("the page failed")

    with pytest.raises(ValueError, match="the page failed"):
        asyncio.run(db.with_session(NO_ROUTE, work))
    assert engine.pool.checkedout() == 0


def overriding_request(override) -> Request:
    app = FastAPI()
    app.dependency_overrides[db.get_db] = override
    return Request({"type": "http", "app": app})


def test_with_session_uses_a_generator_override_of_get_db_in_the_same_worker_thread(engine):
    calls = []

    def override():
        session = db.open_session()
        session.info["overridden"] = True
        calls.append(("open", threading.get_ident()))
        try:
            yield session
        except ValueError:
            calls.append(("saw the error", threading.get_ident()))
            raise
        finally:
            session.close()

    def work(session: Session) -> bool:
        calls.append(("work", threading.get_ident()))
        return session.info.get("overridden", False)

    assert asyncio.run(db.with_session(overriding_request(override), work)) is True
    assert calls[0][0] == "open" and calls[1][0] == "work" and calls[0][1] == calls[1][1] != threading.get_ident()

    def failing(session: Session) -> None:
        raise ValueError("the page failed")

    with pytest.raises(ValueError, match="the page failed"):
        asyncio.run(db.with_session(overriding_request(override), failing))
    assert calls[-1][0] == "saw the error"
    assert engine.pool.checkedout() == 0


def test_with_session_uses_async_and_plain_overrides_of_get_db(engine):
    async def async_generator():
        with db.open_session() as session:
            session.info["kind"] = "async generator"
            yield session

    async def coroutine():
        session = db.open_session()
        session.info["kind"] = "coroutine"
        return session

    def plain():
        session = db.open_session()
        session.info["kind"] = "function"
        return session

    for override in (async_generator, coroutine, plain):
        found = asyncio.run(db.with_session(overriding_request(override), lambda session: session.info["kind"]))
        assert found == override.__name__.replace("_", " ").replace("plain", "function")


def test_an_override_of_get_db_that_needs_arguments_is_refused_by_name(engine):
    def needs(token: str):
        yield db.open_session()

    with pytest.raises(TypeError, match="without arguments"):
        asyncio.run(db.with_session(overriding_request(needs), lambda session: None))
