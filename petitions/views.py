from django.http import HttpRequest, HttpResponse


def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


intake = reception = session_detail = rules = inbox


def detail(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse("")


advice = detail


def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    return HttpResponse("")
