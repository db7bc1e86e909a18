package io.pgops.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The metric names a dashboard or a rule file names, and those a live {@code /q/metrics} serves. */
final class MetricNames {
    /** Names of the families the services export (Prometheus' own {@code up} is not one of theirs). */
    private static final Pattern NAME =
            Pattern.compile("\\b(?:pgops|jvm|process|postgresql|kafka|http|netty|system)_[a-z0-9_]+\\b");

    private MetricNames() {}

    /** Every metric name in the files under {@code dir} whose name ends with {@code suffix}. */
    static Set<String> referencedUnder(Path dir, String suffix) {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                Matcher m = NAME.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The sample names in a text-format scrape (without labels and values). */
    static Set<String> served(String scrape) {
        Set<String> out = new TreeSet<>();
        scrape.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0])
                .forEach(out::add);
        return out;
    }
}
