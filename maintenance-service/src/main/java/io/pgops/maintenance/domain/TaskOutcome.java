package io.pgops.maintenance.domain;

/**
 * What a task changed: dead tuples and size before and after, the space given back and a summary in words.
 *
 * @param deadTuplesBefore {@code null} if not measured
 * @param deadTuplesAfter {@code null} if not measured
 * @param sizeBytesBefore {@code null} if the target did not exist
 * @param sizeBytesAfter {@code null} if the target no longer exists (a dropped index)
 */
public record TaskOutcome(Long deadTuplesBefore, Long deadTuplesAfter, Long sizeBytesBefore, Long sizeBytesAfter) {

    /** Size before minus after (a dropped object gives back all of it); never negative. */
    public long reclaimedBytes() {
        if (sizeBytesBefore == null) {
            return 0;
        }
        long after = sizeBytesAfter == null ? 0 : sizeBytesAfter;
        return Math.max(0, sizeBytesBefore - after);
    }

    /** E.g. {@code "vacuum of public.orders: dead tuples 50,000 -> 0; size 3.6 MiB -> 3.6 MiB"}. */
    public String summary(TaskKind kind, ObjectName target) {
        StringBuilder s = new StringBuilder(kind + " of " + target.text() + ":");
        if (deadTuplesBefore != null && deadTuplesAfter != null) {
            s.append(" dead tuples ")
                    .append(Figures.count(deadTuplesBefore))
                    .append(" -> ")
                    .append(Figures.count(deadTuplesAfter))
                    .append(";");
        }
        if (sizeBytesBefore != null) {
            s.append(" size ")
                    .append(Figures.bytes(sizeBytesBefore))
                    .append(" -> ")
                    .append(sizeBytesAfter == null ? "dropped" : Figures.bytes(sizeBytesAfter));
        } else {
            s.append(" size not measured");
        }
        return s.toString();
    }
}
