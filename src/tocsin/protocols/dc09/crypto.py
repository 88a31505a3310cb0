"""DC-09 encryption: AES-CBC with an all-zero IV over ``pad | message``, sent as hex.

The standard (DC-09 §5.4.4) fills the front of the encrypted region with pseudo-random characters
other than ``|``, ``[`` and ``]``, ends the filler with a mandatory ``|``, and makes the region a
multiple of 16 bytes (16 filler characters when it already was one). Peers differ: pysiaalarm fills
with ``0`` and omits the ``|`` in its own acknowledgements, and dc09-spt may use control characters;
:func:`strip_padding` reads all of these.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tocsin.protocols.dc09.errors import DecryptError, UnknownKey

ZERO_IV = bytes(16)
KEY_SIZES = (16, 24, 32)
_PAD_ALPHABET = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "|[]")


def check_key(key: bytes) -> None:
    """Refuse a key that is not 128, 192 or 256 bits long."""
    if len(key) not in KEY_SIZES:
        raise UnknownKey(
            f"The AES key is {len(key)} bytes long; DC-09 keys are 16, 24 or 32 bytes (128, 192, 256 bits)."
        )


def random_pad(length: int) -> str:
    """Return ``length`` pseudo-random filler characters (printable, never ``|``, ``[`` or ``]``)."""
    return "".join(secrets.choice(_PAD_ALPHABET) for _ in range(length))


def pad_length(region: str) -> int:
    """How many filler characters go before the ``|`` so that ``pad | region`` fills whole blocks."""
    return 16 - (len(region.encode()) + 1) % 16


def encrypt(plaintext: bytes, key: bytes, iv: bytes = ZERO_IV) -> str:
    """Encrypt a block-aligned plaintext with AES-CBC and return uppercase hex."""
    check_key(key)
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return (encryptor.update(plaintext) + encryptor.finalize()).hex().upper()


def decrypt(ciphertext: bytes, key: bytes) -> bytes:
    """Decrypt block-aligned AES-CBC ciphertext with the standard's all-zero IV."""
    check_key(key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(ZERO_IV)).decryptor()
    return decryptor.update(ciphertext) + decryptor.finalize()


def strip_padding(plaintext: bytes, *, data_expected: bool) -> bytes:
    """Remove the filler in front of a decrypted region; return what follows it (``data]…``).

    The filler ends at the first ``|``. Without one, the region is read as filler up to ``]`` and
    empty data, which some peers send for NULL and response frames, but never for event frames.
    """
    close = plaintext.find(b"]")
    if close < 0:
        raise DecryptError("The decrypted message has no ']': the key is wrong or the padding is broken.")
    bar = plaintext.find(b"|", 0, close)
    if bar >= 0:
        filler, rest = plaintext[:bar], plaintext[bar + 1 :]
    elif not data_expected:
        filler, rest = plaintext[:close], plaintext[close:]
    else:
        raise DecryptError(
            "The decrypted message has no '|' after its padding: the key is wrong or the padding is broken."
        )
    if b"[" in filler:
        raise DecryptError("The padding of the decrypted message holds a '[': the key is wrong.")
    return rest
