using System.Text.Json;
using System.Text.Json.Nodes;
using LazyMesh.Inventory;

namespace LazyMesh.AccessLogs;

/// <summary>
/// Builds the <see cref="AccessLogFormatSet"/> of <c>--log-format</c> values: <c>istio</c> (every default, the
/// default), an Envoy TEXT format string, a JSON object of labels (key -> Envoy format string, as MeshConfig
/// <c>accessLogFormat</c> with <c>accessLogEncoding: JSON</c>), or a YAML/JSON file holding the <c>istio</c> ConfigMap
/// (its <c>data.mesh</c>), a MeshConfig, and/or Telemetry resources. From a MeshConfig it takes
/// <c>accessLogFormat</c>/<c>accessLogEncoding</c> and every <c>extensionProviders[].envoyFileAccessLog.logFormat</c>
/// (<c>text</c> or <c>labels</c>); when Telemetry resources name access-log providers, only those providers are kept.
/// Custom formats are tried first, then Istio's defaults.
/// </summary>
public static class AccessLogFormatLoader
{
    /// <summary>The value that means "Istio's defaults only".</summary>
    public const string IstioDefaults = "istio";

    /// <exception cref="AccessLogFormatException">A value or file that holds no usable format, or a format that lacks required fields.</exception>
    public static AccessLogFormatSet Load(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0 || values.All(v => v.Trim() == IstioDefaults))
        {
            return AccessLogFormatSet.IstioDefaults;
        }

        var text = new List<TextLogFormat>();
        var json = new List<JsonLogFormat>();
        var meshConfigs = new List<(string Source, JsonObject Mesh)>();
        var telemetryProviders = new HashSet<string>(StringComparer.Ordinal);
        bool sawTelemetry = false;
        foreach (var raw in values)
        {
            var value = raw.Trim();
            if (value == IstioDefaults)
            {
                continue;
            }

            if (File.Exists(value))
            {
                ReadFile(value, meshConfigs, telemetryProviders, ref sawTelemetry);
            }
            else if (value.StartsWith('{'))
            {
                json.Add(JsonLogFormat.Compile("custom JSON", ParseLabels(value, "--log-format")));
            }
            else
            {
                text.Add(TextLogFormat.Compile("custom TEXT", value));
            }
        }

        foreach (var (source, mesh) in meshConfigs)
        {
            AddMeshConfig(source, mesh, sawTelemetry ? telemetryProviders : null, text, json);
        }

        if (sawTelemetry && meshConfigs.Count == 0)
        {
            throw new AccessLogFormatException(
                $"Telemetry names access-log providers ({string.Join(", ", telemetryProviders.Order(StringComparer.Ordinal))}) "
                + "but no MeshConfig (istio ConfigMap) defines them: pass that file too with another --log-format");
        }

