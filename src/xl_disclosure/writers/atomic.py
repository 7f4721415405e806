"""Writing output files safely: atomically, and with formula-like text neutralised."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from xl_disclosure.errors import UsageError, XlDisclosureError
from xl_disclosure.model.inputs import same_file

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class OutputError(XlDisclosureError):
    """An output file could not be written; the message is for the user (Chinese)."""

    heading = "无法写出"


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    A failure leaves any existing ``target`` untouched and removes the temporary file.
    """
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"输出路径 {target} 是一个文件夹，请指定文件名。")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建输出文件夹 {parent}：{exc.strerror or exc}") from exc
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}（请检查文件夹是否可写）") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    _ordinary_permissions(tmp)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _ordinary_permissions(path: Path) -> None:
    """mkstemp makes a private (0600) file; outputs get the permissions a plain open() would give."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o666 & ~_umask())


def ordinary_folder_permissions(path: Path) -> None:
    """mkdtemp makes a private (0700) folder; an output folder gets the permissions a plain mkdir() would give."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o777 & ~_umask())


@contextlib.contextmanager
def published_together(targets: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Temporary paths beside each target; when the block succeeds, every target is replaced at once.

    The outputs of one run are published together or not at all: an error or Ctrl-C while they
    are written leaves every existing target as it was (and no temporary file behind).  The
    renames that publish them are made with SIGINT/SIGTERM held back and under an exclusive lock
    on each target's folder (``flock`` on the folder itself, so no lock file is left; POSIX), so
    two runs writing the same outputs at the same time leave all of one run's, never a mix.
    """
    paths = [Path(t) for t in targets]
    tmps: list[Path] = []
    try:
        for target in paths:
            if target.is_dir():
                raise OutputError(f"输出路径 {target} 是一个文件夹，请指定文件名。")
            parent = target.parent if str(target.parent) else Path(".")
            try:
                parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
            except OSError as exc:
                raise OutputError(f"无法写入 {target}：{exc.strerror or exc}（请检查文件夹是否可写）") from exc
            os.close(fd)
            tmps.append(Path(name))
            _ordinary_permissions(tmps[-1])
        yield tmps
        with _signals_held(), _folders_locked({t.parent.resolve() for t in tmps}):
            for tmp, target in zip(tmps, paths, strict=True):
                try:
                    os.replace(tmp, target)
                except OSError as exc:
                    raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    finally:
        for tmp in tmps:
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done (POSIX, main thread); elsewhere nothing."""
    held = {signal.SIGINT, getattr(signal, "SIGTERM", signal.SIGINT)}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _folders_locked(folders: set[Path]) -> Iterator[None]:
    """An exclusive flock on each folder, taken in one order (no deadlock); where flock fails, no lock."""
    fds: list[int] = []
    try:
        for folder in sorted(folders):
            if fcntl is None:
                break
            try:
                fd = os.open(folder, os.O_RDONLY)
            except OSError:
                continue
            fds.append(fd)
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # closing releases the lock


def check_targets(outputs: Sequence[tuple[str, object]], inputs: Sequence[tuple[str, object]] = ()) -> None:
    """Refuse (UsageError) two outputs of one run on one file, and an output that is one of the run's inputs.

    ``outputs`` are (option, path) — anything not a path (None, an open stream) is skipped; ``inputs``
    are (what it is, path).  Files are compared as the file system sees them (resolved paths, and
    the same inode for hard links).
    """
    seen: list[tuple[str, Path]] = []
    paths_in = [(what, Path(p)) for what, p in inputs if isinstance(p, str | os.PathLike)]
    for option, value in outputs:
        if not isinstance(value, str | os.PathLike):
            continue
        path = Path(value)
        for what, source in paths_in:
            if same_file(path, source):
                named = "" if path == source else f" {source}（两者是同一个文件）"
                raise UsageError(f"{option} {value} 是本次要读取的{what}{named}，输出不能覆盖它。请换一个输出文件名。")
        for other, earlier in seen:
            if same_file(path, earlier):
                raise UsageError(f"{other} 和 {option} 指向同一个文件 {value}：一次运行的各个输出必须写到不同的文件，"
                                 f"请分别指定文件名。")
        seen.append((option, path))


#: What each suffix is, for the message refusing an output the command cannot write.
SUFFIX_NAMES = {".xlsx": "Excel 工作簿", ".xlsm": "启用宏的 Excel 工作簿", ".json": "JSON", ".csv": "CSV",
                ".parquet": "Parquet", ".docx": "Word 文档", ".html": "网页", ".md": "Markdown", ".xlam": "Excel 加载项"}


def check_suffix(option: str, target: str | os.PathLike[str] | None, allowed: tuple[str, ...]) -> None:
    """Refuse an output whose suffix is not what is written into it (Excel will not open an .xlsx saved as .xlsm).

    ``None`` and ``-`` (standard output) pass.  Raises UsageError naming the option and the suffixes allowed.
    """
    if target is None or str(target) == "-" or Path(target).is_dir():
        return  # a folder: the writer says so (无法写出 … 是一个文件夹)
    suffix = Path(target).suffix.lower()
    if suffix not in allowed:
        wanted = "、".join(f"{s}（{SUFFIX_NAMES.get(s, s)}）" for s in allowed)
        raise UsageError(f"{option} {target}：扩展名应为 {wanted}，本命令不能写出扩展名为 {suffix or '（空）'} 的文件。"
                         f"例如 {option} 输出{allowed[0]}。")


def write_atomic(target: str | os.PathLike[str], write: Callable[[Path], Any]) -> None:
    """Call ``write(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        write(tmp)


def write_text_atomic(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    def _write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)

    write_atomic(target, _write)


def json_text(data: Any) -> str:
    """JSON as every command writes it: UTF-8 text (not \\u escapes), indented by two, ending in a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json_atomic(target: str | os.PathLike[str], data: Any) -> None:
    write_text_atomic(target, json_text(data))


@contextlib.contextmanager
def open_atomic(target: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    with atomic_path(target) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralize(text: str) -> str:
    """Make text that a spreadsheet would run as a formula inert (OWASP CSV injection advice).

    A leading apostrophe is what spreadsheet users themselves type to force text;
    in xlsx outputs the cell is also written as a string, never as a formula.
    """
    if text and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text
