using System.Globalization;
using System.Text.Json;

namespace LazyMesh.MetricsSource;

/// <summary>
/// The Prometheus HTTP API's instant query (<c>GET /api/v1/query?query=...&amp;time=...</c>), reading the
/// documented response envelope: <c>{"status":"success","data":{"resultType":"vector","result":[{"metric":{...},"value":[t,"v"]}]}}</c>.
/// </summary>
public sealed class PrometheusClient
{
    private readonly HttpClient _http;

    public PrometheusClient(Uri baseAddress, HttpClient? http = null)
    {
        BaseAddress = new Uri(baseAddress.ToString().TrimEnd('/') + "/");
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    /// <summary>Parses a <c>--prometheus</c> value: an absolute http(s) URL.</summary>
    public static bool TryParseAddress(string text, out Uri address) =>
        Uri.TryCreate(text, UriKind.Absolute, out address!) && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps);

    /// <exception cref="PrometheusQueryException">Unreachable, an HTTP error, an error status, or not an instant vector.</exception>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseAddress, $"api/v1/query?query={Uri.EscapeDataString(query)}&time={(time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)}");
        string body;
        int status;
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PrometheusQueryException($"Prometheus at {BaseAddress} is not reachable: {ex.Message}", ex);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : "error";
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : body;
                throw new PrometheusQueryException($"Prometheus at {BaseAddress} refused the query ({type}, HTTP {status}): {error}");
            }

            var data = root.GetProperty("data");
            if (data.GetProperty("resultType").GetString() != "vector")
            {
                throw new PrometheusQueryException($"Prometheus at {BaseAddress}: expected an instant vector, got {data.GetProperty("resultType").GetString()}");
            }

            var samples = new List<PrometheusSample>();
            foreach (var item in data.GetProperty("result").EnumerateArray())
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var label in item.GetProperty("metric").EnumerateObject())
                {
                    labels[label.Name] = label.Value.GetString() ?? string.Empty;
                }

                var text = item.GetProperty("value")[1].GetString();
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    samples.Add(new PrometheusSample(labels, value));
                }
            }

            return samples;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new PrometheusQueryException($"Prometheus at {BaseAddress}: HTTP {status}, not a query response ({ex.Message})", ex);
        }
    }
}
