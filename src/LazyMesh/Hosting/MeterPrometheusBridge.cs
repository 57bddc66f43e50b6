using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// Exports one instance's <see cref="System.Diagnostics.Metrics"/> instruments (those of its meter, see
/// <see cref="InstanceMetrics"/>) into a prometheus-net registry under their own names, which are already Prometheus names (snake_case, <c>_total</c>,
/// <c>_seconds</c>): counters and observable counters as counters, histograms as histograms (buckets from the
/// instrument's advice), everything else as gauges; observable instruments are read when the registry is scraped.
/// Several instances in one process (tests, a controller beside a fallback), on one meter factory or several, each
/// export only their own meter.
/// prometheus-net's own MeterAdapter would prefix the meter name, export counters as gauges and take every meter.
/// </summary>
public sealed class MeterPrometheusBridge : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();

    public MeterPrometheusBridge(CollectorRegistry registry, Meter meter)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(meter);
        var factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument, new Exported(instrument, factory));
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, v, tags, state) => ((Exported)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, v, tags, state) => ((Exported)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, v, tags, state) => ((Exported)state!).Record(v, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>One instrument's collector, made at its first measurement (the label names are its tags' keys).</summary>
    private sealed class Exported(Instrument instrument, IMetricFactory factory)
    {
        private readonly Lock _gate = new();
        private volatile Collector? _collector;
        private ChildBase? _unlabelled;

        // The children of measurements whose tags are all strings, by their values (one cache, for the instrument's
        // label count): found without allocating once a combination has been seen.
        private ConcurrentDictionary<string, ChildBase>? _byValue;
        private ConcurrentDictionary<(string, string), ChildBase>? _byPair;
        private ConcurrentDictionary<(string, string, string), ChildBase>? _byTriple;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var collector = _collector ?? Create(tags);
            if (tags.Length == 0 && _unlabelled is { } unlabelled)
            {
                // The common case on event paths: no label, no lookup, no allocation.
                Apply(unlabelled, value);
                return;
            }

            var labels = collector.LabelNames;
            if (CachedChild(collector, labels, tags) is { } cached)
            {
                Apply(cached, value);
                return;
            }

            var values = new string[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                if (i >= labels.Length || !string.Equals(tags[i].Key, labels[i], StringComparison.Ordinal))
                {
                    break;
                }

                values[i] = tags[i].Value?.ToString() ?? string.Empty;
            }

            if (tags.Length != labels.Length || (values.Length > 0 && values[^1] is null))
            {
                throw new InvalidOperationException(
                    $"{instrument.Name} is exported with the labels [{string.Join(", ", labels)}] but was measured with the tags [{string.Join(", ", tags.ToArray().Select(static t => t.Key))}]: every measurement of an instrument carries the same tag keys in the same order");
            }

            Apply(Child(collector, values), value);
        }

        /// <summary>
        /// The child of up to three tags with string values under the instrument's label names (queue="files",
        /// result="success"), from the cache: no allocation once the combination is known. Null for anything else.
        /// </summary>
        private ChildBase? CachedChild(Collector collector, string[] labels, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != labels.Length)
            {
                return null;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (tags[i].Value is not string || !string.Equals(tags[i].Key, labels[i], StringComparison.Ordinal))
                {
                    return null;
                }
            }

            var state = (Owner: this, Collector: collector);
            return tags.Length switch
            {
                1 => _byValue!.GetOrAdd((string)tags[0].Value!, static (v, s) => s.Owner.Child(s.Collector, [v]), state),
                2 => _byPair!.GetOrAdd(
                    ((string)tags[0].Value!, (string)tags[1].Value!),
                    static (v, s) => s.Owner.Child(s.Collector, [v.Item1, v.Item2]),
                    state),
                3 => _byTriple!.GetOrAdd(
                    ((string)tags[0].Value!, (string)tags[1].Value!, (string)tags[2].Value!),
                    static (v, s) => s.Owner.Child(s.Collector, [v.Item1, v.Item2, v.Item3]),
                    state),
                _ => null,
            };
        }

        private ChildBase Child(Collector collector, string[] values) => collector switch
        {
            Counter c => c.WithLabels(values),
            Histogram h => h.WithLabels(values),
            Gauge g => g.WithLabels(values),
            _ => throw new InvalidOperationException($"{instrument.Name}: unexpected collector {collector.GetType().Name}"),
        };

        private void Apply(ChildBase child, double value)
        {
            switch (child)
            {
                case Counter.Child counter when instrument.IsObservable:
                    counter.IncTo(value); // an observable counter reports its total
                    break;
                case Counter.Child counter:
                    counter.Inc(value);
                    break;
                case Histogram.Child histogram:
                    histogram.Observe(value);
                    break;
                case Gauge.Child gauge when instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>:
                    gauge.Inc(value); // a delta
                    break;
                case Gauge.Child gauge:
                    gauge.Set(value);
                    break;
            }
        }

        private Collector Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_gate)
            {
                if (_collector is not null)
                {
                    return _collector;
                }

                var labels = new string[tags.Length];
                for (var i = 0; i < tags.Length; i++)
                {
                    labels[i] = tags[i].Key;
                }

                var help = instrument.Description ?? instrument.Name;
                Collector collector = instrument switch
                {
                    Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> =>
                        factory.CreateCounter(instrument.Name, help, labels),
                    Histogram<double> h => factory.CreateHistogram(
                        instrument.Name,
                        help,
                        labels,
                        new HistogramConfiguration { Buckets = h.Advice?.HistogramBucketBoundaries is { } advised ? [.. advised] : SecondsBuckets }),
                    _ => factory.CreateGauge(instrument.Name, help, labels),
                };
                _unlabelled = labels.Length == 0 ? Child(collector, []) : null;
                _byValue = labels.Length == 1 ? new(StringComparer.Ordinal) : null;
                _byPair = labels.Length == 2 ? new() : null;
                _byTriple = labels.Length == 3 ? new() : null;
                _collector = collector;
                return collector;
            }
        }
    }
}
