package io.pgops.health.domain;

/** How bad a breached check is: the one-shot report fails on CRITICAL by default. */
public enum Severity {
    WARNING,
    CRITICAL
}
