"""The client's address, read the same way by the API, the desk login and the audience."""

from django.test import RequestFactory

from sinmun.clients import client_address, environ_address


def test_without_a_proxy_header_the_peer_is_the_client(settings):
    settings.API_CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="203.0.113.9")
    assert client_address(request) == "198.51.100.7"
    assert environ_address(request.environ) == "198.51.100.7"


def test_behind_a_proxy_its_header_names_the_client(settings):
    settings.API_CLIENT_IP_HEADER = "X-Forwarded-For"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=" 203.0.113.9 , 10.0.0.2"
    )
    assert client_address(request) == "203.0.113.9"
    assert environ_address(request.environ) == "203.0.113.9"


def test_an_empty_header_falls_back_and_a_long_one_is_cut(settings):
    settings.API_CLIENT_IP_HEADER = "X-Real-IP"
    empty = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="")
    assert client_address(empty) == environ_address(empty.environ) == "198.51.100.7"
    long = RequestFactory().get("/", HTTP_X_REAL_IP="9" * 500)
    assert client_address(long) == environ_address(long.environ) == "9" * 64
