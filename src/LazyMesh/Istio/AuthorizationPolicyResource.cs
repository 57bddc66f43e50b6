using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace LazyMesh.Istio;

/// <summary>
/// Istio AuthorizationPolicy (<c>security.istio.io/v1</c>, also v1beta1): the fields the fallback evaluates
/// (istio/api security/v1beta1/authorization_policy.proto).
/// </summary>
public sealed class AuthorizationPolicyResource : IKubernetesObject<V1ObjectMeta>
{
    public const string ResourceKind = "AuthorizationPolicy";

    public const string Group = "security.istio.io";

    public const string Plural = "authorizationpolicies";

    /// <summary>The annotation that makes a policy dry-run (evaluated, never enforced): <c>istio.io/dry-run: "true"</c>.</summary>
    public const string DryRunAnnotation = "istio.io/dry-run";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ResourceKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public AuthorizationPolicySpec Spec { get; set; } = new();
}

public sealed class AuthorizationPolicySpec
{
    [JsonPropertyName("selector")]
    public AuthorizationWorkloadSelector? Selector { get; set; }

    [JsonPropertyName("targetRef")]
    public AuthorizationTargetRef? TargetRef { get; set; }

    [JsonPropertyName("targetRefs")]
    public IList<AuthorizationTargetRef>? TargetRefs { get; set; }

    [JsonPropertyName("rules")]
    public IList<AuthorizationRule?>? Rules { get; set; }

    /// <summary><c>ALLOW</c> (the default), <c>DENY</c>, <c>AUDIT</c> or <c>CUSTOM</c>.</summary>
    [JsonPropertyName("action")]
    public string? Action { get; set; }

    [JsonPropertyName("provider")]
    public AuthorizationProvider? Provider { get; set; }
}

public sealed class AuthorizationWorkloadSelector
{
    [JsonPropertyName("matchLabels")]
    public IDictionary<string, string>? MatchLabels { get; set; }
}

public sealed class AuthorizationTargetRef
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }
}

public sealed class AuthorizationProvider
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

public sealed class AuthorizationRule
{
    [JsonPropertyName("from")]
    public IList<AuthorizationFrom?>? From { get; set; }

    [JsonPropertyName("to")]
    public IList<AuthorizationTo?>? To { get; set; }

    [JsonPropertyName("when")]
    public IList<AuthorizationCondition?>? When { get; set; }
}

public sealed class AuthorizationFrom
{
    [JsonPropertyName("source")]
    public AuthorizationSource? Source { get; set; }
}

public sealed class AuthorizationTo
{
    [JsonPropertyName("operation")]
    public AuthorizationOperation? Operation { get; set; }
}

public sealed class AuthorizationSource
{
    [JsonPropertyName("principals")]
    public IList<string>? Principals { get; set; }

    [JsonPropertyName("notPrincipals")]
    public IList<string>? NotPrincipals { get; set; }

    [JsonPropertyName("requestPrincipals")]
    public IList<string>? RequestPrincipals { get; set; }

    [JsonPropertyName("notRequestPrincipals")]
    public IList<string>? NotRequestPrincipals { get; set; }

    [JsonPropertyName("namespaces")]
    public IList<string>? Namespaces { get; set; }

    [JsonPropertyName("notNamespaces")]
    public IList<string>? NotNamespaces { get; set; }

    [JsonPropertyName("serviceAccounts")]
    public IList<string>? ServiceAccounts { get; set; }

    [JsonPropertyName("notServiceAccounts")]
    public IList<string>? NotServiceAccounts { get; set; }

    [JsonPropertyName("ipBlocks")]
    public IList<string>? IpBlocks { get; set; }

    [JsonPropertyName("notIpBlocks")]
    public IList<string>? NotIpBlocks { get; set; }

    [JsonPropertyName("remoteIpBlocks")]
    public IList<string>? RemoteIpBlocks { get; set; }

    [JsonPropertyName("notRemoteIpBlocks")]
    public IList<string>? NotRemoteIpBlocks { get; set; }
}

public sealed class AuthorizationOperation
{
    [JsonPropertyName("hosts")]
    public IList<string>? Hosts { get; set; }

    [JsonPropertyName("notHosts")]
    public IList<string>? NotHosts { get; set; }

    [JsonPropertyName("ports")]
    public IList<string>? Ports { get; set; }

    [JsonPropertyName("notPorts")]
    public IList<string>? NotPorts { get; set; }

    [JsonPropertyName("methods")]
    public IList<string>? Methods { get; set; }

    [JsonPropertyName("notMethods")]
    public IList<string>? NotMethods { get; set; }

    [JsonPropertyName("paths")]
    public IList<string>? Paths { get; set; }

    [JsonPropertyName("notPaths")]
    public IList<string>? NotPaths { get; set; }
}

public sealed class AuthorizationCondition
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("values")]
    public IList<string>? Values { get; set; }

    [JsonPropertyName("notValues")]
    public IList<string>? NotValues { get; set; }
}
