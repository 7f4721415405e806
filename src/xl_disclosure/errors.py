"""The one base of every error the user must act on.

Every error the library raises for a bad input, a bad option or an output it
cannot write derives from :class:`XlDisclosureError`; its text is a Chinese
message that names the file (and the cell or page) and says what to do.  The
command line turns any of them into that message and exit code 2.
"""


class XlDisclosureError(Exception):
    """A problem with the user's input, options or output; ``str()`` is the Chinese message."""

    #: What could not be done, shown before the message ("无法读取", "无法写出"); empty when the
    #: message says it all.
    heading = ""


class UsageError(XlDisclosureError):
    """A bad option or auxiliary input (an agency list, last year's data, no inputs at all)."""
