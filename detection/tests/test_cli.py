"""The ``dutdiem detect`` command line: contract, options and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detection.cli import TEMPORAL_HEADER, main

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _series_csv(path: Path, weeks: int = 30, dates: bool = False) -> Path:
    rng = np.random.default_rng(0)
    lines = ["week,a,b"]
    for i in range(weeks):
        if dates:
            label = (dt.date(2023, 1, 2) + dt.timedelta(weeks=i)).isoformat()
        else:
            label = str(i + 1)
        lines.append(f"{label},{rng.poisson(4)},{rng.poisson(9)}")
    return _write(path, "\n".join(lines) + "\n")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = main(argv)
    return rc, capsys.readouterr().err


def test_ears_output_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _series_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    rc, err = _run(["--method", "ears-c1", "--input", str(src), "--output", str(out)], capsys)
    assert rc == 0, err
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == TEMPORAL_HEADER
    body = rows[1:]
    assert len(body) == 2 * (30 - 7)
    assert body[0][:2] == ["a", "8"]
    assert {r[5] for r in body} <= {"0", "1", ""}
    assert all(r[3] and r[4] for r in body)


def test_dates_and_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _series_csv(tmp_path / "in.csv", dates=True)
    out = tmp_path / "out.csv"
    rc, err = _run(
        [
            "--method",
            "ears-c2",
            "--input",
            str(src),
            "--output",
            str(out),
            "--range",
            "2023-05-01:2023-05-15",
            "--baseline",
            "5",
            "--min-sigma",
            "1",
        ],
        capsys,
    )
    assert rc == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["week"] for r in rows if r["series"] == "a"] == [
        "2023-05-01",
        "2023-05-08",
        "2023-05-15",
    ]


def test_farrington_options_reach_the_control(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(1)
    lines = ["week,x"] + [f"{i + 1},{rng.poisson(6)}" for i in range(300)]
    src = _write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    out1, out2 = tmp_path / "o1.csv", tmp_path / "o2.csv"
    base = ["--method", "farrington-flexible", "--input", str(src), "--range", "290:300"]
    assert main([*base, "--output", str(out1), "--noufaily"]) == 0
    assert (
        main(
            [
                *base,
                "--output",
                str(out2),
                "--noufaily",
                "--alpha",
                "0.2",
                "--limit54",
                "0,4",
                "--b",
                "4",
            ]
        )
        == 0
    )
    u1 = [float(r["upperbound"]) for r in csv.DictReader(out1.open(encoding="utf-8"))]
    u2 = [float(r["upperbound"]) for r in csv.DictReader(out2.open(encoding="utf-8"))]
    assert len(u1) == len(u2) == 11
    assert all(b <= a for a, b in zip(u1, u2, strict=True))  # alpha 0.2: lower bounds
    capsys.readouterr()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("wk,a\n1,2\n", "missing column 'week'"),
        ("week,a\n1,2\n2,x\n", "row 3, column 'a': 'x' is not a number"),
        ("week,a\n1,2\n2,-1\n", "row 3, column 'a': negative count -1"),
        ("week,a\n1,2\n2,\n", "row 3, column 'a': missing count"),
        ("week,a\n1,2\n3,4\n", "row 3, column 'week': week 3 follows 1"),
        ("week,a\n1,2\n2,3,4\n", "row 3: 3 fields, expected 2"),
        ("week,a\nfoo,2\n", "row 2, column 'week': 'foo' is neither"),
        ("week,a\n2024-01-01,2\n2024-01-09,2\n", "is not 7 days after"),
        ("week,a,a\n1,2,3\n", "duplicate column 'a'"),
        ("", "empty file"),
    ],
)
def test_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, needle: str
) -> None:
    src = _write(tmp_path / "in.csv", content)
    out = tmp_path / "out.csv"
    rc, err = _run(["--method", "ears-c1", "--input", str(src), "--output", str(out)], capsys)
    assert rc == 2
    assert needle in err
    assert not out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".detect-")]


def test_unknown_method_and_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _series_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    rc, err = _run(["--method", "cusum", "--input", str(src), "--output", str(out)], capsys)
    assert rc == 2 and "invalid choice: 'cusum'" in err
    rc, err = _run(
        [
            "--method",
            "farrington-flexible",
            "--input",
            str(src),
            "--output",
            str(out),
            "--limit54",
            "5",
        ],
        capsys,
    )
    assert rc == 2 and "CASES,WEEKS" in err
    rc, err = _run(
        ["--method", "ears-c1", "--input", str(tmp_path / "nope.csv"), "--output", str(out)], capsys
    )
    assert rc == 2 and "cannot read" in err
    rc, err = _run(["--method", "stp-scan", "--input", str(src), "--output", str(out)], capsys)
    assert rc == 2 and "--coords" in err
    assert not out.exists()


def test_existing_output_kept_on_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path / "in.csv", "week,a\n1,x\n")
    out = _write(tmp_path / "out.csv", "previous\n")
    rc, _ = _run(["--method", "ears-c1", "--input", str(src), "--output", str(out)], capsys)
    assert rc == 2
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_stp_scan_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(2)
    n_loc, n_weeks = 12, 20
    counts = rng.poisson(3, size=(n_loc, n_weeks))
    counts[:3, -2:] += 12  # a cluster at locations 0-2 in the last two weeks
    xy = np.column_stack([np.arange(n_loc) * 1.0, np.zeros(n_loc)])
    lines = ["week," + ",".join(f"c{i}" for i in range(n_loc))]
    lines += [f"{w + 1}," + ",".join(str(v) for v in counts[:, w]) for w in range(n_weeks)]
    src = _write(tmp_path / "in.csv", "\n".join(lines) + "\n")
    coords = _write(
        tmp_path / "xy.csv",
        "series,x,y\n" + "\n".join(f"c{i},{xy[i, 0]},{xy[i, 1]}" for i in range(n_loc)) + "\n",
    )
    out = tmp_path / "out.csv"
    rc, err = _run(
        [
            "--method",
            "stp-scan",
            "--input",
            str(src),
            "--output",
            str(out),
            "--coords",
            str(coords),
            "--replicates",
            "99",
            "--seed",
            "3",
            "--max-weeks",
            "3",
        ],
        capsys,
    )
    assert rc == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "rank",
        "series",
        "first_week",
        "last_week",
        "observed",
        "expected",
        "llr",
        "p_value",
        "recurrence_weeks",
    ]
    top = rows[0]
    assert set(top["series"].split(";")) == {"c0", "c1", "c2"}
    assert (top["first_week"], top["last_week"]) == ("19", "20")
    assert float(top["p_value"]) == pytest.approx(0.01)


def test_python_dash_m(tmp_path: Path) -> None:
    src = _series_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "detection",
            "--method",
            "ears-c3",
            "--input",
            str(src),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith(",".join(TEMPORAL_HEADER))


def test_dutdiem_detect_loads_no_django(tmp_path: Path) -> None:
    """The ``dutdiem`` script sends ``detect`` to the library before Django is set up: same
    output as ever, and not one Django module imported on the way."""
    src = _series_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    code = (
        "import sys\n"
        "from config.cli import main\n"
        "try:\n"
        f"    main(['dutdiem', 'detect', '--method', 'ears-c3', '--input', {str(src)!r},"
        f" '--output', {str(out)!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print('django loaded:', any(m.split('.')[0] == 'django' for m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert proc.stdout.split("\n")[:2] == ["exit 0", "django loaded: False"], proc.stderr
    assert out.read_text(encoding="utf-8").startswith(",".join(TEMPORAL_HEADER))


def test_run_method_api() -> None:
    from detection.api import run_method

    rng = np.random.default_rng(3)
    y = rng.poisson(5, size=(4, 300)).astype(float)
    res = run_method("farrington-flexible", y, weeks=[299], noufaily=True, alpha=0.01)
    assert res.upperbound.shape == (4, 1) and res.defined.all()
    res = run_method("ears-c2", y, weeks=[299], min_sigma=0.5)
    assert res.expected.shape == (4, 1)
    with pytest.raises(ValueError):
        run_method("cusum", y)
