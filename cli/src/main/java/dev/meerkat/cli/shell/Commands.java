package dev.meerkat.cli.shell;

import dev.meerkat.client.BlockingMeerkat;
import dev.meerkat.client.Children;
import dev.meerkat.client.MeerkatException;
import dev.meerkat.client.NodeAcl;
import dev.meerkat.client.NodeData;
import dev.meerkat.client.Transaction;
import dev.meerkat.client.WatchMode;
import dev.meerkat.client.WatchType;
import dev.meerkat.client.Watcher;
import dev.meerkat.protocol.Code;
import dev.meerkat.protocol.CreateMode;
import dev.meerkat.protocol.PathUtils;
import dev.meerkat.protocol.record.ACL;
import dev.meerkat.protocol.record.ClientInfo;
import dev.meerkat.protocol.record.Stat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;

/**
 * The commands that talk to the server, each as zkCli 3.9 runs it: the same options, the same
 * argument checks and usage lines, the same output and error words.
 */
final class Commands {
    /** A command's name and syntax as the usage text lists them. */
    record Spec(String name, String syntax, boolean local) {
    }

    private static final String NL = System.lineSeparator();
    private static final long MAX_TTL = 0xFF_FFFF_FFFFL;
    private static final String ADD_WATCH_SYNTAX = "[-m mode] path # optional mode is one of "
            + Arrays.toString(WatchMode.values()) + " - default is " + WatchMode.PERSISTENT_RECURSIVE.name();
    // zkCli prints the option list of these two with their usage (Commons CLI's HelpFormatter)
    private static final String GET_USAGE = "get [-s] [-w] [-b] [-x] path" + NL
            + " -b   Output data in base64 format" + NL
            + " -s   Print znode stats additionally" + NL
            + " -w   Watch for changes on the znode" + NL
            + " -x   Output data in hexdump format" + NL;
    private static final String SET_USAGE = "set path data [-s] [-v version] [-b]" + NL
            + " -b         Supply data in base64 format" + NL
            + " -s         Print znode stats additionally" + NL
            + " -v <arg>   Set with an expected version" + NL;
    private static final String LS_HELP = "usage: ls [options] path" + NL
            + " -?   help" + NL
            + " -R   recurse" + NL
            + " -s   stat" + NL
            + " -w   watch";

    /** Every command, by name, sorted as zkCli sorts its usage text. */
    static final Map<String, Spec> SPECS;

    static {
        Map<String, Spec> m = new TreeMap<>();
        for (Spec s : List.of(
                new Spec("addWatch", ADD_WATCH_SYNTAX, false),
                new Spec("addauth", "scheme auth", false),
                new Spec("close", "", false),
                new Spec("connect", "host:port", true),
                new Spec("create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]", false),
                new Spec("delete", "[-v version] path", false),
                new Spec("deleteall", "path [-b batch size]", false),
                new Spec("get", "[-s] [-w] [-b] [-x] path", false),
                new Spec("getAcl", "[-s] path", false),
                new Spec("getAllChildrenNumber", "path", false),
                new Spec("getEphemerals", "path", false),
                new Spec("history", "", true),
                new Spec("ls", "[-s] [-w] [-R] path", false),
                new Spec("printwatches", "on|off", true),
                new Spec("quit", "", true),
                new Spec("redo", "cmdno", true),
                new Spec("removewatches", "path [-c|-d|-a] [-l]", false),
                new Spec("set", "path data [-s] [-v version] [-b]", false),
                new Spec("setAcl", "[-s] [-v version] [-R] path acl", false),
                new Spec("stat", "[-w] path", false),
                new Spec("sync", "path", false),
                new Spec("whoami", "", false))) {
            m.put(s.name(), s);
        }
        SPECS = Collections.unmodifiableMap(m);
    }

    private final Shell shell;

    Commands(Shell shell) {
        this.shell = shell;
    }

    private BlockingMeerkat zk() {
        return shell.zk();
    }

    private PrintStream out() {
        return shell.out();
    }

    private PrintStream err() {
        return shell.err();
    }

    private static String usage(String name) {
        Spec s = SPECS.get(name);
        return s.name() + " " + s.syntax();
    }

