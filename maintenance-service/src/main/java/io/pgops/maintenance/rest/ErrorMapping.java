package io.pgops.maintenance.rest;

import io.pgops.kit.rest.Problems;
import io.pgops.maintenance.domain.CatalogueCheck;
import io.pgops.maintenance.service.ClusterNodes;
import io.pgops.maintenance.service.MaintenanceRunner;
import io.pgops.maintenance.service.Migrations;
import io.pgops.maintenance.service.NodeSql;
import io.pgops.maintenance.service.Reports;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The service's refusals as problem+json, each with its status. */
public class ErrorMapping {
    private static final Logger LOG = Logger.getLogger(ErrorMapping.class);

    @ServerExceptionMapper
    public Response unknownCluster(ClusterNodes.UnknownCluster e) {
        return Problems.response(404, "Unknown cluster", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownNode(ClusterNodes.UnknownNode e) {
        return Problems.response(404, "Unknown node", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknownObject(CatalogueCheck.UnknownObject e) {
        return Problems.response(422, "Unknown object", e.getMessage());
    }

    @ServerExceptionMapper
    public Response refused(MaintenanceRunner.Refused e) {
        return Problems.response(422, "Refused", e.getMessage());
    }

    @ServerExceptionMapper
    public Response alreadyRunning(MaintenanceRunner.AlreadyRunning e) {
        return Problems.response(409, "Run in progress", e.getMessage());
    }

    @ServerExceptionMapper
    public Response postponed(MaintenanceRunner.Postponed e) {
        return Problems.response(409, "Leadership change in progress", e.getMessage());
    }

    @ServerExceptionMapper
    public Response migrationRefused(Migrations.Refused e) {
        return Problems.response(422, "Migration refused", e.getMessage());
    }

    @ServerExceptionMapper
    public Response migrationConflict(Migrations.Conflict e) {
        return Problems.response(409, "Version applied or under way", e.getMessage());
    }

    @ServerExceptionMapper
    public Response migrationTooLarge(Migrations.TooLarge e) {
        return Problems.response(413, "Script too large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response extensionMissing(Reports.ExtensionMissing e) {
        return Problems.response(409, "pg_stat_statements not available", e.getMessage());
    }

    @ServerExceptionMapper
    public Response noPrimary(ClusterNodes.NoPrimary e) {
        return Problems.response(503, "No primary", e.getMessage());
    }

    @ServerExceptionMapper
    public Response sql(NodeSql.SqlFailure e) {
        LOG.warnf("a statement on %s failed: %s", e.node(), e.getMessage());
        return Problems.response(
                503,
                "Node did not answer",
                e.node().value() + ": " + e.getMessage()
                        + (e.sqlState() == null ? "" : " (SQLSTATE " + e.sqlState() + ")"));
    }
}
