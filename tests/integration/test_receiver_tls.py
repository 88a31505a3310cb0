"""DC-09 over TLS on the TCP port, for transmitters and networks that support it."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.integration.receiver_support import frame, running_receiver
from tocsin.bootstrap import dc09_tls
from tocsin.config import Settings
from tocsin.domain.errors import InvalidInput
from tocsin.protocols import dc09


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and its key, made for this test."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "rx.pem", folder / "rx.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_a_frame_over_tls_is_acknowledged(sqlite_url: str, tmp_path: Path) -> None:
    """With a certificate configured, a transmitter speaking TLS gets its ACK over the encrypted link."""
    cert, key = self_signed(tmp_path)
    context = dc09_tls(Settings(database_url=sqlite_url, dc09_tls_cert=cert, dc09_tls_key=key))
    client = ssl.create_default_context(cafile=str(cert))
    with running_receiver(sqlite_url, tmp_path, tls=context) as rx:
        raw = socket.create_connection(("127.0.0.1", rx.port), timeout=10)
        with client.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(frame("1234", 1, "1130 01 015"))
            answer = b""
            while not answer.endswith(b"\r"):
                answer += tls.recv(4096)
    assert dc09.decode(answer).id_token == "ACK"


def test_half_a_tls_configuration_is_refused(tmp_path: Path) -> None:
    """A certificate without its key is a clear configuration error."""
    cert, _ = self_signed(tmp_path)
    with pytest.raises(InvalidInput, match="TOCSIN_DC09_TLS_KEY"):
        dc09_tls(Settings(dc09_tls_cert=cert))
