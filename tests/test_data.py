"""Raw data is immutable: the seed articles are byte-identical to the originals."""
import hashlib

from conftest import SEEDS

SEED_SHA256 = {
    "000_7beb9e1193c8c2f4.txt": "3f80c886a6e4cecad0c52f1ef1630f34e2a3246f4e2bf05923dfb677848014b2",
    "001_7838c9a9bb2bc682.txt": "9a192a430d6f0dec133e915e9ce5f7a52b58a9a7c24af17253876898ea932698",
    "002_66c7d7ed63cf9e67.txt": "467ec7d0b0b5895a2156d85c51872eb74fa196b33b2cc7028d283df4c514e979",
    "003_f13f08bdc50d386a.txt": "c745989dce3383ae9ee7e7dbbe5d79b7d5b0a65d1793c5b8d43c124ed4c56d12",
    "004_a42a2dac6675b702.txt": "7ca9195d01eaedb81ce8017dc0adccdd13cbbeacdba468857e88050b315de91a",
}


def test_seed_articles_are_byte_identical():
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == digest, name
