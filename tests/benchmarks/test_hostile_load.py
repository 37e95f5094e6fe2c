"""50 clients on loopback, five of them sending runaway queries without pause, for 10
seconds against ``kg serve`` in its own process (the benchmark runs it for 30 s and
reports the latency figures against their targets; timings here are only bounded
loosely, the machine being shared)."""

from __future__ import annotations

from benchmarks.hostile import format_hostile, hostile_table


def test_runaway_clients_do_not_starve_the_others(store):
    t = hostile_table(store.location, seconds=10, clients=50, runaway=5)
    print(format_hostile(t))
    normal = t["normal"]
    assert normal["requests"] > 500 and normal["failed"] == 0, t["kinds"]
    # never stuck behind a runaway query for its time limit
    assert normal["p99_ms"] < 1000 * t["time_limit_s"] / 2, t["kinds"]
    runaway = t["kinds"]["runaway"]
    assert runaway["requests"] > 0 and set(runaway["statuses"]) == {"503"}
    assert t["rss_peak_mb"] <= t["memory_cap_mb"]
    assert t["seconds_to_idle"] <= t["time_limit_s"]
    assert t["answers_after"] == 200
