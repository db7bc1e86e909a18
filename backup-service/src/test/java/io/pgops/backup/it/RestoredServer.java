package io.pgops.backup.it;

import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.nio.file.Path;
import java.util.List;

/** A server a test restored and started with its socket in its data directory: asked with psql, stopped after. */
public final class RestoredServer {
    private RestoredServer() {}

    /** One query's unaligned, tuples-only answer, as {@code postgres} over the data directory's socket. */
    public static String query(Path dataDir, int port, String sql) {
        return Cmd.of(
                        PgBinaries.locate().tool("psql"),
                        "-X",
                        "-A",
                        "-t",
                        "-h",
                        dataDir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "postgres",
                        "-d",
                        "postgres",
                        "-c",
                        sql)
                .timeoutSeconds(60)
                .run()
                .strip();
    }

    /** Stops each (immediate); one that is not running is passed over. */
    public static void stopAll(List<Path> dataDirs) {
        for (Path dir : dataDirs) {
            Cmd.of(PgBinaries.locate().tool("pg_ctl"), "-D", dir.toString(), "-m", "immediate", "-w", "stop")
                    .as(OsUser.forPostgres())
                    .timeoutSeconds(60)
                    .tryRun();
        }
    }
}
