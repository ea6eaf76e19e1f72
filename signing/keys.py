"""Who signs a unit's documents, and with what: the unit's certificate (a PKCS#12 file, or a
USB token / HSM through PKCS#11), its seal and signature images, and the trust roots that
signatures are checked against.

Each issuing unit has a folder ``<SIGNING_DIR>/units/<unit code>/`` with ``signer.json``
(paths in it are relative to the folder)::

    {"pkcs12": "unit.p12", "password_file": "unit.pass",
     "seal": "seal.png", "signature": "signature.png"}

or, for a key that never leaves its token::

    {"pkcs11": {"module": "/usr/lib/x86_64-linux-gnu/libvgca.so", "token": "SO TAI CHINH",
                "key_label": "signing", "cert_label": "signing", "pin_file": "/etc/dutdiem/pin"},
     "chain": "chain.pem", "seal": "seal.png", "signature": "signature.png"}

A unit without a folder issues unsigned PDF/A, except outside production (``SIGNING_DEMO``)
where a demo certificate authority (``<SIGNING_DIR>/demo-ca/``) and the unit's certificate,
seal and signature are made on first use, so that the whole flow can be seen. Production
refuses the demo (config/settings.py).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
DEMO_CA_NAME = "dutdiem demo CA - NOT FOR REAL DOCUMENTS"


@dataclass(frozen=True)
class Pkcs11:
    module: str
    pin_file: str
    slot: int | None = None
    token: str | None = None
    key_label: str | None = None
    cert_label: str | None = None
    key_id: bytes | None = None


@dataclass(frozen=True)
class SignerConfig:
    """One unit's signing material. Exactly one of ``pkcs12`` and ``pkcs11`` is set."""

    unit_code: str
    folder: Path
    pkcs12: Path | None = None
    password_file: Path | None = None
    pkcs11: Pkcs11 | None = None
    chain: Path | None = None
    seal: Path | None = None
    signature: Path | None = None
    demo: bool = False


def signing_dir() -> Path:
    return Path(settings.SIGNING_DIR)


def unit_folder(code: str) -> Path:
    if not SAFE_CODE.match(code):
        raise ImproperlyConfigured(f"unit code {code!r} cannot name a signing folder")
    return signing_dir() / "units" / code


def _path(folder: Path, value: Any, what: str) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ImproperlyConfigured(f"{folder / 'signer.json'}: {what} must be a path")
    path = folder / value
    if not path.exists():
        raise ImproperlyConfigured(f"{folder / 'signer.json'}: {what} {path} does not exist")
    return path


def parse_signer(code: str, folder: Path) -> SignerConfig:
    """Read ``folder/signer.json``; ImproperlyConfigured names the file and what is wrong."""
    where = folder / "signer.json"
    try:
        body = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{where} cannot be read: {exc}") from None
    if not isinstance(body, dict):
        raise ImproperlyConfigured(f"{where} must hold a JSON object")
    p11 = body.get("pkcs11")
    has_p12 = bool(body.get("pkcs12"))
    if bool(p11) == has_p12:
        raise ImproperlyConfigured(f"{where}: give either pkcs12 or pkcs11")
    pkcs11 = None
    if p11:
        if not isinstance(p11, dict) or not p11.get("module") or not p11.get("pin_file"):
            raise ImproperlyConfigured(f"{where}: pkcs11 needs module and pin_file")
        if p11.get("slot") is None and not p11.get("token"):
            raise ImproperlyConfigured(f"{where}: pkcs11 needs slot or token")
        if not p11.get("key_label") and not p11.get("key_id"):
            raise ImproperlyConfigured(f"{where}: pkcs11 needs key_label or key_id")
        pkcs11 = Pkcs11(
            module=str(p11["module"]),
            pin_file=str(folder / str(p11["pin_file"])),
            slot=None if p11.get("slot") is None else int(p11["slot"]),
            token=p11.get("token") or None,
            key_label=p11.get("key_label") or None,
            cert_label=p11.get("cert_label") or p11.get("key_label") or None,
            key_id=bytes.fromhex(p11["key_id"]) if p11.get("key_id") else None,
        )
    return SignerConfig(
        unit_code=code,
        folder=folder,
        pkcs12=_path(folder, body.get("pkcs12"), "pkcs12"),
        password_file=_path(folder, body.get("password_file"), "password_file"),
        pkcs11=pkcs11,
        chain=_path(folder, body.get("chain"), "chain"),
        seal=_path(folder, body.get("seal"), "seal"),
        signature=_path(folder, body.get("signature"), "signature"),
        demo=bool(body.get("demo")),
    )


