using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LazyMesh.Rendering;

/// <summary>
/// Deterministic YAML for Kubernetes objects: the same object always gives byte-identical text. Keys come in a
/// fixed order (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c> (<c>name</c>, <c>namespace</c> first), <c>spec</c>,
/// then any other key; every other mapping, labels included, sorted ordinally), nulls are left out, strings that
/// YAML would read as another type are quoted, lines end in LF.
/// </summary>
public static class ResourceYaml
{
    public const string DocumentSeparator = "---\n";

    private static readonly string[] RootOrder = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly string[] MetadataOrder = ["name", "namespace"];

    private static readonly HashSet<string> AmbiguousWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    /// <summary>One YAML document (no <c>---</c>), serialised through the object's Kubernetes JSON form.</summary>
    public static string Serialize(object resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var node = JsonNode.Parse(KubernetesJson.Serialize(resource))
            ?? throw new ArgumentException("The object serialises to JSON null.", nameof(resource));
        return SerializeNode(node);
    }

    /// <summary>Several documents separated by <c>---</c> lines, optionally preceded by a comment header.</summary>
    public static string SerializeAll(IEnumerable<object> resources, string? header = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        WriteAll(writer, resources, header);
        return writer.ToString();
    }

    /// <summary>Writes several documents separated by <c>---</c> lines (e.g. to stdout).</summary>
    public static void WriteAll(TextWriter writer, IEnumerable<object> resources, string? header = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(resources);
        if (header is not null)
        {
            foreach (var line in header.Split('\n'))
            {
                writer.Write(line.Length == 0 ? "#\n" : "# " + line.TrimEnd('\r') + "\n");
            }
        }

        var first = true;
        foreach (var resource in resources)
        {
            if (!first || header is not null)
            {
                writer.Write(DocumentSeparator);
            }

            writer.Write(Serialize(resource));
            first = false;
        }
    }

    /// <summary>UTF-8 bytes (no BOM) of <see cref="Serialize"/>.</summary>
    public static byte[] SerializeToUtf8(object resource) => Encoding.UTF8.GetBytes(Serialize(resource));

    /// <summary>One YAML document from a JSON tree, with the same ordering and quoting rules.</summary>
    public static string SerializeNode(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var settings = new EmitterSettings().WithNewLine("\n").WithBestWidth(int.MaxValue);
        var emitter = new Emitter(writer, settings);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node, depth: 0, parentKey: null);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode node, int depth, string? parentKey)
    {
        switch (node)
        {
            case JsonObject obj:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in OrderedProperties(obj, depth, parentKey))
                {
                    EmitString(emitter, key);
                    Emit(emitter, value, depth + 1, key);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    if (item is null)
                    {
                        emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                    }
                    else
                    {
                        Emit(emitter, item, depth + 1, null);
                    }
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                EmitValue(emitter, value);
                break;
        }
    }

    private static IEnumerable<KeyValuePair<string, JsonNode>> OrderedProperties(JsonObject obj, int depth, string? parentKey)
    {
        var order = depth == 0 ? RootOrder : depth == 1 && parentKey == "metadata" ? MetadataOrder : [];
        var present = obj.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        foreach (var key in order)
        {
            if (present.Remove(key, out var value))
            {
                yield return new(key, value);
            }
        }

        foreach (var key in present.Keys.Order(StringComparer.Ordinal))
        {
            yield return new(key, present[key]);
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                EmitPlain(emitter, "true");
                break;
            case JsonValueKind.False:
                EmitPlain(emitter, "false");
                break;
            case JsonValueKind.Number:
                EmitPlain(emitter, value.ToJsonString());
                break;
            default:
                EmitPlain(emitter, "null");
                break;
        }
    }

    private static void EmitPlain(IEmitter emitter, string text) =>
        emitter.Emit(new Scalar(null, null, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    private static void EmitString(IEmitter emitter, string text)
    {
        // Multi-line text (e.g. a MeshConfig inside a ConfigMap) as a literal block, readable and exact.
        var style = NeedsQuotes(text) ? ScalarStyle.DoubleQuoted
            : text.Contains('\n', StringComparison.Ordinal) && !text.Contains(" \n", StringComparison.Ordinal) && !text.Contains('\t', StringComparison.Ordinal) ? ScalarStyle.Literal
            : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    /// <summary>
    /// True for strings a YAML 1.1 or 1.2 reader could take for null, a boolean, a number or a timestamp.
    /// Conservative: anything starting like a number is quoted.
    /// </summary>
    internal static bool NeedsQuotes(string text)
    {
        if (text.Length == 0 || AmbiguousWords.Contains(text))
        {
            return true;
        }

        var c = text[0];
        if (char.IsAsciiDigit(c))
        {
            return true;
        }

        if (c is '+' or '-' or '.' && text.Length > 1)
        {
            var rest = text.AsSpan(1).TrimStart('.');
            return rest.Length == 0 || char.IsAsciiDigit(rest[0])
                || rest.StartsWith("inf", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("nan", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
