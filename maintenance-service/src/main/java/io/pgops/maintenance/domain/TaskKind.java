package io.pgops.maintenance.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a maintenance task does, with its wire code (the {@code task} of the maintenance events) and its one
 * statement. Each statement takes only a name quoted by {@link ObjectName#quoted()}.
 */
public enum TaskKind {
    /** Removes dead tuples and refreshes statistics. */
    VACUUM("vacuum", Target.TABLE, 3),
    /** Refreshes stale statistics. */
    ANALYZE("analyze", Target.TABLE, 4),
    /** Rebuilds an invalid index that a constraint needs, or a bloated valid one, without blocking writes. */
    REINDEX("reindex", Target.INDEX, 2),
    /** Drops an INVALID index left by a failed concurrent build, without blocking writes. */
    DROP_INVALID_INDEX("drop-invalid-index", Target.INDEX, 1);

    /** What the task works on. */
    public enum Target {
        TABLE,
        INDEX
    }

    private final String code;
    private final Target target;
    private final int order;

    TaskKind(String code, Target target, int order) {
        this.code = code;
        this.target = target;
        this.order = order;
    }

    public String code() {
        return code;
    }

    public Target target() {
        return target;
    }

    /** Where it comes in a plan: cheap index cleanups first, then rebuilds, vacuums, analyzes. */
    int order() {
        return order;
    }

    /** The statement; none of them may run inside a transaction block, so each is sent on its own. */
    public String sql(ObjectName object) {
        String q = object.quoted();
        return switch (this) {
            case VACUUM -> "VACUUM (ANALYZE) " + q;
            case ANALYZE -> "ANALYZE " + q;
            case REINDEX -> "REINDEX INDEX CONCURRENTLY " + q;
            case DROP_INVALID_INDEX -> "DROP INDEX CONCURRENTLY IF EXISTS " + q;
        };
    }

    public static Optional<TaskKind> ofCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}
