using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using LazyMesh.Attribution;
using LazyMesh.Controller.Queue;
using LazyMesh.Fallback;
using LazyMesh.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LazyMesh.Tests.Hosting;

/// <summary>Each running instance exports its own meters only, with Prometheus types taken from the instrument kinds.</summary>
public sealed partial class InstanceMetricsTests
{
    [Fact]
    public async Task Two_instances_in_one_process_do_not_mix_their_measurements()
    {
        using var a = new InstanceMetrics("controller");
        using var b = new InstanceMetrics("controller");
        using var stray = new Meter(WorkQueueMetrics.MeterName); // same name, no instance's factory
        var aCount = a.Meter.CreateCounter<long>("lazymesh_test_events_total");
        var bCount = b.Meter.CreateCounter<long>("lazymesh_test_events_total");
        stray.CreateCounter<long>("lazymesh_test_events_total").Add(100);
        var aSeconds = a.Meter.CreateHistogram<double>("lazymesh_test_duration_seconds");
        aCount.Add(1);
        bCount.Add(2);
        b.Meter.CreateCounter<long>("lazymesh_test_writes_total").Add(3, new KeyValuePair<string, object?>("result", "failed"));
        aSeconds.Record(0.002);
        var aObserved = 7L;
        a.Meter.CreateObservableGauge("lazymesh_test_level", () => aObserved);

        var aText = await a.ScrapeAsync();
        var bText = await b.ScrapeAsync();

        Has(aText, "\nlazymesh_test_events_total 1\n", "lazymesh_test_duration_seconds_count 1", "\nlazymesh_test_level 7\n");
        Has(aText, "# TYPE lazymesh_test_events_total counter", "# TYPE lazymesh_test_duration_seconds histogram", "# TYPE lazymesh_test_level gauge");
        HasNot(aText, "result=\"failed\"");
        Has(bText, "\nlazymesh_test_events_total 2\n", "lazymesh_test_writes_total{result=\"failed\"} 3");
        HasNot(bText, "lazymesh_test_duration_seconds", "lazymesh_test_level");
        Assert.Matches("lazymesh_build_info\\{version=\"[^\"]+\",component=\"controller\",runtime=\"[^\"]+\"\\} 1", aText);
    }

    [Fact]
    public async Task With_the_hosts_factory_only_its_lazymesh_meters_are_exported()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var hostFactory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new InstanceMetrics("controller", hostFactory);
        hostFactory.Create("Microsoft.AspNetCore.Hosting").CreateCounter<long>("http_server_requests_total").Add(1);
        metrics.Meter.CreateCounter<long>("lazymesh_test_events_total").Add(1);

        var text = await metrics.ScrapeAsync();

