package io.pgops.audit.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pgops.audit.config.AuditConfig;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.domain.CloudEventAttributes;
import io.pgops.audit.service.AppendPipeline;
import io.pgops.audit.service.AppendResult;
import io.pgops.audit.service.AuditSchema;
import io.pgops.audit.service.AuditWriter;
import io.pgops.audit.service.Received;
import io.pgops.events.MalformedEventException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes every pgops topic in batches and appends them to the hash chain through an {@link
 * AppendPipeline}: the next batch is decoded while earlier ones are written, and batches waiting
 * together are appended in one transaction. A malformed record is nacked on its own with its reason (SmallRye sends it to
 * pgops.deadletter) and the rest of the batch is recorded; the batch is acknowledged — its offsets
 * committed — only once its rows are durable and its dead letters are written.
 */
@ApplicationScoped
public class AuditIngest {
    private static final Logger LOG = Logger.getLogger(AuditIngest.class);

    private final AuditSchema schema;
    private final AuditWriter writer;
    private final AuditConfig config;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter malformed;
    private final DistributionSummary batchSize;
    private final Timer decoding;
    private final Timer appending;
    private final DistributionSummary transactionRows;
    private final AppendPipeline<Received> pipeline;

    public AuditIngest(AuditSchema schema, AuditWriter writer, AuditConfig config, MeterRegistry registry) {
        this.schema = schema;
        this.writer = writer;
        this.config = config;
        this.pipeline = new AppendPipeline<>(
                events -> append(events).subscribeAsCompletionStage(),
                config.ingest().maxInFlight(),
                config.ingest().maxRowsPerTransaction(),
                config.ingest().maxWrites(),
                config.ingest().minRowsToOverlap());
        FunctionCounter.builder("pgops.audit.appends", writer, w -> w.appendsByWay()[0])
                .description("append transactions, by the way they went")
                .tag("way", "usual")
                .register(registry);
        FunctionCounter.builder("pgops.audit.appends", writer, w -> w.appendsByWay()[1])
                .description("append transactions, by the way they went")
                .tag("way", "locked")
                .register(registry);
        this.transactionRows = DistributionSummary.builder("pgops.audit.append.rows")
                .description("events per append transaction (waiting batches are appended together)")
                .register(registry);
        this.recorded = events(registry, "recorded");
        this.duplicates = events(registry, "duplicate");
        this.malformed = events(registry, "malformed");
        this.batchSize = DistributionSummary.builder("pgops.audit.batch.size")
                .description("records per consumed batch")
                .register(registry);
        this.decoding = Timer.builder("pgops.audit.batch.decode")
                .description("decoding a batch and building its recorded forms")
                .register(registry);
        this.appending = Timer.builder("pgops.audit.batch.append")
                .description("one append transaction, from its hand-over to the writer until it is durable"
                        + " (with two in flight, this includes waiting behind the one before)")
                .register(registry);
    }

    void onStart(@Observes StartupEvent ev) {
        schema.create().await().atMost(Duration.ofSeconds(30));
    }

    @Incoming("audit-in")
    public Uni<Void> ingest(Message<List<byte[]>> batch) {
        long started = System.nanoTime();
        List<Message<byte[]>> records = KafkaBatches.records(batch);
        batchSize.record(records.size());
        List<Received> events = new ArrayList<>(records.size());
        List<Uni<Void>> deadLetters = new ArrayList<>();
        for (Message<byte[]> record : records) {
            IncomingKafkaRecordMetadata<?, ?> meta =
                    record.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
            try {
                AuditEntry entry = AuditEntry.of(attributes(meta), record.getPayload());
                events.add(
                        meta == null
                                ? new Received(entry, null, -1, -1)
                                : new Received(entry, meta.getTopic(), meta.getPartition(), meta.getOffset()));
            } catch (MalformedEventException e) {
                malformed.increment();
                LOG.warnf(
                        "malformed record %s sent to the dead-letter topic: %s",
                        meta == null ? "" : meta.getTopic() + "/" + meta.getPartition() + "@" + meta.getOffset(),
                        e.reason());
                deadLetters.add(deadLetter(record, e));
            }
        }
        decoding.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        Uni<Void> dead = deadLetters.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(deadLetters).andFailFast().replaceWithVoid();
        // the batch is appended behind the ones before it; the next batch is taken as soon as the
        // pipeline has room, and this one is acknowledged (offsets committed) once it is durable
        AppendPipeline.Submission submitted = pipeline.submit(events);
        Uni.combine()
                .all()
                .unis(dead, Uni.createFrom().completionStage(submitted.durable()))
                .discardItems()
                .chain(() -> Uni.createFrom().completionStage(batch::ack))
                .subscribe()
                .with(
                        ok -> {},
                        e -> LOG.errorf(
                                "a batch of %d records is not acknowledged; it is consumed again after a"
                                        + " restart or rebalance: %s",
                                records.size(), e.getMessage()));
        return Uni.createFrom().completionStage(submitted.room());
    }

    /**
     * The CloudEvents attributes among the record's headers; none without Kafka metadata. Read from the
     * consumer record itself: the metadata's {@code getHeaders()} copies every header first.
     */
    private static CloudEventAttributes attributes(IncomingKafkaRecordMetadata<?, ?> meta) {
        CloudEventAttributes.Builder attributes = new CloudEventAttributes.Builder();
        if (meta != null) {
            for (Header h : meta.getRecord().headers()) {
                attributes.header(h.key(), h.value());
            }
        }
        return attributes.build();
    }

    private Uni<AppendResult> append(List<Received> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new AppendResult(0, 0, null));
        }
        long started = System.nanoTime();
        transactionRows.record(events.size());
        // deferred: a retry plans the append again from the chain as it is then
        return Uni.createFrom()
                .deferred(() -> writer.append(events))
                .invoke(r -> {
                    appending.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    recorded.increment(r.recorded());
                    duplicates.increment(r.duplicates());
                })
                .onFailure()
                .invoke(e -> LOG.errorf(
                        "cannot record a batch of %d events yet, retrying: %s", events.size(), e.getMessage()))
                // not durable yet: retry (already recorded ids are skipped, so a retry cannot duplicate);
                // the offsets stay uncommitted meanwhile, and readiness reports the stalled channel
                .onFailure()
                .retry()
                .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff())
                .indefinitely();
    }

    private Uni<Void> deadLetter(Message<byte[]> record, MalformedEventException reason) {
        return Uni.createFrom()
                .completionStage(() -> record.nack(reason))
                .onFailure()
                .invoke(e -> LOG.errorf("cannot write a dead letter yet, retrying: %s", e.getMessage()))
                .onFailure()
                .retry()
                .withBackOff(config.retry().initialBackoff(), config.retry().maxBackoff())
                .indefinitely();
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("pgops.audit.events")
                .description("events the audit trail consumed, by what became of them")
                .tag("outcome", outcome)
                .register(registry);
    }
}
