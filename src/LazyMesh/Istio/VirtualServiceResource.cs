using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// Istio VirtualService (<c>networking.istio.io/v1</c>, also v1beta1/v1alpha3): the fields that decide which
/// sidecars select it (<c>hosts</c>, <c>gateways</c>, <c>exportTo</c>) and where it sends traffic (route, mirror,
/// mirrors and delegate destinations of <c>http</c>, <c>tcp</c> and <c>tls</c> routes).
/// </summary>
public sealed class VirtualServiceResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "VirtualService";
    public const string Plural = "virtualservices";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = SidecarResource.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public VirtualServiceSpec Spec { get; set; } = new();
}

public sealed class VirtualServiceSpec
{
    [JsonPropertyName("hosts")]
    public IList<string>? Hosts { get; set; }

    [JsonPropertyName("gateways")]
    public IList<string>? Gateways { get; set; }

    [JsonPropertyName("exportTo")]
    public IList<string>? ExportTo { get; set; }

    [JsonPropertyName("http")]
    public IList<VirtualServiceHttpRoute>? Http { get; set; }

    [JsonPropertyName("tcp")]
    public IList<VirtualServiceL4Route>? Tcp { get; set; }

    [JsonPropertyName("tls")]
    public IList<VirtualServiceL4Route>? Tls { get; set; }
}

public sealed class VirtualServiceHttpRoute
{
    [JsonPropertyName("match")]
    public IList<VirtualServiceHttpMatch>? Match { get; set; }

    [JsonPropertyName("route")]
    public IList<VirtualServiceRouteDestination>? Route { get; set; }

    [JsonPropertyName("mirror")]
    public VirtualServiceDestination? Mirror { get; set; }

    [JsonPropertyName("mirrors")]
    public IList<VirtualServiceMirror>? Mirrors { get; set; }

    [JsonPropertyName("delegate")]
    public VirtualServiceDelegate? Delegate { get; set; }
}

public sealed class VirtualServiceHttpMatch
{
    [JsonPropertyName("sourceNamespace")]
    public string? SourceNamespace { get; set; }
}

/// <summary>A <c>tcp</c> or <c>tls</c> route: only its destinations matter here.</summary>
public sealed class VirtualServiceL4Route
{
    [JsonPropertyName("route")]
    public IList<VirtualServiceRouteDestination>? Route { get; set; }
}

public sealed class VirtualServiceRouteDestination
{
    [JsonPropertyName("destination")]
    public VirtualServiceDestination? Destination { get; set; }
}

public sealed class VirtualServiceMirror
{
    [JsonPropertyName("destination")]
    public VirtualServiceDestination? Destination { get; set; }
}

public sealed class VirtualServiceDestination
{
    [JsonPropertyName("host")]
    public string? Host { get; set; }

    [JsonPropertyName("subset")]
    public string? Subset { get; set; }

    [JsonPropertyName("port")]
    public VirtualServicePortSelector? Port { get; set; }
}

public sealed class VirtualServicePortSelector
{
    [JsonPropertyName("number")]
    public int? Number { get; set; }
}

public sealed class VirtualServiceDelegate
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}
