"""An email as plain data: checked and rendered at the call, carried as JSON, rebuilt to be sent."""

from __future__ import annotations

import base64
import mimetypes
import os
from collections.abc import Iterable, Mapping
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Union

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.validators import validate_email
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.html import strip_tags

#: One attachment: a path, an open file (or Django File), or (filename, content[, mimetype]).
Attachment = Union[os.PathLike, Any, tuple]
Addresses = Union[str, Iterable[str]]

INVALID_ADDRESS = "{field}: {address!r} is not a valid email address"
NO_RECIPIENT = "no recipient: give at least one address in to, cc or bcc"
MULTILINE = "{field}: must be one line (it is a mail header)"
NO_TEMPLATE = "template {name!r}: neither {name}.txt nor {name}.html was found"
BAD_ATTACHMENT = (
    "attachment {index}: expected a path, an open file or a (filename, content[, mimetype]) tuple, "
    "got {kind}"
)


class InvalidEmail(ValueError):
    """An email that cannot be sent as asked: a bad address, no recipient, a header on two lines."""


def _addresses(field: str, value: Addresses | None) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    for address in items:
        _check_address(field, address)
    return items


def _check_address(field: str, address: Any) -> None:
    # "Ann <ann@example.com>" is an address too: its mailbox part is what is checked.
    if not isinstance(address, str) or "\n" in address or "\r" in address:
        raise InvalidEmail(INVALID_ADDRESS.format(field=field, address=address))
    try:
        validate_email(parseaddr(address)[1])
    except ValidationError:
        raise InvalidEmail(INVALID_ADDRESS.format(field=field, address=address)) from None


def _one_line(field: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise InvalidEmail(MULTILINE.format(field=field))
    return value


def _render(name: str, context: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    rendered = []
    for extension in ("txt", "html"):
        try:
            rendered.append(render_to_string(f"{name}.{extension}", dict(context or {})))
        except TemplateDoesNotExist:
            rendered.append(None)
    if rendered == [None, None]:
        raise TemplateDoesNotExist(NO_TEMPLATE.format(name=name))
    return rendered[0], rendered[1]


def _attachment(index: int, item: Attachment) -> dict[str, str]:
    mimetype = None
    if isinstance(item, tuple) and len(item) in (2, 3):
        filename, content, *rest = item
        mimetype = rest[0] if rest else None
    elif isinstance(item, os.PathLike):
        path = Path(item)
        filename, content = path.name, path.read_bytes()
    elif hasattr(item, "read"):
        filename = os.path.basename(getattr(item, "name", "") or "attachment")
        content = item.read()
        mimetype = getattr(item, "content_type", None)
    else:
        raise InvalidEmail(BAD_ATTACHMENT.format(index=index, kind=type(item).__name__))
    if isinstance(content, str):
        content = content.encode()
    mimetype = mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}


def compose(
    *,
    to: Addresses | None = None,
    subject: str,
    body: str | None = None,
    html: str | None = None,
    template: str | None = None,
    context: Mapping[str, Any] | None = None,
    cc: Addresses | None = None,
    bcc: Addresses | None = None,
    reply_to: Addresses | None = None,
    from_email: str | None = None,
    attachments: Iterable[Attachment] = (),
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Check and render an email into a JSON-serializable dict; raise InvalidEmail on bad input.

    `template` names templates without their extension: `NAME.txt` gives the
    text body and `NAME.html` the HTML alternative, rendered with `context`;
    `body` and `html` given explicitly win. With only HTML, the text body is
    the HTML without its tags.
    """
    if template is not None:
        text, markup = _render(template, context)
        body = body if body is not None else text
        html = html if html is not None else markup
    if body is None:
        body = strip_tags(html) if html is not None else ""
    message = {
        "subject": _one_line("subject", subject),
        "body": body,
        "html": html,
        "from_email": (_addresses("from_email", from_email or settings.DEFAULT_FROM_EMAIL) or [""])[0],
        "to": _addresses("to", to),
        "cc": _addresses("cc", cc),
        "bcc": _addresses("bcc", bcc),
        "reply_to": _addresses("reply_to", reply_to),
        "headers": {_one_line("headers", str(k)): _one_line(f"headers[{k!r}]", str(v)) for k, v in (headers or {}).items()},
        "attachments": [_attachment(index, item) for index, item in enumerate(attachments)],
    }
    if not (message["to"] or message["cc"] or message["bcc"]):
        raise InvalidEmail(NO_RECIPIENT)
    # The id is fixed here, so that the caller, the task and its logs all name the same message.
    message_id = next((v for k, v in message["headers"].items() if k.lower() == "message-id"), None)
    if message_id is None:
        message_id = make_msgid()
        message["headers"]["Message-ID"] = message_id
    message["message_id"] = message_id
    return message


def to_django(message: Mapping[str, Any]) -> EmailMultiAlternatives:
    """The Django email a `compose()` dict describes."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
    )
    if message["html"] is not None:
        email.attach_alternative(message["html"], "text/html")
    for attachment in message["attachments"]:
        email.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return email
