"""The server half of Cognito's SRP-6a variant (the one AWS's SDKs and pycognito's AWSSRP speak).

3072-bit group (RFC 5054), g = 2, k = H(N || g), SHA-256 over padded hex, x derived from
``<pool suffix><USER_ID_FOR_SRP>:<password>`` and the salt, session key by HKDF
("Caldera Derived Key", 16 bytes), and the client's proof is
HMAC(K, pool suffix || USER_ID_FOR_SRP || SECRET_BLOCK bytes || TIMESTAMP).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
    "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF"
    "5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D3"
    "9A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08"
    "CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF69558171839"
    "95497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DB"
    "EF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA"
    "06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2


def _pad_hex(value: int | str) -> str:
    """Hex with an even length and a leading 00 when the top bit is set (Java BigInteger style)."""
    text = value if isinstance(value, str) else f"{value:x}"
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdefABCDEF":
        return "00" + text
    return text


def _hash_hex(hex_string: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_string)).hexdigest().rjust(64, "0")


K_MULTIPLIER = int(_hash_hex("00" + N_HEX + "0" + f"{G:x}"), 16)


def _x(pool_id: str, user_id_for_srp: str, password: str, salt_hex: str) -> int:
    inner = (
        hashlib.sha256(f"{pool_id.split('_', 1)[1]}{user_id_for_srp}:{password}".encode())
        .hexdigest()
        .rjust(64, "0")
    )
    return int(_hash_hex(_pad_hex(salt_hex) + inner), 16)


def new_salt() -> str:
    return f"{secrets.randbits(128) | (1 << 127):x}"


def server_challenge(
    pool_id: str, user_id_for_srp: str, password: str, salt_hex: str
) -> tuple[int, int, int]:
    """(b, B, v): the server's secret, its public value, and the password verifier."""
    verifier = pow(G, _x(pool_id, user_id_for_srp, password, salt_hex), N)
    while True:
        small_b = secrets.randbits(1024) % N
        big_b = (K_MULTIPLIER * verifier + pow(G, small_b, N)) % N
        if big_b % N:
            return small_b, big_b, verifier


def fake_challenge() -> int:
    """A well-formed B for users that do not exist (PreventUserExistenceErrors)."""
    return pow(G, secrets.randbits(1024), N)


def expected_signature(
    *,
    pool_id: str,
    user_id_for_srp: str,
    srp_a_hex: str,
    small_b: int,
    big_b: int,
    verifier: int,
    secret_block_b64: str,
    timestamp: str,
) -> str | None:
    """The base64 proof the right password would have produced; None when A is unusable."""
    try:
        big_a = int(srp_a_hex, 16)
    except (TypeError, ValueError):
        return None
    if big_a % N == 0:
        return None
    u = int(_hash_hex(_pad_hex(big_a) + _pad_hex(big_b)), 16)
    if u == 0:
        return None
    shared = pow(big_a * pow(verifier, u, N), small_b, N)
    prk = hmac.new(
        bytes.fromhex(_pad_hex(f"{u:x}")), bytes.fromhex(_pad_hex(shared)), hashlib.sha256
    ).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    try:
        block = base64.standard_b64decode(secret_block_b64)
    except (ValueError, TypeError):
        return None
    message = (
        pool_id.split("_", 1)[1].encode() + user_id_for_srp.encode() + block + timestamp.encode()
    )
    return base64.standard_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
