"""The parser every `los` command is read with: it refuses in one line, refuses an option that keeps one
value given twice, and knows how the command given spells each field, for messages."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any

from los_tui.cli.context import UsageError
from los_tui.domain.errors import show_value

# Fields that deep-down code names otherwise than the option that gives them: each with the destination
# that, where the command has it, gives it ("action" is an action's text: --text in `los action add`).
FIELD_DESTINATIONS = {
    "action": "text",
    "database role": "database_role",
    "diary": "db",
    "restore": "file",
}

# Options whose values are private (a note, an action, the words searched for): a message gives their
# length, never the text, as check_text does; messages end up in scrollback and bug reports.
PRIVATE_TEXT = frozenset({"note", "questions", "difference", "answer", "text"})


def shown_in_message(dest: str, value: str) -> str:
    """`value`, given to the option `dest`, as a message may show it."""
    return f"<{len(value)} characters>" if dest in PRIVATE_TEXT else value


class LosParser(argparse.ArgumentParser):
    """Refuses as `los` does (a UsageError, said by main()); and after reading a command line, knows
    what each of its options was given and which command was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in ONCE_ACTIONS.items():
            self.register("action", name, kind)
        self.register("action", "parsers", _Commands)
        self.given: dict[argparse.Action, list[tuple[str, Any]]] = {}
        self.command: LosParser | None = None

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("los").strip()  # "los: error: agenda: ...", not "los ... los"
        raise UsageError(message, command or None)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.given, self.command = {}, None
        read = super().parse_known_args(args, namespace)
        refuse_repeated(self.given)
        return read

    def field_names(self) -> Callable[[str], str]:
        """How the command line just read says each field: an option as the user typed it (its longest
        form if not typed), a positional by its name in the usage line; for the options before the
        command and the command's own. A field that is none of them is said as it is."""
        names: dict[str, str] = {}
        parser: LosParser | None = self
        while parser is not None:
            for action in parser._actions:
                if action.dest == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
                    continue
                typed = [spelling for spelling, _ in parser.given.get(action, [])]
                shown = typed[-1] if typed else max(action.option_strings, key=len, default="")
                if not shown:  # a positional: its usage name (FILE), unless that is a shape (N[,N...])
                    named = isinstance(action.metavar, str) and action.metavar.isidentifier()
                    shown = str(action.metavar) if named else action.dest
                long_names = [o.lstrip("-").replace("-", "_") for o in action.option_strings if o[:2] == "--"]
                names.update(dict.fromkeys([action.dest, *long_names], shown))
            parser = parser.command
        for field, dest in FIELD_DESTINATIONS.items():
            if dest in names:
                names.setdefault(field, names[dest])
        return lambda field: names.get(field, field)


def refuse_repeated(given: dict[argparse.Action, list[tuple[str, Any]]]) -> None:
    """An option that keeps one value, given more than once, is refused: keeping the last would be a guess
    at which the user meant."""
    for action, uses in given.items():
        if len(uses) > 1:
            option = "/".join(dict.fromkeys(spelling for spelling, _ in uses))
            times = "twice" if len(uses) == 2 else f"{len(uses)} times"
            values = [shown_in_message(action.dest, value) for _, value in uses if isinstance(value, str)]
            shown = f" ({', '.join(show_value(value) for value in values)})" if values else ""
            raise UsageError(f"{option} given {times}{shown}: give it once")


class _Once(argparse.Action):
    """Notes each use of an option that keeps one value, for its parser to refuse a second."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        # A positional is read once; an option taking several values at a time (nargs) keeps its own rule.
        one_value = self.nargs in (None, 0, argparse.OPTIONAL)
        if option_string is not None and one_value and isinstance(parser, LosParser):
            parser.given.setdefault(self, []).append((option_string, values))
        super().__call__(parser, namespace, values, option_string)


class _OnceStore(_Once, argparse._StoreAction):
    pass


class _OnceStoreConst(_Once, argparse._StoreConstAction):
    pass


class _OnceStoreTrue(_Once, argparse._StoreTrueAction):
    pass


class _OnceStoreFalse(_Once, argparse._StoreFalseAction):
    pass


# argparse's actions that keep one value, by the names add_argument knows them by (None: the default).
# "append", "extend" and "count" are meant to be given again, and stay argparse's own.
ONCE_ACTIONS: dict[str | None, type[argparse.Action]] = {
    None: _OnceStore,
    "store": _OnceStore,
    "store_const": _OnceStoreConst,
    "store_true": _OnceStoreTrue,
    "store_false": _OnceStoreFalse,
}


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Notes which command was chosen, so its options name the fields in messages."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        chosen = self._name_parser_map.get(values[0]) if isinstance(values, list) and values else None
        if isinstance(parser, LosParser) and isinstance(chosen, LosParser):
            parser.command = chosen
        super().__call__(parser, namespace, values, option_string)
