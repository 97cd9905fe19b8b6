"""Rate limits key on the client's address, seen through the council's own proxies."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from coproduce.ratelimit import client_address, client_key


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    request.user = AnonymousUser()
    return request


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_residents_behind_the_councils_proxy_are_told_apart(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    one = request_from("10.0.0.1", "81.2.69.160")
    another = request_from("10.0.0.1", "81.2.69.161")

    assert client_address(one) == "81.2.69.160"
    assert client_key(one) != client_key(another)


def test_a_forged_left_part_of_the_header_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "6.6.6.6"; the council's proxy appended the real address.
    request = request_from("10.0.0.1", "6.6.6.6, 81.2.69.160")

    assert client_address(request) == "81.2.69.160"


def test_a_short_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from("10.0.0.1", "81.2.69.160")) == "10.0.0.1"
