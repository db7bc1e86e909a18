package io.pgops.stack.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback from one port to another, which a test can cut: {@link #cut} closes the listening
 * socket and every relayed connection, so the client finds the port refusing connections, as when a network
 * partition or a firewall rule separates it from the server; {@link #restore} listens again on the same port.
 * Plain threads (a few connections per test).
 */
public final class TcpProxy implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int port;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    private TcpProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
    }

    /** A relay from {@code port} to {@code targetPort}, both on loopback, listening at once. */
    public static TcpProxy start(int port, int targetPort) {
        TcpProxy p = new TcpProxy(port, targetPort);
        p.restore();
        return p;
    }

    public int port() {
        return port;
    }

    /** Whether the relay is cut. */
    public synchronized boolean isCut() {
        return server == null;
    }

    /** Refuses new connections and breaks every relayed one. */
    public synchronized void cut() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** Listens again (a no-op when not cut). */
    public synchronized void restore() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port));
            server = s;
            thread("pgops-tcp-proxy-accept-" + port, () -> accept(s)).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // cut
            }
            try {
                Socket target = new Socket(LOOPBACK, targetPort);
                synchronized (this) {
                    if (server != s) { // cut while connecting
                        closeQuietly(client);
                        closeQuietly(target);
                        return;
                    }
                    open.add(client);
                    open.add(target);
                }
                relay(client, target);
                relay(target, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void relay(Socket from, Socket to) {
        thread("pgops-tcp-proxy-" + port, () -> {
                    byte[] buf = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side closed or was cut: the other goes too
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                })
                .start();
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
