"""Where the diary lives and the user's settings (TOML), resolved once at the edge of the program."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from los_tui.domain.model import DEFAULT_TZ
from los_tui.domain.parsing import InputError, check_year

if TYPE_CHECKING:
    from los_tui.db.paths import DiaryLocation

APP_NAME = "los-tui"
DB_FILE = "diary.sqlite3"
MAX_SHORT_NAME = 20
MAX_CONFIG_BYTES = 1024 * 1024  # a settings file is a few lines; more is not a config file


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class Config:
    tz: str = DEFAULT_TZ
    db: str | None = None
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, for Textual's keymap
    short_names: dict[str, str] = field(default_factory=dict)  # commitment slug -> name in month cells


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file is the defaults, a broken one an InputError naming it."""
    from los_tui.db.files import read_regular_file

    path = path or config_file()
    if not path.exists():
        return Config()
    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES, "config").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("config", str(path), f"is not UTF-8 text (byte {exc.start + 1})") from None
    import tomllib  # only when there is a file to read: most runs have none

    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("config", str(path), f"is not valid TOML ({exc})") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise InputError("config", str(path), "is nested too deeply to be a settings file") from None
    tz = data.get("timezone", DEFAULT_TZ)
    if not isinstance(tz, str):
        raise InputError("config timezone", tz, "must be a time zone name such as Europe/London")
    check_timezone(tz)
    db = data.get("db")
    if db is not None and not isinstance(db, str):
        raise InputError("config db", db, "must be a file path or a postgresql:// URL")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise InputError("config keys", keys, 'must be a table of binding id = "key,key"')
    short_names = data.get("short_names", {})
    if not isinstance(short_names, dict) or not all(
        isinstance(v, str) and 0 < len(v.strip()) <= MAX_SHORT_NAME for v in short_names.values()
    ):
        raise InputError(
            "config short_names",
            short_names,
            f'must be a table of slug = "name" (1 to {MAX_SHORT_NAME} characters)',
        )
    return Config(tz=tz, db=db, keys=dict(keys), short_names={k: v.strip() for k, v in short_names.items()})


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("timezone", name, "is not a known time zone (e.g. Europe/London)") from None
    return name


def resolve_db_path(
    option: str | None, config: Config, environ: Mapping[str, str] = os.environ
) -> DiaryLocation:
    """--db, then $LOS_DB, then the config file, then the platform's user data directory.

    A `postgresql://` URL (libpq's form) puts the diary on a server; any other URL is refused, since it
    would otherwise be taken as a file name and make a folder called `sqlite:`.
    """
    from los_tui.db.paths import ServerDiary, is_server_url, looks_like_url, redact

    if option is not None and not option.strip():
        raise InputError("diary", option, "must not be empty; give a file name")
    for source, chosen in (("diary", option), ("LOS_DB", environ.get("LOS_DB")), ("config db", config.db)):
        if chosen:
            if is_server_url(chosen):
                check_server_url(source, chosen)
                return ServerDiary(chosen)
            if looks_like_url(chosen):
                raise InputError(
                    source, redact(chosen), "is a URL; give a diary file's path or a postgresql:// URL"
                )
            # Absolute, so SQLite never reads a name such as `file:diary#1.sqlite3` as a URI.
            return Path(chosen).expanduser().absolute()
    return data_dir() / DB_FILE


def check_server_url(source: str, url: str) -> None:
    """Refuse a server URL libpq cannot read, or a diary on a server without the driver installed, in
    one line that never shows the URL's password."""
    from los_tui.db.paths import libpq_url, redact

    try:
        from psycopg2.extensions import parse_dsn
    except ImportError:
        raise InputError(
            source, redact(url), "is a PostgreSQL diary, which needs los-tui's `postgres` extra installed"
        ) from None
    try:
        parse_dsn(libpq_url(url))
    except Exception:  # libpq's message may quote the URL, password and all
        raise InputError(source, redact(url), "is not a PostgreSQL URL libpq can read") from None


def current_time(tz: str, environ: Mapping[str, str] = os.environ) -> datetime:
    """Now, where the user lives. $LOS_NOW (ISO date-time) pins it for demos and reproducible runs."""
    pinned = environ.get("LOS_NOW")
    zone = ZoneInfo(tz)
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
        except ValueError:
            raise InputError("LOS_NOW", pinned, "is not an ISO date-time such as 2026-07-14T09:00") from None
        check_year("LOS_NOW", pinned, moment.date())
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    return datetime.now(zone)
