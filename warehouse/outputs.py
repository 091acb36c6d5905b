"""Output locations given by the user (folders for Parquet/gold files, review sheet files): checked up front.

OSError from the file system becomes a WarehouseError naming the path and what to do, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from models.errors import GridscoutError, WarehouseError


def _explain(path: Path, exc: OSError) -> str:
    reason = exc.strerror or type(exc).__name__
    for parent in (path, *path.parents):
        if parent.exists() and not parent.is_dir():
            return (f"{path}: {parent} is a file, not a folder ({reason}); give a folder path that does not "
                    f"pass through a file")
    return f"{path}: cannot create or write here ({reason}); pick another location or fix the permissions"


def output_dir(path: str | Path, *, error: type[GridscoutError] = WarehouseError) -> Path:
    """Create `path` as a folder if missing and return it; `error` when it is a file or not writable."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise error(f"{out} is a file, not a folder; give a folder (created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error(_explain(out, exc)) from exc
    if not os.access(out, os.W_OK | os.X_OK):
        raise error(f"{out}: folder is not writable; pick another folder or fix the permissions")
    return out


def output_file(path: str | Path, *, error: type[GridscoutError] = WarehouseError) -> Path:
    """Check that a file can be written at `path` (its folder is created if missing) and return it."""
    out = Path(path)
    if out.is_dir():
        raise error(f"{out} is a folder; give a file name such as {out / 'review.xlsx'}")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise error(f"cannot write {out}: {parent} is a file, not a folder; give a path inside a folder")
    output_dir(out.parent, error=error)
    return out


def write_replacing(out: Path, write, *, error: type[GridscoutError] = WarehouseError) -> None:
    """Call `write(tmp_path)` then move the temporary file onto `out`: a failure leaves no half-written file."""
    output_file(out, error=error)
    tmp = out.with_name(f".{out.name}.partial{out.suffix}")
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise error(f"{out}: could not write ({exc.strerror or exc}); pick another location or free space") \
            from exc
    finally:
        tmp.unlink(missing_ok=True)
