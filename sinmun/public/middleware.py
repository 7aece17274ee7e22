"""Middleware of the site's request cycle that reader pages pay for on every render."""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """Django's ``MessageMiddleware``, with the message storage made when first used.

    Django's builds a cookie signer and two storages (cookie and session) on every request;
    only the desk adds or shows messages, so a reader page's render paid ~4% of its time for
    them (docs/decisions/0016). A request that never touched its messages has nothing to store.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
