package io.haitaopulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

class LocalClusterTest {

    @Test
    void eachRoleGetsTheSharedOptionsAndItsOwn() {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.FLINK_JVM_OPTIONS, " -Dshared=1   -XX:+PrintFlagsFinal ");
        conf.set(CoreOptions.FLINK_TM_JVM_OPTIONS, "-XX:+UseParallelGC");
        conf.set(CoreOptions.FLINK_JM_JVM_OPTIONS, "-Djm=1");

        assertThat(LocalCluster.javaOptions(conf, false))
                .containsExactly("-Dshared=1", "-XX:+PrintFlagsFinal", "-XX:+UseParallelGC");
        assertThat(LocalCluster.javaOptions(conf, true))
                .containsExactly("-Dshared=1", "-XX:+PrintFlagsFinal", "-Djm=1");
    }

    @Test
    void noOptionsGiveNoArguments() {
        assertThat(LocalCluster.javaOptions(new Configuration(), false)).isEmpty();
        assertThat(LocalCluster.javaOptions(new Configuration(), true)).isEmpty();
    }

    @Test
    void theCheckedInTemplateRunsTaskManagersOnTheParallelCollector() {
        Path dir = Paths.get(System.getProperty("pulse.home", ".."), "deploy", "local-cluster")
                .toAbsolutePath()
                .normalize();
        Configuration conf = GlobalConfiguration.loadConfiguration(dir.toString());

        assertThat(LocalCluster.javaOptions(conf, false)).containsExactly("-XX:+UseParallelGC");
        assertThat(LocalCluster.javaOptions(conf, true)).isEmpty();
    }
}
