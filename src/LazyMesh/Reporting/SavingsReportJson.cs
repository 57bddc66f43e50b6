using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyMesh.Reporting;

/// <summary>The stable JSON form of <see cref="SavingsReport"/> (schema documented in docs/report-schema.md).</summary>
[JsonSerializable(typeof(SavingsReportDocument))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
internal sealed partial class SavingsReportJson : JsonSerializerContext
{
    public static string Serialize(SavingsReport report) =>
        JsonSerializer.Serialize(Reporting.SavingsReportDocument.From(report), Default.SavingsReportDocument);
}
