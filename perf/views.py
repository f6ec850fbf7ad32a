from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def empty(request):
    """The base layout (navigation, messages, language switcher) around an empty content block.

    `manage.py bench` divides every page's time by this page's, so its figures compare across machines.
    """
    return render(request, "perf/empty.html")
