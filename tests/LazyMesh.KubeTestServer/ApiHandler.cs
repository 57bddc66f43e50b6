using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LazyMesh.KubeTesting;

/// <summary>Routes Kubernetes REST requests to the store, applying fault injection and counting requests.</summary>
internal sealed class ApiHandler(KubeTestServer server)
{
    private static readonly string[] ReservedNamespaceSubresources = ["status", "finalize"];

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            if (server.ServiceUnavailable)
            {
                await WriteStatusAsync(ctx, new KubeApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request"));
                return;
            }

            var latency = server.Faults.Latency;
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, ctx.RequestAborted);
            }

            var identity = server.Authenticate(ctx.Request.Headers.Authorization.ToString())
                ?? throw new KubeApiException(401, "Unauthorized", "Unauthorized");
            var segments = ctx.Request.Path.Value?.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (await TryDiscoveryAsync(ctx, segments))
            {
                return;
            }

            var (type, version, info) = Resolve(ctx, segments);
            server.Stats.Record(info);
            if (!server.Authorizer.Allows(identity, info))
            {
                server.Stats.RecordForbidden(identity, info);
                throw new KubeApiException(403, "Forbidden", RbacAuthorizer.Denial(identity, info));
            }

            var fault = server.Faults.TakeRequestFault(info);
            if (fault is not null)
            {
                await WriteFaultAsync(ctx, fault);
                return;
            }

            if (info.IsWrite && server.Faults.TakeConflictWrite())
            {
                throw KubeApiException.Conflict(type, info.Name ?? "");
            }

            await DispatchAsync(ctx, type, version, info);
        }
        catch (KubeApiException e)
        {
            await WriteStatusAsync(ctx, e);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // Client went away.
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException or InvalidCastException or ArgumentException)
        {
            await WriteStatusAsync(ctx, new KubeApiException(500, "InternalError", $"an error on the server (\"{e.GetType().Name}: {e.Message}\") has prevented the request from succeeding"));
        }
    }

    private async Task DispatchAsync(HttpContext ctx, KubeResourceType type, string version, KubeRequestInfo info)
    {
        var store = server.Store;
        var query = ctx.Request.Query;
        var ns = info.Namespace;
        var dryRun = query.ContainsKey("dryRun");
        var manager = FieldManager(ctx);
        switch (info.Verb)
        {
            case "get":
                await WriteJsonAsync(ctx, 200, store.Get(type, version, ns, info.Name!));
                break;
            case "list":
                await WriteJsonAsync(ctx, 200, store.List(type, version, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]),
                    int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var limit) ? limit : 0, query["continue"]));
                break;
            case "watch":
                await WatchAsync(ctx, type, version, ns);
                break;
            case "create":
                await WriteJsonAsync(ctx, 201, store.Create(type, version, ns, await ReadObjectAsync(ctx), manager, dryRun));
                break;
            case "update":
                await WriteJsonAsync(ctx, 200, store.Update(type, version, ns, info.Name!, await ReadObjectAsync(ctx), info.Subresource, manager, dryRun));
                break;
            case "patch":
                await PatchAsync(ctx, type, version, info, dryRun);
                break;
            case "delete":
                {
                    var (propagation, uid, rv) = await ReadDeleteOptionsAsync(ctx);
                    var (json, code) = store.Delete(type, version, ns, info.Name!, propagation, uid, rv, dryRun);
                    await WriteJsonAsync(ctx, code, json);
                    break;
                }

            case "deletecollection":
                {
                    var (propagation, _, _) = await ReadDeleteOptionsAsync(ctx);
                    await WriteJsonAsync(ctx, 200, store.DeleteCollection(type, version, ns, LabelSelector.Parse(query["labelSelector"]),
                        FieldSelector.Parse(query["fieldSelector"]), propagation));
                    break;
                }

            default:
                throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }
    }

    private async Task PatchAsync(HttpContext ctx, KubeResourceType type, string version, KubeRequestInfo info, bool dryRun)
    {
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var body = await ReadBodyAsync(ctx);
        if (contentType == "application/apply-patch+yaml")
        {
            var manager = ctx.Request.Query["fieldManager"].ToString();
            if (string.IsNullOrEmpty(manager))
            {
                throw new KubeApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }

            if (YamlJson.Parse(body) is not JsonObject applied)
            {
                throw KubeApiException.BadRequest("an apply configuration must be an object");
            }

            var force = ctx.Request.Query["force"] is var f && (f == "true" || f == "1");
            var (json, created) = server.Store.Apply(type, version, info.Namespace, info.Name!, applied, info.Subresource, manager, force, dryRun);
            await WriteJsonAsync(ctx, created ? 201 : 200, json);
            return;
        }

        var kind = contentType switch
        {
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.StrategicMerge,
            "application/json-patch+json" => PatchKind.Json,
            _ => throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        };
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest("invalid patch: " + e.Message);
        }

        await WriteJsonAsync(ctx, 200, server.Store.Patch(type, version, info.Namespace, info.Name!, kind, patch, info.Subresource, FieldManager(ctx), dryRun));
    }

    private async Task WatchAsync(HttpContext ctx, KubeResourceType type, string version, string? ns)
    {
        var query = ctx.Request.Query;
        var bookmarks = query["allowWatchBookmarks"] is var b && (b == "true" || b == "1");
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        if (server.Faults.TakeGoneWatch())
        {
            var gone = KubeApiException.Gone($"too old resource version: {query["resourceVersion"]} ({server.Store.ResourceVersion})");
            await ctx.Response.WriteAsync(WatchSubscription.Line("ERROR", gone.ToStatus().ToJsonString()), ctx.RequestAborted);
            return;
        }

        WatchSubscription sub;
        try
        {
            sub = server.Store.Watch(type, version, ns, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]),
                query["resourceVersion"], bookmarks);
        }
        catch (KubeApiException e) when (e.Code == 410)
        {
            await ctx.Response.WriteAsync(WatchSubscription.Line("ERROR", e.ToStatus().ToJsonString()), ctx.RequestAborted);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, sub.Stopped, server.Stopping);
        if (int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var bookmarkLoop = bookmarks ? BookmarkLoopAsync(sub, stop.Token) : Task.CompletedTask;
        try
        {
            await ctx.Response.StartAsync(stop.Token);
            while (await sub.Lines.WaitToReadAsync(stop.Token))
            {
                while (sub.Lines.TryRead(out var line))
                {
                    await ctx.Response.WriteAsync(line, stop.Token);
                }

                await ctx.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, drop, shutdown or client gone: end the stream.
        }
        finally
        {
            server.Store.Unsubscribe(sub);
            await stop.CancelAsync();
            await bookmarkLoop;
            if (sub.AbortRequested)
            {
                ctx.Abort();
            }
        }
    }

    private async Task BookmarkLoopAsync(WatchSubscription sub, CancellationToken token)
    {
        using var timer = new PeriodicTimer(server.Options.BookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                server.Store.Bookmark(sub);
            }
        }
        catch (OperationCanceledException)
        {
            // Watch ended.
        }
    }

    private (KubeResourceType Type, string Version, KubeRequestInfo Info) Resolve(HttpContext ctx, string[] segments)
    {
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            throw NotFoundPath();
        }

        var r = segments[rest..];
        string? ns = null;
        string plural;
        string? name = null;
        var sub = "";
        if (r.Length >= 3 && r[0] == "namespaces" && !ReservedNamespaceSubresources.Contains(r[2]))
        {
            ns = r[1];
            plural = r[2];
            if (r.Length >= 4)
            {
                name = r[3];
            }

            if (r.Length == 5)
            {
                sub = r[4];
            }
            else if (r.Length > 5)
            {
                throw NotFoundPath();
            }
        }
        else
        {
            plural = r[0];
            if (r.Length >= 2)
            {
                name = r[1];
            }

            if (r.Length == 3)
            {
                sub = r[2];
            }
            else if (r.Length > 3)
            {
                throw NotFoundPath();
            }
        }

        var type = server.Registry.Find(group, version, plural) ?? throw NotFoundPath();
        if ((ns is not null && !type.Namespaced) || (name is not null && ns is null && type.Namespaced))
        {
            throw NotFoundPath();
        }

        if (sub.Length > 0 && !(sub == "status" && type.HasStatusSubresource))
        {
            throw NotFoundPath();
        }

        var method = ctx.Request.Method.ToUpperInvariant();
        var watch = ctx.Request.Query["watch"] is var w && (w == "true" || w == "1");
        var verb = (method, name is null) switch
        {
            ("GET", true) => watch ? "watch" : "list",
            ("GET", false) => watch ? "watch" : "get",
            ("POST", true) => "create",
            ("PUT", false) => "update",
            ("PATCH", false) => "patch",
            ("DELETE", false) => "delete",
            ("DELETE", true) => "deletecollection",
            _ => throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
        };
        if (verb == "watch" && name is not null)
        {
            throw NotFoundPath();
        }

        return (type, version, new KubeRequestInfo(method, ctx.Request.Path.Value ?? "", verb, group, plural, sub, ns, name));
    }

    private async Task<bool> TryDiscoveryAsync(HttpContext ctx, string[] segments)
    {
        string? json = segments switch
        {
            ["version"] => "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0-lazymesh-test\",\"platform\":\"linux/amd64\"}",
            ["api"] => "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}",
            ["apis"] => ApiGroupList(),
            ["api", var v] => ResourceList("", v),
            ["apis", var g] => ApiGroup(g),
            ["apis", var g, var v] => ResourceList(g, v),
            _ => null,
        };
        if (json is null)
        {
            return false;
        }

        await WriteJsonAsync(ctx, 200, json);
        return true;
    }

    private string ApiGroupList()
    {
        var groups = new JsonArray();
        foreach (var g in server.Registry.All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Order(StringComparer.Ordinal))
        {
            groups.Add(JsonNode.Parse(ApiGroup(g)!));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups }.ToJsonString();
    }

    private string? ApiGroup(string group)
    {
        var versions = server.Registry.All.Where(t => t.Group == group).SelectMany(t => t.Versions).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var v in versions)
        {
            array.Add(new JsonObject { ["groupVersion"] = group + "/" + v, ["version"] = v });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = array,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = group + "/" + versions[0], ["version"] = versions[0] },
        }.ToJsonString();
    }

    private string? ResourceList(string group, string version)
    {
        var types = server.Registry.All.Where(t => t.Group == group && t.Versions.Contains(version)).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Kind.ToLowerInvariant(),
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            });
            if (t.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        }.ToJsonString();
    }

    private static string FieldManager(HttpContext ctx)
    {
        var manager = ctx.Request.Query["fieldManager"].ToString();
        if (!string.IsNullOrEmpty(manager))
        {
            return manager;
        }

        var agent = ctx.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        agent = slash > 0 ? agent[..slash] : agent;
        return string.IsNullOrWhiteSpace(agent) ? "unknown" : agent;
    }

    private static async Task<string> ReadBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        return await reader.ReadToEndAsync(ctx.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var body = await ReadBodyAsync(ctx);
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw KubeApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest("invalid JSON body: " + e.Message);
        }
    }

    private static async Task<(string? Propagation, string? Uid, string? ResourceVersion)> ReadDeleteOptionsAsync(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        string? propagation = query["propagationPolicy"];
        if (string.IsNullOrEmpty(propagation) && query["orphanDependents"] == "true")
        {
            propagation = "Orphan";
        }

        string? uid = null;
        string? rv = null;
        var body = await ReadBodyAsync(ctx);
        if (!string.IsNullOrWhiteSpace(body))
        {
            JsonNode? options;
            try
            {
                options = JsonNode.Parse(body);
            }
            catch (JsonException e)
            {
                throw KubeApiException.BadRequest("invalid DeleteOptions: " + e.Message);
            }

            propagation = options?["propagationPolicy"]?.GetValue<string>() ?? propagation;
            if (options?["orphanDependents"]?.GetValue<bool>() == true && string.IsNullOrEmpty(propagation))
            {
                propagation = "Orphan";
            }

            uid = options?["preconditions"]?["uid"]?.GetValue<string>();
            rv = options?["preconditions"]?["resourceVersion"]?.GetValue<string>();
        }

        return (propagation, uid, rv);
    }

    private static async Task WriteFaultAsync(HttpContext ctx, FaultRule fault)
    {
        var (reason, message) = fault.StatusCode switch
        {
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => ("Timeout", "the server was unable to return a response in the time allotted"),
            409 => ("Conflict", "the object has been modified; please apply your changes to the latest version and try again"),
            410 => ("Expired", "the resource version is too old"),
            _ => ("InternalError", "an error on the server (\"injected fault\") has prevented the request from succeeding"),
        };
        JsonObject? details = null;
        if (fault.RetryAfter is { } retry)
        {
            var seconds = (int)Math.Ceiling(retry.TotalSeconds);
            ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            details = new JsonObject { ["retryAfterSeconds"] = seconds };
        }

        await WriteStatusAsync(ctx, new KubeApiException(fault.StatusCode, reason, message, details));
    }

    private static Task WriteStatusAsync(HttpContext ctx, KubeApiException e) =>
        ctx.Response.HasStarted ? Task.CompletedTask : WriteJsonAsync(ctx, e.Code, e.ToStatus().ToJsonString());

    private static async Task WriteJsonAsync(HttpContext ctx, int code, string json)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json, ctx.RequestAborted);
    }

    private static KubeApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");
}
