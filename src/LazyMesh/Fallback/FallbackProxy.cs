using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
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

    private readonly MeshIndexHolder _index;
    private readonly FallbackProxyOptions _options;
    private readonly IUpstreamResolver _upstream;
    private readonly FallbackReporter? _reporter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _http1Config;
    private readonly ForwarderRequestConfig _http2Config;
    private WebApplication? _app;
    private IHttpForwarder? _forwarder;
    private IPEndPoint? _bound;
    private IPEndPoint? _adminBound;
    private HashSet<IPAddress> _ownAddresses = [];

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
        Metrics = metrics ?? new FallbackMetrics();
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

            // Cleartext Http1AndHttp2 alone would be HTTP/1.1 only; the detection middleware adds h2c prior knowledge.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(_options.Listen, listen =>
            {
                proxyListen = listen;
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(H2cPriorKnowledgeDetection.Middleware);
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

        var request = new FallbackRequest(
            context.Request.Host.HasValue ? context.Request.Host.Value : null,
            Header(headers, FallbackHeaderNames.OriginalDestination),
            Header(headers, FallbackHeaderNames.SourceAddress),
            Header(headers, FallbackHeaderNames.SourceNamespace),
            context.Connection.RemoteIpAddress);

        var resolution = FallbackDestinationResolver.Resolve(_index.Current, request, _options.Routing);
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
        var caller = _reporter is null ? null : FallbackDestinationResolver.CallerAddress(request);
        var transformer = new FallbackTransformer(
            destination.HostHeader,
            caller is null ? null : status => _reporter!.Report(caller, destination, request.Authority, request.OriginalDestination, status));
        var config = HttpProtocol.IsHttp2(context.Request.Protocol) ? _http2Config : _http1Config;
        var error = await _forwarder!.SendAsync(
            context,
            "http://" + FallbackDestinationResolver.FormatHostPort(host, port),
            _client,
            config,
            transformer).ConfigureAwait(false);

        Metrics.ForwardDuration.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
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
        if (caller is not null && !transformer.Responded)
        {
            _reporter!.Report(caller, destination, request.Authority, request.OriginalDestination, context.Response.StatusCode);
        }
    }

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
