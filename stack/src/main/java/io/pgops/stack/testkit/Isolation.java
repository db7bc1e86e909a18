package io.pgops.stack.testkit;

import java.util.List;

/**
 * One agent's routes to Kafka and to its peers, which a test cuts as a network partition would.
 *
 * @param node the node whose agent is isolable
 */
public record Isolation(String node, TcpProxy kafka, List<TcpProxy> peers) {
    /** Cuts the agent off from Kafka and its peers (connections refused, open ones broken). */
    public void cut() {
        kafka.cut();
        peers.forEach(TcpProxy::cut);
    }

    /** Ends the cut. */
    public void restore() {
        kafka.restore();
        peers.forEach(TcpProxy::restore);
    }
}
