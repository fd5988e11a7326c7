package io.haitaopulse.bench;

import io.haitaopulse.live.Topics;
import java.util.List;

/**
 * One benchmark case: a job graph over some input topics of the shared dataset. Every case reads
 * its topics through {@link Inputs} (in-memory topics, Kafka decoding, Pulse watermarks at the
 * source) and ends in {@link Outputs}, so cases differ only in what they compute.
 */
public interface BenchCase {

    /** Name in reports and on the command line. */
    String name();

    /** One line: what runs. */
    String description();

    /** The topics it reads; its event count is theirs. */
    List<Topics.Input<?>> inputs();

    /** Adds the graph to {@code in}'s environment; {@code collectId} non-null asks for hot rows to be collected. */
    void build(Inputs in, String collectId);
}
