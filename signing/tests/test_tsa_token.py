"""The two configurations beside a PKCS#12 file, each against a real counterpart: an RFC 3161
time-stamping authority answering over HTTP in its own thread (pyHanko's test TSA behind
http.server), and a key on a PKCS#11 token (SoftHSM2, Debian's ``softhsm2``)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from common.errors import Unavailable
from signing import keys
from signing.pdf import sign_pdf
from signing.services import sign_configured
from signing.tests.conftest import Pki
from signing.tests.test_sign_verify import UNIT, WHEN
from signing.verify import check_pdf
from units.models import Unit

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
TSA_TIME = WHEN + timedelta(seconds=7)


def _asn1(cert: Any) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@pytest.fixture
def tsa(pki: Pki) -> Iterator[tuple[str, list[int]]]:
    """(URL, answered requests) of an RFC 3161 TSA on a loopback port, certified by the test
    CA, that stamps TSA_TIME."""
    key, cert = keys.leaf_make(
        pki.root_key,
        pki.root,
        "Test TSA",
        purpose="tsa",
        not_before=datetime(2025, 1, 1, tzinfo=UTC),
    )
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=SimpleCertificateStore.from_certs([_asn1(pki.root)]),
        fixed_dt=TSA_TIME,
    )
    answered: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            assert self.headers["Content-Type"] == "application/timestamp-query"
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            answered.append(len(answer))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", answered
    finally:
        server.shutdown()
        server.server_close()


def test_signature_carries_the_tsa_time(
    pki: Pki, settings: Any, document_pdfa: bytes, tsa: tuple[str, list[int]]
) -> None:
    url, answered = tsa
    pki.unit("HY-STC", UNIT)
    settings.SIGNING_DEMO = False
    settings.SIGNING_TSA_URL = url
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    config = keys.signer_for("HY-STC", UNIT)
    assert config is not None
    signed = sign_pdf(document_pdfa, config, unit_name=UNIT, when=WHEN)
    assert answered, "the TSA was never asked"
    verdict = check_pdf(signed)
    assert verdict.valid, verdict
    # The trusted time is the TSA's, not the one the signer claims.
    assert verdict.signed_at == TSA_TIME.isoformat()
    status = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert status.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


def test_a_tsa_that_is_down_signs_nothing(pki: Pki, settings: Any, document_pdfa: bytes) -> None:
    pki.unit("HY-STC", UNIT)
    settings.SIGNING_DEMO = False
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing answers
    with pytest.raises(Unavailable):
        sign_configured(unit=Unit(code="HY-STC", name=UNIT), pdf=document_pdfa)


@pytest.fixture
def token(tmp_path: Path, monkeypatch: Any) -> Iterator[str]:
    """A SoftHSM2 token with its own token folder; yields its label."""
    if not SOFTHSM.exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 is not installed (.ci/run installs Debian's softhsm2)")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    label = "dutdiem-test"
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", label]
        + ["--pin", "1234", "--so-pin", "5678"],
        check=True,
        capture_output=True,
    )
    yield label


def test_a_key_on_a_pkcs11_token_signs(
    pki: Pki, settings: Any, document_pdfa: bytes, token: str, tmp_path: Path
) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    key, cert = keys.leaf_make(
        pki.root_key, pki.root, UNIT, organisation=UNIT, not_before=datetime(2025, 1, 1, tzinfo=UTC)
    )
    pem = tmp_path / "key.pem"
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        ["softhsm2-util", "--import", str(pem), "--token", token, "--label", "unit"]
        + ["--id", "01", "--pin", "1234"],
        check=True,
        capture_output=True,
    )
    pem.unlink()  # from here on the key lives on the token only
    with (
        pkcs11.lib(str(SOFTHSM)).get_token(token_label=token).open(rw=True, user_pin="1234")
    ) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "unit",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )
    folder = keys.unit_folder("HY-STC")
    folder.mkdir(parents=True)
    (folder / "pin").write_text("1234\n")
    (folder / "signer.json").write_text(
        json.dumps(
            {
                "pkcs11": {
                    "module": str(SOFTHSM),
                    "token": token,
                    "key_label": "unit",
                    "pin_file": "pin",
                }
            }
        )
    )
    settings.SIGNING_DEMO = False
    settings.SIGNING_TRUST_ROOTS = pki.roots_file()
    config = keys.signer_for("HY-STC", UNIT)
    assert config is not None and config.pkcs11 is not None
    signed = sign_pdf(document_pdfa, config, unit_name=UNIT, when=WHEN)
    verdict = check_pdf(signed)
    assert verdict.valid and verdict.signer == UNIT, verdict
