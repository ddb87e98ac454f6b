#!/usr/bin/env python3
# Regenerates the fixed vectors of Tests/SecurityTests/ContractKeyEnvelopeTests.swift with an
# independent implementation (pyca/cryptography): pip install cryptography; python3 bash
# Independent vectors for the -20 contract-key envelope, computed with pyca/cryptography:
# ECDH (P-521 / X448) -> ConcatKDF-SHA512(otherinfo 01 55 56, 32 bytes) -> AES-256-GCM(IV, AAD = PCID || HEX(SKI))
from cryptography.hazmat.primitives.asymmetric import ec, x448
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
import hashlib
def kdf(z): return ConcatKDFHash(algorithm=hashes.SHA512(), length=32, otherinfo=b'\x01\x55\x56').derive(z)
pcid = b"WMIV1234567890ABCD"; ski = bytes(range(1,21)); aad = pcid + ski.hex().upper().encode()
iv = bytes.fromhex("000102030405060708090a0b")
# P-521: keys from fixed scalars
def p521(d): return ec.derive_private_key(d, ec.SECP521R1())
recipient = p521(int(hashlib.sha512(b"recipient").hexdigest(),16) )
eph = p521(int(hashlib.sha512(b"ephemeral").hexdigest(),16))
contract = p521(int(hashlib.sha512(b"contract").hexdigest(),16))
z = eph.exchange(ec.ECDH(), recipient.public_key())
pt = contract.private_numbers().private_value.to_bytes(66,'big')
ct = AESGCM(kdf(z)).encrypt(iv, pt, aad)
pub = lambda k: k.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
print("p521 recipient d", recipient.private_numbers().private_value.to_bytes(66,'big').hex())
print("p521 ephemeral d", eph.private_numbers().private_value.to_bytes(66,'big').hex())
print("p521 contract d", pt.hex())
print("p521 dh", pub(eph).hex())
print("p521 enc", (iv+ct).hex(), len(iv+ct))
rx = x448.X448PrivateKey.from_private_bytes(hashlib.sha512(b"recipient").digest()[:56])
ex = x448.X448PrivateKey.from_private_bytes(hashlib.sha512(b"ephemeral").digest()[:56])
kx = hashlib.sha512(b"contract448").digest()[:56]
raw = lambda k: k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
zx = ex.exchange(rx.public_key())
ctx = AESGCM(kdf(zx)).encrypt(iv, kx, aad)
print("x448 recipient", raw(rx).hex())
print("x448 ephemeral", raw(ex).hex())
print("x448 contract", kx.hex())
print("x448 dh", "04"+ex.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex())
print("x448 enc", (iv+ctx).hex(), len(iv+ctx))
print("aad", aad.decode())
