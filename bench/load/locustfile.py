"""A normal day against dutdiem's API, for locust (bench/load/run.sh drives it).

Each simulated official is a commune head, a commune clerk or a province leader, with the
token made by prepare.py, and pauses 0.5-1.5 s between requests (a busy day compressed: real
officials click far less often). The mix, by weight:

    lists     35  GET /api/v1/matters (first pages, own unit; leaders a whole province)
              10  GET /api/v1/matters?state=overdue
    pages     20  GET /api/v1/petitions/<code> (petitions filed during the run)
    intake    15  POST /api/v1/petitions (clerks, with an Idempotency-Key)
    dashboard 10  GET /api/v1/reports/dashboard
               5  GET /api/v1/scorecards?parent=<unit>
               5  GET /api/v1/petitions (the unit's petitions)

Request names group the statistics: "read: ...", "intake".
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date
from pathlib import Path

from locust import FastHttpUser, between, task

TOKENS = json.loads(
    (Path(__file__).resolve().parents[2] / "var" / "load" / "tokens.json").read_text()
)
# Petitions filed during the run, by owner unit: a page is read by officials of that unit
# (anyone else would rightly get 404).
PETITIONS: dict[str, list[str]] = {}


class Official(FastHttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        roll = random.random()
        pool = "leaders" if roll < 0.15 else ("clerks" if roll < 0.65 else "heads")
        self.who = random.choice(TOKENS[pool])
        self.clerk = pool == "clerks"
        self.headers = {"Authorization": f"Bearer {self.who['token']}"}

    def get(self, path: str, name: str) -> None:
        with self.client.get(
            path, headers=self.headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")

    @task(35)
    def matters(self) -> None:
        self.get(f"/api/v1/matters?page={random.randint(1, 3)}&page_size=50", "read: matter list")

    @task(10)
    def overdue(self) -> None:
        self.get("/api/v1/matters?state=overdue&page_size=50", "read: overdue list")

    @task(20)
    def petition_page(self) -> None:
        mine = PETITIONS.get(self.who["unit"])
        if mine:
            self.get(f"/api/v1/petitions/{random.choice(mine[-200:])}", "read: petition page")
        else:
            self.matters()

    @task(15)
    def intake(self) -> None:
        if not self.clerk:
            return self.matters()
        body = {
            "kind": "proposal",
            "channel": random.choice(["in_person", "post", "online"]),
            "received_on": date.today().isoformat(),
            "area": self.who["area"],
            "category": random.choice(["land", "compensation", "environment", "policy"]),
            "summary": f"Kiến nghị tải thử {uuid.uuid4().hex[:8]}",
            "content": "Đề nghị xem xét việc sửa chữa đường giao thông liên thôn.",
            "petitioners": [
                {
                    "full_name": "Người tải thử",
                    "id_number": f"0{random.randint(10**10, 10**11 - 1)}",
                    "address": "Thôn 1",
                    "phone": "0912345678",
                }
            ],
            "signers": 1,
        }
        headers = {
            **self.headers,
            "Idempotency-Key": uuid.uuid4().hex,
            "Content-Type": "application/json",
        }
        with self.client.post(
            "/api/v1/petitions",
            data=json.dumps(body),
            headers=headers,
            name="intake",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                PETITIONS.setdefault(self.who["unit"], []).append(response.json()["code"])
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")

    @task(10)
    def dashboard(self) -> None:
        self.get(f"/api/v1/reports/dashboard?unit={self.who['unit']}", "read: dashboard")

    @task(5)
    def scorecards(self) -> None:
        self.get(f"/api/v1/scorecards?parent={self.who['unit']}", "read: scorecards")

    @task(5)
    def petitions(self) -> None:
        self.get("/api/v1/petitions?page_size=50", "read: petition list")
