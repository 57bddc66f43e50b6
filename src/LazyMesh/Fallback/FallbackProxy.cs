using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using LazyMesh.Authorization;
using LazyMesh.Hosting;
using LazyMesh.Mesh;
using LazyMesh.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace LazyMesh.Fallback;

/// <summary>
/// The fallback proxy: serves calls that lazy sidecars do not yet know how to route. Resolves each call's
/// destination with <see cref="FallbackDestinationResolver"/>, forwards it with YARP's <see cref="IHttpForwarder"/>
/// (HTTP/1.1 and h2c, streaming bodies, trailers, upgrades) to the destination's address with Host rewritten, and
/// reports it through an optional <see cref="FallbackReporter"/>. Health and metrics on a second port.
/// </summary>
public sealed partial class FallbackProxy : IAsyncDisposable
{
    private const string TextPlain = "text/plain; charset=utf-8";

    private static readonly byte[] DeniedBody = Encoding.ASCII.GetBytes(AuthorizationDecision.DeniedBody);

    private readonly MeshIndexHolder _index;
    private readonly FallbackProxyOptions _options;
    private readonly IUpstreamResolver _upstream;
    private readonly FallbackReporter? _reporter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _http1Config;
    private readonly ForwarderRequestConfig _http2Config;
    private readonly FallbackMetrics? _ownedMetrics;
    private WebApplication? _app;
    private IHttpForwarder? _forwarder;
    private IPEndPoint? _bound;
    private IPEndPoint? _adminBound;
    private HashSet<IPAddress> _ownAddresses = [];
    private AuthorizationIndex? _authorization;

