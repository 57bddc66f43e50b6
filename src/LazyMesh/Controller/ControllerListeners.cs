using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LazyMesh.Controller;

/// <summary>The controller host's two listeners; their <see cref="ListenOptions.IPEndPoint"/> is the bound address once started.</summary>
public sealed class ControllerListeners
{
    internal ListenOptions? Als { get; set; }

    internal ListenOptions? Admin { get; set; }

    public IPEndPoint AlsEndPoint => Als?.IPEndPoint ?? throw new InvalidOperationException("not started");

    public IPEndPoint HttpEndPoint => Admin?.IPEndPoint ?? throw new InvalidOperationException("not started");
}
