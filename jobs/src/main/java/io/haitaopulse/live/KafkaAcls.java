package io.haitaopulse.live;

import io.haitaopulse.io.OutputTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least privileges of Pulse's Kafka users, as ACL bindings, and the administrator calls that
 * create SCRAM users and grant them. The same bindings are what docs/operations/security.md lists
 * for production, and what the secured local stack and its test apply.
 *
 * <p>A <b>job</b> user reads the input topics, writes the output topics in transactions (ids
 * {@code pulse-*}), and commits offsets of groups {@code pulse-*}; it cannot create, delete or
 * reconfigure anything, so topics are made by an administrator first. A <b>producer</b> user
 * (the shop's systems, the demo's simulator) may only write the input topics.
 */
public final class KafkaAcls {

    /** Prefix of consumer groups and transactional ids of every Pulse job. */
    public static final String PREFIX = "pulse-";

    private KafkaAcls() {}

    /** What a job user may do. */
    public static List<AclBinding> jobUser(String user) {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.Input<?> in : Topics.INPUTS) {
            acls.add(allow(user, ResourceType.TOPIC, in.name(), PatternType.LITERAL, AclOperation.READ));
            acls.add(allow(user, ResourceType.TOPIC, in.name(), PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (String topic : Topics.outputs(OutputTable.all())) {
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        acls.add(allow(user, ResourceType.GROUP, PREFIX, PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, PREFIX, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, PREFIX, PatternType.PREFIXED, AclOperation.DESCRIBE));
        return acls;
    }

    /** What a producer of input events may do. */
    public static List<AclBinding> producerUser(String user) {
        List<AclBinding> acls = new ArrayList<>();
        for (Topics.Input<?> in : Topics.INPUTS) {
            acls.add(allow(user, ResourceType.TOPIC, in.name(), PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(user, ResourceType.TOPIC, in.name(), PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        return acls;
    }

    /** Creates (or resets) SCRAM-SHA-512 credentials of {@code user}, as the administrator {@code admin}. */
    public static void createUser(Properties admin, String user, String password) {
        call(
                admin,
                a -> a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                        .all());
    }

    /** Grants {@code acls}, as the administrator {@code admin}. */
    public static void grant(Properties admin, List<AclBinding> acls) {
        call(admin, a -> a.createAcls(acls).all());
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    private interface AdminCall {
        org.apache.kafka.common.KafkaFuture<Void> apply(Admin admin);
    }

    private static void call(Properties props, AdminCall call) {
        try (Admin a = Admin.create(props)) {
            call.apply(a).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("Kafka: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("Kafka did not answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Kafka", e);
        }
    }
}