def signer_for(code: str, name: str) -> SignerConfig | None:
    """The signing material of the unit ``code`` (``name`` is printed in a demo certificate
    and seal); None when it has none and no demo may be made."""
    folder = unit_folder(code)
    if (folder / "signer.json").exists():
        return parse_signer(code, folder)
    if not settings.SIGNING_DEMO:
        return None
    demo_unit_make(code, name)
    return parse_signer(code, folder)


# --- Trust roots -----------------------------------------------------------------------------


def _certificates_in(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return []


def trust_roots() -> list[x509.Certificate]:
    """The configured trust roots (a PEM bundle, or a folder of PEM/DER certificates), and
    outside production the demo certificate authority once it exists."""
    roots: list[x509.Certificate] = []
    configured = settings.SIGNING_TRUST_ROOTS
    if configured:
        path = Path(configured)
        if path.is_dir():
            for item in sorted(path.iterdir()):
                if item.is_file() and item.suffix.lower() in {".pem", ".crt", ".cer", ".der"}:
                    roots.extend(_certificates_in(item))
        elif path.is_file():
            roots.extend(_certificates_in(path))
        else:
            raise ImproperlyConfigured(f"DUTDIEM_SIGNING_TRUST_ROOTS: {path} does not exist")
    demo = signing_dir() / "demo-ca" / "ca.pem"
    if settings.SIGNING_DEMO and demo.exists():
        roots.extend(_certificates_in(demo))
    return roots


# --- The demo certificate authority ------------------------------------------------------------


def _name(common: str, organisation: str = "dutdiem demo") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def ca_make(common: str, *, days: int = 3650) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    name = _name(common)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def leaf_make(
    ca_key: rsa.RSAPrivateKey,
    ca_cert: x509.Certificate,
    common: str,
    *,
    organisation: str = "dutdiem demo",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    purpose: str = "signing",
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A certificate for document signing (``purpose="signing"``: non-repudiation) or for a
    time-stamping authority (``"tsa"``), issued by ``ca_cert``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common, organisation))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=purpose == "signing",
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if purpose == "tsa":
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return key, builder.sign(ca_key, hashes.SHA256())


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _publish(tmp: Path, final: Path) -> None:
    """Move a folder made aside into place; when another process got there first, theirs
    is kept and ours dropped."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not final.exists():
            raise


def demo_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The demo certificate authority, made on first use outside production."""
    if not settings.SIGNING_DEMO:
        raise ImproperlyConfigured("the demo certificate authority is not made in production")
    folder = signing_dir() / "demo-ca"
    if not (folder / "ca.pem").exists():
        signing_dir().mkdir(parents=True, exist_ok=True)
        tmp = signing_dir() / f".demo-ca-{secrets.token_hex(4)}"
        tmp.mkdir()
        key, cert = ca_make(DEMO_CA_NAME)
        _write_private(
            tmp / "ca.key",
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        (tmp / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _publish(tmp, folder)
    key_loaded = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
    assert isinstance(key_loaded, rsa.RSAPrivateKey)
    return key_loaded, x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())


def demo_unit_make(code: str, name: str) -> Path:
    """The unit's demo folder: a certificate from the demo authority in a PKCS#12 file with
    its password file, a seal and a signature image, and signer.json."""
    from signing import images

    folder = unit_folder(code)
    if (folder / "signer.json").exists():
        return folder
    ca_key, ca_cert = demo_ca()
    tmp = signing_dir() / f".unit-{code}-{secrets.token_hex(4)}"
    tmp.mkdir(parents=True)
    key, cert = leaf_make(ca_key, ca_cert, name or code, organisation=name or code)
    password = secrets.token_urlsafe(18)
    bundle = pkcs12.serialize_key_and_certificates(
        name=code.encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
    _write_private(tmp / "unit.p12", bundle)
    _write_private(tmp / "unit.pass", password.encode() + b"\n")
    (tmp / "seal.png").write_bytes(images.demo_seal(name or code))
    (tmp / "signature.png").write_bytes(images.demo_signature(name or code))
    body = {
        "demo": True,
        "pkcs12": "unit.p12",
        "password_file": "unit.pass",
        "seal": "seal.png",
        "signature": "signature.png",
    }
    (tmp / "signer.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    _publish(tmp, folder)
    return folder
