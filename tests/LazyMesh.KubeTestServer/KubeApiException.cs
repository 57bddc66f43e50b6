using System.Text.Json.Nodes;

namespace LazyMesh.KubeTesting;

/// <summary>An API error that the server turns into a <c>v1.Status</c> response.</summary>
internal sealed class KubeApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => KubeStatus.Failure(Code, Reason, Message, Details);

    public static KubeApiException NotFound(KubeResourceType type, string name) =>
        new(404, "NotFound", $"{Qualified(type)} \"{name}\" not found", KubeStatus.Details(type, name));

    public static KubeApiException AlreadyExists(KubeResourceType type, string name) =>
        new(409, "AlreadyExists", $"{Qualified(type)} \"{name}\" already exists", KubeStatus.Details(type, name));

    public static KubeApiException Conflict(KubeResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(type)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            KubeStatus.Details(type, name));

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException Invalid(KubeResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", KubeStatus.Details(type, name));

    public static KubeApiException Gone(string message) => new(410, "Expired", message);

    private static string Qualified(KubeResourceType type) =>
        type.Group.Length == 0 ? type.Plural : type.Plural + "." + type.Group;
}
