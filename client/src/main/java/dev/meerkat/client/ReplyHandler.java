package dev.meerkat.client;

import dev.meerkat.protocol.jute.JuteException;
import dev.meerkat.protocol.jute.JuteInput;

/**
 * Turns a reply into a result, on the I/O loop, in reply order: {@code err} is the ReplyHeader's
 * code and {@code body} what follows it (empty when err is not 0). It is also where one-shot
 * watches get registered, because a notification that follows the reply must find its watcher.
 */
@FunctionalInterface
interface ReplyHandler<T> {
    T handle(int err, JuteInput body) throws MeerkatException, JuteException;
}