    public FallbackProxy(
        MeshIndexHolder index,
        FallbackProxyOptions options,
        IUpstreamResolver? upstreamResolver = null,
        FallbackReporter? reporter = null,
        FallbackMetrics? metrics = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options;
        _upstream = upstreamResolver ?? MeshUpstreamResolver.Instance;
        _reporter = reporter;
        _ownedMetrics = metrics is null ? new FallbackMetrics() : null;
        Metrics = metrics ?? _ownedMetrics!;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<FallbackProxy>();

        // One shared invoker: connection reuse across all callers and destinations.
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = options.ConnectTimeout,
        });
        _http1Config = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        // h2c upstream needs prior knowledge (no ALPN on cleartext): an HTTP/2 call goes on as HTTP/2, exactly.
        _http2Config = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ActivityTimeout,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public FallbackMetrics Metrics { get; }

    /// <summary>The proxy endpoint actually listened on; available after <see cref="StartAsync"/>.</summary>
    public IPEndPoint BoundEndPoint => _bound ?? throw new InvalidOperationException("The fallback proxy is not started.");

    /// <summary>The health and metrics endpoint actually listened on.</summary>
    public IPEndPoint AdminEndPoint => _adminBound ?? throw new InvalidOperationException("The fallback proxy is not started.");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The fallback proxy is already started.");
        }

        ListenOptions? proxyListen = null, adminListen = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.RequestHeadersTimeout = _options.FirstReadTimeout;
            kestrel.Limits.MaxConcurrentConnections = _options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = _options.MaxConnections;

            // Cleartext Http1AndHttp2 alone would be HTTP/1.1 only; the detection middleware adds h2c prior knowledge.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(_options.Listen, listen =>
            {
                proxyListen = listen;
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(H2cPriorKnowledgeDetection.Middleware(_options.FirstReadTimeout, () => Metrics.FirstReadTimeouts.Inc()));
            });
            kestrel.Listen(_options.AdminListen, listen =>
            {
                adminListen = listen;
                listen.Protocols = HttpProtocols.Http1;
            });
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddHttpForwarder();

        var app = builder.Build();
        app.Run(HandleAsync);
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        // Kestrel writes the bound endpoint (the real port when 0 was asked for) back into each ListenOptions.
        _bound = proxyListen!.IPEndPoint!;
        _adminBound = adminListen!.IPEndPoint!;
        _ownAddresses = OwnAddresses(_options.Listen.Address);
        LogListening(_bound, _adminBound);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var app = _app;
        if (app is null)
        {
            return;
        }

        _app = null;
        await app.StopAndDisposeAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _client.Dispose();
        _ownedMetrics?.Dispose();
    }

    private Task HandleAsync(HttpContext context)
    {
        if (context.Connection.LocalPort == _adminBound?.Port && context.Connection.LocalPort != _bound?.Port)
        {
            return HandleAdminAsync(context);
        }

        return ForwardAsync(context);
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var headers = context.Request.Headers;
        if (headers.ContainsKey(FallbackHeaderNames.Hop))
        {
            Metrics.RequestsLoop.Inc();
            LogLoopRefused(context.Request.Host.Value, "the request already passed through the fallback");
            await RefuseAsync(context, StatusCodes.Status508LoopDetected,
                $"lazymesh-fallback: loop detected: the request already carries {FallbackHeaderNames.Hop}, so it passed through the fallback before").ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        var claimed = new FallbackRequest(
            context.Request.Host.HasValue ? context.Request.Host.Value : null,
            Header(headers, FallbackHeaderNames.OriginalDestination),
            Header(headers, FallbackHeaderNames.SourceAddress),
            Header(headers, FallbackHeaderNames.SourceNamespace),
            remote);
        var index = _index.Current;
        var caller = FallbackCaller.Resolve(index, claimed, Header(headers, ForwardedClientCert.HeaderName), _options.CallerIdentity);

        // A verified identity names the caller's namespace; the header only stands in without one.
        var request = caller.Identity is { } identity ? claimed with { SourceNamespace = identity.Namespace } : claimed;
        var resolution = FallbackDestinationResolver.Resolve(index, request, _options.Routing);
        if (resolution.Destination is not { } destination)
        {
            if (resolution.StatusCode == StatusCodes.Status508LoopDetected)
            {
                Metrics.RequestsLoop.Inc();
                LogLoopRefused(request.Authority, resolution.Error!);
            }
            else
            {
                Metrics.RequestsUnresolved.Inc();
                LogUnresolved(request.Authority, request.OriginalDestination, resolution.Error!);
            }

            await RefuseAsync(context, resolution.StatusCode, "lazymesh-fallback: " + resolution.Error).ConfigureAwait(false);
            return;
        }

        if (!_options.AllowLoopbackDestinations && FallbackDestinationResolver.IsLocalHost(destination.UpstreamHost))
        {
            Metrics.RequestsNotMeshDestination.Inc();
            var reason = $"{destination.Service.Host} resolves to {destination.UpstreamHost}, the fallback's own host, not a mesh destination";
            LogUnresolved(request.Authority, request.OriginalDestination, reason);
            await RefuseAsync(context, StatusCodes.Status502BadGateway, "lazymesh-fallback: " + reason).ConfigureAwait(false);
            return;
        }

        var (host, port) = _upstream.Resolve(destination);
        if (IsSelf(host, port))
        {
            Metrics.RequestsLoop.Inc();
            LogLoopRefused(request.Authority, $"{host}:{port} is the fallback's own listen address");
            await RefuseAsync(context, StatusCodes.Status508LoopDetected,
                $"lazymesh-fallback: loop detected: {destination.Service.Host} resolves to the fallback's own address {host}:{port}").ConfigureAwait(false);
            return;
        }

        StripLazyMeshHeaders(headers);
        if (!caller.Learnable)
        {
            Metrics.UnverifiedCalls(TrustLabel(caller.Trust)).Inc();
            LogUnverified(caller.Trust, request.SourceAddress, caller.PeerUri, destination.Service.Host);
        }

        var report = caller.ReportAddress is { } reportAddress && _reporter is not null ? reportAddress : null;
        if (_options.EnforceAuthorization && !Authorize(context, index, destination, caller, request.Authority))
        {
            // Denied by the destination's policies as Istio would deny it: still a dependency of the caller's.
            if (report is not null)
            {
                _reporter!.Report(report, destination, request.Authority, request.OriginalDestination, StatusCodes.Status403Forbidden);
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = DeniedBody.Length;
            await context.Response.Body.WriteAsync(DeniedBody).ConfigureAwait(false);
            Metrics.ForwardDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
            return;
        }

        HopByHopHeaders.RemoveNominated(headers);
        var transformer = new FallbackTransformer(
            destination.HostHeader,
            report is null ? null : status => _reporter!.Report(report, destination, request.Authority, request.OriginalDestination, status));
        var config = HttpProtocol.IsHttp2(context.Request.Protocol) ? _http2Config : _http1Config;
        var error = await _forwarder!.SendAsync(
            context,
            "http://" + FallbackDestinationResolver.FormatHostPort(host, port),
            _client,
            config,
            transformer).ConfigureAwait(false);

        Metrics.ForwardDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
        if (error == ForwarderError.None)
        {
            Metrics.RequestsForwarded.Inc();
        }
        else
        {
            Metrics.RequestsUpstreamError.Inc();
            LogForwardFailed(destination.Cluster, host, port, error, context.Features.Get<IForwarderErrorFeature>()?.Exception?.Message);
        }

        // No upstream response (connect failure, timeout): still a dependency, reported with the 502/504 sent.
        if (report is not null && !transformer.Responded)
        {
            _reporter!.Report(report, destination, request.Authority, request.OriginalDestination, context.Response.StatusCode);
        }
    }

    /// <summary>
    /// Checks the call against the destination's AuthorizationPolicies for the real caller; false where Envoy's RBAC
    /// filter would deny it (the caller then answers 403 <c>RBAC: access denied</c>, as Envoy does).
    /// </summary>
    private bool Authorize(HttpContext context, MeshIndex index, FallbackDestination destination, in FallbackCaller caller, string? authority)
    {
        var authorization = Volatile.Read(ref _authorization);
        if (authorization is null || !ReferenceEquals(authorization.Mesh, index))
        {
            authorization = AuthorizationIndex.Build(index, _options.RootNamespace);
            Volatile.Write(ref _authorization, authorization);
            foreach (var problem in authorization.Problems)
            {
                LogPolicyProblem(problem);
            }
        }

        var targetPort = destination.Port;
        foreach (var declared in destination.Service.Ports)
        {
            if (declared.Port == destination.Port && declared.TargetPort is { } target)
            {
                targetPort = target;
                break;
            }
        }

        var decision = authorization.Check(destination.Service, new AuthorizationRequest(
            caller.PeerUri,
            caller.SourceIp,
            authority ?? string.Empty,
            context.Request.Method,
            context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
            targetPort,
            context.Request.Headers));
        if (decision.AuditMatched)
        {
            Metrics.AuthorizationAudited.Inc();
        }

        if (decision.CustomUnsupported)
        {
            Metrics.AuthorizationCustomUnsupported.Inc();
        }

        if (decision.Allowed)
        {
            return true;
        }

        Metrics.RequestsDenied.Inc();
        LogDenied(caller.PeerUri, destination.Service.Host, context.Request.Method, context.Request.Path.Value, decision.Policy ?? "no ALLOW policy matched");
        return false;
    }

    private static string TrustLabel(FallbackCallerTrust trust) => trust switch
    {
        FallbackCallerTrust.NoIdentity => "no_identity",
        FallbackCallerTrust.UnknownSource => "unknown_source",
        FallbackCallerTrust.SourceMismatch => "source_mismatch",
        _ => "other",
    };

    private async Task HandleAdminAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        switch (path)
        {
            case "/healthz":
                await WriteTextAsync(context, StatusCodes.Status200OK, "ok\n").ConfigureAwait(false);
                break;
            case "/readyz":
                var services = _index.Current.Services.Count;
                await (services > 0
                    ? WriteTextAsync(context, StatusCodes.Status200OK, $"ready: {services} services\n")
                    : WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "not ready: the inventory has no services\n")).ConfigureAwait(false);
                break;
            case "/metrics":
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await Metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                await WriteTextAsync(context, StatusCodes.Status404NotFound, "not found: /healthz, /readyz, /metrics\n").ConfigureAwait(false);
                break;
        }
    }

    private static Task RefuseAsync(HttpContext context, int statusCode, string message) =>
        WriteTextAsync(context, statusCode, message + "\n");

    private static Task WriteTextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = TextPlain;
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static void StripLazyMeshHeaders(IHeaderDictionary headers)
    {
        List<string>? remove = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(FallbackHeaderNames.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                (remove ??= []).Add(header.Key);
            }
        }

        if (remove is not null)
        {
            foreach (var key in remove)
            {
                headers.Remove(key);
            }
        }
    }

    private bool IsSelf(string host, int port)
    {
        if (_bound is null || port != _bound.Port || !IPAddress.TryParse(host, out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return ip.Equals(_bound.Address) || _ownAddresses.Contains(ip);
    }

    /// <summary>The addresses a wildcard listen address answers on (loopback and every interface address).</summary>
    private static HashSet<IPAddress> OwnAddresses(IPAddress listen)
    {
        var own = new HashSet<IPAddress> { listen };
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return own;
        }

        own.Add(IPAddress.Loopback);
        own.Add(IPAddress.IPv6Loopback);
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    own.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Loopback and the listen address are still known.
        }

        return own;
    }
}
