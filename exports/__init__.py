"""Writers that turn domain objects into files: iCalendar, CSV, Markdown and HTML. No UI, no storage."""
