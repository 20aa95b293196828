package org.j386.kernel.fs;

import org.j386.kernel.Errno;
import org.j386.kernel.SyscallException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FdTableTest {
    /** An open file that counts its releases. */
    static final class Probe extends OpenFile {
        int released;
        Probe() { super(Flags.O_RDWR); }
        @Override public Stat stat() { return new Stat(); }
        @Override protected void release() { released++; }
    }

    @Test
    void lowestFreeAndRefcounts() {
        FdTable t = new FdTable();
        Probe p = new Probe();
        assertEquals(0, t.allocate(p, false));
        assertEquals(1, t.dup(0, 0, true));
        assertEquals(5, t.dup(0, 5, false));
        assertEquals(3, p.refs());
        assertTrue(t.closeOnExec(1));
        t.close(0);
        assertEquals(0, p.released);
        assertEquals(0, t.allocate(new Probe(), false));
        FdTable child = t.copy();
        assertEquals(4, p.refs(), "fork shares the open files");
        t.closeAll();
        assertEquals(0, p.released);
        child.closeOnExec();
        assertEquals(1, p.refs());
        assertFalse(child.isOpen(1));
        child.closeAll();
        assertEquals(1, p.released);
        assertEquals(0, child.size());
    }

    @Test
    void limitsAndErrors() {
        FdTable t = new FdTable();
        assertEquals(Errno.EBADF, assertThrows(SyscallException.class, () -> t.get(0)).errno);
        assertEquals(Errno.EBADF, assertThrows(SyscallException.class, () -> t.get(-5)).errno);
        t.setLimit(2);
        t.allocate(new Probe(), false);
        t.allocate(new Probe(), false);
        Probe extra = new Probe();
        assertEquals(Errno.EMFILE, assertThrows(SyscallException.class, () -> t.allocate(extra, false)).errno);
        assertEquals(1, extra.released, "a file that found no slot is released");
        assertEquals(Errno.EBADF, assertThrows(SyscallException.class, () -> t.dupTo(0, 2, false)).errno);
        assertEquals(Errno.EINVAL, assertThrows(SyscallException.class, () -> t.dup(0, 2, false)).errno);
    }

    @Test
    void dupToReplacesAndReleases() {
        FdTable t = new FdTable();
        Probe a = new Probe(), b = new Probe();
        t.allocate(a, false);
        t.allocate(b, false);
        t.dupTo(0, 1, false);
        assertEquals(1, b.released);
        assertSame(a, t.get(1));
        assertEquals(2, a.refs());
        t.dupTo(0, 100, true);
        assertTrue(t.closeOnExec(100));
        assertEquals(101, t.size());
    }
}