        return AccessLogFormatSet.WithDefaults(text, json);
    }

    private static void ReadFile(string path, List<(string, JsonObject)> meshConfigs, HashSet<string> telemetryProviders, ref bool sawTelemetry)
    {
        List<JsonNode?> roots;
        try
        {
            using var reader = new StreamReader(path);
            roots = [.. YamlDocumentReader.Read(reader, path).Select(d => d.Root)];
        }
        catch (Exception e) when (e is InvalidDataException or YamlDotNet.Core.YamlException or FormatException)
        {
            throw new AccessLogFormatException($"--log-format {path}: not YAML or JSON: {e.Message}");
        }

        int before = meshConfigs.Count;
        bool anyTelemetry = false;
        foreach (var obj in Objects(roots))
        {
            var kind = obj["kind"]?.GetValue<string>();
            if (kind == "ConfigMap")
            {
                if (obj["data"]?["mesh"] is JsonValue meshText && meshText.TryGetValue(out string? mesh))
                {
                    using var reader = new StringReader(mesh);
                    var meshRoot = YamlDocumentReader.Read(reader, $"{path} (data.mesh)").Select(d => d.Root).FirstOrDefault();
                    if (meshRoot is JsonObject meshObject)
                    {
                        meshConfigs.Add(($"{path} ConfigMap {obj["metadata"]?["name"]}", meshObject));
                    }
                }
            }
            else if (kind == "Telemetry")
            {
                anyTelemetry = true;
                foreach (var logging in obj["spec"]?["accessLogging"]?.AsArray() ?? [])
                {
                    foreach (var provider in logging?["providers"]?.AsArray() ?? [])
                    {
                        if (provider?["name"]?.GetValue<string>() is { } name)
                        {
                            telemetryProviders.Add(name);
                        }
                    }
                }
            }
            else if (kind is null && (obj.ContainsKey("accessLogFormat") || obj.ContainsKey("extensionProviders") || obj.ContainsKey("accessLogFile")))
            {
                meshConfigs.Add(($"{path} MeshConfig", obj));
            }
        }

        sawTelemetry |= anyTelemetry;
        if (meshConfigs.Count == before && !anyTelemetry)
        {
            throw new AccessLogFormatException(
                $"--log-format {path}: no istio ConfigMap (data.mesh), MeshConfig (accessLogFormat, extensionProviders) or Telemetry in it");
        }
    }

    private static IEnumerable<JsonObject> Objects(IEnumerable<JsonNode?> roots)
    {
        foreach (var root in roots)
        {
            if (root is not JsonObject obj)
            {
                continue;
            }

            if (obj["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    yield return item;
                }
            }
            else
            {
                yield return obj;
            }
        }
    }

    private static void AddMeshConfig(string source, JsonObject mesh, HashSet<string>? onlyProviders, List<TextLogFormat> text, List<JsonLogFormat> json)
    {
        // MeshConfig accessLogFormat applies when accessLogFile is set; the encoding says TEXT (default) or JSON.
        if (onlyProviders is null && mesh["accessLogFormat"]?.GetValue<string>() is { Length: > 0 } format)
        {
            var encoding = mesh["accessLogEncoding"]?.GetValue<string>() ?? "TEXT";
            if (encoding.Equals("JSON", StringComparison.OrdinalIgnoreCase))
            {
                json.Add(JsonLogFormat.Compile("MeshConfig JSON", ParseLabels(format, $"{source} accessLogFormat")));
            }
            else
            {
                text.Add(TextLogFormat.Compile("MeshConfig TEXT", format));
            }
        }

        foreach (var provider in mesh["extensionProviders"]?.AsArray() ?? [])
        {
            var name = provider?["name"]?.GetValue<string>() ?? "?";
            if (provider?["envoyFileAccessLog"]?["logFormat"] is not JsonObject logFormat || (onlyProviders is not null && !onlyProviders.Contains(name)))
            {
                continue;
            }

            if (logFormat["text"]?.GetValue<string>() is { Length: > 0 } providerText)
            {
                text.Add(TextLogFormat.Compile($"provider {name} TEXT", providerText));
            }
            else if (logFormat["labels"] is JsonObject labels)
            {
                json.Add(JsonLogFormat.Compile($"provider {name} JSON", Labels(labels)));
            }
        }
    }

    private static Dictionary<string, string> ParseLabels(string jsonText, string where)
    {
        JsonNode? node;
        try
        {
            // Duplicate labels are a parse error here, not an ArgumentException when the object is first enumerated (found by fuzzing).
            node = JsonNode.Parse(jsonText, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new AccessLogFormatException($"{where}: not a JSON object of labels: {e.Message}");
        }

        return node is JsonObject obj ? Labels(obj) : throw new AccessLogFormatException($"{where}: not a JSON object of labels");
    }

    private static Dictionary<string, string> Labels(JsonObject labels) =>
        labels.Where(p => p.Value is JsonValue v && v.TryGetValue(out string? _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
}
