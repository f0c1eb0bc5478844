"""What makes a file our diary, kept free of SQLAlchemy so a first look at the file can check it."""

# Written into the SQLite header (PRAGMA application_id) so we never mistake another file for ours.
APPLICATION_ID = 0x4C6F5354  # "LoST"

# The newest revision in db/migrations/versions; a test checks it against Alembic's own head, so that
# start-up can compare one string instead of importing Alembic on every run.
HEAD_REVISION = "0006"

# The domain of every series UID the diary makes (db.writer.new_uid), so a calendar event carrying one is
# known for what it is wherever it turns up: a meeting los exported, not one anybody went to.
SERIES_UID_DOMAIN = "@los-tui"
