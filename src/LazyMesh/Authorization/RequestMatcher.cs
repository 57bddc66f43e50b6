namespace LazyMesh.Authorization;

/// <summary>One compiled condition on a request: true, false, or unknown to the fallback.</summary>
public delegate Tri RequestMatcher(in AuthorizationRequest request);
