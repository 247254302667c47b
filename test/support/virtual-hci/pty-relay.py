"""Opens one pseudo-terminal and relays its master side to stdin/stdout (raw bytes).

Prints the slave path (the "serial port" a host opens) as the first line on stderr. Keeps a slave
descriptor open so the master never sees EIO between host sessions. Exits when stdin closes.
Used by test/support/virtual-hci/pty.ts; python3 because Node cannot create a pty without a
native module.
"""
import os
import select
import sys
import tty

master, slave = os.openpty()
tty.setraw(slave)
sys.stderr.write(os.ttyname(slave) + "\n")
sys.stderr.flush()
stdin = sys.stdin.fileno()
stdout = sys.stdout.fileno()
while True:
    ready, _, _ = select.select([master, stdin], [], [])
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            os.write(stdout, data)
    if stdin in ready:
        data = os.read(stdin, 65536)
        if not data:
            break
        view = memoryview(data)
        while view:
            written = os.write(master, view)
            view = view[written:]
