package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.openapi.api.OpenApiConfigImpl;
import io.smallrye.openapi.runtime.OpenApiProcessor;
import io.smallrye.openapi.runtime.io.Format;
import io.smallrye.openapi.runtime.io.OpenApiSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.Test;

/**
 * Generates the OpenAPI document from the annotations, as a MicroProfile OpenAPI container does (SmallRye is what
 * Open Liberty uses), and holds it against the resources: every endpoint is documented with its tag and operation id,
 * every POST requires the Idempotency-Key header, and errors are documented as problem documents. The document is
 * written to {@code target/openapi/holdfast-openapi.json}.
 */
class OpenApiDocumentTest {

    static OpenAPI document() throws IOException {
        Indexer indexer = new Indexer();
        Path classes = Path.of("target/classes/dev/holdfast/jakarta/rest");
        try (Stream<Path> files = Files.list(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        OpenAPI model = OpenApiProcessor.modelFromAnnotations(
                new OpenApiConfigImpl(new EmptyConfig()), OpenApiDocumentTest.class.getClassLoader(), index);
        assertThat(model).isNotNull();
        return model;
    }

    @Test
    void everyEndpointIsDocumentedWithItsProblems() throws IOException {
        OpenAPI model = document();
        List<String> documented = new ArrayList<>();
        for (Map.Entry<String, PathItem> e : model.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                    e.getValue().getOperations().entrySet()) {
                String endpoint = op.getKey().name() + " " + e.getKey();
                documented.add(endpoint);
                Operation o = op.getValue();
                assertThat(o.getOperationId()).as(endpoint).isNotBlank();
                assertThat(o.getTags()).as(endpoint).hasSize(1);
                Map<String, APIResponse> responses = o.getResponses().getAPIResponses();
                assertThat(responses.keySet()).as(endpoint).anyMatch(code -> code.startsWith("2"));
                for (String problem : List.of("401", "500")) {
                    assertThat(responses).as(endpoint).containsKey(problem);
                    assertThat(responses.get(problem).getContent().getMediaTypes())
                            .as(endpoint + " " + problem)
                            .containsKey(Problems.PROBLEM_JSON);
                }
                if (op.getKey() == PathItem.HttpMethod.POST) {
                    List<Parameter> params = o.getParameters() == null ? List.of() : o.getParameters();
                    assertThat(params)
                            .as(endpoint + " documents the Idempotency-Key header")
                            .anyMatch(p -> p.getName().equals(IdempotencyKeys.HEADER)
                                    && p.getIn() == Parameter.In.HEADER
                                    && Boolean.TRUE.equals(p.getRequired()));
                }
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(AuthorizationMatrix.declaredEndpoints());
        assertThat(model.getComponents().getSchemas()).containsKeys("Problem", "Escrow", "Dispute", "Money");
        assertThat(model.getTags())
                .extracting(t -> t.getName())
                .containsExactlyInAnyOrder("escrows", "disputes", "parties", "audit");

        String json = OpenApiSerializer.serialize(model, Format.JSON);
        Path out = Path.of("target/openapi/holdfast-openapi.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        assertThat(json).doesNotContain("\"double\"").doesNotContain("\"float\"");
    }

    /** MicroProfile Config with nothing in it: SmallRye's defaults. */
    static final class EmptyConfig implements Config {
        @Override
        public <T> T getValue(String propertyName, Class<T> propertyType) {
            throw new java.util.NoSuchElementException(propertyName);
        }

        @Override
        public ConfigValue getConfigValue(String propertyName) {
            return null;
        }

        @Override
        public <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType) {
            return Optional.empty();
        }

        @Override
        public Iterable<String> getPropertyNames() {
            return Set.of();
        }

        @Override
        public Iterable<ConfigSource> getConfigSources() {
            return List.of();
        }

        @Override
        public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
            return Optional.empty();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new IllegalArgumentException(type.getName());
        }
    }
}