    /** Runs a server command; {@code words[0]} is its name. */
    void run(String cmd, String[] words) throws ShellException, InterruptedException {
        try {
            switch (cmd) {
                case "addWatch" -> addWatch(words);
                case "addauth" -> addAuth(words);
                case "close" -> shell.closeClient();
                case "create" -> create(words);
                case "delete" -> delete(words);
                case "deleteall" -> deleteAll(words);
                case "get" -> get(words);
                case "getAcl" -> getAcl(words);
                case "getAllChildrenNumber" -> getAllChildrenNumber(words);
                case "getEphemerals" -> getEphemerals(words);
                case "ls" -> ls(words);
                case "removewatches" -> removeWatches(words);
                case "set" -> set(words);
                case "setAcl" -> setAcl(words);
                case "stat" -> stat(words);
                case "sync" -> sync(words);
                case "whoami" -> whoAmI();
                default -> throw new IllegalStateException("no server command " + cmd);
            }
        } catch (MeerkatException e) {
            throw new ShellException(Formats.error(e));
        } catch (IllegalArgumentException e) {
            // an invalid path, as ZooKeeper's client refuses it (zkCli's MalformedPathException)
            throw new ShellException(e.getMessage());
        }
    }

    private static ParsedOptions parse(String[] words, String spec) throws ShellException {
        return ParsedOptions.parse(Arrays.asList(words), spec);
    }

    /** zkCli's retainCompatibility: {@code get path watch} means {@code get -w path}. */
    private static ParsedOptions watchCompatibility(String[] words, ParsedOptions p, String spec, String message,
                                                    PrintStream err) throws ShellException {
        if (p.argCount() <= 2) {
            return p;
        }
        words[2] = "-w";
        err.println(message);
        return parse(words, spec);
    }

    private Watcher watch(boolean watch) {
        return watch ? shell.watcher() : null;
    }

