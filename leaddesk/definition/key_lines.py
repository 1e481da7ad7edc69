"""Point a problem at the line of the definition file it is about.

tomllib gives no positions for keys, so this scans the (already valid) TOML text once and
records the line where each key path starts: table headers, ``key =`` lines, keys inside
inline tables and the elements of arrays. Paths look like ``rules[3].when.fit`` (0-based).
"""

from __future__ import annotations

_BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def line_for(path: str, lines: dict[str, int]) -> int | None:
    """The line of the longest known prefix of ``path``: a missing key points at its table."""
    probe = path
    while probe:
        if probe in lines:
            return lines[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[str, int] = {}
        # How many [[x]] headers each resolved array path has seen, to index them.
        self.table_arrays: dict[str, int] = {}

    # -- low level -------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text):
                if self.text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.peek()
            if char in " \t\r" or (newlines and char == "\n"):
                self.advance()
            elif char == "#":
                while self.pos < len(self.text) and self.peek() != "\n":
                    self.advance()
            else:
                return

    def record(self, path: str) -> None:
        self.lines.setdefault(path, self.line)

    # -- pieces ----------------------------------------------------------------------------

    def string(self) -> str:
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.advance(3)
            end = self.text.find(quote * 3, self.pos)
            end = len(self.text) if end < 0 else end
            # A multi-line string may end with up to two extra quotes before the closer.
            while self.text.startswith(quote, end + 3):
                end += 1
            value = self.text[self.pos : end]
            self.advance(end + 3 - self.pos)
            return value
        self.advance()
        chars: list[str] = []
        while self.pos < len(self.text) and self.peek() != quote:
            if quote == '"' and self.peek() == "\\":
                chars.append(self.peek(1))
                self.advance(2)
                continue
            chars.append(self.peek())
            self.advance()
        self.advance()
        return "".join(chars)

    def key(self) -> list[str]:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            if self.peek() in "\"'":
                parts.append(self.string())
            else:
                start = self.pos
                while self.peek() in _BARE and self.peek():
                    self.advance()
                parts.append(self.text[start : self.pos])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: str) -> None:
        self.skip_blank(newlines=False)
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            while self.peek() and self.peek() not in ",]}\n#":
                self.advance()

    def array(self, path: str) -> None:
        self.advance()
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("]", ""):
                self.advance()
                return
            if self.peek() == ",":
                self.advance()
                index += 1
                continue
            item = f"{path}[{index}]"
            self.record(item)
            self.value(item)

    def inline_table(self, path: str) -> None:
        self.advance()
        while True:
            self.skip_blank(newlines=True)
            if self.peek() in ("}", ""):
                self.advance()
                return
            if self.peek() == ",":
                self.advance()
                continue
            self.key_value(path)

    def key_value(self, table: str) -> None:
        path = table
        for part in self.key():
            path = join(path, part)
            self.record(path)
        self.skip_blank(newlines=False)
        if self.peek() == "=":
            self.advance()
        self.value(path)

    def resolve(self, parts: list[str]) -> str:
        """Turn a header's dotted key into a path, indexing arrays of tables at their last item."""
        path = ""
        for part in parts:
            path = join(path, part)
            self.record(path)
            if path in self.table_arrays:
                path = f"{path}[{self.table_arrays[path] - 1}]"
        return path

    def header(self) -> str:
        double = self.peek(1) == "["
        self.advance(2 if double else 1)
        parts = self.key()
        self.advance(2 if double else 1)
        if double:
            base = self.resolve(parts[:-1])
            array = join(base, parts[-1])
            index = self.table_arrays.get(array, 0)
            self.table_arrays[array] = index + 1
            self.record(array)
            path = f"{array}[{index}]"
        else:
            path = self.resolve(parts)
        self.record(path)
        return path

    def scan(self) -> dict[str, int]:
        table = ""
        while True:
            self.skip_blank(newlines=True)
            if not self.peek():
                return self.lines
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)


def key_lines(text: str) -> dict[str, int]:
    """Map every key path in ``text`` to the 1-based line where it first appears."""
    try:
        return _Scanner(text).scan()
    except (IndexError, ValueError):  # pragma: no cover - the text already parsed as TOML
        return {}
