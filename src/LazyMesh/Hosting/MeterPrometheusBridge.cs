using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace LazyMesh.Hosting;

/// <summary>
/// Exports LazyMesh's <see cref="System.Diagnostics.Metrics"/> instruments (meters whose name starts with
/// <c>LazyMesh.</c>) into a prometheus-net registry under their own names, which are already Prometheus names
/// (snake_case, <c>_total</c>, <c>_seconds</c>): counters as counters, histograms as histograms, observable gauges
/// read at scrape time. (prometheus-net's own MeterAdapter prefixes the meter name and exports counters as gauges.)
/// </summary>
public sealed class MeterPrometheusBridge : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, Collector> _collectors = new();

    public MeterPrometheusBridge(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("LazyMesh.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new string[tags.Length];
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = tags[i].Key;
            values[i] = tags[i].Value?.ToString() ?? string.Empty;
        }

        var collector = _collectors.GetOrAdd(instrument, i => Create(i, labels));
        switch (collector)
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
        }
    }

    private Collector Create(Instrument instrument, string[] labels)
    {
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => _factory.CreateCounter(instrument.Name, help, labels),
            Histogram<double> => _factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = SecondsBuckets }),
            _ => _factory.CreateGauge(instrument.Name, help, labels),
        };
    }
}
