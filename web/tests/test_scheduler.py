from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from web.models import ScheduledRun
from web.scheduler import period_key, tick

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_daily_key_once_the_time_has_come():
    assert period_key("daily", "06:00", datetime(2026, 11, 16, 5, 59, tzinfo=VN)) is None
    assert period_key("daily", "06:00", datetime(2026, 11, 16, 6, 0, tzinfo=VN)) == "2026-11-16"


def test_weekly_key_catches_up_later_in_the_week():
    assert period_key("weekly", "MON 05:00", datetime(2026, 11, 16, 4, 0, tzinfo=VN)) is None
    assert period_key("weekly", "MON 05:00", datetime(2026, 11, 18, 9, 0, tzinfo=VN)) == "2026-W47"


def test_hourly_key_once_the_minute_has_come():
    assert period_key("hourly", ":07", datetime(2026, 11, 16, 5, 6, tzinfo=VN)) is None
    assert period_key("hourly", ":07", datetime(2026, 11, 16, 5, 7, tzinfo=VN)) == "2026-11-16T05"
    assert period_key("hourly", ":07", datetime(2026, 11, 16, 6, 59, tzinfo=VN)) == "2026-11-16T06"


def test_unknown_period():
    with pytest.raises(ValueError):
        period_key("monthly", "01", datetime(2026, 11, 16, tzinfo=VN))


def test_tick_starts_each_job_once_per_period(db, settings):
    settings.PERIODIC_JOBS = [
        ("alerts.tasks.weekly_warn", "weekly", "MON 05:00"),
        ("reviews.tasks.deem_consents", "daily", "00:05"),
    ]
    monday = datetime(2026, 11, 16, 7, 0, tzinfo=VN)
    assert tick(monday) == ["alerts.tasks.weekly_warn", "reviews.tasks.deem_consents"]
    assert tick(monday) == []
    tuesday = datetime(2026, 11, 17, 7, 0, tzinfo=VN)
    assert tick(tuesday) == ["reviews.tasks.deem_consents"]
    assert ScheduledRun.objects.count() == 3
