using System.Diagnostics;
using System.Text;
using LazyMesh.Inventory;

namespace LazyMesh.Bench;

/// <summary>
/// Issue 11: peak memory while <see cref="InventoryLoader"/> reads a large inventory of kinds LazyMesh skips.
/// Writes (unless <c>--file</c> exists) a <c>kind: List</c> of ConfigMaps and Secrets with <c>--blob-kb</c> of data each
/// until it is <c>--mb</c> MB, plus one Pod and the istio ConfigMap, as <c>--format json</c> (kubectl's key order) or
/// <c>yaml</c>; then loads it and reports, against the process before the load: peak RSS (VmHWM after resetting it
/// through /proc/self/clear_refs; it includes the file's memory-mapped pages, which are clean page cache), peak
/// anonymous RSS and peak managed heap (sampled every 2 ms), and the bytes allocated during the load.
/// </summary>
internal static class InventoryMemoryTool
{
    public static int Run(string[] args)
    {
        var options = new ToolArgs(args);
        var megabytes = options.Int("mb", 200);
        var blobKb = options.Int("blob-kb", 100);
        var format = options.String("format", "json");
        var path = options.String("file", Path.Combine(Path.GetTempPath(), $"lazymesh-inventory-{megabytes}mb.{format}"));
        if (!File.Exists(path))
        {
            Write(path, format, megabytes * 1_000_000L, blobKb * 1_000);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = ProcStatus.Read();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        using var sampler = new PeakSampler();
        var watch = Stopwatch.StartNew();
        var snapshot = InventoryLoader.Load([path]);
        watch.Stop();
        sampler.Stop();
        var after = ProcStatus.Read();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Console.WriteLine($"inventory-memory: {path} ({new FileInfo(path).Length / 1e6:F0} MB, {format}), loaded in {watch.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  objects: {snapshot.Pods.Count} pods, {snapshot.ConfigMaps.Count} mesh ConfigMaps, skipped {string.Join(", ", snapshot.SkippedKinds.Select(k => $"{k.Value} {k.Key}"))}; {snapshot.Warnings.Count} warnings");
        Console.WriteLine($"  baseline RSS {Mb(baseline.Rss)} MB (anonymous {Mb(baseline.RssAnon)} MB), managed heap {Mb(heapBefore)} MB");
        Console.WriteLine($"  peak RSS        +{Mb(after.PeakRss - baseline.Rss)} MB   (VmHWM {Mb(after.PeakRss)} MB; file-backed at the end: {Mb(after.RssFile)} MB)");
        Console.WriteLine($"  peak anonymous  +{Mb(Math.Max(sampler.PeakAnon, after.RssAnon) - baseline.RssAnon)} MB");
        Console.WriteLine($"  peak managed    +{Mb(sampler.PeakHeap - heapBefore)} MB");
        Console.WriteLine($"  allocated        {Mb(allocated)} MB");
        return 0;
    }

    private static long Mb(long bytes) => bytes / 1_000_000;

    private static void Write(string path, string format, long size, int blob)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        var data = new string('x', blob);
        var json = format == "json";
        writer.Write(json ? "{\"apiVersion\":\"v1\",\"items\":[\n" : "apiVersion: v1\nitems:\n");
        for (var i = 0; writer.BaseStream.Position < size; i++)
        {
            var (kind, key) = i % 2 == 0 ? ("ConfigMap", "blob") : ("Secret", "key");
            writer.Write(json
                ? $"{{\"apiVersion\":\"v1\",\"data\":{{\"{key}\":\"{data}\"}},\"kind\":\"{kind}\",\"metadata\":{{\"name\":\"o{i}\",\"namespace\":\"shop\"}}}},\n"
                : $"- apiVersion: v1\n  data:\n    {key}: {data}\n  kind: {kind}\n  metadata:\n    name: o{i}\n    namespace: shop\n");
        }

        writer.Write(json
            ? "{\"apiVersion\":\"v1\",\"data\":{\"mesh\":\"rootNamespace: istio-system\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"istio\",\"namespace\":\"istio-system\"}},\n"
              + "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"shop\"},\"status\":{\"podIP\":\"10.0.0.1\"}}\n],\"kind\":\"List\",\"metadata\":{}}\n"
            : "- apiVersion: v1\n  data: {mesh: 'rootNamespace: istio-system'}\n  kind: ConfigMap\n  metadata: {name: istio, namespace: istio-system}\n"
              + "- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: shop}\n  status: {podIP: 10.0.0.1}\nkind: List\nmetadata: {}\n");
    }

    private readonly record struct ProcStatus(long Rss, long PeakRss, long RssAnon, long RssFile)
    {
        public static ProcStatus Read()
        {
            long Field(string[] lines, string name) =>
                lines.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
                    .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024)
                    .FirstOrDefault();
            var status = File.ReadAllLines("/proc/self/status");
            return new ProcStatus(Field(status, "VmRSS"), Field(status, "VmHWM"), Field(status, "RssAnon"), Field(status, "RssFile"));
        }
    }

    /// <summary>Samples anonymous RSS and the managed heap every 2 ms on its own thread, keeping the maxima.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread thread;
        private volatile bool stop;

        public PeakSampler()
        {
            thread = new Thread(() =>
            {
                while (!stop)
                {
                    PeakAnon = Math.Max(PeakAnon, ProcStatus.Read().RssAnon);
                    PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(forceFullCollection: false));
                    Thread.Sleep(2);
                }
            })
            { IsBackground = true };
            thread.Start();
        }

        public long PeakAnon { get; private set; }

        public long PeakHeap { get; private set; }

        public void Stop()
        {
            stop = true;
            thread.Join();
        }

        public void Dispose() => Stop();
    }
}
