using System.Net;
using System.Text.Json.Nodes;
using LazyMesh.Tests.Support;
using LazyMesh.Ui;

namespace LazyMesh.Tests.Ui;

/// <summary>The page in a real browser (Debian's chromium, headless, over the DevTools protocol), served by <see cref="UiServer"/>.</summary>
public sealed class UiPageBrowserTests(UiFixture fixture) : IClassFixture<UiFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [RequiresCommandFact("chromium")]
    public async Task Page_loads_renders_every_edge_and_search_and_focus_work()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var expected = fixture.Graph();
        Assert.NotEmpty(expected.Edges);
        await using var server = new UiServer(new IPEndPoint(IPAddress.Loopback, 0), fixture.Graph);
        await server.StartAsync(cts.Token);
        await using var browser = await HeadlessChromium.OpenAsync($"http://{server.BoundEndPoint}/ui", cts.Token);
        await browser.WaitUntilAsync("window.lazymesh && window.lazymesh.ready === true", Wait, cts.Token);

        // Every edge of the fixture is drawn, from its workload to its service, coloured by how it was learned.
        var drawn = (await browser.EvaluateAsync("[...document.querySelectorAll('path.edge')].map(p => p.dataset.from + ' -> ' + p.dataset.to + ' ' + p.dataset.via)", cts.Token))!.AsArray();
        Assert.Equal(
            expected.Edges.Select(static e => $"{e.From} -> {e.To} {e.Via}").Order(StringComparer.Ordinal),
            drawn.Select(static n => (string)n!).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Totals.Edges.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), await Text(browser, "t-edges", cts.Token));

        // Search: only workloads matching, or calling a matching service, stay.
        const string query = "ratings";
        var matching = expected.Workloads
            .Where(w => w.Id.Contains(query, StringComparison.OrdinalIgnoreCase)
                || expected.Edges.Any(e => e.From == w.Id && e.To.Contains(query, StringComparison.OrdinalIgnoreCase)))
            .Select(static w => w.Id)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(matching);
        Assert.True(matching.Count < expected.Workloads.Count);
        await browser.EvaluateAsync($"(() => {{ const s = document.getElementById('search'); s.value = '{query}'; s.dispatchEvent(new Event('input')); }})()", cts.Token);
        await browser.WaitUntilAsync($"window.lazymesh.rendered.workloads === {matching.Count}", Wait, cts.Token);
        Assert.Equal(matching, await WorkloadNodes(browser, cts.Token));

        // Focus (a click on a workload): the workload, its services, and the other callers of those services.
        await browser.EvaluateAsync("(() => { const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input')); })()", cts.Token);
        await browser.WaitUntilAsync($"window.lazymesh.rendered.workloads === {expected.Workloads.Count}", Wait, cts.Token);
        var focus = expected.Workloads.OrderByDescending(w => w.LearnedHosts).First();
        var targets = expected.Edges.Where(e => e.From == focus.Id).Select(static e => e.To).ToHashSet();
        var neighbourhood = expected.Edges.Where(e => targets.Contains(e.To)).ToList();
        await browser.EvaluateAsync($"document.querySelector('g.node[data-id=\"{focus.Id}\"]').dispatchEvent(new MouseEvent('click', {{ bubbles: true }}))", cts.Token);
        await browser.WaitUntilAsync($"window.lazymesh.rendered.edges === {neighbourhood.Count} && !!document.querySelector('g.node.focus')", Wait, cts.Token);
        Assert.Equal(focus.Id, (string?)await browser.EvaluateAsync("document.querySelector('g.node.focus').dataset.id", cts.Token));
        // The side panel lists the focused workload's hosts.
        var hosts = (await browser.EvaluateAsync("[...document.querySelectorAll('#hosts tr[data-host]')].map(r => r.dataset.host)", cts.Token))!.AsArray();
        Assert.Equal(targets.Order(StringComparer.Ordinal), hosts.Select(static h => (string)h!).Order(StringComparer.Ordinal));
        Assert.Equal(false, (bool?)await browser.EvaluateAsync("document.getElementById('clear-focus').disabled", cts.Token));

        // Clear focus: everything again.
        await browser.EvaluateAsync("document.getElementById('clear-focus').click()", cts.Token);
        await browser.WaitUntilAsync($"window.lazymesh.rendered.edges === {expected.Edges.Count}", Wait, cts.Token);

        if (Environment.GetEnvironmentVariable("LAZYMESH_UI_SCREENSHOT") is { Length: > 0 } path)
        {
            await File.WriteAllBytesAsync(path, await browser.ScreenshotAsync(cts.Token), cts.Token);
        }
    }

    [RequiresCommandFact("chromium")]
    public async Task Page_stays_usable_at_a_thousand_workloads()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var large = LargeGraph.Create(workloads: 1000, namespaces: 20, servicesPerNamespace: 25, edgesPerWorkload: 4);
        await using var server = new UiServer(new IPEndPoint(IPAddress.Loopback, 0), () => large);
        await server.StartAsync(cts.Token);
        await using var browser = await HeadlessChromium.OpenAsync($"http://{server.BoundEndPoint}/ui", cts.Token);
        await browser.WaitUntilAsync("window.lazymesh && window.lazymesh.ready === true", Wait, cts.Token);

        // Everything at once would be thousands of nodes: the page draws a bounded part and says so.
        Assert.Equal(true, (bool?)await browser.EvaluateAsync("window.lazymesh.rendered.truncated", cts.Token));
        Assert.True((int)(await browser.EvaluateAsync("document.querySelectorAll('g.node').length", cts.Token))! <= 400);
        Assert.Contains("Showing", await Text(browser, "note", cts.Token), StringComparison.Ordinal);

        // A namespace filter shows that namespace's 50 workloads in full.
        await browser.EvaluateAsync("(() => { const s = document.getElementById('ns'); s.value = 'ns-07'; s.dispatchEvent(new Event('change')); })()", cts.Token);
        await browser.WaitUntilAsync("window.lazymesh.rendered.workloads === 50 && !window.lazymesh.rendered.truncated", Wait, cts.Token);
        Assert.Equal(200, (int)(await browser.EvaluateAsync("window.lazymesh.rendered.edges", cts.Token))!);

        // Search + Enter focuses the one matching workload, wherever it is.
        await browser.EvaluateAsync("(() => { const n = document.getElementById('ns'); n.value = ''; n.dispatchEvent(new Event('change')); const s = document.getElementById('search'); s.value = 'ns-03/Deployment/app-0663'; s.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' })); })()", cts.Token);
        await browser.WaitUntilAsync("!!document.querySelector('g.node.focus') && document.querySelector('g.node.focus').dataset.id === 'ns-03/Deployment/app-0663'", Wait, cts.Token);
        var focusedEdges = (int)(await browser.EvaluateAsync("document.querySelectorAll('path.edge[data-from=\"ns-03/Deployment/app-0663\"]').length", cts.Token))!;
        Assert.Equal(4, focusedEdges);
    }

    private static async Task<string> Text(HeadlessChromium browser, string id, CancellationToken ct) =>
        (string)(await browser.EvaluateAsync($"document.getElementById('{id}').textContent", ct))!;

    private static async Task<List<string>> WorkloadNodes(HeadlessChromium browser, CancellationToken ct) =>
        [.. (await browser.EvaluateAsync("[...document.querySelectorAll('g.node.workload')].map(n => n.dataset.id)", ct))!.AsArray().Select(static n => (string)n!).Order(StringComparer.Ordinal)];
}
