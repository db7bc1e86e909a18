package io.pgops.maintenance.rest;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.kit.security.Roles;
import io.pgops.maintenance.service.ReportedHosts;
import io.pgops.maintenance.service.Reports;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The DBA's reports, read on the primary unless {@code ?node=} names another node of the inventory. Errors are
 * problem+json: unknown cluster or node 404, pg_stat_statements missing 409, no primary or a node that does not
 * answer 503.
 */
@Path("/clusters/{id}/reports")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed({Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN})
public class ReportResource {
    private final Reports reports;
    private final ReportedHosts hosts;

    public ReportResource(Reports reports, ReportedHosts hosts) {
        this.reports = reports;
        this.hosts = hosts;
    }

    /**
     * Each node's host settings as its agent last reported them ({@code HostFactsReported}): {@code vm.swappiness},
     * overcommit, transparent huge pages, the data directory's mount options, storage, RAM and CPUs, each with the
     * recommended value, a verdict ({@code OK}, {@code CHANGE}, {@code UNKNOWN}, {@code INFO}) and why.
     */
    @GET
    @Path("/host")
    public ReportedHosts.HostReport host(@PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id) {
        return hosts.report(ClusterId.of(id));
    }

    /** Tables whose dead tuples or stale statistics make a vacuum or analyze task, with the reason in numbers. */
    @GET
    @Path("/vacuum-candidates")
    public Reports.Report<?> vacuumCandidates(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.vacuumCandidates(ClusterId.of(id), node);
    }

    /** Invalid (with the remedy a run applies), duplicate and unused indexes. */
    @GET
    @Path("/indexes")
    public Reports.Report<?> indexes(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.indexes(ClusterId.of(id), node);
    }

    /** Estimated table bloat, the most first. */
    @GET
    @Path("/bloat")
    public Reports.Report<?> bloat(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.bloat(ClusterId.of(id), node);
    }

    /** A work_mem recommendation from temporary files. */
    @GET
    @Path("/work-mem")
    public Reports.Report<?> workMem(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.workMem(ClusterId.of(id), node);
    }

    /** Client connections by database, user, application and state. */
    @GET
    @Path("/connections")
    public Reports.Report<?> connections(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.connections(ClusterId.of(id), node);
    }

    /** Who blocks whom, as trees. */
    @GET
    @Path("/blocking")
    public Reports.Report<?> blocking(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.blocking(ClusterId.of(id), node);
    }

    /** The statements that took the most time (pg_stat_statements), with their share of the total. */
    @GET
    @Path("/top-queries")
    public Reports.Report<?> topQueries(
            @PathParam("id") @Pattern(regexp = ClusterId.PATTERN) String id,
            @QueryParam("node") @Pattern(regexp = NodeName.PATTERN) String node) {
        return reports.topQueries(ClusterId.of(id), node);
    }
}
