#!/usr/bin/env python3
"""Runs an i386 test program natively on a pseudo-terminal, typing its keys file in the way
`j386 run --tty` does: one chunk at a time (up to a newline, carriage return, or one of the
keys ^C ^\\ ^Z ^D), each only when every process of the program's session sleeps and the
terminal has been quiet for a while. Records what the terminal showed and the exit status.

usage: run-native-tty.py BINARY NAME KEYS OUT STATUS
"""
import fcntl, os, pty, select, struct, sys, termios, time

QUIET = 0.15  # seconds without output and with every process asleep before the next chunk

def chunks(data):
    out, cur = [], bytearray()
    for b in data:
        cur.append(b)
        if b in (10, 13, 3, 0o34, 0o32, 4):
            out.append(bytes(cur)); cur = bytearray()
    if cur:
        out.append(bytes(cur))
    return out

def session_idle(sid):
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % p) as f:
                s = f.read()
        except OSError:
            continue
        fields = s[s.rindex(')') + 2:].split()
        if int(fields[3]) == sid and fields[0] in ('R', 'D'):
            return False
    return True

def main():
    binary, name, keys, out_path, status_path = sys.argv[1:6]
    todo = chunks(open(keys, 'rb').read())
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(os.path.dirname(os.path.abspath(binary)) or '.')
        os.execve(os.path.abspath(binary), ['./' + name],
                  {'HOME': '/', 'PATH': '/bin:/usr/bin', 'TERM': 'dumb', 'LANG': 'C'})
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    shown = bytearray()
    last = time.monotonic()
    status = None
    while True:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b''
            if not data:
                break
            shown += data
            last = time.monotonic()
            continue
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
        if todo and time.monotonic() - last > QUIET and session_idle(pid):
            os.write(fd, todo.pop(0))
            last = time.monotonic()
    if status is None:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    open(out_path, 'wb').write(bytes(shown))
    open(status_path, 'w').write('%d\n' % (code if code >= 0 else 128 - code))

if __name__ == '__main__':
    main()
