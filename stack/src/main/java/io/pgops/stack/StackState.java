package io.pgops.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the stack started, where: written to {@code <data-dir>/stack.json} by {@code up}, read by
 * {@code status} and {@code stop}. Ports chosen on the first {@code up} are kept for the next one.
 *
 * @param components every process of the stack, in start order
 */
public record StackState(List<Component> components) {

    /**
     * One process of the stack.
     *
     * @param name e.g. "kafka", "node1", "audit-service"
     * @param kind kafka, postgres or service
     * @param port its main loopback port
     * @param pid the process id when last started, 0 if unknown
     * @param marker text that this process's command line contains (guards against pid reuse)
     * @param log its log file
     */
    public record Component(String name, String kind, int port, long pid, String marker, String log) {
        Component withPid(long newPid) {
            return new Component(name, kind, port, newPid, marker, log);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static Optional<StackState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public Optional<Component> find(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A copy with {@code c} replacing the component of the same name (or appended). */
    public StackState with(Component c) {
        List<Component> out = new ArrayList<>(components);
        int i = out.stream().map(Component::name).toList().indexOf(c.name());
        if (i >= 0) {
            out.set(i, c);
        } else {
            out.add(c);
        }
        return new StackState(out);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
