from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"

    def ready(self) -> None:
        from national.gateway import CHANNEL, national_gateway
        from outbox.channels import register

        register(CHANNEL, national_gateway, label="Cơ sở dữ liệu quốc gia về khiếu nại, tố cáo")
