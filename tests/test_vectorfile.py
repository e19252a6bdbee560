"""The index's vectors file: rows written where asked, read back by row or by range."""

from pathlib import Path

import numpy as np

from workbench.vectorfile import VectorFile


def test_rows_come_back_as_written(tmp_path: Path) -> None:
    vectors = np.random.default_rng(0).normal(size=(6, 4)).astype(np.float32)
    file = VectorFile.fresh(tmp_path / "index", 4)
    file.write(0, vectors[:4])
    file.write(4, vectors[4:])
    assert file.rows() == 6 and file.path.name.startswith("vectors-")
    assert np.array_equal(file.read([5, 0, 2]), vectors[[5, 0, 2]])
    assert np.array_equal(file.read_range(1, 3), vectors[1:4])
    again = VectorFile(file.path, 4)  # another reader of the same file
    assert np.array_equal(again.read_range(0, 6), vectors)


def test_a_held_file_stays_readable_after_it_is_deleted(tmp_path: Path) -> None:
    file = VectorFile.fresh(tmp_path, 2)
    file.write(0, np.ones((3, 2), np.float32))
    file.path.unlink()  # a newer generation's save deletes it
    assert np.array_equal(file.read([2]), np.ones((1, 2), np.float32))
