package org.j386.kernel.ns;

/**
 * A UTS namespace: the node name (hostname) and NIS domain name that uname reports and
 * sethostname/setdomainname change. The other uname fields are the kernel's own and the same
 * in every namespace. unshare and clone with CLONE_NEWUTS give a task a copy.
 */
public final class UtsNamespace {
    /** Longest name, bytes (__NEW_UTS_LEN). */
    public static final int MAX_LEN = 64;

    public String hostname;
    public String domainname;

    public UtsNamespace(String hostname, String domainname) {
        this.hostname = hostname;
        this.domainname = domainname;
    }

    public UtsNamespace copy() {
        return new UtsNamespace(hostname, domainname);
    }
}
