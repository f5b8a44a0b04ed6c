package dev.meerkat.cli.shell;

import dev.meerkat.protocol.Perms;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.Id;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * zkCli's ACL syntax: entries {@code scheme:id:perms} separated by commas, e.g.
 * {@code world:anyone:r,digest:bob:Xh2n...=:cdrwa,auth::cdrwa}. The id runs from the first to the
 * last colon, so digest ids keep theirs. Like zkCli it skips a malformed entry and an unknown
 * permission letter with a line on stderr, and leaves the server (or the empty list) to refuse
 * what is left.
 */
final class AclParser {
    private AclParser() {
    }

    static List<ACL> parse(String text, PrintStream err) {
        List<ACL> acl = new ArrayList<>();
        for (String a : text.split(",")) {
            int first = a.indexOf(':');
            int last = a.lastIndexOf(':');
            if (first == -1 || first == last) {
                err.println(a + " does not have the form scheme:id:perm");
                continue;
            }
            acl.add(new ACL(perms(a.substring(last + 1), err), new Id(a.substring(0, first), a.substring(first + 1, last))));
        }
        return acl;
    }

    private static int perms(String letters, PrintStream err) {
        int perms = 0;
        for (int i = 0; i < letters.length(); i++) {
            switch (letters.charAt(i)) {
                case 'r' -> perms |= Perms.READ;
                case 'w' -> perms |= Perms.WRITE;
                case 'c' -> perms |= Perms.CREATE;
                case 'd' -> perms |= Perms.DELETE;
                case 'a' -> perms |= Perms.ADMIN;
                default -> err.println("Unknown perm type: " + letters.charAt(i));
            }
        }
        return perms;
    }
}
