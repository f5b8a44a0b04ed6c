package dev.meerkat.cli.shell;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** Keyboard input for a test terminal: what the test types, byte by byte, then the end of input. */
final class ScriptedInput extends InputStream {
    private static final int END = -1;
    private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

    void type(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    void end() {
        bytes.add(END);
    }

    @Override
    public int read() {
        try {
            int b = bytes.take();
            if (b == END) {
                bytes.add(END);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return END;
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int first = read();
        if (first == END) {
            return END;
        }
        buf[off] = (byte) first;
        int n = 1;
        while (n < len) {
            Integer next = bytes.peek();
            if (next == null || next == END) {
                break;
            }
            buf[off + n++] = (byte) (int) bytes.poll();
        }
        return n;
    }

    @Override
    public int available() {
        Integer next = bytes.peek();
        return next == null || next == END ? 0 : bytes.size();
    }
}
