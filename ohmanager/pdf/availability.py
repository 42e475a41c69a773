"""Can this process render PDFs? WeasyPrint is a pip package, but it loads Pango, HarfBuzz,
fontconfig and GObject from the system when it is imported; a machine without them raises
OSError (a library cannot be loaded) or ImportError on `import weasyprint`.

`pdf_available()` is the real probe: it imports WeasyPrint once and caches the answer.
`announce_if_unavailable()` runs at start-up (OhManagerConfig.ready) and says once, as a log
line, when PDFs cannot be made. It does not import WeasyPrint (~0.8 s of CPU in every process,
management commands included): it loads the same shared libraries WeasyPrint loads, which takes
milliseconds. A line is said at most once per process, whichever of the two finds out first.
It is a log line and not a system check: `check --deploy --fail-level WARNING` must still pass
on a host that serves only the HTML card.
"""

import ctypes
import functools
import importlib.util
import logging
import threading

logger = logging.getLogger("ohmanager.pdf")

# The libraries weasyprint.text.ffi opens, by their Linux and macOS names.
_LIBRARIES = {
    "gobject-2.0": ("libgobject-2.0.so.0", "libgobject-2.0.0.dylib"),
    "pango-1.0": ("libpango-1.0.so.0", "libpango-1.0.dylib"),
    "pangoft2-1.0": ("libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib"),
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib"),
    "harfbuzz-subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib"),
}
HINT = (
    "the profile card's PDF answers 503 pdf_unavailable until they are installed "
    "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum)"
)

_announced = threading.Event()


def _say_once(reason: str) -> None:
    if not _announced.is_set():
        _announced.set()
        logger.warning("PDF rendering unavailable (%s): %s", reason, HINT)


@functools.cache
def _import_error() -> str | None:
    from PIL import ImageFile

    # weasyprint.images sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True when it is
    # imported; photo uploads must keep refusing truncated files (accounts.profiles.images)
    # in the same process. The PDF embeds only photos we re-encoded, never truncated ones.
    refuse_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint  # noqa: F401 - the import loads the system libraries
    except (ImportError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = refuse_truncated
    return None


def pdf_available() -> bool:
    """True when WeasyPrint imports with its system libraries (probed once per process)."""
    reason = _import_error()
    if reason is not None:
        _say_once(reason)
    return reason is None


def _missing_libraries() -> list[str]:
    missing = []
    for name, candidates in _LIBRARIES.items():
        for candidate in candidates:
            try:
                ctypes.CDLL(candidate)
                break
            except OSError:
                continue
        else:
            missing.append(name)
    return missing


def announce_if_unavailable() -> None:
    """The start-up line: said once when WeasyPrint or a library it loads is missing."""
    if importlib.util.find_spec("weasyprint") is None:
        _say_once("the weasyprint package is not installed")
        return
    missing = _missing_libraries()
    if missing:
        _say_once("missing system libraries: " + ", ".join(missing))
