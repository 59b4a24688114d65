#!/usr/bin/env python3
# sandlock-example.py: run a command confined, watch and filter its opens
#
#   python3 sandlock-example.py [COMMAND [ARGS...]]
#
# The Python version of sandlock-example.c: runs COMMAND (by default:
# sh -c 'cat /etc/hostname; cat /etc/shadow') with the system directories
# and /etc readable, prints one line for each file it opens, refuses
# /etc/shadow with EACCES, and prints the result. It needs the Python that
# has PyGObject (on Debian: /usr/bin/python3 with python3-gi).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import errno
import sys

import gi

gi.require_version("Sandlock", "1")
from gi.repository import GLib, Sandlock  # noqa: E402

DENIED_PATH = "/etc/shadow"


# A handler is a subclass of Sandlock.Handler overriding do_handle.
class OpenFilter(Sandlock.Handler):
    def do_handle(self, notification):
        # openat (dirfd, pathname, flags, mode): the path is argument 1. If it
        # cannot be read, the GLib.Error raised makes the exception policy
        # answer.
        path = notification.read_string(notification.get_arg(1), 4096)

        if path == DENIED_PATH:
            print("open %-30s denied by the handler (EACCES)" % path)
            # A decision taken from the child's memory: answer it, never continue.
            # Even so this denial is a demonstration, not a protection: another
            # thread of the child could change the path after this check, and the
            # other opens do continue. What protects a file is not granting it to
            # Landlock (this example grants all of /etc to show the handler).
            return Sandlock.Action.new_errno(errno.EACCES)

        print("open %-30s passed on to Landlock" % path)
        return Sandlock.Action.new_continue()


def main(argv):
    command = argv[1:] or ["sh", "-c", "cat /etc/hostname; cat " + DENIED_PATH]

    sandbox = Sandlock.Sandbox(fs_readable=["/usr", "/lib", "/lib64", "/bin", "/etc"],
                               # The command gets PATH and a few basics, not
                               # this program's whole environment.
                               clean_env=True,
                               # The C locale spares the child (and this
                               # output) the locale files.
                               env=["LC_ALL=C"],
                               timeout=30)
    sandbox.add_handler("openat", OpenFilter())

    # run() drives its own main context: the handler runs in this thread.
    result = sandbox.run(command, None, None)

    out = sys.stdout
    out.write("--- stdout\n")
    out.write(result.get_stdout().get_data().decode(errors="replace"))
    out.write("--- stderr\n")
    out.write(result.get_stderr().get_data().decode(errors="replace"))
    out.write("--- exit status %d%s\n" % (result.get_exit_status(),
                                          " (timed out)" if result.get_timed_out() else ""))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except GLib.Error as error:
        print(error.message, file=sys.stderr)
        sys.exit(1)
