from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        from petitions.identity import identity_holder
        from vault.sources import add_identity_finder

        # The vault opens a petition's petitioners through this (it imports no petitions).
        add_identity_finder(identity_holder)
