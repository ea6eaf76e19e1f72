from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"

    def ready(self) -> None:
        from django.conf import settings

        from national.gateway import CHANNEL, national_gateway
        from outbox.channels import register

        register(
            CHANNEL,
            national_gateway,
            label="Cơ sở dữ liệu quốc gia về khiếu nại, tố cáo",
            concurrency=settings.NATIONAL_CONCURRENCY,
        )