        Has(text, "\nlazymesh_test_events_total 1\n");
        HasNot(text, "http_server_requests_total");
    }

    [Fact]
    public async Task Two_instances_on_one_hosts_factory_do_not_mix_their_measurements()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var hostFactory = services.GetRequiredService<IMeterFactory>();
        using var a = new InstanceMetrics("controller", hostFactory);
        using var b = new InstanceMetrics("controller", hostFactory);
        a.Meter.CreateCounter<long>("lazymesh_test_events_total").Add(1);
        b.Meter.CreateCounter<long>("lazymesh_test_events_total").Add(2);

        // The factory hands out one meter per name, version and tags: the instance tag keeps the two apart.
        Assert.NotSame(a.Meter, b.Meter);
        Assert.Same(hostFactory, a.Meter.Scope);
        Has(await a.ScrapeAsync(), "\nlazymesh_test_events_total 1\n");
        Has(await b.ScrapeAsync(), "\nlazymesh_test_events_total 2\n");
    }

    [Fact]
    public async Task Two_work_queues_count_into_their_own_controllers_metrics()
    {
        using var a = new InstanceMetrics("controller");
        using var b = new InstanceMetrics("controller");
        using var queueA = new WorkQueue<string>(new WorkQueueOptions { Name = "files", Meter = a.Meter }, TimeProvider.System);
        using var queueB = new WorkQueue<string>(new WorkQueueOptions { Name = "files", Meter = b.Meter }, TimeProvider.System);
        queueA.Add("x");
        queueA.Add("y");
        queueA.Add("z");
        queueB.Add("x");

        var aText = await a.ScrapeAsync();
        var bText = await b.ScrapeAsync();

        Assert.Contains("lazymesh_queue_adds_total{queue=\"files\"} 3", aText, StringComparison.Ordinal);
        Assert.Contains("lazymesh_queue_depth{queue=\"files\"} 3", aText, StringComparison.Ordinal);
        Assert.Contains("lazymesh_queue_adds_total{queue=\"files\"} 1", bText, StringComparison.Ordinal);
        Assert.Contains("lazymesh_queue_depth{queue=\"files\"} 1", bText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_fallbacks_in_one_process_count_their_own_calls()
    {
        using var a = new FallbackMetrics();
        using var b = new FallbackMetrics();
        a.RequestsForwarded.Inc();
        a.RequestsForwarded.Inc();
        b.RequestsDenied.Inc();
        b.UnverifiedCalls("no_identity").Inc();
        a.ForwardDuration.Record(0.01);

        var aText = await a.ScrapeAsync();
        var bText = await b.ScrapeAsync();

        Has(
            aText,
            "lazymesh_fallback_requests_total{result=\"forwarded\"} 2",
            "lazymesh_fallback_requests_total{result=\"denied\"} 0",
            "lazymesh_fallback_forward_duration_seconds_count 1",
            "lazymesh_fallback_forward_duration_seconds_bucket{le=\"0.00025\"} 0",
            "# TYPE lazymesh_fallback_requests_total counter",
            "# TYPE lazymesh_fallback_forward_duration_seconds histogram",
            "component=\"fallback\"");
        HasNot(aText, "lazymesh_fallback_unverified_calls_total{");
        Has(
            bText,
            "lazymesh_fallback_requests_total{result=\"forwarded\"} 0",
            "lazymesh_fallback_requests_total{result=\"denied\"} 1",
            "lazymesh_fallback_unverified_calls_total{reason=\"no_identity\"} 1");
        HasNot(bText, "lazymesh_fallback_forward_duration_seconds"); // a histogram appears with its first call
        Assert.Matches("process_working_set_bytes [1-9]", aText);
        AssertConventional(aText);
    }

    [Fact]
    public async Task Measurements_with_up_to_three_string_tags_allocate_nothing_once_their_values_are_known()
    {
        using var metrics = new InstanceMetrics("controller");
        using var queue = new WorkQueueMetrics("files", static () => 0, static () => 0, metrics.Meter);
        var pairs = metrics.Meter.CreateCounter<long>("lazymesh_test_pairs_total");
        var triples = metrics.Meter.CreateHistogram<double>("lazymesh_test_triple_seconds");
        KeyValuePair<string, object?> files = new("queue", "files"), ok = new("result", "ok"), failed = new("result", "failed"), api = new("target", "api");

        void Record()
        {
            queue.OnReconciled(TimeSpan.FromMilliseconds(3), "success");
            queue.OnReconciled(TimeSpan.FromMilliseconds(3), "error");
            pairs.Add(1, files, ok);
            pairs.Add(1, files, failed);
            triples.Record(0.002, files, ok, api);
        }

        for (var i = 0; i < 100; i++)
        {
            Record(); // each combination's child is made once (and the first calls' one-time costs paid)
        }

        // A per-measurement allocation shows in every round of 1,000; a one-off of the runtime's (seen once in a loaded
        // parallel run: 176 B) in one round at most.
        var allocated = new List<long>();
        for (var round = 0; round < 3 && (allocated.Count == 0 || allocated[^1] > 0); round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                Record();
            }

            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(allocated[^1] == 0, $"allocated per round of 1,000: {string.Join(", ", allocated)} B");
        var n = 100 + (1_000 * allocated.Count);
        var text = await metrics.ScrapeAsync();
        Has(
            text,
            $"lazymesh_reconcile_total{{queue=\"files\",result=\"success\"}} {n}",
            $"lazymesh_reconcile_total{{queue=\"files\",result=\"error\"}} {n}",
            $"lazymesh_reconcile_errors_total{{queue=\"files\"}} {n}",
            $"lazymesh_reconcile_duration_seconds_count{{queue=\"files\"}} {2 * n}",
            $"lazymesh_test_pairs_total{{queue=\"files\",result=\"ok\"}} {n}",
            $"lazymesh_test_pairs_total{{queue=\"files\",result=\"failed\"}} {n}",
            $"lazymesh_test_triple_seconds_count{{queue=\"files\",result=\"ok\",target=\"api\"}} {n}");
    }

    [Fact]
    public async Task Tags_that_are_not_strings_are_exported_as_their_text()
    {
        using var metrics = new InstanceMetrics("controller");
        var counter = metrics.Meter.CreateCounter<long>("lazymesh_test_codes_total");
        counter.Add(1, new KeyValuePair<string, object?>("queue", "files"), new KeyValuePair<string, object?>("code", 404));
        counter.Add(2, new KeyValuePair<string, object?>("queue", "files"), new KeyValuePair<string, object?>("code", 404));

        Has(await metrics.ScrapeAsync(), "lazymesh_test_codes_total{queue=\"files\",code=\"404\"} 3");
    }

    [Fact]
    public void A_measurement_with_other_tags_than_the_first_is_refused_naming_the_instrument()
    {
        using var metrics = new InstanceMetrics("controller");
        var counter = metrics.Meter.CreateCounter<long>("lazymesh_test_events_total");
        counter.Add(1, new KeyValuePair<string, object?>("result", "ok"));
        var error = Assert.Throws<InvalidOperationException>(() => counter.Add(1));
        Assert.Contains("lazymesh_test_events_total", error.Message, StringComparison.Ordinal);
        Assert.Contains("result", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_of_enums_are_snake_case() =>
        Assert.Equal(["none", "malformed", "inbound", "special_cluster", "no_upstream_cluster", "no_source_address", "unknown_source", "host_network_source", "unknown_destination", "gateway"], MetricLabel.Of<SkipReason>());

    [Fact]
    public void An_unknown_unverified_reason_is_refused_by_name()
    {
        using var metrics = new FallbackMetrics();
        var error = Assert.Throws<ArgumentException>(() => metrics.UnverifiedCalls("NoIdentity"));
        Assert.Contains("'NoIdentity'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_identity", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every LazyMesh metric in <paramref name="exposition"/> is snake_case, counters end in <c>_total</c>, histograms
    /// in <c>_seconds</c>, and the enumerated label values (result, reason, kind, protocol, operation, type) are snake_case.
    /// </summary>
    internal static void AssertConventional(string exposition)
    {
        var types = TypeLine().Matches(exposition).Select(static m => (Name: m.Groups[1].Value, Type: m.Groups[2].Value)).Where(static t => t.Name.StartsWith("lazymesh_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(types);
        foreach (var (name, type) in types)
        {
            Assert.Matches("^lazymesh_[a-z0-9]+(_[a-z0-9]+)*$", name);
            switch (type)
            {
                case "counter":
                    Assert.EndsWith("_total", name, StringComparison.Ordinal);
                    break;
                case "histogram":
                    Assert.EndsWith("_seconds", name, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal("gauge", type);
                    Assert.False(name.EndsWith("_total", StringComparison.Ordinal), $"gauge {name} ends in _total");
                    break;
            }
        }

        foreach (Match label in EnumeratedLabel().Matches(exposition))
        {
            Assert.Matches("^[a-z0-9]+(_[a-z0-9]+)*$", label.Groups[2].Value);
        }
    }

    private static void Has(string exposition, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, exposition, StringComparison.Ordinal);
        }
    }

    private static void HasNot(string exposition, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.DoesNotContain(part, exposition, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("[{,](result|reason|kind|protocol|operation|type)=\"([^\"]*)\"")]
    private static partial Regex EnumeratedLabel();
}