    private static int intOption(ParsedOptions p, char option, int otherwise) throws ShellException {
        String v = p.value(option);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ShellException("-" + option + " argument must be an int value");
        }
    }

    private void printStat(Stat stat) {
        out().println(Formats.stat(stat));
    }

    // ------------------------------------------------------------------ commands

    private void create(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "esct:");
        if (p.argCount() < 2) {
            throw new ShellException(usage("create"));
        }
        boolean e = p.has('e');
        boolean s = p.has('s');
        boolean c = p.has('c');
        boolean t = p.has('t');
        if (c && (e || s)) {
            throw new ShellException("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        }
        long ttl = 0;
        if (t) {
            try {
                ttl = Long.parseLong(p.value('t'));
            } catch (NumberFormatException ex) {
                throw new ShellException("-t argument must be a long value");
            }
        }
        if (t && e) {
            throw new ShellException("TTLs cannot be used with Ephemeral znodes");
        }
        if (t && c) {
            throw new ShellException("TTLs cannot be used with Container znodes");
        }
        CreateMode mode;
        if (e && s) {
            mode = CreateMode.EPHEMERAL_SEQUENTIAL;
        } else if (e) {
            mode = CreateMode.EPHEMERAL;
        } else if (s) {
            mode = t ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
        } else if (c) {
            mode = CreateMode.CONTAINER;
        } else {
            mode = t ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
        }
        if (t && (ttl <= 0 || ttl > MAX_TTL)) {
            throw new ShellException("ttl must be positive and cannot be larger than: " + MAX_TTL);
        }
        String path = p.arg(1);
        byte[] data = p.argCount() > 2 ? p.arg(2).getBytes(StandardCharsets.UTF_8) : null;
        List<ACL> acl = p.argCount() > 3 ? AclParser.parse(p.arg(3), err()) : ACL.OPEN_ACL_UNSAFE;
        try {
            String created = t
                    ? zk().create(path, data, acl, mode, ttl).path()
                    : zk().create(path, data, acl, mode).path();
            err().println("Created " + created);
        } catch (MeerkatException.InvalidAcl ex) {
            // ZooKeeper's client refuses an empty ACL itself, with no path in the exception
            String reported = acl.isEmpty() ? null : ex.path();
            err().println(Formats.keeperMessage(Code.INVALIDACL, reported));
            throw new ShellException(Formats.error(Code.INVALIDACL, reported));
        }
    }

    private void ls(String[] words) throws ShellException, MeerkatException, InterruptedException {
        String spec = "?swR";
        ParsedOptions p = parse(words, spec);
        if (p.has('?')) {
            out().println(LS_HELP);
        }
        p = watchCompatibility(words, p, spec,
                "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.", err());
        if (p.argCount() < 2) {
            throw new ShellException(usage("ls"));
        }
        String path = p.arg(1);
        boolean watch = p.has('w');
        if (p.has('R')) {
            visitSubTree(path, watch, out()::println);
        } else if (p.has('s')) {
            Children children = zk().getChildrenWithStat(path, watch(watch));
            printChildren(children.names());
            printStat(children.stat());
        } else {
            printChildren(zk().getChildren(path, watch(watch)));
        }
    }

    private void printChildren(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted);
        out().println("[" + String.join(", ", sorted) + "]");
    }

    /**
     * ZKUtil.visitSubTreeDFS: the node (which must exist), then depth first each node's children,
     * sorted, all of a node's children before the children's own; a node deleted meanwhile is
     * skipped.
     */
    private void visitSubTree(String path, boolean watch, PathVisitor visitor)
            throws MeerkatException, InterruptedException {
        PathUtils.validatePath(path);
        zk().getData(path, watch(watch));
        visitor.visit(path);
        visitChildren(path, watch, visitor);
    }

    private void visitChildren(String path, boolean watch, PathVisitor visitor)
            throws MeerkatException, InterruptedException {
        List<String> children;
        try {
            children = new ArrayList<>(zk().getChildren(path, watch(watch)));
        } catch (MeerkatException.NoNode e) {
            return;
        }
        Collections.sort(children);
        String prefix = path.equals("/") ? "/" : path + "/";
        for (String child : children) {
            visitor.visit(prefix + child);
        }
        for (String child : children) {
            visitChildren(prefix + child, watch, visitor);
        }
    }

    @FunctionalInterface
    private interface PathVisitor {
        void visit(String path) throws MeerkatException, InterruptedException;
    }

    private void get(String[] words) throws ShellException, MeerkatException, InterruptedException {
        String spec = "swbx";
        ParsedOptions p = parse(words, spec);
        if (p.argCount() < 2) {
            throw new ShellException(GET_USAGE);
        }
        p = watchCompatibility(words, p, spec,
                "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.", err());
        NodeData node = zk().getData(p.arg(1), watch(p.has('w')));
        byte[] data = node.data() == null ? "null".getBytes(StandardCharsets.UTF_8) : node.data();
        String text;
        if (p.has('x')) {
            text = Formats.hexDump(data);
        } else if (p.has('b')) {
            text = Formats.base64(data);
        } else {
            text = Formats.plain(data);
        }
        out().println(text);
        if (p.has('s')) {
            printStat(node.stat());
        }
    }

    private void set(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "sv:b");
        if (p.argCount() < 3) {
            throw new ShellException(SET_USAGE);
        }
        byte[] data;
        if (p.has('b')) {
            try {
                data = Base64.getDecoder().decode(p.arg(2));
            } catch (IllegalArgumentException e) {
                throw new ShellException(e.getMessage());
            }
        } else {
            data = p.arg(2).getBytes(StandardCharsets.UTF_8);
        }
        int version = intOption(p, 'v', -1);
        Stat stat = zk().setData(p.arg(1), data, version);
        if (p.has('s')) {
            printStat(stat);
        }
    }

    private void delete(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "v:");
        if (p.argCount() < 2) {
            throw new ShellException(usage("delete"));
        }
        if (p.argCount() > 2) {
            err().println("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
        }
        int version = intOption(p, 'v', -1);
        zk().delete(p.arg(1), version);
    }

    private void deleteAll(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "b:");
        if (p.argCount() < 2) {
            throw new ShellException(usage("deleteall"));
        }
        int batch = intOption(p, 'b', 1000);
        String root = p.arg(1);
        PathUtils.validatePath(root);
        List<String> tree = subTreeBreadthFirst(root);
        if (batch > 0) {
            if (!deleteInBatches(tree, batch)) {
                err().println("Failed to delete some node(s) in the subtree!");
            }
        } else {
            for (int i = tree.size() - 1; i >= 0; --i) {
                zk().delete(tree.get(i), -1);
            }
        }
    }

    /** ZKUtil.listSubTreeBFS: the node and all its descendants, breadth first. */
    private List<String> subTreeBreadthFirst(String root) throws MeerkatException, InterruptedException {
        Queue<String> queue = new ArrayDeque<>();
        List<String> tree = new ArrayList<>();
        queue.add(root);
        tree.add(root);
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String child : zk().getChildren(node)) {
                String childPath = (node.equals("/") ? "" : node) + "/" + child;
                queue.add(childPath);
                tree.add(childPath);
            }
        }
        return tree;
    }

    /** Deletes leaves first, {@code batch} deletes per transaction; stops at the first that fails. */
    private boolean deleteInBatches(List<String> tree, int batch) throws InterruptedException {
        Transaction txn = shell.client().transaction();
        for (int i = tree.size() - 1; i >= 0; --i) {
            txn.delete(tree.get(i), -1);
            if (txn.size() == batch || i == 0) {
                try {
                    zk().commit(txn);
                } catch (MeerkatException e) {
                    return false;
                }
                txn = shell.client().transaction();
            }
        }
        return true;
    }

    private void stat(String[] words) throws ShellException, MeerkatException, InterruptedException {
        String spec = "w";
        ParsedOptions p = parse(words, spec);
        if (p.argCount() < 2) {
            throw new ShellException(usage("stat"));
        }
        p = watchCompatibility(words, p, spec,
                "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.", err());
        String path = p.arg(1);
        Optional<Stat> stat = zk().exists(path, watch(p.has('w')));
        if (stat.isEmpty()) {
            throw new ShellException(Formats.error(Code.NONODE, path));
        }
        printStat(stat.get());
    }

    private void sync(String[] words) throws ShellException, InterruptedException {
        ParsedOptions p = parse(words, "");
        if (p.argCount() < 2) {
            throw new ShellException(usage("sync"));
        }
        try {
            zk().sync(p.arg(1));
            out().println("Sync is OK");
        } catch (MeerkatException e) {
            out().println("Sync has failed. rc=" + e.code().intValue());
        }
    }

    private void getAcl(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "s");
        if (p.argCount() < 2) {
            throw new ShellException(usage("getAcl"));
        }
        NodeAcl acl = zk().getACL(p.arg(1));
        for (ACL a : acl.acl()) {
            out().println(Formats.acl(a));
        }
        if (p.has('s')) {
            printStat(acl.stat());
        }
    }

    private void setAcl(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "sv:R");
        if (p.argCount() < 3) {
            throw new ShellException(usage("setAcl"));
        }
        String path = p.arg(1);
        List<ACL> acl = AclParser.parse(p.arg(2), err());
        int version = intOption(p, 'v', -1);
        if (p.has('R')) {
            // as zkCli: a node that fails gets its error printed (without a line break) and the rest go on
            visitSubTree(path, false, node -> {
                try {
                    zk().setACL(node, acl, version);
                } catch (MeerkatException e) {
                    out().print(Formats.keeperMessage(e.code(), e.path()));
                }
            });
        } else {
            Stat stat = zk().setACL(path, acl, version);
            if (p.has('s')) {
                printStat(stat);
            }
        }
    }

    private void addAuth(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "");
        if (p.argCount() < 2) {
            throw new ShellException(usage("addauth"));
        }
        byte[] auth = p.argCount() >= 3 ? p.arg(2).getBytes(StandardCharsets.UTF_8) : new byte[0];
        try {
            zk().addAuthInfo(p.arg(1), auth);
        } catch (MeerkatException.AuthFailed e) {
            // zkCli hears of refused credentials as this event; our client keeps the session
            shell.printEvent(Shell.noneEvent("AuthFailed"));
            throw new ShellException(null);
        }
    }

    private void addWatch(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "m:");
        if (p.argCount() != 2) {
            throw new ShellException(usage("addWatch"));
        }
        WatchMode mode = WatchMode.PERSISTENT_RECURSIVE;
        if (p.has('m')) {
            try {
                mode = WatchMode.valueOf(p.value('m').toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ShellException(usage("addWatch"));
            }
        }
        zk().addWatch(p.arg(1), shell.watcher(), mode);
    }

    private void removeWatches(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "cdpral");
        if (p.argCount() < 2) {
            throw new ShellException(usage("removewatches"));
        }
        WatchType type = WatchType.ANY;
        if (p.has('c')) {
            type = WatchType.CHILDREN;
        } else if (p.has('d')) {
            type = WatchType.DATA;
        } else if (p.has('p')) {
            type = WatchType.PERSISTENT;
        } else if (p.has('r')) {
            type = WatchType.PERSISTENT_RECURSIVE;
        }
        zk().removeAllWatches(p.arg(1), type, p.has('l'));
    }

    private void getEphemerals(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "");
        List<String> ephemerals = p.argCount() < 2 ? zk().getEphemerals() : zk().getEphemerals(p.arg(1));
        out().println(ephemerals);
    }

    private void getAllChildrenNumber(String[] words) throws ShellException, MeerkatException, InterruptedException {
        ParsedOptions p = parse(words, "");
        if (p.argCount() < 2) {
            throw new ShellException(usage("getAllChildrenNumber"));
        }
        out().println(zk().getAllChildrenNumber(p.arg(1)));
    }

    private void whoAmI() throws MeerkatException, InterruptedException {
        List<ClientInfo> infos = zk().whoAmI();
        out().println("Auth scheme: User");
        for (ClientInfo info : infos) {
            out().println(info.authScheme() + ": " + info.user());
        }
    }
}
