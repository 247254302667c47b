"""Runs a command on a pseudo-terminal of COLS columns, as on a user's terminal (stdin, stdout and
stderr all the terminal), and copies everything it writes to our stdout, byte for byte.
SIGTERM to us is passed on to the command. Usage: run-in-pty.py COLS -- command args..."""
import fcntl, os, pty, signal, struct, sys, termios

cols = int(sys.argv[1])
argv = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, cols, 0, 0))
os.kill(pid, signal.SIGWINCH)
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
while True:
    try:
        data = os.read(fd, 65536)
    except InterruptedError:
        continue
    except OSError:
        break
    if not data:
        break
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else 0)
