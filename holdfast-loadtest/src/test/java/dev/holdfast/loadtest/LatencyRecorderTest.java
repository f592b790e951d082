package dev.holdfast.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    @Test
    void percentilesAreNearestRankOverEveryRecordedValue() {
        LatencyRecorder r = new LatencyRecorder();
        // 1..2000 in a scrambled order, more than the initial capacity
        for (int i = 0; i < 2000; i++) {
            r.record((i * 7919L) % 2000 + 1);
        }
        LatencyRecorder.Snapshot s = r.snapshot();
        assertThat(s.count()).isEqualTo(2000);
        assertThat(s.percentile(50)).isEqualTo(1000);
        assertThat(s.percentile(95)).isEqualTo(1900);
        assertThat(s.percentile(99)).isEqualTo(1980);
        assertThat(s.percentile(100)).isEqualTo(2000).isEqualTo(s.max());
        assertThat(s.percentile(0.01)).isEqualTo(1);
        assertThat(s.mean()).isEqualTo(1000);
    }

    @Test
    void aSmallSampleRoundsTheRankUp() {
        LatencyRecorder r = new LatencyRecorder();
        for (long v : new long[] {40, 10, 30, 20}) {
            r.record(v);
        }
        assertThat(r.snapshot().percentile(50)).isEqualTo(20);
        assertThat(r.snapshot().percentile(51)).isEqualTo(30);
        assertThat(r.snapshot().percentile(95)).isEqualTo(40);
    }

    @Test
    void emptyAnswersZeroAndBadInputIsRefused() {
        LatencyRecorder r = new LatencyRecorder();
        assertThat(r.snapshot().percentile(99)).isZero();
        assertThatThrownBy(() -> r.record(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.snapshot().percentile(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
