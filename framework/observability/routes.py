"""The route of a request, as metrics label it: the URL pattern it matched (`/api/v1/notes/{pk}/`), never its path.

A path would make one series per note; the pattern makes one per endpoint.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.http import HttpRequest

#: The label of a request no URL pattern matched: a 404, or one answered before the URLs were
#: looked at (the HTTPS redirect, static files, a CORS preflight, a disallowed host).
UNMATCHED = "<unmatched>"

#: `<int:pk>` and `<pk>` in path() patterns.
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_label(request: HttpRequest) -> str:
    """The label of the pattern that `request` matched, or UNMATCHED."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return UNMATCHED
    return label_of(match.route)


@lru_cache(maxsize=1024)
def label_of(route: str) -> str:
    """A Django route (`api/v1/notes/(?P<pk>[^/.]+)/$`, `books/<int:pk>/`) as a path template: `/api/v1/notes/{pk}/`."""
    text = _named_groups(route)
    text = _CONVERTER.sub(r"{\1}", text)
    # Regular expressions' anchors and escapes; an optional trailing slash (DRF's `/?$`) is left out.
    text = text.replace("^", "").replace("$", "")
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"/\?$", "", text)
    return "/" + text


def _named_groups(pattern: str) -> str:
    """`(?P<name>...)`, whatever the group holds (nested groups, classes, escapes), as `{name}`."""
    out: list[str] = []
    index = 0
    while (start := pattern.find("(?P<", index)) != -1:
        out.append(pattern[index:start])
        name_end = pattern.find(">", start)
        if name_end == -1:
            break
        out.append("{" + pattern[start + 4 : name_end] + "}")
        index = _group_end(pattern, name_end + 1)
    out.append(pattern[index:])
    return "".join(out)


def _group_end(pattern: str, index: int) -> int:
    """The index just past the `)` that closes the group whose body starts at `index`."""
    depth, in_class = 1, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A `]` first in a class (after its `^`, if any) is a character of it.
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index
