package org.j386.kernel.fs;

import org.j386.kernel.KernelConfig;
import org.j386.kernel.Kernel;
import org.j386.kernel.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Record lock arithmetic: ranges split on unlock, conflicts only between owners and with a write lock. */
class FileLocksTest {
    @TempDir Path root;

    @Test
    void rangesSplitMergeAndConflict() {
        FsHarness h = new FsHarness(root);
        Kernel k = h.kernel;
        Task a = h.task, b = new Task(k);
        a.pid = a.tgid = 10;
        b.pid = b.tgid = 11;
        k.tasks.put(10, a);
        k.tasks.put(11, b);
        FileLocks l = new FileLocks(k);
        Object key = new Object();
        l.set(key, 10, Flags.F_WRLCK, 0, 10, 10);
        l.set(key, 10, Flags.F_UNLCK, 3, 5, 10);
        assertNull(l.conflict(key, 11, Flags.F_WRLCK, 3, 5), "the hole is free");
        FileLocks.Range r = l.conflict(key, 11, Flags.F_RDLCK, 4, 8);
        assertEquals(5, r.start());
        assertEquals(10, r.end());
        assertEquals(0, l.conflict(key, 11, Flags.F_RDLCK, 0, 1).start());
        assertNull(l.conflict(key, 10, Flags.F_WRLCK, 0, 10), "own locks never conflict");
        l.set(key, 10, Flags.F_RDLCK, 0, Long.MAX_VALUE, 10);
        assertNull(l.conflict(key, 11, Flags.F_RDLCK, 100, 200), "readers share");
        assertNotNull(l.conflict(key, 11, Flags.F_WRLCK, 100, 200));
        a.exited = true;
        assertNull(l.conflict(key, 11, Flags.F_WRLCK, 100, 200), "an exited owner holds nothing");
    }
}
