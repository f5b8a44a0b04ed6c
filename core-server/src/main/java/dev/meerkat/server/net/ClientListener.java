package dev.meerkat.server.net;

import dev.meerkat.server.admin.FourLetterWords;
import dev.meerkat.server.config.ServerConfig;
import dev.meerkat.server.request.RequestProcessor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;

/** The client port: accepts connections and gives each its frame decoder and connection handler. */
public final class ClientListener implements AutoCloseable {
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
            Math.max(2, Runtime.getRuntime().availableProcessors()), NioIoHandler.newFactory());
    private final Channel serverChannel;

    public ClientListener(ServerConfig config, RequestProcessor processor, FourLetterWords fourLetterWords)
            throws InterruptedException {
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxClientCnxns());
        int maxFrame = config.juteMaxBuffer();
        // A field may be as large as the frame plus ZooKeeper's default extra size.
        int maxField = maxFrame + Math.max(1024, maxFrame);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frames", new FrameDecoder(maxFrame, fourLetterWords));
                        ch.pipeline().addLast("connection", new ClientConnection(processor, limiter, maxField));
                    }
                });
        InetSocketAddress address = config.clientPortAddress() == null
                ? new InetSocketAddress(config.clientPort())
                : new InetSocketAddress(config.clientPortAddress(), config.clientPort());
        try {
            serverChannel = b.bind(address).sync().channel();
        } catch (Exception e) {
            // also a BindException, which Netty throws unchecked
            boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
