"""The message storage is made only when used (public/middleware.py)."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.utils.functional import empty

from sinmun.public.middleware import LazyMessageMiddleware


@pytest.mark.django_db
def test_a_reader_page_makes_no_message_storage(client, newsroom):
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty
    assert "messages" not in response.cookies


def test_a_message_added_by_a_view_is_stored_for_the_next_page(rf):
    def view(request):
        messages.success(request, "저장했습니다.")
        return HttpResponse()

    request = rf.get("/desk/")
    SessionMiddleware(view).process_request(request)
    response = LazyMessageMiddleware(view)(request)
    later = rf.get("/desk/")
    later.COOKIES["messages"] = response.cookies["messages"].value
    SessionMiddleware(view).process_request(later)
    assert [str(m) for m in default_storage(later)] == ["저장했습니다."]
