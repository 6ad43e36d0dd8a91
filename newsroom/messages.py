"""Django's message middleware, with the message storage made only when something uses it.

Editors see messages in the admin ("The story was published"); readers' pages never show
any. Django's middleware builds the storage (the cookie and session backends, a signer for
the cookie) on every request and saves it on every response: a tenth of what the cheapest
page costs. Here the storage is made the first time a view, template or the admin touches
``request._messages``, and a response whose request never did is left as it is.
"""

from __future__ import annotations

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # nothing read or added: nothing to store
        return super().process_response(request, response)
