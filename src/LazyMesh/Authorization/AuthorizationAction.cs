namespace LazyMesh.Authorization;

/// <summary>An AuthorizationPolicy's <c>action</c> (istio/api security/v1beta1 AuthorizationPolicy.Action).</summary>
public enum AuthorizationAction
{
    Allow,
    Deny,
    Audit,
    Custom,
}
