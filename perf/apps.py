from django.apps import AppConfig


class PerfConfig(AppConfig):
    name = "perf"
    verbose_name = "Performance"

    def ready(self) -> None:
        from . import figcache

        figcache.connect()
