package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.TrackerHarness.P;
import static cn.xingan.kpi.project.TrackerHarness.at;
import static cn.xingan.kpi.project.TrackerHarness.registration;
import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The project stream's keyed state survives Flink's serializers (the operator harness keeps heap
 * state as objects, so nothing else would notice): {@link ProjectTrack} and the KPI accumulator are
 * POJOs down to their leaves, without a field left to Kryo, and a track written and read back
 * carries on exactly as the original: the same facts, alerts and rejections for the next events.
 */
class ProjectStateSerializationTest {
  private static final ProjectTimeline TIMELINE =
      new ProjectTimeline(TrackerHarness.CALENDAR, Duration.ofDays(7), ProjectOptions.defaults());

  @Test
  void theStateTypesHaveNoGenericField() {
    assertNoGenericField(TypeInformation.of(ProjectTrack.class), "ProjectTrack");
    assertNoGenericField(
        TypeInformation.of(ProjectPeriodAccumulator.class), "ProjectPeriodAccumulator");
    assertNoGenericField(TypeInformation.of(ProjectStock.class), "ProjectStock");
  }

  @Test
  void aTrackReadBackCarriesOnAsTheOriginal() throws Exception {
    ProjectTrack t = new ProjectTrack();
    Recorder first = new Recorder();
    add(t, ProjectEvent.investment("i0", at("2026-01-08T08:00"), P, 10_000, false), first);
    add(
        t,
        ProjectEvent.registered(
            "r1",
            at("2026-01-08T09:00"),
            P,
            registration("arxan", 3_650_000, "2026-01-01", "2026-12-31")),
        first);
    add(t, ProjectEvent.progress("p2", at("2026-01-12T09:00"), P, 10_000_000), first);
    TIMELINE.advance(t, P, at("2026-02-01T00:00"), 0, first);
    add(t, ProjectEvent.investment("i3", at("2026-01-20T09:00"), P, 50_000, false), first);
    assertThat(first.alerts).isNotEmpty();
    assertThat(t.sent).isNotEmpty();
    assertThat(t.log).isNotEmpty();

    ProjectTrack copy = roundTrip(t);

    Recorder a = new Recorder();
    Recorder b = new Recorder();
    for (ProjectTrack x : List.of(t, copy)) {
      Recorder r = x == t ? a : b;
      add(
          x,
          ProjectEvent.milestone("m5", at("2026-01-10T09:00"), P, Milestone.CONSTRUCTION_STARTED),
          r);
      TIMELINE.advance(x, P, at("2026-03-01T00:00"), 0, r);
      TIMELINE.end(x, P, at("2026-03-01T00:00"), false, 0, r);
    }
    assertThat(b.facts).isNotEmpty().isEqualTo(a.facts);
    assertThat(b.alerts).isNotEmpty().isEqualTo(a.alerts);
    assertThat(b.rejections).isEqualTo(a.rejections);
  }

  @Test
  void anAccumulatorReadBackHasTheSameCounters() throws Exception {
    ProjectPeriodAccumulator acc = new ProjectPeriodAccumulator();
    acc.add(
        ProjectFact.flow(cn.xingan.kpi.kpi.ScopeKey.league(), 1, P, "m", null)
            .withMilestone(Milestone.TRIAL_RUN));
    acc.investmentCents = 12;
    acc.closed = true;
    ProjectPeriodAccumulator copy =
        roundTrip(acc, TypeInformation.of(ProjectPeriodAccumulator.class));
    assertThat(copy.count(ProjectPeriodAccumulator.index(Milestone.TRIAL_RUN))).isOne();
    assertThat(copy.investmentCents).isEqualTo(12);
    assertThat(copy.closed).isTrue();
  }

  private static void add(ProjectTrack t, ProjectEvent e, Recorder r) {
    byte[] raw = ("{\"event_id\":\"" + e.eventId() + "\"}").getBytes(StandardCharsets.UTF_8);
    TIMELINE.add(t, P, new ProjectInput(e, new Origin("project-progress", 1, 7, raw)), 0, r);
  }

  private static ProjectTrack roundTrip(ProjectTrack t) throws Exception {
    return roundTrip(t, TypeInformation.of(ProjectTrack.class));
  }

  private static <T> T roundTrip(T value, TypeInformation<T> type) throws Exception {
    TypeSerializer<T> serializer =
        type.createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(value, out);
    return serializer.deserialize(
        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
  }

  private static void assertNoGenericField(TypeInformation<?> type, String path) {
    assertThat(type).as(path).isNotInstanceOf(GenericTypeInfo.class);
    if (type instanceof PojoTypeInfo<?> pojo) {
      for (int i = 0; i < pojo.getArity(); i++) {
        assertNoGenericField(
            pojo.getTypeAt(i), path + "." + pojo.getPojoFieldAt(i).getField().getName());
      }
    } else if (type instanceof ListTypeInfo<?> list) {
      assertNoGenericField(list.getElementTypeInfo(), path + "[]");
    } else if (type instanceof MapTypeInfo<?, ?> map) {
      assertNoGenericField(map.getKeyTypeInfo(), path + ".key");
      assertNoGenericField(map.getValueTypeInfo(), path + ".value");
    }
  }

  /** Everything a timeline sends, in order. */
  private static final class Recorder implements ProjectTimeline.Out {
    final List<ProjectFact> facts = new ArrayList<>();
    final List<ProjectAlert> alerts = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();

    @Override
    public void fact(ProjectFact f) {
      facts.add(f);
    }

    @Override
    public void alert(ProjectAlert a) {
      alerts.add(a);
    }

    @Override
    public void reject(Rejection r) {
      rejections.add(r);
    }
  }
}
