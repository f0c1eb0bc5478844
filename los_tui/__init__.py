"""los-tui: a terminal line-of-sight diary for Lead Members and Directors of Children's Services."""

__version__ = "0.1.0"
