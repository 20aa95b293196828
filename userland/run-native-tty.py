#!/usr/bin/env python3
"""Runs the userland's /bin/sh natively on a pseudo-terminal, as the reference for the
interactive-shell tests (UserlandTtyTest), typing a keys file the way `j386 run --tty` does.

usage: run-native-tty.py KEYS OUT STATUS        (as root: chroot, unshare)

Convention (the test reproduces it in j386 with `run --tty` and the root unpacked from the
app jar):
  * a fresh copy of root/ with exactly the entries of root.index and their modes (plus
    dev/null) is the root directory (chroot) and / the working directory;
  * /bin/sh runs with no arguments as pid 1 of a new pid namespace (as the first task is in
    j386), in the session of the pseudo-terminal, whose size is 24x80;
  * the environment is exactly HOME=/ PATH=/bin:/usr/bin TERM=dumb LANG=C; umask 022;
  * the keys are typed one chunk at a time (up to a newline or carriage return, or one of
    ^C ^\\ ^Z ^D alone), each only when every process of the session sleeps (or is stopped)
    and the terminal has been quiet for a while: j386 types a chunk when no task can run;
  * OUT holds what the terminal showed, STATUS the exit status (128+N after signal N).
"""
import fcntl, os, pty, select, shutil, stat, struct, sys, tempfile, termios, time

QUIET = 0.3  # seconds without output and with every process asleep before the next chunk
HERE = os.path.dirname(os.path.abspath(__file__))


# The typing rule and the idle test are the tests/guest runner's, so both references type alike.
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'guest'))
native_tty = __import__('run-native-tty')
chunks, session_idle = native_tty.chunks, native_tty.session_idle


def make_root(tmp):
    with open(os.path.join(HERE, 'root.index')) as index:
        for line in index:
            if not line.strip():
                continue
            kind, mode, path = line.split(' ', 2)
            path = path.rstrip('\n')
            dst = os.path.join(tmp, path)
            if kind == 'd':
                os.makedirs(dst, exist_ok=True)
            else:
                shutil.copyfile(os.path.join(HERE, 'root', path), dst)
            os.chmod(dst, int(mode, 8))
    os.mkdir(os.path.join(tmp, 'dev'))
    os.mknod(os.path.join(tmp, 'dev/null'), 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.chmod(os.path.join(tmp, 'dev/null'), 0o666)


def main():
    keys, out_path, status_path = sys.argv[1:4]
    if os.geteuid() != 0:
        sys.exit('run-native-tty.py: must run as root (chroot, unshare)')
    todo = chunks(open(keys, 'rb').read())
    tmp = tempfile.mkdtemp(prefix='j386-userland-tty.')
    try:
        make_root(tmp)
        os.umask(0o022)
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(shutil.which('unshare'), ['unshare', '--pid', '--fork', shutil.which('chroot'), tmp, '/bin/sh'],
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
    finally:
        shutil.rmtree(tmp)


main()
